"""A shared-crawl worker's life in Redis: heartbeat, recovery, items and problems as they happen, acks.

Enabled when ``SAISEI_CRAWL_ID`` is set (``saisei crawl-worker`` sets it). What it guarantees:

- **Nothing produced is lost.** Each item (problems included: they are items) is written to the crawl's items
  hash when Scrapy reports it scraped, each new link when it is queued; only then is the
  request acknowledged (taken off the worker's in-flight hash). Scrapy has no signal for "this response and
  all it produced are processed"; the scraper's slot calls ``finish_response`` exactly then, so that one
  method is wrapped (and a Scrapy without it fails at start-up rather than silently).
- **Idempotent replays.** An item's key is the request fingerprint plus a hash of its content (without the
  fetch time), so a request processed again after a crash overwrites its items instead of doubling them.
- **Dead workers' work comes back.** Every worker refreshes ``alive:<worker>`` (TTL ``SAISEI_WORKER_TIMEOUT``)
  and, on each beat and when idle, puts the in-flight requests of workers whose key expired back in the queue.
- **No early exit.** A worker with an empty queue stays (``DontCloseSpider``) while another worker still has
  requests in flight: their pages may yield more links.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.utils.serialize import ScrapyJSONEncoder
from twisted.internet import task

from scrapers.base import utc_now
from scrapers.shared import TOKEN, CrawlKeys, redis_client
from scrapers.shared.queue import ack, requeue

logger = logging.getLogger(__name__)
_encoder = ScrapyJSONEncoder(ensure_ascii=False, sort_keys=True)
#: fields that differ between two fetches of the same unchanged page
VOLATILE_FIELDS = ("fetched_at",)


def item_key(fingerprint: str, item: dict, seen: Counter) -> str:
    content = {k: v for k, v in item.items() if k not in VOLATILE_FIELDS}
    digest = hashlib.sha1(_encoder.encode(content).encode("utf-8")).hexdigest()[:16]
    seen[digest] += 1
    return f"{fingerprint}:{digest}:{seen[digest]}"


class SharedCrawlWorker:
    def __init__(self, crawler):
        settings = crawler.settings
        self.crawler = crawler
        self.keys = CrawlKeys(settings["SAISEI_CRAWL_ID"])
        self.worker = settings["SAISEI_WORKER_ID"]
        self.timeout = max(settings.getfloat("SAISEI_WORKER_TIMEOUT"), 1.0)
        self.server = redis_client(settings["REDIS_URL"])
        self.seen: dict[int, Counter] = {}
        self.failed: set[str] = set()
        self.beat = task.LoopingCall(self.heartbeat)
        self.started = utc_now()

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.get("SAISEI_CRAWL_ID"):
            raise NotConfigured
        worker = cls(crawler)
        for handler, signal in (
            (worker.spider_opened, signals.spider_opened),
            (worker.spider_idle, signals.spider_idle),
            (worker.spider_closed, signals.spider_closed),
            (worker.item_scraped, signals.item_scraped),
            (worker.request_dropped, signals.request_dropped),
        ):
            crawler.signals.connect(handler, signal=signal)
        return worker

    # -- life ------------------------------------------------------------------------------------------
    def spider_opened(self, spider):
        slot = self.crawler.engine.scraper.slot
        original = slot.finish_response

        def finish_response(result, request):
            original(result, request)
            self.finished(request)

        slot.finish_response = finish_response
        self.server.sadd(self.keys.workers, self.worker)
        self.heartbeat()
        self.beat.start(self.timeout / 3, now=False)
        logger.info("worker %s joined crawl %s", self.worker, self.keys.crawl)

    def heartbeat(self):
        self.server.set(self.keys.alive(self.worker), utc_now(), px=int(self.timeout * 1000))
        self.recover_dead()

    def recover_dead(self) -> int:
        recovered = 0
        for raw in self.server.smembers(self.keys.workers):
            other = raw.decode()
            if other == self.worker or self.server.exists(self.keys.alive(other)):
                continue
            count = requeue(self.server, self.keys, other)
            self.server.srem(self.keys.workers, other)
            if count:
                logger.warning("worker %s stopped without closing: %d request(s) back in the queue", other, count)
                self.crawler.stats.inc_value("saisei/shared/recovered", count)
            recovered += count
        return recovered

    def others_busy(self) -> bool:
        for raw in self.server.smembers(self.keys.workers):
            other = raw.decode()
            if other != self.worker and self.server.hlen(self.keys.inflight(other)):
                return True
        return False

    def spider_idle(self, spider):
        self.recover_dead()
        if self.server.zcard(self.keys.requests) or self.others_busy():
            raise DontCloseSpider

    def spider_closed(self, spider, reason):
        if self.beat.running:
            self.beat.stop()
        # a worker stopped on purpose (Ctrl-C, SIGTERM) hands its unfinished requests back at once
        returned = requeue(self.server, self.keys, self.worker)
        stats = self.crawler.stats.get_stats()
        summary = {
            "worker": self.worker,
            "finish_reason": reason,
            "finished_at": utc_now(),
            "started_at": self.started,
            "pages": stats.get("response_received_count", 0),
            "items": stats.get("item_scraped_count", 0),
            "returned_to_queue": returned,
            "exceptions": sum(v for k, v in stats.items() if k.startswith("spider_exceptions/")),
            "critical": stats.get("log_count/CRITICAL", 0),
            # the per-host counts live in the crawl's hosts hash already (scrapers/shared/report.py)
            "stats": {k: v for k, v in stats.items()
                      if k.startswith("saisei/") and not k.startswith("saisei/hosts/") and isinstance(v, int)},
        }
        pipe = self.server.pipeline()
        pipe.hset(self.keys.closed, self.worker, json.dumps(summary))
        pipe.srem(self.keys.workers, self.worker)
        pipe.delete(self.keys.alive(self.worker))
        pipe.execute()

    # -- one request's output ------------------------------------------------------------------------------
    def item_scraped(self, item, response, spider):
        request = getattr(response, "request", None)
        fingerprint = self.crawler.request_fingerprinter.fingerprint(request).hex() if request else "none"
        seen = self.seen.setdefault(id(request), Counter())
        try:
            self.server.hset(self.keys.items, item_key(fingerprint, dict(item), seen), _encoder.encode(dict(item)))
        except Exception:
            # keep the request in flight: it is replayed by the next worker instead of being lost
            if request is not None and request.meta.get(TOKEN):
                self.failed.add(request.meta[TOKEN])
            raise

    def request_dropped(self, request, spider):
        """A retry or redirect that the duplicate filter refused: its origin is done."""
        token = request.meta.get(TOKEN)
        if token:
            ack(self.server, self.keys, self.worker, token)

    def finished(self, request):
        self.seen.pop(id(request), None)
        token = request.meta.get(TOKEN)
        if token and token not in self.failed:
            ack(self.server, self.keys, self.worker, token)
