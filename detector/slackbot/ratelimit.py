"""A per-user sliding-window rate limit, so one person cannot exhaust the LLM budget."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable


class RateLimiter:
    def __init__(
        self, limit: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, user: str) -> bool:
        now = self.clock()
        with self._lock:
            hits = self._hits[user]
            while hits and now - hits[0] >= self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            return True

    def retry_after(self, user: str) -> float:
        with self._lock:
            hits = self._hits.get(user)
            if not hits:
                return 0.0
            return max(0.0, self.window - (self.clock() - hits[0]))
