"""The load generator: one process, pinned to its own core, on uvloop.

    python -m bench.generator SPEC.json

It connects the devices of a workload (to the servers in turn, when there are several: the
actions go to the first, so the devices on the others measure the hop between processes),
fires the events (chair actions, opinions, or closed-loop writers) on schedule, and measures
for each event the time from writing the action's HTTP request to receiving, at each device,
the first message whose ``data-seq`` is at least the event's (the hub coalesces bursts, so
one message may carry several events). It samples the servers' CPU and RSS (psutil) and
event-loop lag, the CPU of the PostgreSQL backends serving the run's database, and its own
CPU and loop lag: a stage in which the generator saturated its core is marked invalid.
The result is printed as JSON on stdout.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import sys
import time
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from bench.client import Device, Http, HttpError
from bench.serve import LAG_PATH, pin, raise_file_limit
from bench.stats import LagMonitor, machine_cpu, new_loop, summary

SATURATED = 0.9  # share of one core above which the generator measures itself
BUSY = 0.3  # cores used by other processes above which the machine was not ours
FIRST_MESSAGE_TIMEOUT = 30.0
DRAIN_TIMEOUT = 5.0
CONNECT_CONCURRENCY = 64
STAND_IN = ("floor.request", "floor.withdraw")
EACH_LIMIT = 200  # per-event figures kept in the result, to see where the spikes fall
CONFLICT = 409


@dataclass
class Event:
    room: int
    kind: str
    started: float
    seq: int | None = None
    status: int = 0
    finished: float = 0.0
    error: str | None = None


@dataclass
class RoomState:
    index: int
    spec: dict[str, Any]
    devices: list[Device] = field(default_factory=list)
    chair: Http | None = None
    items: list[int] = field(default_factory=list)
    current: int | None = None
    next_seq: int = 0
    writer_http: dict[int, Http] = field(default_factory=dict)
    presenter: Http | None = None
    open_requests: dict[int, int] = field(default_factory=dict)


class Generator:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.system: str = spec["system"]
        self.host: str = spec.get("host", "127.0.0.1")
        self.port: int = spec["port"]
        self.device_ports: list[int] = spec.get("device_ports") or [self.port]
        self.servers = [psutil.Process(pid) for pid in spec["server_pids"]]
        self.store = StoreProcesses(spec.get("store_database"))
        self.rooms = [RoomState(index, room) for index, room in enumerate(spec["rooms"])]
        self.lag = LagMonitor()
        self.write_action: str = spec.get("write_action") or STAND_IN[0]
        self.write_payload: dict[str, Any] = spec.get("write_payload") or {}
        self.stand_in = True
        self.events: list[Event] = []
        self.connected = 0
        self.samples: dict[str, str] = {}
        self.will_stall: set[int] = set()

    # -- setup ------------------------------------------------------------------------
    async def setup(self) -> None:
        self.lag.start()
        for room in self.rooms:
            room.chair = Http(self.host, self.port, room.spec.get("chair"))
        if self.system != "board":
            return
        probe = self.rooms[0].chair
        assert probe is not None
        status, body = await probe.request("GET", "/api/actions")
        names = {entry["name"] for entry in json.loads(body)["actions"]} if status == 200 else set()
        self.stand_in = self.spec.get("write_action") not in names
        for room in self.rooms:
            assert room.chair is not None
            status, body = await room.chair.request(
                "GET", f"/api/meetings/{room.spec['meeting_id']}/state"
            )
            if status != 200:
                raise RuntimeError(f"state of room {room.index}: {status} {body[:200]!r}")
            state = json.loads(body)
            room.items = [item["id"] for item in state["items"]]
            room.current = state["current_item_id"]

    # -- devices ----------------------------------------------------------------------
    def _new_device(self, room: RoomState) -> Device:
        index = len(room.devices)
        tokens = room.spec.get("devices") or []
        token = tokens[index % len(tokens)] if tokens else None
        port = self.device_ports[index % len(self.device_ports)]
        device = Device(index, self.host, port, room.spec["ws_path"], token)
        if self.spec.get("deflate"):
            device.ask_deflate()
        if self.spec.get("keep_samples") and room.index == 0 and index == 0:
            device.keep = []
        room.devices.append(device)
        return device

    async def _join(self, device: Device, semaphore: asyncio.Semaphore | None) -> None:
        if semaphore is None:
            await device.connect(device.index in self.will_stall)
            await self._first(device)
            return
        async with semaphore:
            await device.connect(device.index in self.will_stall)
            await self._first(device)

    async def _first(self, device: Device) -> None:
        try:
            await asyncio.wait_for(asyncio.shield(device.first), FIRST_MESSAGE_TIMEOUT)
        except TimeoutError:
            device.failure = device.failure or "no full state within the timeout"

    async def connect(self, per_room: int, rate: float | None, stall: float) -> list[Device]:
        every = max(1, round(1 / stall)) if stall > 0 else 0
        self.will_stall = {
            index for index in range(per_room) if every and index % every == every - 1
        }
        fresh: list[Device] = []
        have = min((len(room.devices) for room in self.rooms), default=0)
        for _ in range(have, per_room):
            for room in self.rooms:
                fresh.append(self._new_device(room))
        if rate:
            loop = asyncio.get_running_loop()
            begin = loop.time()
            tasks = []
            for number, device in enumerate(fresh):
                delay = begin + number / rate - loop.time()
                if delay > 0:
                    await asyncio.sleep(delay)
                tasks.append(asyncio.create_task(self._join(device, None)))
            await asyncio.gather(*tasks)
        else:
            semaphore = asyncio.Semaphore(CONNECT_CONCURRENCY)
            await asyncio.gather(*(self._join(device, semaphore) for device in fresh))
        return fresh

    # -- events -----------------------------------------------------------------------
    async def _post(self, http: Http, path: str, payload: dict[str, Any], event: Event) -> Any:
        started: list[float] = []
        # The bare websockets server reads GET requests only, without a body.
        method, data = (
            ("GET", b"") if self.system == "b0" else ("POST", json.dumps(payload).encode())
        )
        try:
            status, body = await http.request(method, path, data, started=started)
        except (HttpError, OSError) as error:
            event.error = str(error)
            return None
        event.started = started[-1]
        event.finished = time.perf_counter()
        event.status = status
        if status != 200:
            event.error = body[:200].decode(errors="replace")
            return None
        return json.loads(body) if self.system == "board" else {}

    async def fire(self, room: RoomState, kind: str, number: int) -> None:
        event = Event(room.index, kind, time.perf_counter())
        self.events.append(event)
        if self.system != "board":
            room.next_seq += 1
            event.seq = room.next_seq
            assert room.chair is not None
            http = room.chair if kind == "chair" else self._writer(room, number)
            await self._post(http, f"{room.spec['trigger_path']}?seq={event.seq}", {}, event)
            return
        meeting = room.spec["meeting_id"]
        present = room.spec.get("present")
        if kind == "chair" and present:
            # A page turn: material.present to the next page of a 40-page PDF.
            if room.presenter is None:
                room.presenter = Http(self.host, self.port, present["token"])
            path = f"/api/meetings/{meeting}/actions/material.present"
            payload = {"version_id": present["version_id"], "page": number % 40 + 1}
            result = await self._post(room.presenter, path, payload, event)
        elif kind == "chair":
            target = room.items[1] if room.current == room.items[0] else room.items[0]
            assert room.chair is not None
            path = f"/api/meetings/{meeting}/actions/agenda.goto"
            result = await self._post(room.chair, path, {"item_id": target}, event)
            if result is not None:
                room.current = target
        else:
            result = await self._write(room, number, event)
        if result is not None:
            event.seq = int(result["seq"])

    def _writer(self, room: RoomState, number: int) -> Http:
        writers = room.spec.get("writers") or [room.spec.get("chair")]
        slot = number % len(writers)
        if slot not in room.writer_http:
            room.writer_http[slot] = Http(self.host, self.port, writers[slot])
        return room.writer_http[slot]

    async def _write(self, room: RoomState, number: int, event: Event) -> Any:
        """One opinion, or its labelled stand-in when ``opinion.write`` is not there yet."""
        http = self._writer(room, number)
        slot = number % len(room.spec.get("writers") or [None])
        meeting = room.spec["meeting_id"]
        if not self.stand_in:
            # A writer's k-th post goes to the k-th item (number = slot + k x writers).
            writers = len(room.spec.get("writers") or [None])
            spread = room.items[(number // writers) % len(room.items)]
            names = {"item_id": room.current, "spread_item_id": spread, "n": number}
            payload = {
                key: value.format(**names) if isinstance(value, str) else value
                for key, value in self.write_payload.items()
            }
            if "item_id" in payload:
                payload["item_id"] = int(payload["item_id"])
            path = f"/api/meetings/{meeting}/actions/{self.write_action}"
            return await self._post(http, path, payload, event)
        # Stand-in: each writer alternates asking for the floor and withdrawing.
        request_id = room.open_requests.pop(slot, None)
        if request_id is None:
            path = f"/api/meetings/{meeting}/actions/floor.request"
            result = await self._post(http, path, {"kind": "ordinary"}, event)
            if result is not None:
                room.open_requests[slot] = int(result["request_id"])
            elif event.status == CONFLICT:  # left open by an earlier run: withdraw it next
                room.open_requests[slot] = 0
            return result
        path = f"/api/meetings/{meeting}/actions/floor.withdraw"
        payload = {"request_id": request_id} if request_id else {}
        return await self._post(http, path, payload, event)

    async def stream(self, kind: str, rate: float, duration: float, start: float) -> None:
        """Fire ``rate`` events a second for ``duration`` seconds, round-robin over rooms;
        each in its own task, so a slow answer never delays the schedule."""
        loop = asyncio.get_running_loop()
        begin = loop.time() + start
        tasks = []
        for number in range(round(rate * duration)):
            delay = begin + number / rate - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            room = self.rooms[number % len(self.rooms)]
            tasks.append(asyncio.create_task(self.fire(room, kind, number // len(self.rooms))))
        await asyncio.gather(*tasks)

    async def writers(self, count: int, duration: float) -> None:
        """Closed loop: each writer posts its next opinion as soon as the last is answered."""
        room = self.rooms[0]
        deadline = time.perf_counter() + duration

        async def one(slot: int) -> None:
            number = slot
            while time.perf_counter() < deadline:
                await self.fire(room, "write", number)
                number += count

        await asyncio.gather(*(one(slot) for slot in range(count)))

    # -- measuring --------------------------------------------------------------------
    async def server_lag(self, reset: bool) -> dict[str, Any]:
        """The event-loop lag of the server (of the most lagging one, when several)."""
        worst: dict[str, Any] = {}
        for port in self.device_ports:
            http = Http(self.host, port)
            try:
                status, body = await http.request("GET", LAG_PATH + ("?reset=1" if reset else ""))
            finally:
                await http.close()
            result: dict[str, Any] = json.loads(body) if status == 200 else {}
            if (result.get("p99") or 0) >= (worst.get("p99") or 0):
                worst = result
        return worst

    def server_cpu(self) -> float:
        """CPU seconds of the server processes and of their PostgreSQL backends."""
        return self.board_cpu() + self.store.cpu()

    def board_cpu(self) -> float:
        return sum(float(t.user + t.system) for t in (p.cpu_times() for p in self.servers))

    def server_rss(self) -> int:
        return sum(int(process.memory_info().rss) for process in self.servers)

    @staticmethod
    def own_cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    async def drain(self, events: list[Event]) -> None:
        """Wait until every reading device holds each room's last event, or time out."""
        last: dict[int, int] = {}
        for event in events:
            if event.seq is not None:
                last[event.room] = max(last.get(event.room, 0), event.seq)
        deadline = time.perf_counter() + DRAIN_TIMEOUT
        while time.perf_counter() < deadline:
            behind = [
                device
                for room in self.rooms
                if room.index in last
                for device in room.devices
                if device.open
                and not device.stalled
                and not device.lost.done()
                and (not device.seqs or device.seqs[-1] < last[room.index])
            ]
            if not behind:
                return
            await asyncio.sleep(0.02)

    def deliveries(self, events: list[Event]) -> dict[str, Any]:
        """Per recipient and per event (to the last device), by kind of event."""
        by_kind: dict[str, dict[str, list[float]]] = {}
        missed = 0
        order = 0
        last_each: list[float] = []
        recipients = 0
        readers = {
            room.index: [device for device in room.devices if device.open and not device.stalled]
            for room in self.rooms
        }
        for devices in readers.values():
            for device in devices:
                order += sum(1 for a, b in zip(device.seqs, device.seqs[1:], strict=False) if b < a)
        for event in events:
            if event.seq is None:
                continue
            values = by_kind.setdefault(event.kind, {"recipient": [], "last": []})
            slowest = 0.0
            complete = True
            for device in readers[event.room]:
                at = bisect_left(device.seqs, event.seq)
                recipients += 1
                if at == len(device.seqs):
                    missed += 1
                    complete = False
                    continue
                latency = device.times[at] - event.started
                values["recipient"].append(latency)
                slowest = max(slowest, latency)
            if complete and readers[event.room]:
                values["last"].append(slowest)
                last_each.append(slowest)
        return {
            "last_each_ms": [round(value * 1000, 1) for value in last_each[:EACH_LIMIT]],
            **self.hop(events, readers),
            "recipients": recipients,
            "missed": missed,
            "order_violations": order,
            "by_kind": {
                kind: {
                    "recipient_ms": summary(values["recipient"], 1000),
                    "last_ms": summary(values["last"], 1000),
                }
                for kind, values in by_kind.items()
            },
            "recipient_ms": summary(
                [value for values in by_kind.values() for value in values["recipient"]], 1000
            ),
            "last_ms": summary(
                [value for values in by_kind.values() for value in values["last"]], 1000
            ),
        }

    def hop(self, events: list[Event], readers: dict[int, list[Device]]) -> dict[str, Any]:
        """With several servers: latency per recipient on the server that took the action
        ("same") and on the others ("other"), and what the other process adds at p99."""
        if len(self.device_ports) < 2:
            return {}
        groups: dict[str, list[float]] = {"same": [], "other": []}
        for event in events:
            if event.seq is None:
                continue
            for device in readers[event.room]:
                at = bisect_left(device.seqs, event.seq)
                if at < len(device.seqs):
                    group = "same" if device.port == self.port else "other"
                    groups[group].append(device.times[at] - event.started)
        same, other = summary(groups["same"], 1000), summary(groups["other"], 1000)
        added = None
        if same["p99"] is not None and other["p99"] is not None:
            added = round(other["p99"] - same["p99"], 3)
        return {"by_process": {"same": same, "other": other}, "hop_added_p99_ms": added}

    async def verify_writes(self, events: list[Event], since: int) -> dict[str, Any]:
        """Count the committed writes in the meeting's event log: none may be missing."""
        room = self.rooms[0]
        committed = [event for event in events if event.kind == "write" and event.status == 200]
        names = set(STAND_IN) if self.stand_in else {self.write_action}
        found = 0
        after = since
        http = Http(self.host, self.port, room.spec.get("chair"))
        try:
            while True:
                status, body = await http.request(
                    "GET", f"/api/meetings/{room.spec['meeting_id']}/events?after={after}"
                )
                rows = json.loads(body)["events"] if status == 200 else []
                if not rows:
                    break
                found += sum(1 for row in rows if row["action"] in names)
                after = rows[-1]["seq"]
        finally:
            await http.close()
        return {"committed": len(committed), "in_log": found, "lost": len(committed) - found}

    # -- a stage ------------------------------------------------------------------------
    async def stage(self, stage: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = {"name": stage["name"]}
        rss_before = self.server_rss()
        cpu_before, own_before, wall_before = self.server_cpu(), self.own_cpu(), time.perf_counter()
        machine_before = machine_cpu()
        fresh = await self.connect(
            stage["devices_per_room"], stage.get("connect_rate"), stage.get("stall_fraction", 0.0)
        )
        connect_wall = time.perf_counter() - wall_before
        failures = [device.failure for device in fresh if device.failure]
        result["connect"] = {
            "devices": len(fresh),
            "failed": len(failures),
            "failures": sorted(set(failures))[:5],
            "seconds": round(connect_wall, 3),
            "full_state_ms": summary(
                [device.times[0] - device.started for device in fresh if device.times], 1000
            ),
            "generator_cpu": round((self.own_cpu() - own_before) / connect_wall, 3),
            "server_cpu": round((self.server_cpu() - cpu_before) / connect_wall, 3),
        }
        connect_other = self._others(machine_before, cpu_before, own_before, connect_wall)
        await asyncio.sleep(stage.get("settle", 1.0))
        rss_after = self.server_rss()
        self.connected += len(fresh)
        result["devices"] = sum(len(room.devices) for room in self.rooms)
        result["rss_bytes"] = rss_after
        result["rss_mib"] = round(rss_after / 2**20, 1)
        result["rss_per_new_connection_kib"] = (
            round((rss_after - rss_before) / len(fresh) / 1024, 1) if fresh else None
        )

        stalled = self._stall(stage.get("stall_fraction", 0.0))
        seq_before = await self._current_seq() if stage.get("writers") else 0
        first_event = len(self.events)
        await self.server_lag(reset=True)
        self.lag.report(reset=True)
        cpu_before, own_before, wall_before = self.server_cpu(), self.own_cpu(), time.perf_counter()
        store_before = self.store.cpu()
        machine_before = machine_cpu()
        tasks = [
            self.stream(item["kind"], item["rate"], item["duration"], item.get("start", 0.0))
            for item in stage.get("streams", [])
        ]
        if stage.get("writers"):
            tasks.append(self.writers(stage["writers"]["count"], stage["writers"]["duration"]))
        await asyncio.gather(*tasks)
        active_wall = time.perf_counter() - wall_before
        events = self.events[first_event:]
        await self.drain(events)
        wall = time.perf_counter() - wall_before
        own = (self.own_cpu() - own_before) / wall
        other = self._others(machine_before, cpu_before, own_before, wall)
        result["server_cpu"] = round((self.server_cpu() - cpu_before) / wall, 3)
        if self.store.database:  # of which PostgreSQL's backends
            result["store_cpu"] = round((self.store.cpu() - store_before) / wall, 3)
        result["server_lag_ms"] = await self.server_lag(reset=False)
        result["generator_cpu"] = round(own, 3) if events else None
        result["generator_lag_ms"] = self.lag.report()
        result["server_rss_mib"] = round(self.server_rss() / 2**20, 1)
        result["events"] = len(events)
        http_ok = [event for event in events if event.status == 200]
        result["http"] = {
            "ok": len(http_ok),
            "errors": len(events) - len(http_ok),
            "first_errors": sorted({str(event.error) for event in events if event.error})[:3],
            "latency_ms": summary([event.finished - event.started for event in http_ok], 1000),
        }
        if events:
            result["delivery"] = self.deliveries(events)
        if stage.get("writers"):
            writes = [event for event in http_ok if event.kind == "write"]
            result["writes"] = {
                "per_second": round(len(writes) / active_wall, 1),
                "latency_ms": summary([event.finished - event.started for event in writes], 1000),
                **(await self.verify_writes(events, seq_before)),
            }
        if stalled:
            result["stalled"] = await self._release(stalled)
        result["stand_in"] = (
            self.system == "board" and self.stand_in and any(e.kind == "write" for e in events)
        )
        # What the stage measures: the events (if any), the joining (when paced).
        measured = [own] if events else []
        if stage.get("connect_rate"):
            measured.append(result["connect"]["generator_cpu"])
        busiest = max(measured, default=0.0)
        others = max([other] if events else [], default=0.0)
        if stage.get("connect_rate"):
            others = max(others, connect_other)
        result["other_cpu"] = round(others, 3)
        result["valid"] = True
        if not self.spec.get("timed", True):
            pass  # a smoke run checks deliveries, not timing
        elif busiest >= SATURATED:
            result["valid"] = False
            result["invalid_reason"] = f"the generator used {busiest:.0%} of its core"
        elif others >= BUSY:
            result["valid"] = False
            result["invalid_reason"] = f"other processes used {others:.2f} cores"
            result["disturbed"] = True
        self._keep_samples()
        return result

    def _others(self, machine: float, server: float, own: float, wall: float) -> float:
        """Cores used meanwhile by processes other than the servers (with their PostgreSQL
        backends) and the generator."""
        used = machine_cpu() - machine
        return max(0.0, used - (self.server_cpu() - server) - (self.own_cpu() - own)) / wall

    async def _current_seq(self) -> int:
        room = self.rooms[0]
        assert room.chair is not None
        status, body = await room.chair.request(
            "GET", f"/api/meetings/{room.spec['meeting_id']}/state"
        )
        return int(json.loads(body)["seq"]) if status == 200 else 0

    def _stall(self, fraction: float) -> list[Device]:
        if fraction <= 0:
            return []
        chosen = [
            device
            for room in self.rooms
            for device in room.devices
            if device.index in self.will_stall and device.open
        ]
        for device in chosen:
            device.stall()
        return chosen

    async def _release(self, stalled: list[Device]) -> dict[str, Any]:
        """Let the stalled devices read again: the server should have dropped them (1013)."""
        for device in stalled:
            device.resume()
        await asyncio.sleep(2.0)
        codes: dict[str, int] = {}
        for device in stalled:
            if device.close_code is not None:
                key = str(device.close_code)
            else:  # closed without a close frame (the server's buffer was full), or open
                key = "closed" if device.lost.done() else "open"
            codes[key] = codes.get(key, 0) + 1
        for room in self.rooms:
            for device in room.devices:
                if device in stalled:
                    device.close()
            room.devices = [device for device in room.devices if device not in stalled]
        return {"devices": len(stalled), "close_codes": codes}

    def _keep_samples(self) -> None:
        device = self.rooms[0].devices[0] if self.rooms and self.rooms[0].devices else None
        if device is None or device.keep is None or not device.keep:
            return
        self.samples["full"] = device.keep[0].decode()
        if len(device.keep) > 1:
            self.samples["message"] = device.keep[-1].decode()

    async def close(self) -> None:
        for room in self.rooms:
            for device in room.devices:
                device.close()
            for http in [room.chair, *room.writer_http.values()]:
                if http is not None:
                    await http.close()
        await asyncio.sleep(0.2)


class StoreProcesses:
    """The PostgreSQL backends serving one database, found by their process title
    ("postgres: ... USER DATABASE HOST(PORT) STATE"): their CPU is the board's work,
    not another process disturbing the run."""

    def __init__(self, database: str | None) -> None:
        self.database = database
        self.seen: dict[int, float] = {}  # pid -> its CPU seconds when last read

    def cpu(self) -> float:
        """CPU seconds of every backend of the database seen so far (a backend that ended
        keeps what it was last read at)."""
        if not self.database:
            return 0.0
        needle = f" {self.database} "
        for process in psutil.process_iter(["pid", "cmdline"]):
            title = " ".join(process.info["cmdline"] or ())
            if not title.startswith("postgres: ") or needle not in title:
                continue
            try:
                times = process.cpu_times()
            except psutil.Error:  # ended meanwhile
                continue
            self.seen[process.info["pid"]] = float(times.user + times.system)
        return sum(self.seen.values())


async def run(spec: dict[str, Any]) -> dict[str, Any]:
    generator = Generator(spec)
    await generator.setup()
    stages = []
    try:
        for stage in spec["stages"]:
            stages.append(await generator.stage(stage))
    finally:
        await generator.close()
    return {"system": spec["system"], "stages": stages, "samples": generator.samples}


def main() -> None:
    spec = json.loads(Path(sys.argv[1]).read_text())
    raise_file_limit()
    pin(spec.get("cpu"))
    with asyncio.Runner(loop_factory=new_loop) as runner:
        result = runner.run(run(spec))
    result["generator_pid"] = os.getpid()
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
