"""A shared HTTP cache in Redis, and a policy that revalidates every page once per crawl.

Storage (``HTTPCACHE_STORAGE``): one hash per request fingerprint under ``saisei:httpcache:`` with status,
URL, headers, the zlib-compressed body, and the crawl that stored it. In Redis because the workers of a crawl
and the next night's refresh run anywhere: a page fetched by one worker can be revalidated by any other.
It costs memory (about a third of the HTML, compressed); ``HTTPCACHE_EXPIRATION_SECS`` bounds it, and
``HTTPCACHE_STORAGE=scrapy.extensions.httpcache.FilesystemCacheStorage`` with a shared ``HTTPCACHE_DIR`` is
the alternative.

Policy (``HTTPCACHE_POLICY``): RFC 2616 revalidation without heuristic freshness. A cached page is sent as a
conditional request (``If-None-Match`` / ``If-Modified-Since``) and a 304 reuses the stored body, so an
unchanged site costs 304s. Unlike ``RFC2616Policy`` it never trusts a page as fresh because it was last
modified long ago (that heuristic would skip a clinic's changed price page for weeks), except a page stored by
*this* crawl: a crawl resumed after a crash reuses what it already fetched without asking again.
"""

from __future__ import annotations

import json
import time
import zlib

from scrapy.extensions.httpcache import RFC2616Policy
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes

from scrapers.shared import CACHE_PREFIX, redis_client

#: request.meta key: the crawl that stored the cached response the storage just returned
STORED_BY = "saisei_cache_crawl"


class RevalidatingPolicy(RFC2616Policy):
    def __init__(self, settings):
        super().__init__(settings)
        self.crawl = settings.get("SAISEI_CRAWL_ID") or ""

    def should_cache_response(self, response, request) -> bool:
        # an error page must not be replayed to a retry of the same crawl as if it were fresh
        return response.status < 400 and super().should_cache_response(response, request)

    def is_cached_response_fresh(self, cachedresponse, request) -> bool:
        if self.crawl and request.meta.get(STORED_BY) == self.crawl:
            return True
        validators = {b"ETag": b"If-None-Match", b"Last-Modified": b"If-Modified-Since"}
        for header, conditional in validators.items():
            if header in cachedresponse.headers:
                request.headers[conditional] = cachedresponse.headers[header]
        return False


class RedisCacheStorage:
    def __init__(self, settings):
        self.url = settings["REDIS_URL"]
        self.crawl = settings.get("SAISEI_CRAWL_ID") or ""
        self.expiration = settings.getint("HTTPCACHE_EXPIRATION_SECS")
        self.server = None
        self.fingerprinter = None

    def open_spider(self, spider):
        self.server = redis_client(self.url)
        self.fingerprinter = spider.crawler.request_fingerprinter

    def close_spider(self, spider):
        pass

    def key(self, request) -> str:
        return CACHE_PREFIX + self.fingerprinter.fingerprint(request).hex()

    def retrieve_response(self, spider, request):
        stored = self.server.hgetall(self.key(request))
        if not stored:
            return None
        headers = Headers(json.loads(stored[b"headers"]))
        body = zlib.decompress(stored[b"body"])
        url = stored[b"url"].decode()
        request.meta[STORED_BY] = stored.get(b"crawl", b"").decode()
        cls = responsetypes.from_args(headers=headers, url=url, body=body)
        return cls(url=url, headers=headers, status=int(stored[b"status"]), body=body)

    def store_response(self, spider, request, response):
        headers = {k.decode("latin-1"): [v.decode("latin-1") for v in vs] for k, vs in response.headers.items()}
        key = self.key(request)
        pipe = self.server.pipeline()
        pipe.hset(key, mapping={
            "status": response.status,
            "url": response.url,
            "headers": json.dumps(headers),
            "body": zlib.compress(response.body),
            "crawl": self.crawl,
            "stored_at": int(time.time()),
        })
        if self.expiration > 0:
            pipe.expire(key, self.expiration)
        pipe.execute()
