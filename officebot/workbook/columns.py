"""Status columns in the register sheet, written by streaming the sheet's XML once.

Rows are handled as text: a row officebot has nothing to say about is copied byte for byte;
in a judged row the office's cells are kept exactly as they are and officebot's status cells
are put in their column places. officebot's columns are recognised by their exact header text
wherever a manager moved them; their previous values are read (never as input to the rules,
only to report what became overdue or escalated since the last run).
"""

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from typing import BinaryIO, Callable, Dict, List, Optional, Set, Tuple

from ..errors import RegisterError, damaged
from ..fields import STATUS_COLUMNS
from ..rules import STATUS_WORDS, WORD_TO_STATUS, is_overdue  # the one word table
from ..xlsx import SharedStrings, column_index, column_letters
from .package import Package
from .sheetxml import escape_xml, text_xml

KEY_OF_HEADER = {h: key for key, zh, en in STATUS_COLUMNS for h in (zh, en)}
DATE_KEYS = ("reply_due", "close_due")
CF_MARK = 'N("officebot")=0'  # officebot's own conditional-format rules carry this term
LETTER_SEPARATOR = "; "

_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_DIMENSION = re.compile(rb'(<(?:\w+:)?dimension\b[^>]*?\bref=")([^"]*)(")')
_T_TEXT = re.compile(rb"<(?:\w+:)?t(?:\s[^>]*)?>(.*?)</(?:\w+:)?t>|<(?:\w+:)?t\s*/>", re.S)
_V_TEXT = re.compile(rb"<(?:\w+:)?v(?:\s[^>]*)?>(.*?)</(?:\w+:)?v>", re.S)
_ATTR_T = re.compile(rb'\bt="(\w+)"')
_PRIORITY = re.compile(rb'\bpriority="(\d+)"')
_AFTER_CF = ("dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup",
             "headerFooter", "rowBreaks", "colBreaks", "customProperties", "cellWatches",
             "ignoredErrors", "smartTags", "drawing", "legacyDrawing", "legacyDrawingHF",
             "drawingHF", "picture", "oleObjects", "controls", "webPublishItems", "tableParts",
             "extLst")
CHUNK = 1 << 20
# Widths (in characters) given to status columns when officebot adds them.
STATUS_WIDTHS = {"reply_due": 17, "close_due": 17, "reply_status": 11, "close_status": 11,
                 "repeat_of": 16, "escalation": 9, "escalate_to": 12, "letters": 30,
                 "note": 18}
SAMPLE_LIMIT = 200


def excel_serial(when: dt.datetime, date1904: bool) -> float:
    """An Excel serial number for a naive local datetime."""
    epoch = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)
    return round((when - epoch).total_seconds() / 86400, 10)


def column_settings(settings) -> Dict[str, object]:
    """The [status_columns] table as checked when the settings were loaded."""
    return settings.table("status_columns")


DEFAULTS = {"date_format": "yyyy-mm-dd hh:mm", "overdue_fill": "FFC7CE",
            "due_soon_fill": "FFEB9C", "repeat_fill": "E4DFEC",
            "note_days_after_hours": 48}


def note_text(j, as_of: dt.datetime, language: str, days_after_hours: float) -> str:
    """A short note on the clock that matters now, e.g. "答复还有5小时到期", "close overdue 2 d"."""
    zh = language == "zh"
    if j.closed_at is not None:
        return "已结案" if zh else "closed"
    if j.replied_at is None:
        clock, due = ("答复" if zh else "reply"), j.reply_due
    else:
        clock, due = ("结案" if zh else "close"), j.close_due
    hours = (due - as_of).total_seconds() / 3600
    size = abs(hours)
    if size >= days_after_hours:
        amount = f"{int(size // 24)}" + ("天" if zh else " d")
    elif size >= 1:
        amount = f"{int(size)}" + ("小时" if zh else " h")
    else:
        amount = "不到1小时" if zh else "< 1 h"
    if hours >= 0:
        return f"{clock}还有{amount}到期" if zh else f"{clock} due in {amount}"
    return f"{clock}已逾期{amount}" if zh else f"{clock} overdue {amount}"


@dataclass
class ColumnPlan:
    """Where officebot's status columns are: field key -> column number."""

    columns: Dict[str, int]
    added: List[str]            # keys whose columns are new in this run
    found: bool                 # True when earlier status columns were found


@dataclass
class StatusChanges:
    """What the rewrite changed, collected while streaming."""

    newly_overdue: List[str] = field(default_factory=list)
    newly_escalated: List[str] = field(default_factory=list)
    cells_changed: int = 0
    rows_changed: int = 0
    samples: List[str] = field(default_factory=list)


def read_head(pkg: Package, part: str, limit: int = 1 << 22) -> bytes:
    """The sheet XML up to its <sheetData> (small; read without the rows)."""
    with pkg.zf.open(part) as fh:
        head = b""
        while len(head) < limit:
            chunk = fh.read(65536)
            if not chunk:
                break
            head += chunk
            if b"sheetData" in head:
                break
    return head


def plan_columns(result, head: bytes) -> ColumnPlan:
    """Find officebot's columns by header text; new ones go right of the office's last column."""
    columns: Dict[str, int] = {}
    for col, text in sorted(result.headers.items()):
        key = KEY_OF_HEADER.get(str(text).strip()) if text is not None else None
        if key and key not in columns:
            columns[key] = col
    mine = set(columns.values())
    last = max([c for c in result.headers if c not in mine] + [0])
    m = _DIMENSION.search(head)
    if m:
        letters = m.group(2).split(b":")[-1].rstrip(b"0123456789").decode("ascii", "replace")
        if letters.isalpha() and letters.isupper() and column_index(letters) not in mine:
            last = max(last, column_index(letters))
    found = bool(columns)
    added = []
    nxt = max([last] + list(mine)) + 1
    for key, _, _ in STATUS_COLUMNS:
        if key not in columns:
            columns[key] = nxt
            added.append(key)
            nxt += 1
    return ColumnPlan(columns, added, found)


class StatusWriter:
    """Stream-rewrites the register sheet: fn(source, destination) for Package.stream()."""

    def __init__(self, pkg: Package, result, settings, letters_by_row=None,
                 progress: Optional[Callable] = None, capture: Optional[Set[int]] = None):
        """``capture``: rows whose XML (as it was) to keep in ``captured`` as they pass,
        so the summary lists need not read the sheet again."""
        self.pkg = pkg
        self.result = result
        self.language = result.language if result.language in STATUS_WORDS else "zh"
        self.words = STATUS_WORDS[self.language]
        self.table = column_settings(settings)
        self.letters_by_row: Dict[int, List[str]] = letters_by_row or {}
        self.progress = progress
        head = read_head(pkg, result.sheet_part)
        self.plan = plan_columns(result, head)
        styles = pkg.styles()
        self.date_style = styles.xf(num_format=self.table["date_format"])
        self.header_style = styles.xf(bold=True, wrap=True, valign="center")
        self.dxf_overdue = styles.dxf(fill=self.table["overdue_fill"], font_color="9C0006")
        self.dxf_due_soon = styles.dxf(fill=self.table["due_soon_fill"], font_color="9C5700")
        self.dxf_repeat = styles.dxf(fill=self.table["repeat_fill"], bold=True)
        self.by_row = {j.row: j for j in result.judgements}
        self.status_cols: Dict[int, str] = {c: k for k, c in self.plan.columns.items()}
        self.min_status = min(self.status_cols)
        self._letters = {c: column_letters(c).encode() for c in self.status_cols}
        self._ordered = sorted(self.status_cols.items())
        self._label = {k: (zh if self.language == "zh" else en) for k, zh, en in STATUS_COLUMNS}
        self._col_of: Dict[bytes, int] = {}
        self.changes = StatusChanges()
        self._strings: Optional[SharedStrings] = None
        self.last_row = result.header_row
        self.capture = capture or set()
        self.captured: List[Tuple[int, bytes]] = []

    # --- values -------------------------------------------------------------------------
    def _new_values(self, row: int, previous: Dict[str, object]) -> Dict[str, object]:
        j = self.by_row.get(row)
        if j is None:
            return {}
        d1904 = self.result.date1904
        letters = [s for s in str(previous.get("letters") or "").split(LETTER_SEPARATOR.strip())
                   if s.strip()]
        letters = [s.strip() for s in letters]
        for name in self.letters_by_row.get(row, []):
            if name not in letters:
                letters.append(name)
        values = {
            "reply_due": excel_serial(j.reply_due, d1904),
            "close_due": excel_serial(j.close_due, d1904),
            "reply_status": self.words.get(j.reply_status, j.reply_status),
            "close_status": self.words.get(j.close_status, j.close_status),
            "repeat_of": j.repeat_of or None,
            "escalation": j.escalation,
            "escalate_to": j.escalate_to or None,
            "letters": LETTER_SEPARATOR.join(letters) or None,
            "note": note_text(j, self.result.as_of, self.language,
                              self.table["note_days_after_hours"]),
        }
        return values

    def _cell(self, row: int, key: str, value) -> bytes:
        """One status cell, from its column's templates (the usual row: _status_cells)."""
        number, text = self._templates[key]
        if type(value) is str:
            return text % (b"%d" % row, self._text_cells.get(value) or self._text_body(value))
        return number % (b"%d" % row, repr(value).encode())

    def _header_cell(self, prefix: bytes, col: int, row: int, key: str) -> bytes:
        zh, en = next((z, e) for k, z, e in STATUS_COLUMNS if k == key)
        text = (zh if self.language == "zh" else en)
        existing = self.result.headers.get(col)
        if existing is not None and KEY_OF_HEADER.get(str(existing).strip()) == key:
            text = str(existing).strip()  # keep the language of a column found in place
        ref = f"{column_letters(col)}{row}".encode()
        return b'<%sc r="%s" s="%d" t="inlineStr"><%sis><%st>%s</%st></%sis></%sc>' % (
            prefix, ref, self.header_style, prefix, prefix, text_xml(text).encode("utf-8"),
            prefix, prefix, prefix)

    def _decode(self, attrs: bytes, body: bytes):
        t = _ATTR_T.search(attrs)
        kind = t.group(1) if t else b"n"
        if kind == b"inlineStr":
            return html.unescape(b"".join(m.group(1) or b"" for m in _T_TEXT.finditer(body))
                                 .decode("utf-8"))
        v = _V_TEXT.search(body or b"")
        if not v:
            return None
        text = v.group(1).decode("utf-8")
        if kind == b"s":
            if self._strings is None:
                self._strings = self._shared_strings()
            try:
                return self._strings[int(text)]
            except (IndexError, ValueError):
                return None
        if kind in (b"n",):
            try:
                return float(text) if any(ch in text for ch in ".eE") else int(text)
            except ValueError:
                return text
        return html.unescape(text)

    def _shared_strings(self) -> SharedStrings:
        part = next((t for _, k, t, _ in self.pkg.rels(self.pkg.workbook_part)
                     if k.endswith("/sharedStrings")), None)
        return SharedStrings(self.pkg.zf, part, self.pkg.label)

    # --- the stream ---------------------------------------------------------------------
    def __call__(self, src: BinaryIO, dst: BinaryIO) -> None:
        buf = b""
        while True:
            m = re.search(rb"<(\w+:)?sheetData\b[^>]*?(/?)>", buf)
            if m:
                break
            chunk = src.read(CHUNK)
            if not chunk:
                raise RegisterError(f"{self.pkg.label}: the register sheet has no cell data; "
                                    "re-save it in Excel and run again")
            buf += chunk
        prefix = m.group(1) or b""
        self.prefix = prefix
        self._cell_re = re.compile(rb"<%sc\b([^>]*?)(?:/>|>(.*?)</%sc>)" % (prefix, prefix),
                                   re.S)
        self._col_of: Dict[bytes, int] = {}
        self._text_cells: Dict[str, bytes] = {}  # escaped text cell bodies, from <is> to </c>
        self._opener = b'<%sc r="' % prefix
        self._first_status = re.compile(b'<%sc r="(?:%s)[0-9]' % (
            re.escape(prefix), b"|".join(self._letters[c] for c in self.status_cols)))
        self._letters_ref = b'<%sc r="%s' % (prefix, self._letters[self.plan.columns["letters"]])
        # Each status cell is a template (number or text) filled with the row number and value.
        self._templates: Dict[str, Tuple[bytes, bytes]] = {}
        for col, key in self._ordered:
            ref = b"<%sc r=\"%s%%b\"" % (prefix, self._letters[col])
            style = b' s="%d"' % self.date_style if key in DATE_KEYS else b""
            self._templates[key] = (ref + style + b"><%sv>%%b</%sv></%sc>" % (
                prefix, prefix, prefix), ref + b' t="inlineStr">%b')
        self._cell_heads = [(col, key) + self._templates[key] for col, key in self._ordered]
        dst.write(self._head(buf[:m.start()]))
        if m.group(2) == b"/":  # <sheetData/>: no rows at all
            dst.write(b"<%ssheetData>" % prefix)
            buf = buf[m.end():]
            dst.write(b"</%ssheetData>" % prefix)
        else:
            dst.write(buf[m.start():m.end()])
            buf = self._rows(src, dst, buf[m.end():], prefix)
        rest = buf + src.read()
        dst.write(self._tail(rest, prefix))
        if self._strings is not None:
            self._strings.close()

    def _head(self, head: bytes) -> bytes:
        return self._widths(self._dimension(head))

    def _widths(self, head: bytes) -> bytes:
        """Give each newly added status column a width (a due date in a default-width
        column shows as ####); columns the office has widths for are left alone."""
        prefix = self.prefix
        cols_re = re.compile(rb"<%scols>(.*?)</%scols>" % (re.escape(prefix), re.escape(prefix)),
                             re.S)
        m = cols_re.search(head)
        ranges = [(int(a), int(b)) for a, b in re.findall(
            rb'<(?:\w+:)?col\b[^>]*?\bmin="(\d+)"[^>]*?\bmax="(\d+)"', m.group(1))] if m else []
        new = [(self.plan.columns[k], STATUS_WIDTHS[k]) for k in self.plan.added
               if not any(a <= self.plan.columns[k] <= b for a, b in ranges)]
        if not new:
            return head
        cols = [(int(x.group(1)), x.group(0)) for x in re.finditer(
            rb'<(?:\w+:)?col\b[^>]*?\bmin="(\d+)"[^>]*?/>', m.group(1))] if m else []
        if m and len(cols) != len(ranges):
            return head  # <col> elements of an unusual form: keep the office's as they are
        cols += [(col, b'<%scol min="%d" max="%d" width="%s" customWidth="1"/>' % (
            prefix, col, col, str(width).encode())) for col, width in new]
        body = b"".join(el for _, el in sorted(cols, key=lambda item: item[0]))
        if m:
            return head[:m.start(1)] + body + head[m.end(1):]
        return head + b"<%scols>%s</%scols>" % (prefix, body, prefix)  # <cols> precede the rows

    def _dimension(self, head: bytes) -> bytes:
        m = _DIMENSION.search(head)
        if not m:
            return head
        ref = m.group(2).decode("ascii", "replace")
        parts = ref.split(":")
        first, last = parts[0], parts[-1]
        lm = re.fullmatch(r"([A-Z]+)(\d+)", last)
        fm = re.fullmatch(r"([A-Z]+)(\d+)", first)
        if not lm or not fm:
            return head
        max_col = max(column_index(lm.group(1)), max(self.plan.columns.values()))
        max_row = max(int(lm.group(2)), self.result.header_row)
        new = f"{first}:{column_letters(max_col)}{max_row}"
        if new == ref:
            return head
        return head[:m.start(2)] + new.encode() + head[m.end(2):]

    def _rows(self, src: BinaryIO, dst: BinaryIO, buf: bytes, prefix: bytes) -> bytes:
        # Rows are found with bytes.find (a fast search in C) rather than a lazy regex.
        open_tag, close_tag = b"<%srow" % prefix, b"</%srow>" % prefix
        end_re = re.compile(rb"</%ssheetData\s*>" % prefix)
        header_row = self.result.header_row
        by_row = self.by_row
        fast = self._row_fast
        capture = self.capture
        prev_row = 0
        out: List[bytes] = []
        append = out.append
        done = 0
        eof = False
        while True:
            end = end_re.search(buf)
            limit = end.start() if end else len(buf)
            pos = 0
            while True:
                start = buf.find(open_tag, pos, limit)
                if start < 0:
                    break
                gt = buf.find(b">", start, limit)
                if gt < 0:
                    break
                after = buf[start + len(open_tag):start + len(open_tag) + 1]
                if after not in (b" ", b">", b"/", b"\t", b"\n", b"\r"):
                    break  # not a <row> element: leave the rest to the checks below
                if buf[gt - 1:gt] == b"/":
                    stop = gt + 1
                else:
                    close = buf.find(close_tag, gt, limit)
                    if close < 0:
                        break
                    stop = close + len(close_tag)
                if start != pos:
                    append(buf[pos:start])
                pos = stop
                tag = buf[start:gt + 1]
                rm = _ROW_NUMBER.search(tag)
                row_no = int(rm.group(1)) if rm else prev_row + 1
                if row_no > self.last_row:
                    self.last_row = row_no
                prev_row = row_no
                done += 1
                if row_no in capture:
                    self.captured.append((row_no, buf[start:stop]))
                if row_no < header_row:
                    append(buf[start:stop])
                    continue
                if row_no in by_row and stop - gt > 1 and row_no != header_row:
                    # the usual judged row: its start tag, cells, end tag
                    row = fast(tag, buf[gt + 1:stop - len(close_tag)], close_tag, row_no,
                               prefix)
                    if row is not None:
                        append(row)
                        continue
                append(self._row(buf[start:stop], row_no, prefix))
            if end:
                if pos < end.start():
                    rest = buf[pos:end.start()]
                    if open_tag in rest:
                        raise RegisterError(f"{self.pkg.label}: the register sheet has a row "
                                            "officebot cannot read; re-save it in Excel and "
                                            "run again")
                    append(rest)
                dst.write(b"".join(out))
                return buf[end.start():]
            dst.write(b"".join(out))
            out.clear()
            buf = buf[pos:]
            if eof:
                raise damaged(self.pkg.label, "the register sheet is cut short")
            chunk = src.read(CHUNK)
            if not chunk:
                eof = True
            buf += chunk
            if self.progress:
                self.progress("write", done, None)

    def _row(self, row_xml: bytes, row_no: int, prefix: bytes) -> bytes:
        is_header = row_no == self.result.header_row
        judged = row_no in self.by_row
        gt = row_xml.find(b">")
        self_closing = row_xml[gt - 1:gt] == b"/"
        if not judged and not is_header and (self_closing or not self._has_status_cell(
                row_xml, row_no)):
            return row_xml
        if self_closing:
            start_tag = row_xml[:gt - 1].rstrip() + b">"
            inner, end_tag = b"", b"</%srow>" % prefix
        else:
            start_tag = row_xml[:gt + 1]
            close = row_xml.rfind(b"<")
            inner, end_tag = row_xml[gt + 1:close], row_xml[close:]
        if not is_header:
            fast = self._row_fast(start_tag, inner, end_tag, row_no, prefix)
            if fast is not None:
                return fast
        cell_re = self._cell_re
        col_of = self._col_of
        status_cols = self.status_cols
        cells: List[Tuple[int, bytes]] = []
        append = cells.append
        previous: Dict[str, object] = {}
        col = 0
        first = last = None
        for m in cell_re.finditer(inner):
            if first is None:
                first = m.start()
            last = m.end()
            attrs = m.group(1)
            if attrs[:4] == b' r="' and attrs.find(b'"', 4) > 0:  # (damaged XML: no end)
                letters = attrs[4:attrs.index(b'"', 4)].rstrip(b"0123456789")
            else:
                ref = _REF.search(attrs)
                letters = ref.group(1) if ref else None
            if letters is not None:
                col = col_of.get(letters)
                if col is None:
                    col = col_of[letters] = column_index(letters.decode())
            else:
                col += 1
            key = status_cols.get(col)
            if key is not None:
                if not is_header:
                    previous[key] = self._decode(attrs, m.group(2) or b"")
                continue
            if letters is None:  # give implicit positions explicit references once we insert
                ref = b'<%sc r="%s%d"' % (prefix, column_letters(col).encode(), row_no)
                append((col, m.group(0).replace(b"<%sc" % prefix, ref, 1)))
            else:
                append((col, m.group(0)))
        lead = inner[:first] if first is not None else inner
        trail = inner[last:] if last is not None else b""
        if is_header:
            new_cells = [(c, self._header_cell(prefix, c, row_no, k))
                         for c, k in sorted(self.status_cols.items())]
        else:
            values = self._new_values(row_no, previous)
            self._compare(row_no, previous, values)
            new_cells = [(c, self._cell(row_no, k, values[k]))
                         for c, k in sorted(self.status_cols.items())
                         if values.get(k) is not None]
        merged = sorted(cells + new_cells, key=lambda item: item[0])
        if new_cells:
            start_tag = self._spans(start_tag, merged[0][0], merged[-1][0])
        return start_tag + lead + b"".join(c for _, c in merged) + trail + end_tag

    def _column_of(self, letters: bytes) -> int:
        col = self._col_of.get(letters)
        if col is None:
            col = self._col_of[letters] = column_index(letters.decode())
        return col

    def _row_fast(self, start_tag: bytes, inner: bytes, end_tag: bytes, row_no: int,
                  prefix: bytes) -> Optional[bytes]:
        """The usual row: office cells (with references) left of officebot's columns, and
        officebot's cells, if any, after them. None: use the general path."""
        if b"extLst" in inner:
            return None
        found = self._first_status.search(inner) if self.plan.found else None
        cut = found.start() if found else len(inner)
        opener = self._opener
        last = inner.rfind(b"<%sc " % prefix, 0, cut)
        if last >= 0:
            if not inner.startswith(opener, last):
                return None
            q = last + len(opener)
            end = inner.find(b'"', q)
            if end < 0 or self._column_of(inner[q:end].rstrip(b"0123456789")) >= self.min_status:
                return None
        elif inner[:cut].strip():
            return None
        segment = inner[cut:]
        letters = None
        if found:
            at = segment.find(self._letters_ref + b'%d"' % row_no)
            if at >= 0:
                m = self._cell_re.match(segment, at)
                letters = self._decode(m.group(1), m.group(2) or b"") if m else None
        values, joined, hi = self._status_cells(row_no, letters)
        if joined != segment:  # something changed: find out what (for the report)
            if not found:
                self._compare_new(row_no, values)
            else:
                previous: Dict[str, object] = {}
                pos = 0
                for m in self._cell_re.finditer(segment):
                    if m.start() != pos:
                        return None
                    pos = m.end()
                    attrs = m.group(1)
                    if attrs[:4] != b' r="' or attrs.find(b'"', 4) < 0:
                        return None  # the general path handles it
                    key = self.status_cols.get(
                        self._column_of(attrs[4:attrs.index(b'"', 4)].rstrip(b"0123456789")))
                    if key is None:
                        return None
                    previous[key] = self._decode(attrs, m.group(2) or b"")
                if pos != len(segment):
                    return None
                self._compare(row_no, previous, values)
        if hi:
            start_tag = self._spans(start_tag, self.min_status, hi)
        return start_tag + inner[:cut] + joined + end_tag

    def _status_cells(self, row_no: int, letters_before) -> Tuple[Dict[str, object], bytes, int]:
        """(values, the status cells' XML, the last column written) of a judged row."""
        values = self._new_values(row_no, {"letters": letters_before})
        r = b"%d" % row_no
        parts = []
        hi = 0
        text_cache = self._text_cells
        for col, key, number, text in self._cell_heads:
            value = values.get(key)
            if value is None:
                continue
            hi = col
            if type(value) is str:
                body = text_cache.get(value)
                if body is None:
                    body = self._text_body(value)
                parts.append(text % (r, body))
            else:
                parts.append(number % (r, repr(value).encode()))
        return values, b"".join(parts), hi

    def _text_body(self, value: str) -> bytes:
        prefix = self.prefix
        text = text_xml(value).encode("utf-8")
        space = b' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else b""
        body = b'<%sis><%st%s>%s</%st></%sis></%sc>' % (
            prefix, prefix, space, text, prefix, prefix, prefix)
        if len(self._text_cells) < 50000:  # status words, names and notes repeat
            self._text_cells[value] = body
        return body

    def _compare_new(self, row_no: int, values: Dict[str, object]) -> None:
        """_compare for a row that had no status cells yet (a first run): all is new."""
        changed = sum(1 for key in self.plan.columns if values.get(key) is not None)
        if not changed:
            return
        if len(self.changes.samples) < SAMPLE_LIMIT:
            self._compare(row_no, {}, values)
            return
        self.changes.cells_changed += changed
        self.changes.rows_changed += 1
        j = self.by_row[row_no]
        if is_overdue(j):
            self.changes.newly_overdue.append(j.case_id)
        if j.escalation > 0:
            self.changes.newly_escalated.append(j.case_id)

    def _has_status_cell(self, row_xml: bytes, row_no: int) -> bool:
        if b' r="' not in row_xml[row_xml.find(b">"):]:
            return b"<" in row_xml[row_xml.find(b">") + 1:-6]  # cells without references
        tail = b"%d\"" % row_no
        for col in self.status_cols:
            if b'r="%s%s' % (column_letters(col).encode(), tail) in row_xml:
                return True
        return False

    @staticmethod
    def _spans(start_tag: bytes, lo: int, hi: int) -> bytes:
        m = re.search(rb'\bspans="(\d+):(\d+)"', start_tag)
        if not m:
            return start_tag
        a, b = int(m.group(1)), int(m.group(2))
        new = b'spans="%d:%d"' % (min(a, lo), max(b, hi))
        return start_tag[:m.start()] + new + start_tag[m.end():]

    def _compare(self, row_no: int, previous: Dict[str, object], values: Dict[str, object]):
        changed = 0
        for key in self.plan.columns:
            old, new = previous.get(key), values.get(key)
            if _same(old, new):
                continue
            changed += 1
            if len(self.changes.samples) < SAMPLE_LIMIT:
                case = self.by_row[row_no].case_id if row_no in self.by_row else ""
                where = (f"第 {row_no} 行" if self.language == "zh" else f"row {row_no}")
                self.changes.samples.append(
                    f"{where}{f' ({case})' if case else ''}: {self._label[key]}: "
                    f"{_show(old)} -> {_show(new)}")
        if changed:
            self.changes.cells_changed += changed
            self.changes.rows_changed += 1
        j = self.by_row.get(row_no)
        if j is None:
            return
        was_overdue = "overdue" in (WORD_TO_STATUS.get(str(previous.get("reply_status"))),
                                    WORD_TO_STATUS.get(str(previous.get("close_status"))))
        if is_overdue(j) and not was_overdue:
            self.changes.newly_overdue.append(j.case_id)
        try:
            old_level = int(previous.get("escalation") or 0)
        except (TypeError, ValueError):
            old_level = 0
        if j.escalation > old_level:
            self.changes.newly_escalated.append(j.case_id)

    # --- after the rows -----------------------------------------------------------------
    def _tail(self, tail: bytes, prefix: bytes) -> bytes:
        p = re.escape(prefix)
        block = re.compile(rb"<%sconditionalFormatting\b.*?</%sconditionalFormatting>" % (p, p),
                           re.S)
        kept = []
        pos = 0
        insert_at = None
        for m in block.finditer(tail):
            if b'N(&quot;officebot&quot;)' in m.group(0) or b'N("officebot")' in m.group(0):
                kept.append(tail[pos:m.start()])
                if insert_at is None:
                    insert_at = sum(len(k) for k in kept)
                pos = m.end()
        kept.append(tail[pos:])
        tail = b"".join(kept)
        priorities = [int(x) for x in _PRIORITY.findall(tail)]
        ours = self._rules(prefix, max(priorities + [0]) + 1)
        if insert_at is None:
            insert_at = _top_level_anchor(tail)
        return tail[:insert_at] + ours + tail[insert_at:]

    def _rules(self, prefix: bytes, priority: int) -> bytes:
        cols = self.plan.columns
        first = self.result.header_row + 1
        last = max(self.last_row, first)
        words = self.words

        def rng(*keys):
            return " ".join(f"{column_letters(cols[k])}{first}:{column_letters(cols[k])}{last}"
                            for k in keys)

        rules = []
        for key in ("reply_status", "close_status"):
            top = f"{column_letters(cols[key])}{first}"
            rules.append((rng(key), self.dxf_overdue,
                          f'AND({top}="{words["overdue"]}",{CF_MARK})'))
            rules.append((rng(key), self.dxf_due_soon,
                          f'AND({top}="{words["due_soon"]}",{CF_MARK})'))
        top = f"{column_letters(cols['repeat_of'])}{first}"
        rules.append((rng("repeat_of"), self.dxf_repeat, f'AND(LEN({top})>0,{CF_MARK})'))
        out = []
        for i, (sqref, dxf, formula) in enumerate(rules):
            out.append(
                b'<%sconditionalFormatting sqref="%s"><%scfRule type="expression" dxfId="%d" '
                b'priority="%d"><%sformula>%s</%sformula></%scfRule></%sconditionalFormatting>'
                % (prefix, sqref.encode(), prefix, dxf, priority + i, prefix,
                   escape_xml(formula).encode("utf-8"), prefix, prefix, prefix))
        return b"".join(out)


_TAG = re.compile(rb"<(/?)([\w:.-]+)[^>]*?(/?)>|<!--.*?-->|<\?.*?\?>", re.S)
_AFTER_CF_SET = {n.encode() for n in _AFTER_CF} | {b"AlternateContent"}


def _top_level_anchor(tail: bytes) -> int:
    """Where officebot's rules go: before the first top-level element that must follow them
    (or before </worksheet>); elements nested in an office rule's extLst do not count."""
    depth = 0
    for m in _TAG.finditer(tail):
        if m.group(2) is None:
            continue
        closing, name, empty = m.group(1), m.group(2), m.group(3)
        local = name.split(b":")[-1]
        if closing:
            if local == b"sheetData":
                continue
            if depth == 0:  # </worksheet>
                return m.start()
            depth -= 1
            continue
        if depth == 0 and local in _AFTER_CF_SET:
            return m.start()
        if not empty:
            depth += 1
    return len(tail)


def _same(old, new) -> bool:
    if old is None or old == "":
        return new is None or new == ""
    if isinstance(new, float) and isinstance(old, (int, float)):
        return abs(old - new) < 1e-9
    if isinstance(new, int) and isinstance(old, (int, float)):
        return old == new
    return str(old) == str(new)


def _show(value) -> str:
    if value is None or value == "":
        return "(empty)"
    return repr(value) if isinstance(value, str) else str(value)
