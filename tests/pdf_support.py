"""Real PDFs for the viewer tests, written by hand (no library): numbered pages of text,
and optionally one large image far from the first page, so a test can tell whether the
viewer fetched only what the first page needs."""

from __future__ import annotations


def pdf(pages: int = 40, *, padding: int = 0) -> bytes:
    """``pages`` A4 pages, each saying "Page N" (and 資料 page N in its text), and, when
    ``padding`` is given, an uncompressed grey image of about that many bytes drawn on the
    last page."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    tree = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    image = 0
    if padding:
        side = max(1, int(padding**0.5))
        data = bytes(range(256)) * (side * side // 256 + 1)
        data = data[: side * side]
        image = add(
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 /Length %d >>\nstream\n"
            % (side, side, len(data))
            + data
            + b"\nendstream"
        )
    kids = []
    for number in range(1, pages + 1):
        text = b"BT /F1 48 Tf 72 700 Td (Page %d) Tj ET" % number
        text += b" BT /F1 18 Tf 72 640 Td (Material text on page %d) Tj ET" % number
        if image and number == pages:
            text += b" q 400 0 0 400 100 100 cm /Im1 Do Q"
        content = add(b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream")
        xobject = b" /XObject << /Im1 %d 0 R >>" % image if image and number == pages else b""
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                b"/Resources << /Font << /F1 %d 0 R >>%s >> >>" % (tree, content, font, xobject)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % tree
    objects[tree - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % kid for kid in kids),
        len(kids),
    )
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for index, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % index + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        xref,
    )
    return bytes(out)
