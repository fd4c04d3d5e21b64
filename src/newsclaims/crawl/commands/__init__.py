"""Scrapy commands of the project (``COMMANDS_MODULE``): each module is one command."""
