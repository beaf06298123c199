"""Several processes, one room: real board processes on one PostgreSQL database, real
WebSocket devices, nginx in front, a worker killed mid-meeting, a listener cut off."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import websockets

from tests.live.test_push import Device
from tests.scale.cluster import Cluster, Nginx, all_events, cluster, percentile, until
from tests.support import Server, async_api

pytestmark = [pytest.mark.asyncio, pytest.mark.slow]


def unseq(html: str) -> str:
    return re.sub(r' data-seq="\d+"', "", html)


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Cluster]:
    """Two board processes on one freshly seeded PostgreSQL database."""
    with cluster(tmp_path) as started:
        yield started


async def test_an_action_on_one_process_reaches_devices_on_the_other(running: Cluster) -> None:
    a, b = running.workers
    seeded = running.seeded
    async with async_api(a, seeded.chair) as chair, async_api(a, seeded.members[5]) as member:
        assert (await chair.post("/api/meetings/1/actions/meeting.start", json={})).is_success
        on_a, on_b = Device(a, seeded.members[0]), Device(b, seeded.members[1])
        async with on_a, on_b:
            await on_a.wait_for("floor", bool)
            await on_b.wait_for("floor", bool)
            same, other = [], []
            for index in range(200):
                name = "floor.request" if index % 2 == 0 else "floor.withdraw"
                response = await member.post(f"/api/meetings/1/actions/{name}", json={})
                assert response.status_code == 200, response.text
                seq = response.json()["seq"]
                acked = time.perf_counter()
                reached: dict[str, float] = {}

                async def arrive(device: Device, key: str, seq: int = seq) -> None:
                    await until(lambda: device.seqs.get("floor", 0) >= seq, seconds=10, step=0)
                    reached[key] = time.perf_counter()  # noqa: B023 - awaited below

                await asyncio.gather(arrive(on_a, "a"), arrive(on_b, "b"))
                same.append(reached["a"] - acked)
                other.append(reached["b"] - acked)
    # Every one of the 200 changes reached both devices (else until() raised).
    print(
        f"\ncross-process push, 200 actions: same process p50 "
        f"{percentile(same, 0.5) * 1000:.1f} ms p99 {percentile(same, 0.99) * 1000:.1f} ms; "
        f"other process p50 {percentile(other, 0.5) * 1000:.1f} ms "
        f"p99 {percentile(other, 0.99) * 1000:.1f} ms"
    )


async def test_concurrent_writers_on_both_processes_leave_one_gapless_log(running: Cluster) -> None:
    a, b = running.workers
    seeded = running.seeded
    async with async_api(a, seeded.chair) as chair:
        assert (await chair.post("/api/meetings/1/actions/meeting.start", json={})).is_success
        watchers = [Device(a, seeded.observer, view="projector")]
        watchers.append(Device(b, seeded.observer, view="projector"))
        acknowledged: list[tuple[int, int, str]] = []  # (seq, member index, action)

        async def writer(index: int, server: Server, until_time: float) -> None:
            async with async_api(server, seeded.members[index]) as client:
                step = 0
                while time.monotonic() < until_time:
                    name = "floor.request" if step % 2 == 0 else "floor.withdraw"
                    response = await client.post(f"/api/meetings/1/actions/{name}", json={})
                    assert response.status_code == 200, response.text
                    acknowledged.append((response.json()["seq"], index, name))
                    step += 1

        async with watchers[0], watchers[1]:
            end = time.monotonic() + 10
            await asyncio.gather(*(writer(index, (a, b)[index % 2], end) for index in range(20)))
            log = await all_events(chair)
            final = log[-1]["seq"]
            seqs = [event["seq"] for event in log]
            assert seqs == list(range(1, final + 1)), "seqs must be 1..N, no gap or duplicate"
            by_seq = {event["seq"]: event for event in log}
            for seq, _index, name in acknowledged:
                assert by_seq[seq]["action"] == name
            assert len({seq for seq, _, _ in acknowledged}) == len(acknowledged)
            # Both processes' rooms end where a fresh read of the store is.
            for watcher in watchers:
                await watcher.wait_for("floor", lambda html: f'data-seq="{final}"' in html)
            fresh = Device(b, seeded.observer, view="projector")
            async with fresh:
                await fresh.wait_for("floor", lambda html: f'data-seq="{final}"' in html)
                for watcher in watchers:
                    for part in ("floor", "current", "agenda", "status"):
                        # The same HTML; data-seq says when each part last changed, and a
                        # fresh device's full state carries the newest seq on every part.
                        assert unseq(watcher.parts[part]) == unseq(fresh.parts[part]), part
    print(f"\n20 writers on 2 processes for 10 s: {len(acknowledged)} actions, seqs 1..{final}")


async def test_a_worker_killed_mid_meeting_loses_nothing_and_its_devices_move(
    running: Cluster, tmp_path: Path
) -> None:
    a, b = running.workers
    seeded = running.seeded
    proxy = Nginx(tmp_path / "nginx", [a.port, b.port])
    try:
        proxy.start()
        front = Server(seeded.db_path, port=proxy.port)  # addresses only: not started
        async with async_api(front, seeded.chair) as chair:
            assert (await chair.post("/api/meetings/1/actions/meeting.start", json={})).is_success
            devices = [Device(front, token) for token in seeded.members[:10]]
            for device in devices:
                await device.__aenter__()
            try:
                await asyncio.gather(*(d.wait_for("floor", bool) for d in devices))
                acked = []
                for token in seeded.members[10:20]:
                    async with async_api(front, token) as member:
                        response = await member.post(
                            "/api/meetings/1/actions/floor.request", json={}
                        )
                        assert response.status_code == 200
                        acked.append(response.json()["seq"])
                last = max(acked)
                await asyncio.gather(
                    *(d.wait_for("floor", lambda h: f'data-seq="{last}"' in h) for d in devices)
                )
                seen = {id(d): d.seqs["floor"] for d in devices}
                a.kill9()
                # The devices that were on the killed worker lose their connection;
                # like the page's hx-ws, they reconnect (through nginx, to the other).
                await asyncio.sleep(0.5)
                moved = [d for d in devices if d.reader is not None and d.reader.done()]
                assert moved, "some devices were on the killed worker"
                for device in moved:
                    await device.__aexit__()
                    for _ in range(50):
                        try:
                            await device.__aenter__()
                            break
                        except (OSError, websockets.InvalidStatus):
                            await asyncio.sleep(0.1)
                    await device.wait_for("floor", bool)
                    assert device.seqs["floor"] >= seen[id(device)]
                log = await all_events(chair)
                assert {event["seq"] for event in log} >= set(acked)
                # The meeting goes on through the surviving worker.
                response = await chair.post("/api/meetings/1/actions/floor.grant", json={})
                assert response.status_code == 200, response.text
                granted = response.json()["seq"]
                await asyncio.gather(
                    *(d.wait_for("floor", lambda h: f'data-seq="{granted}"' in h) for d in devices)
                )
            finally:
                for device in devices:
                    await device.__aexit__()
    finally:
        proxy.stop()


async def test_a_process_whose_listener_is_cut_catches_up_by_itself(running: Cluster) -> None:
    a, b = running.workers
    seeded = running.seeded
    async with async_api(a, seeded.chair) as chair:
        assert (await chair.post("/api/meetings/1/actions/meeting.start", json={})).is_success
        on_b = Device(b, seeded.members[0])
        async with on_b:
            await on_b.wait_for("floor", bool)
            await running.terminate(await running.listener_pid(b))
            # Changes made while b is reconnecting are not lost to its devices.
            seqs = []
            for name in ("agenda.next", "agenda.next", "agenda.prev"):
                response = await chair.post(f"/api/meetings/1/actions/{name}", json={})
                assert response.status_code == 200, response.text
                seqs.append(response.json()["seq"])
            final = seqs[-1]
            state = (await chair.get("/api/meetings/1/state")).json()
            await on_b.wait_for(
                "current",
                lambda html: f'data-current-item-id="{state["current_item_id"]}"' in html,
                seconds=15,
            )
            await on_b.wait_for("floor", lambda html: f'data-seq="{final}"' in html)
            # It listens again: the next change arrives the ordinary way.
            response = await chair.post("/api/meetings/1/actions/agenda.next", json={})
            after = response.json()["seq"]
            await on_b.wait_for("floor", lambda html: f'data-seq="{after}"' in html)
    assert "lost its connection" in b.log()
