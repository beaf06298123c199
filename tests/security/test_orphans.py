"""A refused attach leaves no file behind that nothing refers to; bytes a material still
uses stay when the same bytes are uploaded again and refused."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.prep_support import PDF, TEXT, upload
from tests.support import Seeded, Server, api


@pytest.fixture
def secretariat(server: Server, seeded: Seeded) -> httpx.Client:
    return api(server, seeded.secretariat)


def stored(seeded: Seeded) -> set[str]:
    """The files in the store (not its temporary folder)."""
    root = seeded.db_path.parent / "files"
    if not root.exists():
        return set()
    return {path.name for path in root.glob("??/*") if path.is_file()}


def test_an_attach_to_an_unknown_item_leaves_no_file(
    seeded: Seeded, secretariat: httpx.Client
) -> None:
    refused = upload(secretariat, "資料.pdf", PDF, "application/pdf", item_id=999)
    assert refused.status_code == 404, refused.text
    refused = upload(secretariat, "要点.txt", TEXT, "text/plain", material_id=999)
    assert refused.status_code == 404, refused.text
    assert stored(seeded) == set()
    assert secretariat.get("/api/meetings/1/materials").json()["materials"] == []
    # The same bytes attached properly afterwards are stored and served.
    attached = upload(secretariat, "資料.pdf", PDF, "application/pdf", item_id=2)
    assert attached.status_code == 200, attached.text
    version = attached.json()["version_id"]
    assert secretariat.get(f"/meetings/1/files/{version}").content == PDF
    assert len(stored(seeded)) == 1


def test_a_refused_upload_of_bytes_in_use_keeps_them(
    seeded: Seeded, secretariat: httpx.Client
) -> None:
    attached = upload(secretariat, "資料.pdf", PDF, "application/pdf", item_id=2)
    assert attached.status_code == 200, attached.text
    before = stored(seeded)
    refused = upload(secretariat, "資料.pdf", PDF, "application/pdf", item_id=999)
    assert refused.status_code == 404
    assert stored(seeded) == before
    version = attached.json()["version_id"]
    assert secretariat.get(f"/meetings/1/files/{version}").content == PDF
    assert not list(Path(seeded.db_path.parent / "files" / "tmp").glob("*"))
