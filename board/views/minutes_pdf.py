"""``GET /meetings/{id}/minutes.pdf``: a finalized revision (original or public copy, as the
reader may have it) as a PDF file; ``X-Minutes-SHA256`` names the revision it prints and
``X-PDF-SHA256`` the file's own bytes. Drawn in a worker thread: the loop never waits on it."""

from __future__ import annotations

import hashlib

import anyio
from starlette.requests import Request
from starlette.responses import Response

from board import timeutil
from board.actions.errors import ActionError, Conflict
from board.minutes import pdf
from board.minutes.layout import layout
from board.views.base import json_error
from board.views.minutes import _filename, calendar_of, load


async def export_pdf(request: Request) -> Response:
    try:
        loaded = await load(request, request.path_params["meeting_id"])
        if loaded.sha256 is None:
            raise Conflict("a PDF is made of finalized minutes: approve them first")
    except ActionError as error:
        return json_error(error, request)
    the_layout = layout(loaded.document, calendar=calendar_of(request), sha256=loaded.sha256)
    finalized = next(
        (r.finalized_at for r in loaded.revisions if r.number == loaded.choice.revision), None
    )
    created = timeutil.parse(finalized) if finalized else None
    data = await anyio.to_thread.run_sync(lambda: pdf.render(the_layout, created=created))
    return Response(
        data,
        media_type="application/pdf",
        headers={
            "content-disposition": f'attachment; filename="{_filename(loaded, "pdf")}"',
            "x-minutes-sha256": loaded.sha256,
            "x-pdf-sha256": hashlib.sha256(data).hexdigest(),
        },
    )
