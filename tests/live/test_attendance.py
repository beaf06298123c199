"""Attendance means presence in the meeting (issue 12, point 5): only between the start and
the adjournment; a device connected at the start counts from the start; the chair is present
from the start; in the room or online, as the person says and the secretariat corrects, shown
to the chair and printed in the minutes."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from tests.live.test_push import Device
from tests.minutes.driven import ok
from tests.support import Seeded, Server, act, api, state


def present(client: httpx.Client) -> set[int]:
    return set(state(client)["present"])


def me(client: httpx.Client) -> int:
    person_id: int = ok(client.get("/api/me"))["person_id"]
    return person_id


async def wait_until(check: Any, seconds: float = 5) -> None:
    """Poll the server (the marking runs after the start's commit) until ``check`` holds."""
    for _ in range(int(seconds / 0.05)):
        if check():
            return
        await asyncio.sleep(0.05)
    assert check()


async def test_presence_only_while_in_session(server: Server, seeded: Seeded) -> None:
    chair, secretariat = api(server, seeded.chair), api(server, seeded.secretariat)
    early, late, reader = (api(server, token) for token in seeded.members[:3])
    connected = Device(server, seeded.members[3])
    left = Device(server, seeded.members[4])
    async with connected:
        async with left:
            await left.wait_for("floor", bool)
        await connected.wait_for("floor", bool)
        assert early.get("/meetings/1").status_code == 200  # before the start: nothing
        assert ok(act(early, 1, "attendance.mark")) and present(chair) == set()

        ok(act(chair, 1, "meeting.start"))
        # The chair from the start, and the device still connected at the start.
        watcher = api(server, seeded.members[3])
        await wait_until(lambda: present(chair) == {me(chair), me(watcher)})
        assert me(api(server, seeded.members[4])) not in present(chair)  # it left before

    assert late.get("/meetings/1").status_code == 200  # opened after the start: present
    assert me(late) in present(chair)
    ok(act(chair, 1, "meeting.adjourn"))
    assert reader.get("/meetings/1").status_code == 200  # reading it afterwards: nothing
    assert me(reader) not in present(chair)
    assert me(early) not in present(secretariat)
    events = secretariat.get("/api/meetings/1/events").json()["events"]
    marks = [event["actor_id"] for event in events if event["action"] == "attendance.mark"]
    assert sorted(marks) == sorted([me(watcher), me(late)])


async def test_a_connection_after_the_start_is_presence(server: Server, seeded: Seeded) -> None:
    chair = api(server, seeded.chair)
    ok(act(chair, 1, "meeting.start"))
    async with Device(server, seeded.members[0]) as device:
        await device.wait_for("floor", bool)
        member = api(server, seeded.members[0])
        await wait_until(lambda: me(member) in present(chair))
    async with Device(server, seeded.members[1], view="projector") as projector:
        await projector.wait_for("current", bool)
    assert me(api(server, seeded.members[1])) not in present(chair)


def test_in_the_room_or_online(server: Server, seeded: Seeded) -> None:
    chair, secretariat = api(server, seeded.chair), api(server, seeded.secretariat)
    members = [api(server, token) for token in seeded.members[:3]]
    assert act(members[0], 1, "attendance.mode", online=True).status_code == 409  # not yet
    ok(act(chair, 1, "meeting.start"))
    assert 'data-action="attendance.mode"' in members[0].get("/meetings/1").text
    for member in members:
        ok(act(member, 1, "attendance.mark"))
    ok(act(members[0], 1, "attendance.mode", online=True))
    ok(act(members[1], 1, "attendance.mode", online=True))
    ok(act(members[1], 1, "attendance.mode", online=False))  # said so by mistake
    assert act(members[2], 1, "attendance.mode").status_code == 422
    page = chair.get("/meetings/1").text
    assert 'data-online="1"' in page and f'data-online-person="{me(members[0])}"' in page
    ok(act(chair, 1, "meeting.adjourn"))

    def member_group() -> dict[str, Any]:
        document = ok(secretariat.get("/api/meetings/1/minutes"))["document"]
        groups = document["attendance"]["present"]
        found: dict[str, Any] = next(group for group in groups if group["role"] == "member")
        return found

    group = member_group()
    assert group["count"] == 3 and group["online"] == 1
    name = ok(members[0].get("/api/me"))["name"]
    assert group["online_names"] == [name]
    text = secretariat.get("/meetings/1/minutes.txt").text
    assert f"{name}（オンライン）" in text
    # The secretariat corrects it: the second member was online after all.
    ok(
        act(
            secretariat,
            1,
            "minutes.attendance",
            person_id=me(members[1]),
            present=True,
            online=True,
        )
    )
    assert member_group()["online"] == 2
    hidden = secretariat.post("/api/bodies/1/actions/body.update", json={"show_names": False})
    assert hidden.status_code == 200, hidden.text
    assert "本部員 3名（うちオンライン 2名）" in secretariat.get("/meetings/1/minutes.txt").text
