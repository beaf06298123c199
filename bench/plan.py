"""The workloads, as data: which database, which systems, and the stages of each run."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

BOARD, B0, B2, BOARD_DEFLATE = "board", "b0", "b2", "board+deflate"
ALL = (BOARD, B0, B2)
# The board on other stores (``--db``, ``--workers 2``) and another checkout's board on
# SQLite (``--reference``). "board" is the board on SQLite, one process.
BOARD_PG, BOARD_PG2, BOARD_REF = "board-pg", "board-pg2", "board-ref"
BOARDS = (BOARD, BOARD_DEFLATE, BOARD_PG, BOARD_PG2, BOARD_REF)
POSTGRES = (BOARD_PG, BOARD_PG2)
# The workloads on which the stores are compared (the W1, W2, W3, W6 and Writes).
STORE_WORKLOADS = ("W1", "W2", "W3", "W6", "Writes", "Smoke", "SmokeWrites")

# name -> (bodies, members per body, agenda items); each body has one live meeting and a
# chair. "writing" has a long agenda: a member may write at most 10 opinions on one item,
# so 50 members writing flat out for 8 s need dozens of items to write on.
DATABASES = {
    "committee": (1, 50, 0),
    "assembly": (1, 2000, 0),
    "many": (100, 30, 0),
    "writing": (1, 50, 40),
    "presenting": (1, 1000, 0),
}
# Databases whose meeting has a presenter and a PDF: their chair events are page turns.
PRESENTING = ("presenting",)


@dataclass(frozen=True)
class Workload:
    key: str
    title: str
    database: str
    rooms: int
    devices: int  # member tokens handed to the devices of each room
    stages: list[dict[str, Any]]
    systems: tuple[str, ...] = ALL
    writers: int = 0
    variants: dict[str, dict[str, Any]] = field(default_factory=lambda: {"": {}})
    repeats: int | None = None  # None: the run's --repeats


def with_systems(plan: list[Workload], extra: tuple[str, ...]) -> list[Workload]:
    """The plan with ``extra`` systems added to the workloads that compare stores."""
    return [
        replace(workload, systems=(*workload.systems, *extra))
        if workload.key in STORE_WORKLOADS
        else workload
        for workload in plan
    ]


def chair(rate: float, duration: float, start: float = 0.0) -> dict[str, Any]:
    return {"kind": "chair", "rate": rate, "duration": duration, "start": start}


def opinions(rate: float, duration: float, start: float = 0.0) -> dict[str, Any]:
    return {"kind": "write", "rate": rate, "duration": duration, "start": start}


def stage(name: str, per_room: int, **extra: Any) -> dict[str, Any]:
    return {"name": name, "devices_per_room": per_room, "settle": 0.5, **extra}


def full_plan(seconds: float = 5.0) -> list[Workload]:
    return [
        Workload(
            "W1",
            "committee: 30 devices, a chair action every 2 s, 5 opinions/s for 10 s",
            "committee",
            rooms=1,
            devices=30,
            writers=30,
            stages=[stage("30", 30, streams=[chair(0.5, 10), opinions(5, 10, start=0.1)])],
        ),
        Workload(
            "W3",
            "assembly: one meeting, one chair action per second",
            "assembly",
            rooms=1,
            devices=2000,
            stages=[
                stage(str(size), size, streams=[chair(1, seconds)])
                for size in (250, 500, 1000, 2000)
            ],
        ),
        Workload(
            "W2",
            "many meetings: 100 x 30 devices, 20 events/s spread over the meetings",
            "many",
            rooms=100,
            devices=30,
            stages=[stage("3000", 30, streams=[chair(20, 8)])],
        ),
        Workload(
            "W6",
            "connect storm: 1,000 devices join within 10 s",
            "assembly",
            rooms=1,
            devices=1000,
            repeats=2,
            stages=[stage("1000", 1000, connect_rate=100)],
        ),
        Workload(
            # 5 actions/s for 20 s: enough pushes to fill a stalled device's buffers
            # (network-sized segments, see bench/client.py) and its outbox, so it is dropped.
            "W5",
            "slow consumers: 1,000 devices, 5 chair actions/s, 5% stop reading",
            "assembly",
            rooms=1,
            devices=1000,
            systems=(BOARD,),
            repeats=2,
            variants={"all reading": {}, "5% stalled": {"stall_fraction": 0.05}},
            stages=[stage("1000", 1000, streams=[chair(5, 20)])],
        ),
        Workload(
            "Writes",
            "writes: 50 members post as fast as they can for 8 s (their devices open)",
            "writing",
            rooms=1,
            devices=50,
            writers=50,
            systems=(BOARD,),
            stages=[stage("50", 50, writers={"count": 50, "duration": 8})],
        ),
        Workload(
            "Memory",
            "idle connections: server RSS per connection at 1,000 and 3,000",
            "many",
            rooms=100,
            devices=30,
            systems=(BOARD, BOARD_DEFLATE, B0, B2),
            repeats=1,
            stages=[stage("100", 1), stage("1000", 10), stage("3000", 30)],
        ),
        Workload(
            "W7",
            "page turns: one meeting, 1,000 devices following, one material.present per second",
            "presenting",
            rooms=1,
            devices=1000,
            stages=[stage("1000", 1000, streams=[chair(1, seconds)])],
        ),
    ]


def quick_plan() -> list[Workload]:
    """Every workload at a fifth of its size, once: a few minutes' check of the bench."""
    return [
        Workload(
            "W1",
            "committee (quick)",
            "committee",
            rooms=1,
            devices=30,
            writers=30,
            stages=[stage("30", 30, streams=[chair(1, 3), opinions(5, 3, start=0.1)])],
        ),
        Workload(
            "W3",
            "assembly (quick)",
            "assembly",
            rooms=1,
            devices=500,
            stages=[stage(str(size), size, streams=[chair(2, 2)]) for size in (250, 500)],
        ),
        Workload(
            "W2",
            "many meetings (quick): 20 x 30 devices",
            "many",
            rooms=20,
            devices=30,
            stages=[stage("600", 30, streams=[chair(20, 3)])],
        ),
        Workload(
            "W6",
            "connect storm (quick): 200 devices in 2 s",
            "assembly",
            rooms=1,
            devices=200,
            stages=[stage("200", 200, connect_rate=100)],
        ),
        Workload(
            "W5",
            "slow consumers (quick)",
            "assembly",
            rooms=1,
            devices=200,
            systems=(BOARD,),
            variants={"all reading": {}, "5% stalled": {"stall_fraction": 0.05}},
            stages=[stage("200", 200, streams=[chair(4, 4)])],
        ),
        Workload(
            "Writes",
            "writes (quick)",
            "writing",
            rooms=1,
            devices=50,
            writers=50,
            systems=(BOARD,),
            stages=[stage("50", 50, writers={"count": 50, "duration": 3})],
        ),
        Workload(
            "W7",
            "page turns (quick): 1,000 devices following, two material.present per second",
            "presenting",
            rooms=1,
            devices=1000,
            stages=[stage("1000", 1000, streams=[chair(2, 3)])],
        ),
    ]


def smoke_plan() -> list[Workload]:
    """For the test suite: 20 devices, a few events, every system; no timing."""
    return [
        Workload(
            "Smoke",
            "20 devices, chair actions and opinions",
            "committee",
            rooms=1,
            devices=20,
            writers=5,
            repeats=1,
            stages=[stage("20", 20, settle=0.2, streams=[chair(4, 1), opinions(4, 1, start=0.1)])],
        ),
        Workload(
            "SmokeWrites",
            "5 writers for 1 s",
            "committee",
            rooms=1,
            devices=5,
            writers=5,
            systems=(BOARD,),
            repeats=1,
            stages=[stage("5", 5, settle=0.2, writers={"count": 5, "duration": 1})],
        ),
    ]
