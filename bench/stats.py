"""Percentiles, medians and the event-loop lag monitor shared by servers and generator."""

from __future__ import annotations

import asyncio
import math
import os
import statistics
import time
from collections import deque
from collections.abc import Iterable, Sequence
from typing import Any


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The nearest-rank percentile (no interpolation): a value that was observed."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def summary(values: Sequence[float], scale: float = 1.0) -> dict[str, Any]:
    """p50 / p99 / max of ``values`` times ``scale`` (e.g. 1000 for seconds -> ms)."""
    if not values:
        return {"n": 0, "p50": None, "p99": None, "max": None}
    ordered = sorted(values)
    return {
        "n": len(ordered),
        "p50": round(ordered[max(0, math.ceil(0.5 * len(ordered)) - 1)] * scale, 3),
        "p99": round(ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)] * scale, 3),
        "max": round(ordered[-1] * scale, 3),
    }


def median(values: Iterable[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return statistics.median(present) if present else None


class LagMonitor:
    """Measures how late the event loop wakes a task that asked to sleep ``interval``:
    the time any callback waits behind the work already queued."""

    def __init__(self, interval: float = 0.01) -> None:
        self.interval = interval
        self.samples: deque[float] = deque(maxlen=200_000)
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self.task is None:
            self.task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(self.interval)
            self.samples.append(max(0.0, time.perf_counter() - started - self.interval))

    def report(self, reset: bool = False) -> dict[str, Any]:
        found = summary(list(self.samples), scale=1000)
        if reset:
            self.samples.clear()
        return found


def new_loop() -> asyncio.AbstractEventLoop:
    """uvloop when it is installed (as uvicorn picks it), else the default loop."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop is a dependency of uvicorn[standard]
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def machine_cpu() -> float:
    """Seconds of CPU (user, nice, system) used by every process of the machine so far."""
    try:
        with open("/proc/stat", encoding="ascii") as handle:
            fields = handle.readline().split()
    except OSError:
        return 0.0
    user, nice, system = (int(value) for value in fields[1:4])
    return (user + nice + system) / os.sysconf("SC_CLK_TCK")
