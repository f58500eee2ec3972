"""A Redis cache that degrades instead of failing when Redis is down.

The cache only ever holds things the portal can do without (page fragments, import progress,
rate-limit counters): when Redis does not answer, reads miss, writes are dropped, and the
failure is logged (at most once a minute per process, so an outage does not flood the log).
/healthz still reports the cache as failing (503): it checks that a value written is kept.

Settings: ``"BACKEND": "pep_portal.platform.cache.TolerantRedisCache"`` with short socket timeouts in
OPTIONS, so an unreachable Redis costs a request at most about a second.
"""

from __future__ import annotations

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

LOG_EVERY_SECONDS = 60
_last_logged = {"at": 0.0}


def _tolerant(default):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except (RedisError, OSError) as exc:
                now = time.monotonic()
                if now - _last_logged["at"] > LOG_EVERY_SECONDS:
                    _last_logged["at"] = now
                    logger.error(
                        "Cache unavailable (%s: %s); serving without it", type(exc).__name__, exc
                    )
                return default(*args, **kwargs) if callable(default) else default

        return wrapper

    return decorate


def _get_default(key, default=None, version=None):
    return default


def _incr_default(key, delta=1, version=None):
    # The counter is unknown while Redis is down: count this one (rate limits stay lenient).
    return delta


class TolerantRedisCache(RedisCache):
    get = _tolerant(_get_default)(RedisCache.get)
    get_many = _tolerant(dict)(RedisCache.get_many)
    has_key = _tolerant(False)(RedisCache.has_key)
    # add() is how allauth takes its rate-limit lock: answering "added" while Redis is down
    # lets people sign in (limits are lenient during an outage) instead of a 429 for all.
    add = _tolerant(True)(RedisCache.add)
    set = _tolerant(None)(RedisCache.set)
    set_many = _tolerant(lambda data, *a, **k: list(data))(RedisCache.set_many)
    touch = _tolerant(False)(RedisCache.touch)
    delete = _tolerant(False)(RedisCache.delete)
    delete_many = _tolerant(None)(RedisCache.delete_many)
    incr = _tolerant(_incr_default)(RedisCache.incr)
    decr = _tolerant(lambda key, delta=1, version=None: -delta)(RedisCache.decr)
    clear = _tolerant(False)(RedisCache.clear)
