"""Materials on agenda items: attach, replace with a new version, remove, and record who
opened which version (read-ahead).

The bytes are uploaded first (``POST /api/meetings/{id}/materials`` streams them to the
store and then runs these actions); the actions themselves only take the SHA-256 of bytes
that the body has uploaded.
"""

from __future__ import annotations

import os
import re
from typing import Any

from board import blobs
from board.actions import fields
from board.actions.errors import Conflict, Invalid, NotFound
from board.actions.permissions import Permission
from board.actions.registry import Context, Outcome, Payload, Serial, action
from board.changes import Aspect
from board.models import AgendaItem, Material
from board.store import materials, meetings
from board.store.db import Conn
from board.store.materials import Blob

MATERIALS = {Aspect.MATERIALS}  # of the material's own agenda item
PER_ITEM_MAX = 50
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
FILE = fields.declare(sha256=fields.Kind.TEXT, filename=fields.Kind.TEXT, title=fields.Kind.TEXT)


def _sha256(payload: Payload) -> str:
    value = fields.text(payload, "sha256", max_len=64).lower()
    if not _SHA256.match(value):
        raise Invalid("sha256 must be 64 hexadecimal digits")
    return value


def _file(payload: Payload) -> dict[str, Any]:
    filename = blobs.clean_filename(fields.text(payload, "filename", max_len=blobs.FILENAME_MAX))
    return {
        "sha256": _sha256(payload),
        "filename": filename,
        "title": fields.text(payload, "title", required=False),
    }


async def _blob(conn: Conn, ctx: Context, sha256: str, filename: str) -> Blob:
    blob = await materials.get_blob(conn, ctx.body_id, sha256)
    if blob is None:
        raise NotFound(
            "no file with SHA-256 {sha256} was uploaded to this body: upload it first",
            sha256=sha256,
        )
    if blobs.claimed_type(filename, "") != blob.media_type:
        raise Invalid(
            "filename {filename} does not match the uploaded file's type ({media_type})",
            filename=filename,
            media_type=blob.media_type,
        )
    return blob


def _title(params: dict[str, Any]) -> str:
    stem = os.path.splitext(params["filename"])[0]
    title = params["title"] or stem or params["filename"]
    return str(title)[: fields.TITLE_MAX]


async def _item(conn: Conn, ctx: Context, item_id: int) -> AgendaItem:
    item = await meetings.get_item(conn, item_id)
    if item is None or item.meeting_id != ctx.meeting_id:
        raise NotFound("agenda item {item_id} does not exist in this meeting", item_id=item_id)
    return item


async def _material(conn: Conn, ctx: Context, material_id: int) -> Material:
    material = await materials.get_material(conn, material_id)
    if material is None or material.meeting_id != ctx.meeting_id:
        raise NotFound(
            "material {material_id} does not exist in this meeting", material_id=material_id
        )
    return material


def _parse_add(payload: Payload) -> dict[str, Any]:
    return {"item_id": fields.identifier(payload, "item_id"), **_file(payload)}


@action(
    "material.add",
    Permission.PREPARE_MEETING,
    parse=_parse_add,
    changes=MATERIALS,
    fields=fields.declare(item_id=fields.Kind.ID) + FILE,
)
async def add(conn: Conn, ctx: Context, params: dict[str, Any]) -> Outcome:
    item = await _item(conn, ctx, params["item_id"])
    blob = await _blob(conn, ctx, params["sha256"], params["filename"])
    attached = [m for m in await materials.materials(conn, ctx.meeting_id) if m.item_id == item.id]
    if len(attached) >= PER_ITEM_MAX:
        raise Conflict("an agenda item holds at most {limit} materials", limit=PER_ITEM_MAX)
    title = _title(params)
    material_id = await materials.add_material(conn, ctx.meeting_id, item.id, title, ctx.at)
    version_id, number = await materials.add_version(
        conn, material_id, blob, params["filename"], ctx.actor.id, ctx.at
    )
    log = {
        "material_id": material_id,
        "item_id": item.id,
        "title": title,
        "version_id": version_id,
        "version": number,
        "sha256": blob.sha256,
        "filename": params["filename"],
        "media_type": blob.media_type,
        "size": blob.size,
    }
    result = {"material_id": material_id, "version_id": version_id, "version": number}
    return Outcome(log=log, result=result, items=frozenset({item.id}))


def _parse_replace(payload: Payload) -> dict[str, Any]:
    return {"material_id": fields.identifier(payload, "material_id"), **_file(payload)}


@action(
    "material.replace",
    Permission.PREPARE_MEETING,
    parse=_parse_replace,
    changes=MATERIALS,
    fields=fields.declare(material_id=fields.Kind.ID) + FILE,
)
async def replace(conn: Conn, ctx: Context, params: dict[str, Any]) -> Outcome:
    """A new version; the older ones stay listed and can still be opened."""
    material = await _material(conn, ctx, params["material_id"])
    blob = await _blob(conn, ctx, params["sha256"], params["filename"])
    if blob.sha256 == material.current.sha256:
        raise Conflict("this file is the same as the current version")
    version_id, number = await materials.add_version(
        conn, material.id, blob, params["filename"], ctx.actor.id, ctx.at
    )
    if params["title"]:
        await materials.rename(conn, material.id, params["title"])
    log = {
        "material_id": material.id,
        "item_id": material.item_id,
        "version_id": version_id,
        "version": number,
        "sha256": blob.sha256,
        "filename": params["filename"],
        "media_type": blob.media_type,
        "size": blob.size,
        **({"title": params["title"]} if params["title"] else {}),
    }
    result = {"material_id": material.id, "version_id": version_id, "version": number}
    return Outcome(log=log, result=result, items=frozenset({material.item_id}))


def _parse_material_id(payload: Payload) -> int:
    return fields.identifier(payload, "material_id")


@action(
    "material.remove",
    Permission.PREPARE_MEETING,
    parse=_parse_material_id,
    changes=MATERIALS,
    fields=fields.declare(material_id=fields.Kind.ID),
)
async def remove(conn: Conn, ctx: Context, material_id: int) -> Outcome:
    material = await _material(conn, ctx, material_id)
    await materials.remove(conn, material.id)
    log = {"material_id": material.id, "item_id": material.item_id}
    return Outcome(log=log, items=frozenset({material.item_id}))


def _parse_version_id(payload: Payload) -> int:
    return fields.identifier(payload, "version_id")


@action(
    "material.open",
    Permission.VIEW,
    parse=_parse_version_id,
    changes={Aspect.READS},
    fields=fields.declare(version_id=fields.Kind.ID),
    serial=Serial.ACTOR,
)
async def opened(conn: Conn, ctx: Context, version_id: int) -> Outcome:
    """Done when a person opens a material: recorded once per person and version."""
    found = await materials.get_version(conn, version_id)
    if found is None or found[0].meeting_id != ctx.meeting_id:
        raise NotFound("version {version_id} does not exist in this meeting", version_id=version_id)
    material, version = found
    if not await materials.record_open(conn, version.id, ctx.actor.id, ctx.at):
        return Outcome(record=False)
    log = {
        "material_id": material.id,
        "version_id": version.id,
        "version": version.version,
        "person_id": ctx.actor.id,
    }
    return Outcome(log=log)
