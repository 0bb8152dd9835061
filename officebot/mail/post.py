"""The day's post in one PDF: an address list, then every letter to post, in order.

The letters are converted by LibreOffice (pdf.py) from copies in a private folder, so no PDF
appears among the drafted letters, and put together with pypdf. Only letters to a customer
with a postal address come here (the letter's recipient block then holds more than a name);
the list is on A4 and writes phones as people write them.
"""

import datetime as dt
import tempfile
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

from .. import files
from ..messages import msg
from ..pdf import convert_to_pdf
from .addresses import header_text, phone_as_written
from .status import KIND_NAMES


def write_address_list(path: Path, items, language: str, day: dt.date) -> None:
    """The first pages (a Word file for LibreOffice): one row per letter with the
    customer's details."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Cm, Mm, Pt
    doc = Document()
    for section in doc.sections:  # python-docx starts from US Letter; offices print A4
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Cm(1.8)
    style = doc.styles["Normal"]
    style.font.size = Pt(10)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Noto Sans CJK SC")
    doc.add_heading(msg(language, "mail.post_title", day=f"{day:%Y-%m-%d}"), level=1)
    cols = msg(language, "mail.post_cols").split("|")
    table = doc.add_table(rows=1, cols=len(cols))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, cols):
        cell.text = text
    for n, item in enumerate(items, 1):
        case = item.case
        values = [str(n), header_text(case.case_id), header_text(case.customer),
                  phone_as_written(case.phone), header_text(getattr(case, "address", "")),
                  KIND_NAMES[language].get(item.kind, item.kind)]
        for cell, text in zip(table.add_row().cells, values):
            cell.text = text
    table.autofit = False
    widths = [Cm(w) for w in (1.1, 3.0, 2.4, 3.0, 5.6, 2.3)]
    for column, width in zip(table.columns, widths):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width
    doc.save(str(path))


def print_post(items, folder: Path, language: str, timeout: float = 600,
               fonts: Sequence[dict] = ()) -> Tuple[Optional[Path], Optional[str]]:
    """Write outbox/YYYY-MM-DD/待邮寄.pdf for ``items``; (its path or None, a problem)."""
    try:
        from pypdf import PdfReader, PdfWriter
    except ImportError:
        return None, msg(language, "mail.post_no_pypdf")
    day = dt.date.today()
    target = Path(folder) / "outbox" / f"{day:%Y-%m-%d}" / msg(language, "mail.post_file")
    with tempfile.TemporaryDirectory(prefix="officebot-post-") as tmp:
        tmp = Path(tmp)
        sources: List[Path] = []
        listing = tmp / "000-list.docx"
        write_address_list(listing, items, language, day)
        sources.append(listing)
        for n, item in enumerate(items, 1):
            copy = tmp / f"{n:03d}-letter{Path(item.docx).suffix}"
            try:  # never through a link planted at the letter's name
                copy.write_bytes(files.read_plain(Path(folder) / item.docx))
            except OSError as exc:
                return None, msg(language, "mail.post_unread", name=item.docx,
                                 why=exc.strerror or str(exc))
            sources.append(copy)
        made, problem = convert_to_pdf(sources, timeout=timeout, fonts=fonts,
                                       language=language)
        if problem and len(made) < len(sources):
            return None, problem
        writer = PdfWriter()
        for source in sources:
            for page in PdfReader(str(source.with_suffix(".pdf"))).pages:
                writer.add_page(page)
        files.ensure_subfolder(folder, "outbox", f"{day:%Y-%m-%d}")
        files.atomic_write(target, writer.write, sentence=False)  # never through a link
    return target, None
