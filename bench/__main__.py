"""python -m bench [--quick | --smoke] [--repeats N] [--only W3,W2] ...

Benchmarks the live push against two baselines on this machine and prints a table;
the full results go to bench/results/ as JSON. See README, "Benchmarks".
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

from bench.plan import full_plan, quick_plan, smoke_plan
from bench.report import summarize, table, targets
from bench.runner import DEFAULT_PAYLOAD, DEFAULT_WRITE, Bench, Options, machine

RESULTS = Path(__file__).resolve().parent / "results"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="every workload, small, once")
    size.add_argument("--smoke", action="store_true", help="20 devices, a few seconds")
    parser.add_argument("--repeats", type=int, default=3, help="repeats of each run (median)")
    parser.add_argument("--only", help="comma-separated workloads, e.g. W3,W2")
    parser.add_argument("--seconds", type=float, default=5.0, help="events per W3 size")
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
    parser.add_argument("--keep", action="store_true", help="keep the seeded databases")
    return parser.parse_args(argv)


def bench(args: argparse.Namespace) -> dict[str, Any]:
    if args.smoke:
        plan = smoke_plan()
    elif args.quick:
        plan = quick_plan()
    else:
        plan = full_plan(args.seconds)
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
    )
    started = time.monotonic()
    print(f"Benchmarking in {workdir} ({len(plan)} workloads, {repeats} repeat(s))", flush=True)
    try:
        records = Bench(options).run()
    finally:
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
