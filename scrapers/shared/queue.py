"""scrapy-redis's priority queue with reliable pops: a popped request stays in Redis until acknowledged.

scrapy-redis removes a request from the queue when a worker takes it; a worker killed before it stored the
page's items and links loses that request for good (its fingerprint is already in the duplicate filter). Here
the pop moves the request, in one Lua script, into the worker's in-flight hash; the worker acknowledges it
once the response and all it produced are stored (:mod:`scrapers.shared.worker`), and the in-flight requests
of a worker whose heartbeat has expired are put back in the queue by whichever worker notices first.
"""

from __future__ import annotations

import uuid

from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

from scrapers.shared import TOKEN, CrawlKeys

POP = """
local item = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #item == 0 then return false end
redis.call('ZREM', KEYS[1], item[1])
redis.call('HSET', KEYS[2], ARGV[1], item[1])
redis.call('HSET', KEYS[3], ARGV[1], item[2])
return item[1]
"""

#: put every in-flight request of one worker back in the queue, atomically
REQUEUE = """
local tokens = redis.call('HKEYS', KEYS[2])
for _, token in ipairs(tokens) do
  local data = redis.call('HGET', KEYS[2], token)
  local score = redis.call('HGET', KEYS[3], token) or '0'
  redis.call('ZADD', KEYS[1], score, data)
end
redis.call('DEL', KEYS[2], KEYS[3])
return #tokens
"""


#: record the fingerprint and queue the request in one step (and acknowledge the request it came from):
#: scrapy-redis does SADD then ZADD, and a worker killed between the two leaves a page seen but never queued
PUSH_NEW = """
if ARGV[1] ~= '' and redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
if ARGV[4] ~= '' then
  redis.call('HDEL', KEYS[3], ARGV[4])
  redis.call('HDEL', KEYS[4], ARGV[4])
end
return 1
"""


def requeue(server, keys: CrawlKeys, worker: str) -> int:
    """Put ``worker``'s in-flight requests back in the queue; returns how many."""
    script = server.register_script(REQUEUE)
    return int(script(keys=[keys.requests, keys.inflight(worker), keys.inflight_scores(worker)]))


def ack(server, keys: CrawlKeys, worker: str, token: str) -> None:
    pipe = server.pipeline()
    pipe.hdel(keys.inflight(worker), token)
    pipe.hdel(keys.inflight_scores(worker), token)
    pipe.execute()


class ReliableScheduler(Scheduler):
    """scrapy-redis's scheduler whose duplicate check and push are one Redis step (see ``PUSH_NEW``)."""

    def enqueue_request(self, request):
        fingerprint = "" if request.dont_filter else self.df.request_fingerprint(request)
        if not self.queue.push(request, fingerprint):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis", spider=self.spider)
        return True


class ReliableQueue(PriorityQueue):
    """Set as ``SCHEDULER_QUEUE_CLASS``; needs the settings ``SAISEI_CRAWL_ID`` and ``SAISEI_WORKER_ID``."""

    def __init__(self, server, spider, key, serializer=None):
        super().__init__(server, spider, key, serializer)
        self.keys = CrawlKeys(spider.settings["SAISEI_CRAWL_ID"])
        self.worker = spider.settings["SAISEI_WORKER_ID"]
        self._pop = server.register_script(POP)
        self._push_new = server.register_script(PUSH_NEW)

    def push(self, request, fingerprint: str = "") -> bool:
        """Queue a request unless its fingerprint was seen (none given: always), atomically; a request
        derived from an in-flight one (a retry, a redirect) acknowledges it. Returns whether it was queued."""
        token = request.meta.pop(TOKEN, None) or ""
        data = self._encode_request(request)
        keys = [self.key, self.keys.dupefilter, self.keys.inflight(self.worker), self.keys.inflight_scores(self.worker)]
        queued = bool(self._push_new(keys=keys, args=[fingerprint, -request.priority, data, token]))
        if not queued and token:
            request.meta[TOKEN] = token  # the engine reports it dropped; the worker acknowledges it then
        return queued

    def pop(self, timeout=0):
        token = uuid.uuid4().hex
        data = self._pop(keys=[self.key, self.keys.inflight(self.worker), self.keys.inflight_scores(self.worker)],
                         args=[token])
        if not data:
            return None
        request = self._decode_request(data)
        request.meta[TOKEN] = token
        return request
