"""The minutes as a PDF file, drawn from the one layout that the text export and the document
page are made of: A4, the document's order and emphasis, page numbers, and the Japanese font
embedded (a subset of the vendored Noto Sans JP, so any viewer shows the same glyphs and the
text can be selected and searched). Title and language are set in the file's metadata.

fpdf2 is pure Python: a ``pip install`` is all a server needs. Every line of the text export
is one paragraph here (wrapped at the margin, never joined with another), so the text a
reader copies out of the PDF is the text export, line for line.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import Align, WrapMode, XPos, YPos

from board.minutes.layout import Layout, StatementView
from board.minutes.text import FULL_SPACE

FONTS = Path(__file__).resolve().parent / "fonts"
REGULAR = FONTS / "NotoSansJP-Regular.ttf"
BOLD = FONTS / "NotoSansJP-Bold.ttf"
FAMILY = "NotoSansJP"
BODY_PT = 10.5
LINE_MM = 6.2  # 10.5pt at about 1.7 line height, as the print stylesheet sets it
GAP_MM = 2.5  # a blank line of the text export
PAGE_LABEL = "- {page} / {pages} -"


def check_fonts() -> None:
    """At start: the fonts the PDF embeds are where the package put them."""
    missing = [str(path) for path in (REGULAR, BOLD) if not path.is_file()]
    if missing:
        raise RuntimeError(f"the minutes' PDF fonts are missing: {', '.join(missing)}")


class _Document(FPDF):
    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FAMILY, "", 9)
        # {nb}: fpdf2 puts the page count there when the file is written.
        self.cell(0, 5, PAGE_LABEL.format(page=self.page_no(), pages="{nb}"), align=Align.C)


def _line(
    pdf: FPDF,
    text: str,
    *,
    size: float = BODY_PT,
    bold: bool = False,
    indent: float = 0,
    align: Align = Align.L,
) -> None:
    pdf.set_font(FAMILY, "B" if bold else "", size)
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(
        0,
        size * 0.59,
        text,
        align=align,
        wrapmode=WrapMode.CHAR,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )


def _labelled(pdf: FPDF, label: str, rest: str, *, indent: float = 0) -> None:
    """A bold label, then the text on the same line (one line of the text export)."""
    pdf.set_x(pdf.l_margin + indent)
    pdf.set_font(FAMILY, "B", BODY_PT)
    pdf.write(LINE_MM, label, wrapmode=WrapMode.CHAR)
    pdf.set_font(FAMILY, "", BODY_PT)
    if rest:
        pdf.write(LINE_MM, rest, wrapmode=WrapMode.CHAR)
    pdf.ln(LINE_MM)


def _gap(pdf: FPDF) -> None:
    pdf.ln(GAP_MM)


def _statement(pdf: FPDF, statement: StatementView, indent: float) -> None:
    marker = f"【非公開：{statement.non_public_reason}】" if statement.non_public_reason else ""
    first, *rest = statement.paragraphs or [""]
    _labelled(pdf, statement.label + marker, FULL_SPACE + first if first else "", indent=indent)
    for line in rest:
        _line(pdf, FULL_SPACE + line, indent=indent)


def render(layout: Layout, *, created: datetime | None = None) -> bytes:
    pdf = _Document(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(18, 20, 18)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_font(FAMILY, "", str(REGULAR))
    pdf.add_font(FAMILY, "B", str(BOLD))
    pdf.set_title(layout.title)
    pdf.set_lang("ja")
    pdf.set_creator("会議ボード meeting board")
    if created is not None:
        pdf.set_creation_date(created)  # the revision's own moment: the same bytes each time
    pdf.add_page()
    _line(pdf, layout.title, size=14, bold=True, align=Align.C)
    _gap(pdf)
    for header in layout.header:
        _labelled(pdf, header.label, FULL_SPACE + header.value)
    _gap(pdf)
    _line(pdf, layout.heading, size=12, bold=True)
    for item in layout.items:
        indent = 0.0 if item.level == 1 else BODY_PT * 0.353
        _gap(pdf)
        _line(pdf, f"{item.number} {item.title}", size=11.5, bold=True, indent=indent)
        for statement in item.statements:
            _gap(pdf)
            _statement(pdf, statement, indent)
        for label, entries in (
            (layout.decisions_label, item.decisions),
            (layout.action_items_label, item.action_items),
        ):
            if entries:
                _gap(pdf)
                _line(pdf, f"【{label}】", bold=True, indent=indent)
                for entry in entries:
                    _line(pdf, f"・{entry.text}", indent=indent)
    _gap(pdf)
    _line(pdf, layout.closing, align=Align.R)
    _gap(pdf)
    pdf.set_draw_color(118, 118, 118)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(1.5)
    for line in layout.footer:
        _line(pdf, line, size=9)
    return bytes(pdf.output())
