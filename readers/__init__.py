"""Text readers: Japanese names, addresses, regions, therapies, numbers and prices read out of printed text.

Pure functions over strings, with no Scrapy and no database, so the page parsers (``scrapers/parsers``) and the
verification step (``verify``) read text the same way; a reader changed here changes both at once.
"""
