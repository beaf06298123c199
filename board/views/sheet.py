"""The printable sign-in sheet: ``POST /bodies/{id}/sign-in-sheet`` runs ``link.reissue`` and
answers an A4 page per person with their name and a QR code of their new personal link.
The links exist only in this response (no-store); the earlier ones stop working."""

from __future__ import annotations

import segno
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response

from board.actions.errors import ActionError
from board.store import people
from board.views.base import action_payload, board_of, html_error, page, read_form
from board.views.body import public_url, secretariat_of


def qr_svg(url: str) -> Markup:
    """The link as an SVG QR code (error correction M: a smudged print still reads)."""
    code = segno.make(url, error="m", micro=False, boost_error=False)
    # segno writes the markup from the URL alone: no user text reaches it unescaped.
    return Markup(code.svg_inline(scale=4, border=4, dark="#000", light="#fff"))


async def print_sheet(request: Request) -> Response:
    board = board_of(request)
    body_id = request.path_params["body_id"]
    try:
        form = action_payload(await read_form(request))
        _body, person = await secretariat_of(request, body_id)
        if not form.get("person_ids"):
            # The roster page's button: a sheet for everyone but the one printing it.
            async with board.db.read() as conn:
                everyone = await people.roster(conn, body_id)
            form["person_ids"] = ",".join(str(p.id) for p in everyone if p.id != person.id)
        result = await board.act(person, "link.reissue", form, body_id=body_id)
    except ActionError as error:
        return html_error(request, error)
    async with board.db.read() as conn:
        body = await people.get_body(conn, body_id)
        roster = {entry.id: entry for entry in await people.roster(conn, body_id)}
    assert body is not None
    sheets = []
    for link in result.data["links"]:
        url = public_url(request, link["path"])
        sheets.append({"person": roster[link["person_id"]], "url": url, "qr": qr_svg(url)})
    response = page(request, "sign_in_sheet.html", body=body, sheets=sheets)
    response.headers["cache-control"] = "no-store"
    return response
