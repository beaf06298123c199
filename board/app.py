"""The app factory: routes, middleware, lifespan."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.convertors import register_url_convertor
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from board import auth, logs, security
from board.actions.errors import ActionError
from board.config import Settings
from board.minutes.pdf import check_fonts
from board.services import Board
from board.views import (
    api,
    archive,
    body,
    invitations,
    live,
    materials,
    meeting,
    minutes,
    minutes_pdf,
    notes,
    opinions,
    pages,
    people_api,
    roster,
    search,
    sheet,
)
from board.views.base import IdConvertor, handle_error

STATIC = Path(__file__).resolve().parent.parent / "static"
SESSION_COOKIE = "board_session"
SESSION_MAX_AGE = auth.SESSION_LIFETIME

# Every id in a path is {name:id}: bounded where it is parsed, so none reaches SQLite
# beyond 64 bits (see IdConvertor).
register_url_convertor("id", IdConvertor())


def routes() -> list[Route | WebSocketRoute | Mount]:
    return [
        Route("/", pages.home),
        Route("/healthz", pages.healthz),
        Route("/join/{token}", pages.join),
        Route("/setup/{token}", pages.setup, methods=["GET", "POST"]),
        Route("/language", pages.set_language, methods=["POST"]),
        Route("/preferences", pages.set_preferences, methods=["POST"]),
        Route("/sign-out", pages.sign_out, methods=["POST"]),
        Route("/bodies", body.create, methods=["POST"]),
        Route("/bodies/{body_id:id}", body.show),
        Route("/bodies/{body_id:id}/actions/{name}", body.act, methods=["POST"]),
        Route("/bodies/{body_id:id}/roster.csv", roster.export_csv),
        Route("/bodies/{body_id:id}/roster", roster.form_import, methods=["POST"]),
        Route("/bodies/{body_id:id}/sign-in-sheet", sheet.print_sheet, methods=["POST"]),
        Route("/meetings/{meeting_id:id}", meeting.room),
        Route("/meetings/{meeting_id:id}/projector", meeting.projector),
        Route("/meetings/{meeting_id:id}/edit", meeting.edit),
        Route("/meetings/{meeting_id:id}/invitations", invitations.page_list),
        Route("/meetings/{meeting_id:id}/invitations", invitations.send, methods=["POST"]),
        Route("/meetings/{meeting_id:id}/actions/{name}", meeting.act, methods=["POST"]),
        WebSocketRoute("/meetings/{meeting_id:id}/live", live.live),
        Route("/meetings/{meeting_id:id}/minutes", minutes.editor),
        Route("/meetings/{meeting_id:id}/minutes/document", minutes.document),
        Route("/meetings/{meeting_id:id}/minutes/report", minutes.report),
        Route("/meetings/{meeting_id:id}/minutes/report.json", minutes.report_json),
        Route(
            "/meetings/{meeting_id:id}/minutes/statements/{statement_id:id}",
            minutes.statement_form,
        ),
        Route("/meetings/{meeting_id:id}/minutes.pdf", minutes_pdf.export_pdf),
        Route("/meetings/{meeting_id:id}/minutes.{fmt}", minutes.export),
        Route("/archive", archive.archive),
        Route("/search", search.search_page),
        Route("/meetings/{meeting_id:id}/materials", materials.form_upload, methods=["POST"]),
        Route("/meetings/{meeting_id:id}/materials/{material_id:id}", materials.show),
        Route(
            "/meetings/{meeting_id:id}/files/{version_id:id}",
            materials.file,
            methods=["GET", "HEAD"],
        ),
        Route("/meetings/{meeting_id:id}/opinions.csv", opinions.export_csv),
        Route("/meetings/{meeting_id:id}/opinions/{opinion_id:id}/edit", opinions.edit_page),
        Route("/api/actions", api.action_list),
        Route("/api/me", people_api.me),
        Route("/api/bodies/{body_id:id}/people", people_api.roster),
        Route("/api/bodies/{body_id:id}/minutes-style/preview", people_api.style_preview),
        Route("/api/actions/{name}", api.global_action, methods=["POST"]),
        Route("/api/bodies/{body_id:id}/actions/{name}", api.body_action, methods=["POST"]),
        Route("/api/bodies/{body_id:id}/roster", roster.api_import, methods=["POST"]),
        Route("/api/meetings/{meeting_id:id}/state", api.state),
        Route("/api/meetings/{meeting_id:id}/events", api.events),
        Route("/api/meetings/{meeting_id:id}/minutes", minutes.api_minutes),
        Route("/api/search", search.search_api),
        Route("/api/schema/minutes.json", archive.schema),
        Route("/api/meetings/{meeting_id:id}/actions/{name}", api.meeting_action, methods=["POST"]),
        Route(
            "/api/meetings/{meeting_id:id}/materials",
            materials.api_list_or_upload,
            methods=["GET", "POST"],
        ),
        Route("/api/meetings/{meeting_id:id}/opinions", opinions.api_list),
        Route("/api/meetings/{meeting_id:id}/invitations", invitations.api_list),
        Route("/api/meetings/{meeting_id:id}/read-ahead", materials.api_read_ahead),
        # One's own private notes (only ever the caller's).
        Route("/api/meetings/{meeting_id:id}/notes", notes.api_list),
        Route("/meetings/{meeting_id:id}/notes.csv", notes.export_csv),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]


def _origins(settings: Settings) -> tuple[str, ...]:
    """The origins besides the request's own that may post: the configured ones and that of
    the base URL (behind a TLS proxy the board sees http, the browser sends https)."""
    configured = [*settings.allowed_origins, *filter(None, [settings.base_url])]
    return tuple(security.origin_of(origin) for origin in configured)


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    board = Board.build(settings)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # Here, not at import: the server has configured its logging by now.
        logs.redact_tokens()
        check_fonts()  # the PDF's fonts ship with the package: nothing else to install
        await board.open()
        board.renderer.warm()
        # What start-up made (modules, templates) lives as long as the process: keep it
        # out of the collector's full scans, which a room of thousands makes costly.
        gc.freeze()
        try:
            yield
        finally:
            await board.close()

    secret = security.session_secret(settings.secret, settings.secret_dir)
    app = Starlette(
        routes=routes(),
        lifespan=lifespan,
        exception_handlers={ActionError: handle_error},
        middleware=[
            Middleware(live.ServerSend),
            Middleware(security.SecurityMiddleware, allowed_origins=_origins(settings)),
            Middleware(
                SessionMiddleware,
                secret_key=secret,
                session_cookie=SESSION_COOKIE,
                max_age=SESSION_MAX_AGE,
                same_site="lax",
                https_only=settings.secure_cookies,
            ),
        ],
    )
    app.state.board = board
    return app
