"""Failed sign-in attempts per client address, counted in memory (per process).

Tokens are 256 random bits, so guessing is hopeless; the limit is about cost: each guess
is a query and a request to serve. An address with ``limit`` failures within ``window``
seconds is refused (429) until its oldest counted failure is older than the window."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

SIGN_IN_FAILURES = 20  # per address per window (BOARD_MAX_FAILED_SIGN_INS)
SIGN_IN_WINDOW = 600  # seconds
ADDRESSES_KEPT = 10_000  # beyond this many addresses, the quietest are forgotten


class Attempts:
    def __init__(
        self,
        limit: int = SIGN_IN_FAILURES,
        window: float = SIGN_IN_WINDOW,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, address: str) -> deque[float] | None:
        found = self._failures.get(address)
        if found is None:
            return None
        horizon = self.clock() - self.window
        while found and found[0] <= horizon:
            found.popleft()
        if not found:
            del self._failures[address]
            return None
        return found

    def retry_after(self, address: str) -> int | None:
        """Seconds until this address may try again, or None when it may now."""
        found = self._recent(address)
        if found is None or len(found) < self.limit:
            return None
        return max(1, int(found[0] + self.window - self.clock()) + 1)

    def failed(self, address: str) -> None:
        if address not in self._failures and len(self._failures) >= ADDRESSES_KEPT:
            oldest = min(self._failures, key=lambda each: self._failures[each][-1])
            del self._failures[oldest]
        found = self._failures.setdefault(address, deque())
        found.append(self.clock())
        while len(found) > self.limit:
            found.popleft()
