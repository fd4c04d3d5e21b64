"""Scrapy item pipelines: thin adapters from items to the pure stages and the store."""
