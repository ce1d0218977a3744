"""A DNS resolver that answers 127.0.0.1 for every name: tests and benchmarks crawl a farm of generated
sites on loopback under their own host names, and no real host can be contacted whatever a page links to.

``--set DNS_RESOLVER=scrapers.loopback.LoopbackResolver`` (with ``HTTPPROXY_ENABLED=False``, so a proxy in
the environment is not used either).
"""

from __future__ import annotations

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer


class LoopbackResolver(CachingThreadedResolver):
    def getHostByName(self, name: str, timeout=()):
        return defer.succeed("127.0.0.1")
