"""Where officebot's status columns go, planned from the sheet's cells, and the sheet-level
records that follow from it (dimension, column widths, the office's autoFilter).

The plan never trusts the ``<dimension>`` record (often missing, ``A1`` only or wrong): the
office's used range is taken from the cells themselves, numbered as Excel numbers cells and
rows without references. A cell counts as used when it holds a value or a formula or carries
a style of its own: blank cells with the office's borders or fills keep their formatting,
because officebot's new columns go right of the last such column. officebot's columns from an
earlier run are found again by their exact header text in the header row, wherever a manager
moved them; office cells right of them stay where they are.
"""

import io
import re
from dataclasses import dataclass, field
from typing import BinaryIO, Callable, Dict, List, Optional, Tuple

from ..fields import STATUS_COLUMNS
from .. import rowscan
from ..package import column_letters, split_ref
from .rowxml import ROW_NUMBER, SheetRows, cell_column, cell_pattern, find_sheet_data, parse_row

KEY_OF_HEADER = {h: key for key, zh, en in STATUS_COLUMNS for h in (zh, en)}
_REF_VALUE = re.compile(rb'(\sref=")([^"]*)(")')


def _ref_of(xml: bytes, local: bytes) -> Optional["re.Match"]:
    """The ref="..." of the first <local> element of ``xml``, found as XML reads tags (one
    in a comment is none); its match's spans index ``xml``."""
    for tag in rowscan.tags(xml):
        if not tag.closing and tag.local == local:
            return _REF_VALUE.search(xml, tag.start, tag.end)
    return None


@dataclass
class UsedRange:
    """What the sheet's cells cover, officebot's own columns left out."""

    first_col: int = 0
    first_row: int = 0
    last_col: int = 0          # 0: no used cell at all
    last_row: int = 0          # the last row of the sheet (used or not)
    any_last_col: int = 0      # the last column of any cell, used or not
    header_styles: Dict[int, int] = field(default_factory=dict)  # header row: column -> s
    header_seen: bool = False  # (a second row with the header's number is not the header)
    complete: bool = True      # False: only the rows down to the header row were read
    merged_to: int = 0         # the last column of a merged range reaching the header row
                               # or below (officebot's cells there would be hidden)

    def add(self, col: int, row: int) -> None:
        if not self.first_col or col < self.first_col:
            self.first_col = col
        if not self.first_row or row < self.first_row:
            self.first_row = row
        self.last_col = max(self.last_col, col)


@dataclass
class ColumnPlan:
    """Where officebot's status columns are: field key -> column number."""

    columns: Dict[str, int]
    added: List[str]            # keys whose columns are new in this run
    found: bool                 # True when earlier status columns were found


def found_columns(headers: Dict[int, object]) -> Dict[str, int]:
    """officebot's columns of an earlier run, by their exact header text (first one wins)."""
    columns: Dict[str, int] = {}
    for col, text in sorted(headers.items()):
        key = KEY_OF_HEADER.get(str(text).strip()) if text is not None else None
        if key and key not in columns:
            columns[key] = col
    return columns


def row_extent(xml: bytes, prefix: bytes, own) -> Tuple[int, int, int]:
    """(first used column, last used column, last column of any cell) of one row, cells in
    the ``own`` columns left out of the first two (0: none)."""
    cells = parse_row(xml, prefix).cells
    first = next((c.col for c in cells if c.col not in own and c.used), 0)
    last = next((c.col for c in reversed(cells) if c.col not in own and c.used), 0)
    return first, last, max([c.col for c in cells] + [0])


class FastExtent:
    """row_extent for the usual row, whose first and last cells have references and are
    used: found with two searches instead of reading every cell. ``of`` gives None for any
    other row (then row_extent decides); a test holds the two to the same answers."""

    def __init__(self, prefix: bytes, own):
        self.prefix = prefix
        self.own = own
        self.cell = cell_pattern(prefix)
        self.opener = b"<%sc " % prefix
        self.bare = (b"<%sc>" % prefix, b"<%sc/>" % prefix)

    def of(self, xml: bytes) -> Optional[Tuple[int, int, int]]:
        if rowscan.odd(xml):
            return None  # comments, PIs, CDATA: row_extent reads the row as XML does
        gt = xml.find(b">")
        last_at = xml.rfind(self.opener, gt)
        first_at = xml.find(b"<%sc" % self.prefix, gt)
        if last_at < 0 or first_at < 0 or xml.find(self.bare[0], last_at) >= 0 \
                or xml.find(self.bare[1], last_at) >= 0:
            return None  # a cell without attributes after the last one found
        cols = []
        for at in (first_at, last_at):
            m = self.cell.match(xml, at)
            if m is None:
                return None
            attrs = m.group(1)
            col = cell_column(attrs)
            if col is None or col in self.own or not (
                    b"<" in (m.group(2) or b"") or _used_style(attrs)):
                return None
            cols.append(col)
        return cols[0], cols[1], cols[1]


def _used_style(attrs: bytes) -> bool:
    """Whether a plain cell's s names a style other than 0 (s="00" is style 0 too)."""
    at = attrs.find(b' s="')
    if at < 0:
        return False
    value = attrs[at + 4:attrs.find(b'"', at + 4)]
    return value.isdigit() and int(value) != 0


def _add_row(used: UsedRange, row_no: int, xml: bytes, header_row: int, prefix: bytes,
             own, fast: "FastExtent") -> None:
    """One row's share of the used range (the one place that says what a row adds)."""
    used.last_row = row_no
    if row_no == header_row and not used.header_seen:
        used.header_seen = True
        used.header_styles = {c.col: c.style for c in parse_row(xml, prefix).cells
                              if c.col not in own}
    if xml[-2:] == b"/>" and xml.find(b">") == len(xml) - 1:
        return  # <row .../>: no cells
    first, last, any_last = fast.of(xml) or row_extent(xml, prefix, own)
    if last and (last > used.last_col or first < used.first_col or not used.first_row
                 or row_no < used.first_row):
        used.add(first, row_no)
        used.add(last, row_no)
    if any_last > used.any_last_col:
        used.any_last_col = any_last


def scan_cells(src: BinaryIO, header_row: int, own: set, on_error: Callable,
               up_to_header: bool = False) -> UsedRange:
    """The used range of a sheet's XML stream, cells in the ``own`` columns left out; with
    ``up_to_header`` only the rows down to the header row (all officebot's columns were
    found: nothing is planned, only the header row's look is needed)."""
    buf, start, prefix = find_sheet_data(src, on_error)
    used = UsedRange()
    if start.empty:
        return used
    rows = SheetRows(src, buf[start.end:], prefix, on_error, on_error)
    fast = FastExtent(prefix, own)
    for row_no, xml in rows:
        if row_no is None:
            continue
        _add_row(used, row_no, xml, header_row, prefix, own, fast)
        if up_to_header and used.header_seen:
            used.complete = False
            break
    else:
        used.merged_to = merged_to(rows.rest + src.read(), header_row)
    return used


def merged_to(tail: bytes, header_row: int) -> int:
    """The last column of the sheet's merged ranges (<mergeCells>, after the rows) that
    reach down to the header row or below: 0 when there are none."""
    last = 0
    for tag in rowscan.tags(tail):
        if tag.closing or tag.local != b"mergeCell":
            continue
        ref = rowscan.attribute(tag.attrs, b"ref") or ""
        try:
            parts = [split_ref(x) for x in ref.split(":")]
        except ValueError:
            continue  # a damaged reference: Excel itself would drop the merge
        if max(row for row, _ in parts) >= header_row:
            last = max(last, max(col for _, col in parts))
    return last


def letters_between(lo: int, hi: int) -> bytes:
    """A regular expression for the column letters of columns lo..hi (b"(?!)" when none)."""
    spans = []
    for length, first, last in ((1, 1, 26), (2, 27, 702), (3, 703, 18278)):
        a, b = max(lo, first), min(hi, last)
        if a <= b:
            spans.append(_lex_range(column_letters(a), column_letters(b)))
    return b"(?:" + b"|".join(s.encode() for s in spans) + b")" if spans else b"(?!)"


def _lex_range(lo: str, hi: str) -> str:
    """The strings of A-Z from lo to hi (of one length), in dictionary order."""
    if lo == hi:
        return lo
    rest = len(lo) - 1
    if lo[1:] == "A" * rest and hi[1:] == "Z" * rest:  # whole blocks: one class
        return f"[{lo[0]}-{hi[0]}]" + (f"[A-Z]{{{rest}}}" if rest else "")
    if lo[0] == hi[0]:
        return lo[0] + _lex_range(lo[1:], hi[1:])
    parts = [lo[0] + _lex_range(lo[1:], "Z" * rest)]
    if ord(hi[0]) - ord(lo[0]) > 1:
        parts.append(f"[{chr(ord(lo[0]) + 1)}-{chr(ord(hi[0]) - 1)}][A-Z]{{{rest}}}")
    parts.append(hi[0] + _lex_range("A" * rest, hi[1:]))
    return "(?:" + "|".join(parts) + ")"


_MAX_COL = 18278  # ZZZ: the last column three letters can name


class ExtentScan:
    """scan_cells folded into the reader's one pass over the sheet: fed the sheet's XML in
    the reader's blocks (whole rows), it finds the same used range without reading the sheet
    again. Most blocks are settled by a few searches in C: when every row and cell carries
    its reference, no cell lies outside the columns already known and no row number is lower
    than the first used row, the block changes only the last row. Any other block is read
    row by row as scan_cells reads it; a test holds the two to the same answers."""

    def __init__(self, header_row: int, own):
        self.header_row = header_row
        self.own = set(own)
        self.used = UsedRange()
        self.prefix: Optional[bytes] = None
        self.state = "head"  # head: before <sheetData>; rows; done
        self._outside_for: Optional[Tuple[int, int, int]] = None
        self._outside: Optional["re.Pattern"] = None

    def _setup(self, prefix: bytes) -> None:
        self.prefix = prefix
        p = re.escape(prefix)
        self._fast = FastExtent(prefix, self.own)
        self._row_numbers = re.compile(rb'<%srow r="(\d+)"' % p)

    def block(self, work: bytes, plain: bool = False) -> None:
        """The next piece of the sheet's XML, as the reader hands them on (xlsx.Workbook.rows):
        the head up to and including <sheetData>, blocks of whole rows (``plain``: the
        reader's judgement of the block, rowscan.plain without a prefix), then the rest from
        </sheetData> on."""
        if self.state == "done":
            return
        if self.state == "head":
            start = rowscan.sheet_start(work)
            if start is None:
                return
            self._setup(start.prefix)
            self.state = "done" if start.empty else "rows"
            return
        if rowscan.sheet_end(work, self.prefix) == 0:  # the rest, from </sheetData>
            self.state = "done"
            self.used.merged_to = merged_to(work, self.header_row)
            return
        if not self._quick(work, plain):  # row by row, as scan_cells reads
            prefix, own, fast, used = self.prefix, self.own, self._fast, self.used
            for row_no, xml in SheetRows(io.BytesIO(), work, prefix, _go_on,
                                         _go_on, prev_row=used.last_row):
                if row_no is not None:
                    _add_row(used, row_no, xml, self.header_row, prefix, own, fast)

    def _quick(self, work: bytes, plain: bool) -> bool:
        """Settle a plain block of whole rows by a few searches; False: read it row by row."""
        used = self.used
        if not plain or not used.first_row or not used.header_seen or not used.last_col:
            return False  # the rows down to the header row are read one by one
        if used.first_row > 1:  # a row numbered above the first used one would count
            numbers = self._row_numbers.findall(work)
            if numbers and min(map(int, numbers)) < used.first_row:
                return False
        at = work.rfind(b'<%srow r="' % self.prefix)
        if at < 0:  # no row: nothing to add (a stray cell is read the long way)
            return work.find(b"<%sc" % self.prefix) < 0
        if self._outside_pattern().search(work):
            return False
        used.last_row = int(ROW_NUMBER.match(work, at + len(self.prefix) + 4).group(1))
        return True

    def _outside_pattern(self) -> "re.Pattern":
        """Cells in columns that could change the used range: left of the first used column,
        right of the last, except officebot's own columns up to the last cell seen."""
        used = self.used
        key = (used.first_col, used.last_col, used.any_last_col)
        if key != self._outside_for:
            allowed = set(range(used.first_col, used.last_col + 1))
            allowed |= {c for c in self.own if c <= used.any_last_col}
            spans, col = [], 1
            for c in sorted(allowed) + [_MAX_COL + 1]:
                if c > col:
                    spans.append(letters_between(col, c - 1))
                col = c + 1
            self._outside = re.compile(b'<%sc r="(?:%s)[0-9]' % (
                re.escape(self.prefix), b"|".join(spans) or b"(?!)"))
            self._outside_for = key
        return self._outside


def _go_on() -> None:
    """A block's rows end where the block ends: nothing is missing or cut short."""


def plan_columns(headers: Dict[int, object], used: UsedRange) -> ColumnPlan:
    """officebot's columns found by header; new ones right of the last used column (of the
    cells, of merged ranges over the header row or below, and of the header row as the
    reader saw it)."""
    columns = found_columns(headers)
    mine = set(columns.values())
    last = max([used.last_col, used.merged_to] + [c for c in headers if c not in mine] + [0])
    found = bool(columns)
    added = []
    nxt = max([last] + list(mine)) + 1
    for key, _, _ in STATUS_COLUMNS:
        if key not in columns:
            columns[key] = nxt
            added.append(key)
            nxt += 1
    return ColumnPlan(columns, added, found)


def header_style(used: UsedRange, office_columns) -> int:
    """The cellXfs index most of the office's header cells carry (0: none)."""
    counts: Dict[int, int] = {}
    for col, style in used.header_styles.items():
        if col in office_columns and style:
            counts[style] = counts.get(style, 0) + 1
    if not counts:
        return 0
    return max(sorted(counts), key=lambda s: counts[s])


def set_dimension(head: bytes, used: UsedRange, plan: ColumnPlan, header_row: int) -> bytes:
    """The sheet's <dimension> (if it has one) covering the used cells and officebot's."""
    m = _ref_of(head, b"dimension")
    if not m:
        return head
    ours = plan.columns.values()
    if used.complete and used.last_col:
        first_col = min(used.first_col, min(ours))
        first_row = min(used.first_row or header_row, header_row)
        last_col = max(used.last_col, max(ours))
        last_row = max(used.last_row, header_row)
    else:  # a later run: the record a first run wrote, widened if columns moved
        try:
            refs = [split_ref(x) for x in m.group(2).decode("ascii", "replace").split(":")]
        except ValueError:
            return head
        (first_row, first_col), (last_row, last_col) = refs[0], refs[-1]
        last_col, last_row = max(last_col, max(ours)), max(last_row, header_row)
    new = f"{column_letters(first_col)}{first_row}:{column_letters(last_col)}{last_row}"
    if new.encode() == m.group(2):
        return head
    return head[:m.start(2)] + new.encode() + head[m.end(2):]


def add_widths(head: bytes, prefix: bytes, widths: List[Tuple[int, float]]) -> bytes:
    """<col> widths for newly added columns (a due time in a default-width column shows as
    ####). A <col> of the office's for one column is left alone; a range of the office's
    over many columns (``min="17" max="16384"``, as a sheet formatted whole gets) is split
    so that officebot's columns get their widths and every other column keeps its look."""
    p = re.escape(prefix)
    declared = head.find(b"<?xml", 0, 8) >= 0  # after a byte-order mark too
    if rowscan.odd(head, head.find(b"?>") + 2 if declared else 0):
        return head  # comments or PIs in the head: the office's widths stay as they are
    m = re.compile(rb"<%scols>(.*?)</%scols>" % (p, p), re.S).search(head) \
        or re.compile(rb"<%scols\s*/>()" % p).search(head)
    cols = []
    for el in re.findall(rb"<[^>]*>", m.group(1) if m else b""):
        lo, hi = _COL_MIN.search(el), _COL_MAX.search(el)
        if not (lo and hi and el.endswith(b"/>")):
            return head  # <col> elements of an unusual form: keep the office's as they are
        cols.append((int(lo.group(1)), int(hi.group(1)), el))
    wanted = dict(widths)
    out = []
    for lo, hi, el in cols:
        inside = sorted(c for c in wanted if lo <= c <= hi)
        if lo == hi or not inside:
            wanted.pop(lo, None)
            out.append((lo, el))
            continue
        start = lo
        for c in inside:
            if start < c:
                out.append((start, _col_attrs(el, min=start, max=c - 1)))
            out.append((c, _col_attrs(el, min=c, max=c, width=wanted.pop(c), customWidth=1)))
            start = c + 1
        if start <= hi:
            out.append((start, _col_attrs(el, min=start, max=hi)))
    if len(out) == len(cols) and not wanted:
        return head
    out += [(col, b'<%scol min="%d" max="%d" width="%s" customWidth="1"/>' % (
        prefix, col, col, str(width).encode())) for col, width in wanted.items()]
    body = b"".join(el for _, el in sorted(out, key=lambda item: item[0]))
    if m:
        return head[:m.start()] + b"<%scols>%s</%scols>" % (prefix, body, prefix) + \
            head[m.end():]
    return head + b"<%scols>%s</%scols>" % (prefix, body, prefix)  # <cols> precede the rows


_COL_MIN = re.compile(rb'\smin="(\d+)"')
_COL_MAX = re.compile(rb'\smax="(\d+)"')


def _col_attrs(el: bytes, **attrs) -> bytes:
    """A <col .../> element with some attributes set (any order of the office's kept)."""
    for name, value in attrs.items():
        value = str(value).encode()
        pattern = re.compile(rb'(\s%s=")[^"]*(")' % name.encode())
        if pattern.search(el):
            el = pattern.sub(lambda m: m.group(1) + value + m.group(2), el, 1)
        else:
            el = el[:-2].rstrip() + b' %s="%s"/>' % (name.encode(), value)
    return el


def filter_range(ref: str, header_row: int, plan: ColumnPlan,
                 last_row_seen: int) -> Optional[str]:
    """The office's autoFilter range widened over officebot's columns, when the filter sits
    on the register's header row and ends before them (None: leave it)."""
    parts = ref.split(":")
    try:
        (first_row, first_col), (last_row, last_col) = split_ref(parts[0]), split_ref(parts[-1])
    except ValueError:
        return None
    ours = plan.columns.values()
    if first_row != header_row or first_col > min(ours):
        return None
    new = (f"{column_letters(first_col)}{header_row}:{column_letters(max(last_col, max(ours)))}"
           f"{max(last_row, last_row_seen)}")
    return None if new == ref else new


def widen_filter(tail: bytes, header_row: int, plan: ColumnPlan,
                 last_row: int) -> Tuple[bytes, Optional[str]]:
    """The sheet's tail with the office's autoFilter over officebot's columns too (its
    filterColumn criteria count from the filter's first column, so they keep their meaning);
    also the new range, or None when nothing changed."""
    m = _ref_of(tail, b"autoFilter")
    if not m:
        return tail, None
    new = filter_range(m.group(2).decode("ascii", "replace"), header_row, plan, last_row)
    if new is None:
        return tail, None
    return tail[:m.start(2)] + new.encode() + tail[m.end(2):], new
