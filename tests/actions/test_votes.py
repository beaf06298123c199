"""Votes through the real server: the lifecycle, quorum, named and secret ballots,
changing one's choice, and the decision the announcement records."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support import Seeded, Server, act, api, events, state


def _live(server: Server, seeded: Seeded, present: int) -> tuple[httpx.Client, list[httpx.Client]]:
    chair = api(server, seeded.chair)
    assert act(chair, 1, "meeting.start").status_code == 200
    members = [api(server, token) for token in seeded.members[:present]]
    for member in members:
        assert act(member, 1, "attendance.mark").status_code == 200
    return chair, members


def _vote(client: httpx.Client, vote_id: int) -> dict[str, Any]:
    found: dict[str, Any] = next(v for v in state(client)["votes"] if v["id"] == vote_id)
    return found


def test_a_named_vote_from_prepare_to_announce(server: Server, seeded: Seeded) -> None:
    chair, members = _live(server, seeded, 20)
    vote_id = act(chair, 1, "vote.prepare", question="原案に賛成の方", method="named").json()[
        "vote_id"
    ]
    assert act(chair, 1, "vote.open", vote_id=vote_id).status_code == 200
    for index, member in enumerate(members):
        choice = "yes" if index < 12 else ("no" if index < 15 else "abstain")
        assert act(member, 1, "vote.cast", vote_id=vote_id, choice=choice).status_code == 200
    # A change of mind before the close counts once, as the last choice.
    assert act(members[19], 1, "vote.cast", vote_id=vote_id, choice="no").status_code == 200
    open_view = _vote(chair, vote_id)
    assert open_view["voted"] == 20 and open_view["counts"] is None
    assert open_view["not_voted"] == []
    assert _vote(members[0], vote_id)["not_voted"] is None
    assert act(chair, 1, "vote.close", vote_id=vote_id).status_code == 200
    assert _vote(chair, vote_id)["counts"] == {"yes": 12, "no": 4, "abstain": 4}
    assert _vote(members[0], vote_id)["counts"] is None  # not before the announcement
    late = act(members[0], 1, "vote.cast", vote_id=vote_id, choice="no")
    assert late.status_code == 409
    announced = act(chair, 1, "vote.announce", vote_id=vote_id)
    assert announced.status_code == 200 and announced.json()["outcome"] == "carried"
    seen = _vote(members[0], vote_id)
    assert seen["counts"] == {"yes": 12, "no": 4, "abstain": 4}
    assert seen["status"] == "announced" and len(seen["named"]["yes"]) == 12
    logged = [e for e in events(chair) if e["action"] == "vote.cast"]
    assert len(logged) == 21 and all("choice" not in e["payload"] for e in logged)


def test_quorum_refuses_unless_the_chair_overrides(server: Server, seeded: Seeded) -> None:
    chair, _members = _live(server, seeded, 3)
    vote_id = act(chair, 1, "vote.prepare", question="q", method="hands").json()["vote_id"]
    refused = act(chair, 1, "vote.open", vote_id=vote_id)
    assert refused.status_code == 409 and "quorum" in refused.json()["message"]
    assert _vote(chair, vote_id)["status"] == "prepared"
    assert act(chair, 1, "vote.open", vote_id=vote_id, override_quorum=True).status_code == 200
    assert _vote(chair, vote_id)["quorum_override"] is True
    opened = [e for e in events(chair) if e["action"] == "vote.open"]
    assert opened[-1]["payload"]["quorum_override"] is True


def test_hands_counts_entered_by_the_chair_and_the_casting_vote(
    server: Server, seeded: Seeded
) -> None:
    chair, members = _live(server, seeded, 20)
    vote_id = act(chair, 1, "vote.prepare", question="q", method="hands").json()["vote_id"]
    act(chair, 1, "vote.open", vote_id=vote_id)
    electronic = act(members[0], 1, "vote.cast", vote_id=vote_id, choice="yes")
    assert electronic.status_code == 409
    too_many = act(chair, 1, "vote.close", vote_id=vote_id, yes=15, no=15)
    assert too_many.status_code == 422
    assert act(chair, 1, "vote.close", vote_id=vote_id, yes=8, no=8, abstain=4).status_code == 200
    tie = act(chair, 1, "vote.announce", vote_id=vote_id)
    assert tie.status_code == 409 and "casting" in tie.json()["message"]
    done = act(chair, 1, "vote.announce", vote_id=vote_id, casting="yes")
    assert done.json()["outcome"] == "carried"
    assert _vote(members[0], vote_id)["tie"] is True


def test_a_secret_ballot_is_changed_only_with_its_receipt(server: Server, seeded: Seeded) -> None:
    chair, members = _live(server, seeded, 20)
    vote_id = act(chair, 1, "vote.prepare", question="q", method="secret").json()["vote_id"]
    act(chair, 1, "vote.open", vote_id=vote_id)
    first = act(members[0], 1, "vote.cast", vote_id=vote_id, choice="yes").json()
    assert first["receipt"].startswith("yes.")
    # Another device of the same person, without the receipt: one ballot per person.
    again = act(api(server, seeded.members[0]), 1, "vote.cast", vote_id=vote_id, choice="no")
    assert again.status_code == 409
    changed = act(
        members[0], 1, "vote.cast", vote_id=vote_id, choice="no", receipt=first["receipt"]
    )
    assert changed.status_code == 200
    replay = act(
        members[0], 1, "vote.cast", vote_id=vote_id, choice="abstain", receipt=first["receipt"]
    )
    assert replay.status_code == 409
    act(members[1], 1, "vote.cast", vote_id=vote_id, choice="yes")
    act(chair, 1, "vote.close", vote_id=vote_id)
    assert _vote(chair, vote_id)["counts"] == {"yes": 1, "no": 1, "abstain": 0}
    assert _vote(chair, vote_id)["named"] is None


def test_only_those_present_at_the_open_vote(server: Server, seeded: Seeded) -> None:
    chair, members = _live(server, seeded, 20)
    vote_id = act(chair, 1, "vote.prepare", question="q", method="named").json()["vote_id"]
    act(chair, 1, "vote.open", vote_id=vote_id)
    late = api(server, seeded.members[25])
    act(late, 1, "attendance.mark")
    refused = act(late, 1, "vote.cast", vote_id=vote_id, choice="yes")
    assert refused.status_code == 403
    assert act(chair, 1, "vote.cast", vote_id=vote_id, choice="yes").status_code == 403
    assert _vote(chair, vote_id)["entitled"] == 20
    wrong = act(members[0], 1, "vote.cast", vote_id=vote_id, choice="maybe")
    assert wrong.status_code == 422


def test_a_cancelled_vote_keeps_its_reason(server: Server, seeded: Seeded) -> None:
    chair, _members = _live(server, seeded, 20)
    vote_id = act(chair, 1, "vote.prepare", question="q").json()["vote_id"]
    assert act(chair, 1, "vote.cancel", vote_id=vote_id).status_code == 422
    assert act(chair, 1, "vote.cancel", vote_id=vote_id, reason="議題の撤回").status_code == 200
    assert _vote(chair, vote_id)["cancel_reason"] == "議題の撤回"
    assert act(chair, 1, "vote.open", vote_id=vote_id).status_code == 409


def test_an_election_among_candidates(server: Server, seeded: Seeded) -> None:
    chair, members = _live(server, seeded, 20)
    vote_id = act(
        chair, 1, "vote.prepare", question="委員長の選挙", method="secret", options=["山田", "佐藤"]
    ).json()["vote_id"]
    act(chair, 1, "vote.open", vote_id=vote_id)
    for index, member in enumerate(members[:9]):
        act(member, 1, "vote.cast", vote_id=vote_id, choice="山田" if index < 5 else "佐藤")
    act(chair, 1, "vote.close", vote_id=vote_id)
    assert act(chair, 1, "vote.announce", vote_id=vote_id).json()["outcome"] == "elected"


def test_the_bodys_rules_are_kept_on_its_page_and_taken_by_each_vote(
    server: Server, seeded: Seeded
) -> None:
    secretariat = api(server, seeded.secretariat)
    form = {
        "quorum": "none",
        "majority": "two_thirds",
        "abstentions": "counted",
        "chair_votes": "1",
        "casting_vote": "0",
    }
    saved = secretariat.post("/bodies/1/actions/body.vote_rules", data=form)
    assert saved.status_code == 303
    page = secretariat.get("/bodies/1").text
    assert '<option value="two_thirds" selected>' in page
    assert '<option value="none" selected>' in page
    chair = api(server, seeded.chair)
    act(chair, 1, "meeting.start")
    act(chair, 1, "attendance.mark")
    vote_id = act(chair, 1, "vote.prepare", question="q", method="named").json()["vote_id"]
    # No quorum needed; the chair votes.
    assert act(chair, 1, "vote.open", vote_id=vote_id).status_code == 200
    assert act(chair, 1, "vote.cast", vote_id=vote_id, choice="yes").status_code == 200
    rules = _vote(chair, vote_id)["rules"]
    assert rules == {
        "quorum": "none",
        "majority": "two_thirds",
        "abstentions": "counted",
        "chair_votes": True,
        "casting_vote": False,
    }
    # A vote keeps the rules it was taken by.
    act(secretariat, 1, "vote.prepare", question="q2")
    secretariat.post("/bodies/1/actions/body.vote_rules", data={"majority": "cast"})
    assert _vote(chair, vote_id)["rules"]["majority"] == "two_thirds"


def test_no_objection_carries_in_silence_and_an_objection_moves_it_to_hands(
    server: Server, seeded: Seeded
) -> None:
    chair, members = _live(server, seeded, 20)
    silent = act(chair, 1, "vote.prepare", question="異議ありませんか", method="no_objection")
    silent_id = silent.json()["vote_id"]
    assert act(chair, 1, "vote.open", vote_id=silent_id).status_code == 200
    assert act(chair, 1, "vote.close", vote_id=silent_id).status_code == 200
    # "then" is for an objection only: refused, and the vote stays closed.
    refused = act(chair, 1, "vote.announce", vote_id=silent_id, then="hands")
    assert refused.status_code == 422 and _vote(chair, silent_id)["status"] == "closed"
    carried = act(chair, 1, "vote.announce", vote_id=silent_id).json()
    assert carried["outcome"] == "carried" and carried["next_vote_id"] is None

    asked = act(
        chair,
        1,
        "vote.prepare",
        question="原案のとおり決定することに異議ありませんか",
        method="no_objection",
    )
    vote_id = asked.json()["vote_id"]
    assert act(chair, 1, "vote.open", vote_id=vote_id).status_code == 200
    assert act(members[3], 1, "vote.cast", vote_id=vote_id, choice="objection").status_code == 200
    assert act(chair, 1, "vote.close", vote_id=vote_id).status_code == 200
    wrong = act(chair, 1, "vote.announce", vote_id=vote_id, then="no_objection")
    assert wrong.status_code == 422 and _vote(chair, vote_id)["status"] == "closed"
    announced = act(chair, 1, "vote.announce", vote_id=vote_id, then="hands").json()
    assert announced["outcome"] == "objected"
    follow_up = _vote(chair, announced["next_vote_id"])
    assert follow_up["status"] == "prepared" and follow_up["method"] == "hands"
    assert follow_up["question"] == "原案のとおり決定することに異議ありませんか"
    assert follow_up["item_id"] == _vote(chair, vote_id)["item_id"]
