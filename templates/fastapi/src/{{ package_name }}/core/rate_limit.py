"""Fixed-window rate limits kept in memory, or in Redis so replicas share them."""

import logging
import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import FixedWindowRateLimiter
from limits.errors import StorageError

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the window resets; 0 when allowed


class RateLimiter:
    def __init__(self, limit: str, redis_url: str | None, namespace: str) -> None:
        self._item: RateLimitItem | None = None if limit == "0" else parse(limit)
        self._namespace = namespace
        # wrap_exceptions: any Redis failure surfaces as limits' own StorageError.
        self.storage: Storage = (
            RedisStorage(f"async+{redis_url}", wrap_exceptions=True)
            if redis_url
            else MemoryStorage()
        )
        self._limiter = FixedWindowRateLimiter(self.storage)

    async def hit(self, key: str) -> Verdict:
        """Count one attempt for `key`; say whether it is within the limit."""
        if self._item is None:
            return Verdict(allowed=True, retry_after=0)
        try:
            if await self._limiter.hit(self._item, self._namespace, key):
                return Verdict(allowed=True, retry_after=0)
            stats = await self._limiter.get_window_stats(self._item, self._namespace, key)
        except StorageError:
            # Fail open: a Redis outage must not lock every user out of signing in.
            logger.warning("rate-limit storage unavailable; attempt allowed", exc_info=True)
            return Verdict(allowed=True, retry_after=0)
        return Verdict(allowed=False, retry_after=max(1, math.ceil(stats.reset_time - time.time())))
