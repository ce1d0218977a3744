"""Page parsers shared by spiders, tests and benchmarks; they take a parsel Selector, not a Scrapy response."""
