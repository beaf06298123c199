"""An opinion's pointer at a page of a material (「資料1 p.12 について」)."""

from __future__ import annotations

from board.store.db import Conn


async def attach(conn: Conn, opinion_id: int, material_id: int, page: int) -> None:
    await conn.run(
        "UPDATE opinions SET material_id = ?, page = ? WHERE id = ?",
        (material_id, page, opinion_id),
    )
