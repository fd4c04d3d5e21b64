"""Archives into the database through the crawl's analysis and storage (``newsclaims ingest``)."""
