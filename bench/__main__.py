"""python -m bench [--quick | --smoke] [--repeats N] [--only W3,W2] ...
                 [--db postgresql://HOST:PORT/ [--workers 2]] [--reference DIR]

Benchmarks the live push against two baselines on this machine and prints a table;
the full results go to bench/results/ as JSON. See README, "Benchmarks". With ``--db``
the board also runs on PostgreSQL (board-pg; with ``--workers 2`` also board-pg2, two
processes on one database) on W1, W2, W3, W6 and Writes, beside SQLite in the same run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from bench import pg
from bench.plan import (
    BOARD_PG,
    BOARD_PG2,
    BOARD_REF,
    full_plan,
    quick_plan,
    smoke_plan,
    with_systems,
)
from bench.report import summarize, table, targets
from bench.runner import (
    DEFAULT_PAYLOAD,
    DEFAULT_WRITE,
    QUIET_WAIT,
    RETRIES,
    Bench,
    Options,
    machine,
)

RESULTS = Path(__file__).resolve().parent / "results"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="every workload, small, once")
    size.add_argument("--smoke", action="store_true", help="20 devices, a few seconds")
    parser.add_argument("--repeats", type=int, default=3, help="repeats of each run (median)")
    parser.add_argument("--only", help="comma-separated workloads, e.g. W3,W2")
    parser.add_argument("--seconds", type=float, default=5.0, help="events per W3 size")
    parser.add_argument(
        "--patience",
        type=float,
        default=QUIET_WAIT,
        help="seconds to wait for a quiet machine before each run (bounds a busy machine's run)",
    )
    parser.add_argument(
        "--retries", type=int, default=RETRIES, help="runs again of a disturbed run (2)"
    )
    parser.add_argument("--no-pin", action="store_true", help="do not pin server and generator")
    parser.add_argument(
        "--write-action",
        default=DEFAULT_WRITE,
        help="the opinion to post (when it is not registered: a labelled stand-in)",
    )
    parser.add_argument(
        "--write-payload",
        default=json.dumps(DEFAULT_PAYLOAD, ensure_ascii=False),
        help=(
            "JSON; {item_id} is the current item, {spread_item_id} the next item for each"
            " post of a writer, {n} a counter"
        ),
    )
    parser.add_argument("--out", type=Path, help="where to write the JSON results")
    parser.add_argument(
        "--board", type=Path, help="benchmark the board of another checkout (e.g. an older commit)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the seeded SQLite databases")
    parser.add_argument(
        "--db",
        help=(
            "a PostgreSQL server, postgresql://[USER@]HOST:PORT/: the board runs on it too"
            " (board-pg), on databases the bench creates there and drops afterwards"
        ),
    )
    parser.add_argument(
        "--workers",
        type=int,
        choices=(1, 2),
        default=1,
        help="2: also two board processes on one PostgreSQL database (board-pg2)",
    )
    parser.add_argument(
        "--synchronous-commit",
        choices=("on", "off"),
        default="on",
        help=(
            "PostgreSQL's synchronous_commit for the board (on, the board's default: a"
            " commit waits for the disk; off: it does not)"
        ),
    )
    parser.add_argument(
        "--reference",
        type=Path,
        help=(
            "also run another checkout's board on SQLite (board-ref), e.g. main exported with"
            " git archive: the SQLite path's regression check, in the same run"
        ),
    )
    args = parser.parse_args(argv)
    if args.workers > 1 and not args.db:
        parser.error("--workers 2 needs --db postgresql://...")
    return args


def extra_systems(args: argparse.Namespace) -> tuple[str, ...]:
    systems: tuple[str, ...] = (BOARD_REF,) if args.reference else ()
    if args.db:
        systems += (BOARD_PG, BOARD_PG2) if args.workers == 2 else (BOARD_PG,)
    return systems


def bench(args: argparse.Namespace) -> dict[str, Any]:
    if args.smoke:
        plan = smoke_plan()
    elif args.quick:
        plan = quick_plan()
    else:
        plan = full_plan(args.seconds)
    plan = with_systems(plan, extra_systems(args))
    if args.db:
        pg.Server(args.db).check()
    if args.only:
        wanted = {name.strip() for name in args.only.split(",")}
        plan = [workload for workload in plan if workload.key in wanted]
    repeats = 1 if (args.quick or args.smoke) else args.repeats
    workdir = Path(tempfile.mkdtemp(prefix="board-bench-"))
    options = Options(
        plan=plan,
        workdir=workdir,
        repeats=repeats,
        pin=not args.no_pin,
        write_action=args.write_action,
        write_payload=json.loads(args.write_payload),
        board=args.board,
        timed=not args.smoke,
        postgres=args.db,
        reference=args.reference,
        synchronous_commit=args.synchronous_commit,
        quiet_wait=args.patience,
        retries=args.retries,
    )
    started = time.monotonic()
    print(f"Benchmarking in {workdir} ({len(plan)} workloads, {repeats} repeat(s))", flush=True)
    runner = Bench(options)
    try:
        records = runner.run()
    finally:
        runner.close()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    summary = summarize(records)
    goals = targets(summary) if not args.smoke else []
    return {
        "when": datetime.now().isoformat(timespec="seconds"),
        "machine": machine(),
        "arguments": {key: str(value) for key, value in vars(args).items()},
        "pinned": options.pin,
        "seconds": round(time.monotonic() - started, 1),
        "summary": summary,
        "targets": goals,
        "runs": records,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    result = bench(args)
    print()
    print(table(result["summary"], result["targets"]))
    out = args.out
    if out is None:
        RESULTS.mkdir(parents=True, exist_ok=True)
        kind = "smoke" if args.smoke else "quick" if args.quick else "full"
        out = RESULTS / f"bench-{kind}-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"\n{result['seconds']:.0f} s; results: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
