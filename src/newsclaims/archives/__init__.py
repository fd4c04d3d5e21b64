"""Pages from web archives (WARC, saved HTML) as the records a crawl fetches; pure, no database."""
