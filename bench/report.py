"""Medians over the repeats, ratios to the baselines, the targets, and the printed table.

    python -m bench.report RESULTS.json [--include-invalid]

prints the table of a saved run again; ``--include-invalid`` takes the medians over every
run, disturbed ones included (marked as such), for a machine that was never quiet.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bench.plan import B0, B2, BOARD, BOARD_PG, BOARD_PG2, BOARD_REF
from bench.stats import median

# The stores compared, as the table heads them.
STORES = {
    BOARD_REF: "SQLite, ref",
    BOARD: "SQLite 1 proc",
    BOARD_PG: "PG 1 proc",
    BOARD_PG2: "PG 2 procs",
}
# Beyond these, the SQLite path has regressed against the reference board (--reference) in
# the same run: the spread of the medians between repeats on this shared 2-core machine.
NOISE_LATENCY = 1.25
NOISE_WRITES = 0.85

# metric -> path in a stage's result. Counts of failures take the worst run, not the median.
METRICS: dict[str, tuple[str, ...]] = {
    "recipient_p50": ("delivery", "recipient_ms", "p50"),
    "recipient_p99": ("delivery", "recipient_ms", "p99"),
    "last_p50": ("delivery", "last_ms", "p50"),
    "last_p99": ("delivery", "last_ms", "p99"),
    "chair_last_p99": ("delivery", "by_kind", "chair", "last_ms", "p99"),
    "write_recipient_p99": ("delivery", "by_kind", "write", "recipient_ms", "p99"),
    "write_last_p99": ("delivery", "by_kind", "write", "last_ms", "p99"),
    "http_p50": ("http", "latency_ms", "p50"),
    "http_p99": ("http", "latency_ms", "p99"),
    "server_cpu": ("server_cpu",),
    "store_cpu": ("store_cpu",),
    "server_lag_p99": ("server_lag_ms", "p99"),
    "server_rss_mib": ("server_rss_mib",),
    "generator_cpu": ("generator_cpu",),
    "generator_lag_p99": ("generator_lag_ms", "p99"),
    "connect_p50": ("connect", "full_state_ms", "p50"),
    "connect_p99": ("connect", "full_state_ms", "p99"),
    "connect_max": ("connect", "full_state_ms", "max"),
    "connect_server_cpu": ("connect", "server_cpu"),
    "connect_generator_cpu": ("connect", "generator_cpu"),
    "writes_per_s": ("writes", "per_second"),
    "writes_p50": ("writes", "latency_ms", "p50"),
    "writes_p99": ("writes", "latency_ms", "p99"),
    "same_recipient_p99": ("delivery", "by_process", "same", "p99"),
    "other_recipient_p99": ("delivery", "by_process", "other", "p99"),
    "hop_added_p99": ("delivery", "hop_added_p99_ms"),
}
WORST: dict[str, tuple[str, ...]] = {
    "missed": ("delivery", "missed"),
    "order_violations": ("delivery", "order_violations"),
    "http_errors": ("http", "errors"),
    "connect_failed": ("connect", "failed"),
    "writes_committed": ("writes", "committed"),
    "writes_lost": ("writes", "lost"),
}
RATIOS = ("recipient_p50", "recipient_p99", "last_p50", "last_p99")


def _get(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def _memory(stages: list[dict[str, Any]]) -> None:
    """RSS per connection of each stage, against the first (warm) stage."""
    base = stages[0]
    for stage in stages[1:]:
        added = stage["devices"] - base["devices"]
        if added > 0:
            stage["rss_per_connection_kib"] = round(
                (stage["rss_bytes"] - base["rss_bytes"]) / added / 1024, 2
            )


def summarize(records: list[dict[str, Any]], include_invalid: bool = False) -> dict[str, Any]:
    """summary[workload][variant][stage][system] -> medians of the valid repeats (of all of
    them with ``include_invalid``)."""
    grouped: dict[tuple[str, str, str, str], list[dict[str, Any]]] = {}
    errors: list[str] = []
    for record in records:
        if "error" in record:
            errors.append(f"{record['workload']} {record['system']}: {record['error'][:200]}")
            continue
        if record["workload"] == "Memory":
            _memory(record["stages"])
        for stage in record["stages"]:
            key = (record["workload"], record["variant"], stage["name"], record["system"])
            grouped.setdefault(key, []).append(stage)
    summary: dict[str, Any] = {}
    for (workload, variant, name, system), stages in grouped.items():
        valid = [stage for stage in stages if include_invalid or stage.get("valid", True)]
        metrics = {
            metric: median(_get(stage, path) for stage in valid) for metric, path in METRICS.items()
        }
        metrics["rss_per_connection_kib"] = median(
            stage.get("rss_per_connection_kib") for stage in valid
        )
        for metric, path in WORST.items():
            values = [_get(stage, path) for stage in stages]
            present = [value for value in values if value is not None]
            metrics[metric] = max(present) if present else None
        entry = {
            "runs": len(stages),
            "valid_runs": len(valid),
            "devices": stages[0].get("devices"),
            "stand_in": any(stage.get("stand_in") for stage in stages),
            "invalid": [
                stage["invalid_reason"] for stage in stages if not stage.get("valid", True)
            ],
            "stalled": [stage["stalled"] for stage in stages if "stalled" in stage],
            "metrics": metrics,
        }
        summary.setdefault(workload, {}).setdefault(variant, {}).setdefault(name, {})[system] = (
            entry
        )
    for variants in summary.values():
        for stages_by_name in variants.values():
            for systems in stages_by_name.values():
                _ratios(systems)
    summary["errors"] = errors
    return summary


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a is not None and b else None


def _ratios(systems: dict[str, Any]) -> None:
    def value(system: str, metric: str) -> float | None:
        found = systems.get(system)
        return None if found is None else found["metrics"].get(metric)

    if BOARD not in systems or (B0 not in systems and B2 not in systems):
        return
    systems["ratios"] = {
        metric: {
            "board/B0": _ratio(value(BOARD, metric), value(B0, metric)),
            "board/B2": _ratio(value(BOARD, metric), value(B2, metric)),
            "B2/B0": _ratio(value(B2, metric), value(B0, metric)),
        }
        for metric in RATIOS
    }


def _metric(
    summary: dict[str, Any], workload: str, stage: str, metric: str, system: str = BOARD
) -> Any:
    found = _get(summary, (workload, "", stage, system, "metrics", metric))
    return found


def _stage(summary: dict[str, Any], workload: str, wanted: str | None = None) -> str | None:
    """The stage compared across stores: ``wanted`` if the plan has it, else the largest."""
    stages = list(_get(summary, (workload, "")) or {})
    if wanted in stages:
        return wanted
    return stages[-1] if stages else None


def _store_targets(summary: dict[str, Any]) -> list[tuple[str, Any, str, float]]:
    """SQLite against the reference board; PostgreSQL against SQLite; the hop."""
    rows: list[tuple[str, Any, str, float]] = []
    w3 = _stage(summary, "W3", "1000") or "1000"
    writes = _stage(summary, "Writes", "50") or "50"
    sqlite_w3 = _metric(summary, "W3", w3, "last_p99")
    sqlite_writes = _metric(summary, "Writes", writes, "writes_per_s")
    if _get(summary, ("W3", "", w3, BOARD_REF)) or _get(summary, ("Writes", "", writes, BOARD_REF)):
        rows += [
            (
                f"SQLite: W3 {w3} p99 to last / reference board's",
                _ratio(sqlite_w3, _metric(summary, "W3", w3, "last_p99", BOARD_REF)),
                "<=",
                NOISE_LATENCY,
            ),
            (
                "SQLite: Writes committed/s / reference board's",
                _ratio(
                    sqlite_writes, _metric(summary, "Writes", writes, "writes_per_s", BOARD_REF)
                ),
                ">=",
                NOISE_WRITES,
            ),
        ]
    if _get(summary, ("W3", "", w3, BOARD_PG)) or _get(summary, ("Writes", "", writes, BOARD_PG)):
        rows += [
            (
                f"PG 1 proc: W3 {w3} p99 to last / SQLite's",
                _ratio(_metric(summary, "W3", w3, "last_p99", BOARD_PG), sqlite_w3),
                "<=",
                1.5,
            ),
            (
                "PG 1 proc: Writes committed per second",
                _metric(summary, "Writes", writes, "writes_per_s", BOARD_PG),
                ">=",
                500,
            ),
            (
                "PG 1 proc: Writes lost",
                _metric(summary, "Writes", writes, "writes_lost", BOARD_PG),
                "==",
                0,
            ),
        ]
    if _get(summary, ("W3", "", w3, BOARD_PG2)):
        rows += [
            (
                f"PG 2 procs: W3 {w3} hop adds, p99 other - same process (ms)",
                _metric(summary, "W3", w3, "hop_added_p99", BOARD_PG2),
                "<",
                10,
            ),
            (
                "PG 2 procs: Writes lost",
                _metric(summary, "Writes", writes, "writes_lost", BOARD_PG2),
                "==",
                0,
            ),
        ]
    return rows


def targets(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's targets, each with the measured figure and whether it is met."""
    w3_last = _metric(summary, "W3", "1000", "last_p99")
    w3_b0 = _get(summary, ("W3", "", "1000", B0, "metrics", "last_p99"))
    stand_in = bool(_get(summary, ("Writes", "", "50", BOARD, "stand_in")))
    writes = " (STAND-IN)" if stand_in else ""
    rows = [
        ("W3 1,000 devices: p99 to last device / B0's", _ratio(w3_last, w3_b0), "<=", 1.5),
        ("W3 1,000 devices: p99 to last device (ms)", w3_last, "<", 100),
        (
            "W2 3,000 connections: p99 to last device (ms)",
            _metric(summary, "W2", "3000", "last_p99"),
            "<",
            250,
        ),
        (
            "W6 1,000 joining: p99 time to full state (ms)",
            _metric(summary, "W6", "1000", "connect_p99"),
            "<",
            2000,
        ),
        (
            "Memory: RSS per idle connection at 1,000 (KiB)",
            _metric(summary, "Memory", "1000", "rss_per_connection_kib"),
            "<",
            30,
        ),
        (
            "Memory: RSS per idle connection at 3,000 (KiB)",
            _metric(summary, "Memory", "3000", "rss_per_connection_kib"),
            "<",
            30,
        ),
        (
            "Writes: committed per second" + writes,
            _metric(summary, "Writes", "50", "writes_per_s"),
            ">=",
            500,
        ),
        ("Writes: lost" + writes, _metric(summary, "Writes", "50", "writes_lost"), "==", 0),
        *_store_targets(summary),
    ]
    checks = {
        "<": lambda a, b: a < b,
        "<=": lambda a, b: a <= b,
        ">=": lambda a, b: a >= b,
        "==": lambda a, b: a == b,
    }
    return [
        {
            "target": name,
            "value": value,
            "limit": f"{sign} {limit}",
            "met": None if value is None else checks[sign](value, limit),
        }
        for name, value, sign, limit in rows
    ]


def _fmt(value: Any, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _writes(entry: dict[str, Any]) -> str:
    m = entry["metrics"]
    return (
        f"{_fmt(m['writes_per_s'])} committed/s,"
        f" p50 {_fmt(m['writes_p50'])} ms, p99 {_fmt(m['writes_p99'])} ms,"
        f" committed {m['writes_committed']}, refused {m.get('http_errors', 0)},"
        f" lost {m['writes_lost']}, server CPU {_fmt(m['server_cpu'], 2)}"
        + (f" (PostgreSQL {_fmt(m['store_cpu'], 2)})" if m.get("store_cpu") is not None else "")
        + ("  [STAND-IN: floor.request/floor.withdraw]" if entry["stand_in"] else "")
    )


# (label, workload, wanted stage, metric, digits) of the store comparison.
COMPARED = (
    ("W1: p99 to last device (ms)", "W1", None, "last_p99", 1),
    ("W2: p99 to last device (ms)", "W2", None, "last_p99", 1),
    ("W3: p99 to last device (ms)", "W3", "1000", "last_p99", 1),
    ("W3: server CPU, board + PG (cores)", "W3", "1000", "server_cpu", 2),
    ("W3: of which PostgreSQL (cores)", "W3", "1000", "store_cpu", 2),
    ("W6: p99 time to full state (ms)", "W6", None, "connect_p99", 1),
    ("Writes: committed per second", "Writes", None, "writes_per_s", 0),
    ("Writes: p99 latency (ms)", "Writes", None, "writes_p99", 1),
    ("Writes: lost", "Writes", None, "writes_lost", 0),
    ("Writes: server CPU, board + PG (cores)", "Writes", None, "server_cpu", 2),
    ("W1: hop, p99 other - same process (ms)", "W1", None, "hop_added_p99", 1),
    ("W2: hop, p99 other - same process (ms)", "W2", None, "hop_added_p99", 1),
    ("W3: hop, p99 other - same process (ms)", "W3", "1000", "hop_added_p99", 1),
)


def stores_table(summary: dict[str, Any]) -> list[str]:
    """One row per figure, one column per store (only when more than one store ran)."""
    present = [
        system
        for system in STORES
        if any(
            system in stages.get(name, {})
            for workload in ("W1", "W2", "W3", "W6", "Writes")
            for stages in (_get(summary, (workload, "")) or {},)
            for name in stages
        )
    ]
    if len(present) < 2:
        return []
    lines = ["", "Stores compared (medians; the stage compared is in brackets)"]
    lines.append(f"{'figure':<46}" + "".join(f"{STORES[system]:>15}" for system in present))
    for label, workload, wanted, metric, digits in COMPARED:
        stage = _stage(summary, workload, wanted)
        if stage is None:
            continue
        values = [_metric(summary, workload, stage, metric, system) for system in present]
        if all(value is None for value in values):
            continue
        lines.append(
            f"{label + f' [{stage}]':<46}"
            + "".join(f"{_fmt(value, digits):>15}" for value in values)
        )
    return lines


def table(summary: dict[str, Any], goals: list[dict[str, Any]]) -> str:
    lines: list[str] = []
    head = (
        f"{'workload':<9}{'variant':<13}{'devices':>8} {'system':<14}"
        f"{'recip p50':>10}{'recip p99':>10}{'last p50':>10}{'last p99':>10}"
        f"{'http p99':>9}{'srv cpu':>8}{'lag p99':>8}{'gen cpu':>8}{'valid':>7}"
    )
    lines += ["Fan-out latency, ms (time from the action's HTTP request to receipt)", head]
    for workload, variants in summary.items():
        if workload in ("errors", "W6", "Memory", "Writes", "SmokeWrites"):
            continue
        for variant, stages in variants.items():
            for name, systems in stages.items():
                for system, entry in systems.items():
                    if system == "ratios":
                        continue
                    m = entry["metrics"]
                    lines.append(
                        f"{workload:<9}{variant or '-':<13}{name:>8} {system:<14}"
                        f"{_fmt(m['recipient_p50']):>10}{_fmt(m['recipient_p99']):>10}"
                        f"{_fmt(m['last_p50']):>10}{_fmt(m['last_p99']):>10}"
                        f"{_fmt(m['http_p99']):>9}{_fmt(m['server_cpu'], 2):>8}"
                        f"{_fmt(m['server_lag_p99']):>8}{_fmt(m['generator_cpu'], 2):>8}"
                        f"{entry['valid_runs']:>4}/{entry['runs']:<2}"
                        + ("  missed " + str(m["missed"]) if m["missed"] else "")
                        + ("  STAND-IN writes" if entry["stand_in"] else "")
                    )
                    if entry["stalled"]:
                        lines.append(f"{'':<31}stalled devices: {entry['stalled']}")
                ratios = systems.get("ratios")
                if ratios:
                    text = "  ".join(
                        f"{metric}: board/B0 {_fmt(r['board/B0'], 2)} "
                        f"board/B2 {_fmt(r['board/B2'], 2)} B2/B0 {_fmt(r['B2/B0'], 2)}"
                        for metric, r in ratios.items()
                        if metric in ("last_p50", "last_p99")
                    )
                    lines.append(f"{'':<31}{text}")
    if "W6" in summary:
        lines += ["", "Connect storm: time from connect to full state, ms"]
        lines.append(f"{'system':<14}{'p50':>9}{'p99':>9}{'max':>9}{'failed':>8}{'srv cpu':>9}")
        for name, systems in summary["W6"][""].items():
            for system, entry in systems.items():
                if system == "ratios":
                    continue
                m = entry["metrics"]
                lines.append(
                    f"{system:<14}{_fmt(m['connect_p50']):>9}{_fmt(m['connect_p99']):>9}"
                    f"{_fmt(m['connect_max']):>9}{_fmt(m['connect_failed']):>8}"
                    f"{_fmt(m['connect_server_cpu'], 2):>9}   ({name} devices)"
                )
    if "Memory" in summary:
        lines += ["", "Idle connections: server RSS (MiB) and RSS per connection (KiB)"]
        for name, systems in summary["Memory"][""].items():
            for system, entry in systems.items():
                if system == "ratios":
                    continue
                m = entry["metrics"]
                lines.append(
                    f"{name:>6} connections  {system:<14} RSS {_fmt(m['server_rss_mib']):>7} MiB"
                    f"  per connection {_fmt(m['rss_per_connection_kib']):>6} KiB"
                )
    for key in ("Writes", "SmokeWrites"):
        if key not in summary:
            continue
        lines += ["", "Writes (closed loop)"]
        for name, systems in summary[key][""].items():
            for system, entry in systems.items():
                if system == "ratios":
                    continue
                lines.append(f"{system:<14}{name} writers: " + _writes(entry))
    lines += stores_table(summary)
    if goals:
        lines += ["", "Targets"]
        for goal in goals:
            verdict = {True: "met", False: "NOT met", None: "not measured"}[goal["met"]]
            lines.append(
                f"  {goal['target']:<58} {_fmt(goal['value'], 2):>8} {goal['limit']:<8} {verdict}"
            )
    if summary.get("errors"):
        lines += ["", "Errors", *("  " + error for error in summary["errors"])]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.report", description=__doc__)
    parser.add_argument("results", type=Path, help="a bench/results/*.json file")
    parser.add_argument(
        "--include-invalid", action="store_true", help="medians over disturbed runs too"
    )
    args = parser.parse_args(argv)
    result = json.loads(args.results.read_text(encoding="utf-8"))
    summary = summarize(result["runs"], include_invalid=args.include_invalid)
    if args.include_invalid:
        print("Medians over every run, disturbed ones included (the valid column says how many")
        print("were not): figures from a machine that other work kept busy.\n")
    print(table(summary, targets(summary)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
