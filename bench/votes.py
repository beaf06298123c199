"""The vote benchmark: 1,000 members cast within 5 s on one meeting, every ballot counted
and none lost; then the p99 from ``vote.announce`` to the result on each device and on the
last device, against B0 (a bare ``websockets`` broadcast of the same bytes) in the same run.

    python -m bench.votes [--members 1000] [--rounds 5] [--seconds 5] [--method secret]

Each round prepares, opens and takes a vote: every member casts once, paced evenly over
``--seconds``, through ``--senders`` keep-alive connections; the chair closes it (the tally
must equal what was cast) and announces it while every member's device is connected. B0
then broadcasts the board's recorded announcement to as many devices, as often. Servers are
started here and stopped at the end; figures are printed and written to
``bench/results/votes-*.json``. One process per server, no CPU pinning: on a shared machine
read them as one run's figures."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.client import Device, Http
from bench.runner import free_port
from bench.seed import Room, seed
from bench.stats import new_loop

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
CHOICES = ("yes", "no", "abstain")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def start(args: list[str], port: int, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.serve", *args, "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return process


async def ready(port: int, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server on {port} exited with {process.returncode}")
        probe = Http("127.0.0.1", port)
        try:
            status, _ = await probe.request("GET", "/healthz")
            if status == 200:
                return
        except OSError:
            pass
        finally:
            await probe.close()
        await asyncio.sleep(0.1)
    raise RuntimeError(f"server on {port} did not start")


async def connect(port: int, path: str, tokens: list[str | None]) -> list[Device]:
    devices = [Device(index, "127.0.0.1", port, path, token) for index, token in enumerate(tokens)]
    for offset in range(0, len(devices), 100):
        batch = devices[offset : offset + 100]
        await asyncio.gather(*(device.connect() for device in batch))
        await asyncio.gather(*(device.first for device in batch))
    failed = [device.failure for device in devices if device.failure]
    if failed:
        raise RuntimeError(f"{len(failed)} devices failed: {failed[0]}")
    return devices


async def act(http: Http, meeting_id: int, name: str, payload: dict[str, Any]) -> dict[str, Any]:
    status, body = await http.request(
        "POST", f"/api/meetings/{meeting_id}/actions/{name}", json.dumps(payload).encode()
    )
    if status != 200:
        raise RuntimeError(f"{name}: {status} {body[:200]!r}")
    found: dict[str, Any] = json.loads(body)
    return found


async def act_once(port: int, token: str, meeting_id: int, name: str) -> None:
    http = Http("127.0.0.1", port, token)
    try:
        await act(http, meeting_id, name, {})
    finally:
        await http.close()


async def cast_all(
    port: int, meeting_id: int, vote_id: int, tokens: list[str], seconds: float, senders: int
) -> tuple[dict[str, int], float, list[float]]:
    """Every member casts once, started evenly over ``seconds``; the choices sent, the
    wall time until the last acknowledgement and each cast's latency."""
    choices = [random.choice(CHOICES) for _ in tokens]
    queue: asyncio.Queue[int] = asyncio.Queue()
    latencies: list[float] = []
    begun = time.perf_counter()

    async def pace() -> None:
        for index in range(len(tokens)):
            due = begun + seconds * index / len(tokens)
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            queue.put_nowait(index)

    async def sender() -> None:
        connections: dict[int, Http] = {}
        while True:
            index = await queue.get()
            # One connection per member (their own device), opened on first use.
            http = connections.setdefault(index, Http("127.0.0.1", port, tokens[index]))
            started = time.perf_counter()
            await act(http, meeting_id, "vote.cast", {"vote_id": vote_id, "choice": choices[index]})
            latencies.append(time.perf_counter() - started)
            await http.close()
            queue.task_done()

    workers = [asyncio.create_task(sender()) for _ in range(senders)]
    await pace()
    await queue.join()
    wall = time.perf_counter() - begun
    for worker in workers:
        worker.cancel()
    sent = {choice: choices.count(choice) for choice in CHOICES}
    return sent, wall, latencies


def arrival(devices: list[Device], seq: int, started: float) -> list[float]:
    """Per device, ms from ``started`` to its first message at or after ``seq``."""
    found = []
    for device in devices:
        for number, at in zip(device.seqs, device.times, strict=False):
            if number >= seq:
                found.append(1000 * (at - started))
                break
    return found


async def wait_all(devices: list[Device], seq: int, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if all(device.seqs and device.seqs[-1] >= seq for device in devices):
            return
        await asyncio.sleep(0.01)
    missing = sum(1 for device in devices if not (device.seqs and device.seqs[-1] >= seq))
    raise RuntimeError(f"{missing} devices never received seq {seq}")


async def board_run(options: argparse.Namespace, folder: Path, room: Room) -> dict[str, Any]:
    database = folder / "votes.db"
    port = free_port()
    server = start(["board", "--db", str(database)], port)
    try:
        await ready(port, server)
        tokens = room.members
        # Everyone present: their first connection marks them (as a page load does).
        for offset in range(0, len(tokens), 100):
            await asyncio.gather(
                *(
                    act_once(port, token, room.meeting_id, "attendance.mark")
                    for token in tokens[offset : offset + 100]
                )
            )
        devices = await connect(port, f"/meetings/{room.meeting_id}/live", list(tokens))
        recorder = devices[0]
        recorder.keep = []
        chair = Http("127.0.0.1", port, room.chair)
        rounds = []
        for number in range(options.rounds):
            prepared = await act(
                chair,
                room.meeting_id,
                "vote.prepare",
                {"question": f"第{number + 1}号議案", "method": options.method},
            )
            vote_id = prepared["vote_id"]
            await act(chair, room.meeting_id, "vote.open", {"vote_id": vote_id})
            sent, wall, latencies = await cast_all(
                port, room.meeting_id, vote_id, tokens, options.seconds, options.senders
            )
            await act(chair, room.meeting_id, "vote.close", {"vote_id": vote_id})
            _status, body = await chair.request("GET", f"/api/meetings/{room.meeting_id}/state")
            vote = next(v for v in json.loads(body)["votes"] if v["id"] == vote_id)
            await asyncio.sleep(0.5)  # the room quiet before the announcement
            started: list[float] = []
            _status, body = await chair.request(
                "POST",
                f"/api/meetings/{room.meeting_id}/actions/vote.announce",
                json.dumps({"vote_id": vote_id, "casting": "yes"}).encode(),
                started=started,
            )
            seq = int(json.loads(body)["seq"])
            await wait_all(devices, seq)
            times = arrival(devices, seq, started[0])
            rounds.append(
                {
                    "vote_id": vote_id,
                    "cast_wall_seconds": round(wall, 3),
                    "cast_p99_ms": round(1000 * percentile(latencies, 0.99), 1),
                    "sent": sent,
                    "counted": vote["counts"],
                    "voted": vote["voted"],
                    "lost": options.members - vote["voted"],
                    "exact": vote["counts"] == sent,
                    "announce_ms": times,
                }
            )
        message = next(
            m for m in reversed(recorder.keep or []) if b'id="votes"' in m or b"vote-result" in m
        )
        (folder / "announce.html").write_bytes(message)
        (folder / "full.html").write_bytes(message)  # B0 greets with it too
        for device in devices:
            device.close()
        await chair.close()
        return {"rounds": rounds}
    finally:
        server.terminate()
        server.wait(timeout=30)


async def b0_run(options: argparse.Namespace, folder: Path) -> list[list[float]]:
    port = free_port()
    server = start(
        ["b0", "--message", str(folder / "announce.html"), "--full", str(folder / "full.html")],
        port,
    )
    try:
        await ready(port, server)
        devices = await connect(port, "/meetings/1/live", [None] * options.members)
        trigger = Http("127.0.0.1", port)
        rounds = []
        for number in range(options.rounds):
            seq = 1000 + number
            await asyncio.sleep(0.5)
            started: list[float] = []
            await trigger.request("GET", f"/meetings/1/trigger?seq={seq}", started=started)
            await wait_all(devices, seq)
            rounds.append(arrival(devices, seq, started[0]))
        for device in devices:
            device.close()
        await trigger.close()
        return rounds
    finally:
        server.terminate()
        server.wait(timeout=30)


def summary(rounds: list[list[float]]) -> dict[str, float]:
    every = [value for times in rounds for value in times]
    last = [max(times) for times in rounds]
    return {
        "p50_ms": round(percentile(every, 0.5), 1),
        "p99_ms": round(percentile(every, 0.99), 1),
        "p99_last_device_ms": round(percentile(last, 0.99), 1),
    }


async def main_async(options: argparse.Namespace, folder: Path, room: Room) -> dict[str, Any]:
    board = await board_run(options, folder, room)
    b0 = await b0_run(options, folder)
    rounds = board["rounds"]
    board_summary = summary([entry["announce_ms"] for entry in rounds])
    b0_summary = summary(b0)
    return {
        "members": options.members,
        "method": options.method,
        "rounds": [{k: v for k, v in entry.items() if k != "announce_ms"} for entry in rounds],
        "all_counted": all(entry["exact"] and entry["lost"] == 0 for entry in rounds),
        "cast_within_seconds": max(entry["cast_wall_seconds"] for entry in rounds),
        "board": board_summary,
        "b0": b0_summary,
        "board_over_b0_p99_last": round(
            board_summary["p99_last_device_ms"] / b0_summary["p99_last_device_ms"], 2
        ),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--senders", type=int, default=50)
    parser.add_argument("--method", choices=["secret", "named"], default="secret")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-votes-") as name:
        folder = Path(name)
        (room,) = seed(folder / "votes.db", bodies=1, members=options.members)
        with asyncio.Runner(loop_factory=new_loop) as runner:
            result = runner.run(main_async(options, folder, room))
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"votes-{stamp}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return result


if __name__ == "__main__":
    main()
