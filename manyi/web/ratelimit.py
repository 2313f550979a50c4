"""Rate limits for the public forms and the searches that could be abused, and the
client address they count by.

A limit is a fixed window per key, counted atomically: with Redis as the cache
(``CACHE_URL=redis://…``) by Redis' own ``INCR`` with an expiry, otherwise by one
conditional ``UPDATE … SET count = count + 1`` of a row per key and window in the
database. Either way twenty parallel posts count twenty, never fewer.
"""

import hashlib
import ipaddress
import time
from datetime import UTC, datetime
from functools import cache

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from redis.exceptions import NoScriptError

from manyi.web.models import RateCount

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _trusted_networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _trusted_networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request: HttpRequest) -> str:
    """The client's address: the peer that connected, unless that peer is one of
    ``TRUSTED_PROXIES`` — then the nearest address in ``X-Forwarded-For`` that is not a
    trusted proxy. The header is read from the right: its left part is whatever the
    client wrote, so only what our own proxies appended is believed."""
    peer = request.META.get("REMOTE_ADDR", "")
    if not _is_trusted(peer):
        return peer
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        if not _is_trusted(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                break  # a malformed hop: the last trusted proxy is all we know
    return peer


# One command for every bucket of a request (a pipeline of INCR and EXPIRE pairs cost
# the survey submit more in the client than in Redis).
COUNT_SCRIPT = """
local counts = {}
for i, key in ipairs(KEYS) do
    counts[i] = redis.call('INCR', key)
    redis.call('EXPIRE', key, ARGV[i], 'NX')
end
return counts
"""
COUNT_SHA = hashlib.sha1(COUNT_SCRIPT.encode()).hexdigest()  # noqa: S324 - Redis' script id


def _redis_counts(backend: RedisCache, buckets: list[tuple[str, int]]) -> list[int]:
    """Count one hit in each (bucket, seconds), all in one round trip."""
    client = backend._cache.get_client(buckets[0][0], write=True)
    keys = [backend.make_key(key) for key, _seconds in buckets]
    seconds = [seconds for _key, seconds in buckets]
    try:
        counts = client.evalsha(COUNT_SHA, len(keys), *keys, *seconds)
    except NoScriptError:  # a Redis that has not seen the script since it started
        counts = client.eval(COUNT_SCRIPT, len(keys), *keys, *seconds)
    return [int(count) for count in counts]


def _database_count(key: str, window: int, seconds: int) -> int:
    with transaction.atomic():
        counted = RateCount.objects.filter(key=key, window=window)
        if not counted.update(count=F("count") + 1):
            ends = datetime.fromtimestamp((window + 1) * seconds, tz=UTC)
            try:
                with transaction.atomic():
                    RateCount.objects.create(key=key, window=window, count=1, expires_at=ends)
                    return 1
            except IntegrityError:  # another request made the row first
                counted.update(count=F("count") + 1)
        # The row stays locked by our update until commit: this is our own count.
        return counted.values_list("count", flat=True).get()


def _bucket(key: str, seconds: int) -> tuple[str, int]:
    window = int(time.time() // seconds)
    return f"rl:{key[:150]}:{seconds}:{window}", window


def hits(key: str, *, seconds: int) -> int:
    """Count one hit on ``key`` in the current window of ``seconds``; the hits so far."""
    bucket, window = _bucket(key, seconds)
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        return _redis_counts(backend, [(bucket, seconds)])[0]
    return _database_count(bucket, window, seconds)


def allow(key: str, *, limit: int, seconds: int) -> bool:
    """Count one hit on ``key``; False once more than ``limit`` fall in the window."""
    return hits(key, seconds=seconds) <= limit


def allow_all(*limits: tuple[str, int, int]) -> bool:
    """Count one hit on each (key, limit, seconds); False when any is over its limit.
    Redis counts them all in one round trip."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return all([allow(key, limit=limit, seconds=seconds) for key, limit, seconds in limits])
    buckets = [(_bucket(key, seconds)[0], seconds) for key, _limit, seconds in limits]
    counts = _redis_counts(backend, buckets)
    return all(count <= limit for count, (_key, limit, _s) in zip(counts, limits, strict=True))


def rate_counts_purge() -> int:
    """Drop the database counters of windows that have ended."""
    return RateCount.objects.filter(expires_at__lt=timezone.now()).delete()[0]
