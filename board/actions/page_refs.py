"""An opinion that points at a page of a material: the optional ``material_id`` and ``page``
of ``opinion.write``, read and checked here."""

from __future__ import annotations

from dataclasses import dataclass

from board.actions import fields
from board.actions.errors import Invalid, NotFound
from board.actions.registry import Context, Payload
from board.store import materials, page_refs
from board.store.db import Conn

PAGE_MAX = 10_000
FIELDS = fields.declare(material_id=fields.Kind.ID, page=fields.Kind.INTEGER)


@dataclass(frozen=True, slots=True)
class PageRef:
    material_id: int
    page: int


def parse(payload: Payload) -> PageRef | None:
    material_id = fields.optional_id(payload, "material_id")
    page = fields.integer(payload, "page", minimum=1, maximum=PAGE_MAX, required=False)
    if material_id is None:
        if page is not None:
            raise Invalid("page needs material_id: the material the page belongs to")
        return None
    return PageRef(material_id, page or 1)


async def attach(conn: Conn, ctx: Context, opinion_id: int, ref: PageRef) -> None:
    material = await materials.get_material(conn, ref.material_id)
    if material is None or material.meeting_id != ctx.meeting_id:
        raise NotFound(
            "material {material_id} does not exist in this meeting", material_id=ref.material_id
        )
    await page_refs.attach(conn, opinion_id, material.id, ref.page)
