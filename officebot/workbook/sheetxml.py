"""Worksheet XML for the sheets officebot owns, written as text (no openpyxl).

Every string is an inline string (``t="inlineStr"``), so text a customer typed is never a
formula, whatever it starts with. Control characters are written as Excel's ``_xHHHH_``
escapes, and text that looks like such an escape is escaped itself, so both read back exactly
as typed; lone surrogates, which no workbook can hold, are shown as U+FFFD.
"""

import datetime as dt
import math
import re
from typing import Iterable, List, NamedTuple, Optional, Sequence, Tuple

from html import escape  # (the SAX utilities would import urllib.request: 5 MB more)

from ..values import to_serial
from ..xlsx import column_letters

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAX_TEXT = 32767  # Excel's limit for one cell
REPLACEMENT = "\ufffd"
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_X_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_CUT_MARK = "…"


_LETTERS = [""] + [column_letters(i) for i in range(1, 256)]


class Formula(NamedTuple):
    """A formula (without '=') and the value officebot computed for it (None or '' = blank)."""

    text: str
    cached: object = None


class Cell(NamedTuple):
    """A value with a cellXfs style index (0 = the workbook's default style)."""

    value: object
    style: int = 0


def _escape_char(m: "re.Match") -> str:
    # Excel's own escape for a control character (it reads back as typed); a lone surrogate
    # or a non-character has no escape a reader keeps, so it shows as the replacement mark.
    ch = m.group(0)
    return f"_x{ord(ch):04X}_" if ch < " " else REPLACEMENT


def clean_text(value: object) -> str:
    """Text safe for a cell: at most 32,767 characters; control characters as Excel's
    ``_xHHHH_`` escapes, literal ``_xHHHH_`` text escaped, what XML cannot hold as �."""
    text = value if isinstance(value, str) else str(value)
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT - len(_CUT_MARK)] + _CUT_MARK
    if "_x" in text:  # Excel would decode _x0041_ as "A": write the underscore as _x005F_
        text = _X_ESCAPE.sub(r"_x005F_\1", text)
    return _ILLEGAL.sub(_escape_char, text)


def escape_xml(text: str) -> str:
    """Text escaped for XML element content (the standard library's escaping; a bare CR
    is written as a reference, which reads back as CR rather than LF)."""
    text = escape(text, quote=False)
    return text.replace("\r", "&#13;") if "\r" in text else text


_PLAIN = re.compile("[&<>\r_\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def text_xml(value: object) -> str:
    """The escaped body of a <t> element for ``value``."""
    if isinstance(value, str) and len(value) <= MAX_TEXT and not _PLAIN.search(value):
        return value  # the common case: nothing to replace or escape
    return escape_xml(clean_text(value))


def number_text(value: float) -> str:
    """A number as written in <v>: shortest exact form, no exponent surprises."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        raise ValueError(f"{value!r} cannot be stored in a cell")
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def quote_sheet(name: str) -> str:
    """A sheet name as used in a formula reference: 'By month'."""
    return "'" + name.replace("'", "''") + "'"


class SheetBuilder:
    """Collects rows and layout, then renders one complete worksheet XML document."""

    def __init__(self, date1904: bool = False, date_style: int = 0):
        self.date1904 = date1904
        self.date_style = date_style
        self._rows: List[bytes] = []   # each row's XML, as UTF-8 (half a str's size in memory)
        self.row_count = 0
        self.max_col = 0
        self.widths: List[Tuple[int, float]] = []
        self.freeze_rows = 0
        self.filter_ref: Optional[str] = None
        self.landscape = False
        self.paper_size = 9
        self.fit_to_height = 0   # pages tall the print is fitted to (0: as many as needed)
        self.print_title_rows: Optional[Tuple[int, int]] = None
        self.drawing_rid: Optional[str] = None
        self.merges: List[str] = []

    # --- content ------------------------------------------------------------------------
    def add_row(self, cells: Sequence[object], height: Optional[float] = None) -> int:
        """Append a row; items are Cell, Formula or plain values (None = empty cell)."""
        self.row_count += 1
        r = self.row_count
        out = []
        letters = _LETTERS
        for i, item in enumerate(cells, start=1):
            xml = self._cell_xml(f"{letters[i] if i < 256 else column_letters(i)}{r}", item)
            if xml:
                out.append(xml)
                self.max_col = max(self.max_col, i)
        ht = f' ht="{height}" customHeight="1"' if height else ""
        self._rows.append((f'<row r="{r}"{ht}>{"".join(out)}</row>' if out or ht
                           else f'<row r="{r}"/>').encode("utf-8"))
        return r

    def skip_row(self) -> int:
        """Leave one empty row."""
        self.row_count += 1
        return self.row_count

    def _cell_xml(self, ref: str, item: object) -> str:
        style = 0
        if isinstance(item, Cell):
            item, style = item.value, item.style
        s = f' s="{style}"' if style else ""
        if item is None or item == "":
            return f'<c r="{ref}"{s}/>' if style else ""
        if isinstance(item, Formula):
            f = f"<f>{escape_xml(item.text)}</f>"
            cached = item.cached
            if cached is None or cached == "":
                return f'<c r="{ref}"{s} t="str">{f}<v></v></c>'
            if isinstance(cached, str):
                return f'<c r="{ref}"{s} t="str">{f}<v>{text_xml(cached)}</v></c>'
            if isinstance(cached, bool):
                return f'<c r="{ref}"{s} t="b">{f}<v>{number_text(cached)}</v></c>'
            return f'<c r="{ref}"{s}>{f}<v>{number_text(cached)}</v></c>'
        if isinstance(item, bool):
            return f'<c r="{ref}"{s} t="b"><v>{number_text(item)}</v></c>'
        if isinstance(item, (dt.datetime, dt.date)):
            if not style:
                s = f' s="{self.date_style}"' if self.date_style else ""
            return f'<c r="{ref}"{s}><v>{number_text(to_serial(item, self.date1904))}</v></c>'
        if isinstance(item, (int, float)):
            if isinstance(item, float) and not math.isfinite(item):
                return f'<c r="{ref}"{s}/>' if s else ""
            return f'<c r="{ref}"{s}><v>{number_text(item)}</v></c>'
        return (f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">'
                f"{text_xml(item)}</t></is></c>")

    # --- layout -------------------------------------------------------------------------
    def set_widths(self, widths: Iterable[float]) -> None:
        """Column widths in characters, from column A on."""
        self.widths = list(enumerate(widths, start=1))

    def merge(self, ref: str) -> None:
        self.merges.append(ref)

    def render(self) -> bytes:
        """The complete worksheet XML."""
        last_col = column_letters(max(self.max_col, 1))
        dim = f"A1:{last_col}{max(self.row_count, 1)}"
        head = [
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
            f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_R}">',
            '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>',
            f'<dimension ref="{dim}"/>',
            self._views(),
            '<sheetFormatPr defaultRowHeight="15"/>',
        ]
        if self.widths:
            head.append("<cols>" + "".join(
                f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>'
                for i, w in self.widths) + "</cols>")
        tail = ["</sheetData>"]
        if self.filter_ref:
            tail.append(f'<autoFilter ref="{self.filter_ref}"/>')
        if self.merges:
            tail.append(f'<mergeCells count="{len(self.merges)}">' + "".join(
                f'<mergeCell ref="{m}"/>' for m in self.merges) + "</mergeCells>")
        tail.append('<printOptions gridLines="0"/>')
        tail.append('<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" '
                    'header="0.3" footer="0.3"/>')
        orient = "landscape" if self.landscape else "portrait"
        tail.append(f'<pageSetup paperSize="{self.paper_size}" orientation="{orient}" '
                    f'fitToWidth="1" fitToHeight="{self.fit_to_height}"/>')
        tail.append('<headerFooter><oddFooter>&amp;L&amp;A&amp;R&amp;P / &amp;N</oddFooter>'
                    '</headerFooter>')
        if self.drawing_rid:
            tail.append(f'<drawing r:id="{self.drawing_rid}"/>')
        tail.append("</worksheet>")
        # the rows joined once, as the bytes they are: no copy of the sheet as text
        return b"".join(["".join(head).encode("utf-8"), b"<sheetData>", *self._rows,
                         "".join(tail).encode("utf-8")])

    def _views(self) -> str:
        if not self.freeze_rows:
            return '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
        top = f"A{self.freeze_rows + 1}"
        return ('<sheetViews><sheetView workbookViewId="0">'
                f'<pane ySplit="{self.freeze_rows}" topLeftCell="{top}" activePane="bottomLeft" '
                'state="frozen"/>'
                f'<selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/>'
                "</sheetView></sheetViews>")

    def defined_names(self, sheet_name: str) -> List[Tuple[str, str]]:
        """The sheet-local names Excel expects for the filter and the print titles."""
        names = []
        q = quote_sheet(sheet_name)
        if self.filter_ref:
            a, b = self.filter_ref.split(":")
            names.append(("_xlnm._FilterDatabase", f"{q}!{_absolute(a)}:{_absolute(b)}"))
        if self.print_title_rows:
            first, last = self.print_title_rows
            names.append(("_xlnm.Print_Titles", f"{q}!${first}:${last}"))
        return names


def _absolute(ref: str) -> str:
    m = re.match(r"([A-Z]+)(\d+)", ref)
    return f"${m.group(1)}${m.group(2)}"
