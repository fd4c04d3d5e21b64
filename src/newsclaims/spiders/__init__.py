"""Scrapy spiders: they decide where to go next; extraction happens in the pipelines."""
