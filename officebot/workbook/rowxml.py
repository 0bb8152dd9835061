"""One row of a sheet's XML, taken apart and put back together: bytes in, bytes out.

A row's cells are numbered the way Excel numbers them: a cell without an ``r`` reference
takes the column after the previous cell of its row (the first the column A), a row without
one the number after the previous row. ``rewrite_row`` replaces the cells in a set of columns
(officebot's) and leaves every other cell byte for byte as it was; the one change it makes
to them is to give a cell without a reference its reference, because inserting cells would
otherwise move it.
"""

import re
from typing import BinaryIO, Collection, Dict, Iterator, List, NamedTuple, Optional, Sequence, \
    Tuple

from .. import rowscan
from ..package import column_index, column_letters, next_column
from ..rowscan import cell_pattern, odd

CHUNK = 1 << 18  # the sheet inflated a block at a time: a quarter MB, a few in flight at most
ROW_NUMBER = re.compile(rb'\sr="(\d+)"')  # a plain <row>'s r, searched in its start tag
_CELL_REF = re.compile(rb'(?:^|\s)r="\$?([A-Za-z]{1,3})\$?\d*"')
_ANY_REF = re.compile(rb"""(?:^|\s)r\s*=\s*(?:"[^"]*"|'[^']*')""")
_STYLE = re.compile(rb'(?:^|\s)s="(\d+)"')
_SPANS = re.compile(rb'\sspans="(\d+):(\d+)"')
_COLUMNS: Dict[bytes, int] = {}


class CellXml(NamedTuple):
    """One <c> element of a row: its column (numbered as Excel does) and its parts."""

    col: int
    xml: bytes       # the whole element
    attrs: bytes     # the start tag's attributes
    body: bytes      # what lies between start and end tag (b"" for <c/>)
    has_ref: bool
    gap: bytes = b""  # what lies between the previous cell and this one (whitespace)

    @property
    def style(self) -> int:
        m = _STYLE.search(self.attrs)
        if m:
            return int(m.group(1))
        if b"s" not in self.attrs:
            return 0
        value = rowscan.attribute(self.attrs, b"s")
        return int(value) if value is not None and value.isdigit() else 0

    @property
    def used(self) -> bool:
        """The cell holds an element (a value, a formula), or carries a style of its own."""
        return rowscan.has_element(self.body) or self.style != 0


class RowXml(NamedTuple):
    """A <row> element taken apart."""

    xml: bytes
    start_tag: bytes   # always ends with ">" (a self-closing row's tag is opened)
    lead: bytes        # before the first cell
    cells: List[CellXml]
    trail: bytes       # after the last cell (an extLst, whitespace)
    end_tag: bytes


def cell_column(attrs: bytes) -> Optional[int]:
    """The column number of a cell's ``r`` reference, None when it has none (remembered per
    letters: the same few columns come back on every row)."""
    m = _CELL_REF.search(attrs)
    if m is None:
        if b"r" not in attrs:
            return None
        ref = rowscan.attribute(attrs, b"r")  # r='A1', r = "A1": as XML reads it
        return rowscan.column_of(ref) if ref else None
    letters = m.group(1)
    col = _COLUMNS.get(letters)
    if col is None:
        col = _COLUMNS[letters] = next_column(letters, 0)
    return col


def parse_row(row_xml: bytes, prefix: bytes = b"") -> RowXml:
    """A <row> element taken apart, its cells numbered (comments, PIs and CDATA sections
    are no cells: they stay where they are, in the gaps)."""
    gt, close, spans = rowscan.row_spans(row_xml, prefix)
    if gt == close and row_xml[gt - 2:gt] == b"/>":
        return RowXml(row_xml, row_xml[:gt - 2].rstrip() + b">", b"", [], b"",
                      b"</%srow>" % prefix)
    inner_end = close
    if spans and not odd(row_xml[gt:close]):
        ext = row_xml.find(b"<%sextLst" % prefix, gt, close)  # no cells in the extLst
        if ext >= 0:
            inner_end = ext
            spans = [sp for sp in spans if sp.end <= ext]
    cells: List[CellXml] = []
    col = 0
    last = gt
    for sp in spans:
        attrs = sp.attrs
        ref = cell_column(attrs) if b"r" in attrs else None
        col = ref if ref is not None else next_column(None, col)  # Excel's numbering
        gap = row_xml[last:sp.start] if cells else b""
        cells.append(CellXml(col, row_xml[sp.start:sp.end], attrs, sp.body, ref is not None,
                             gap))
        last = sp.end
    if cells:
        lead, trail = row_xml[gt:spans[0].start], row_xml[last:close]
    else:
        lead, trail = row_xml[gt:inner_end], row_xml[inner_end:close]
    return RowXml(row_xml, row_xml[:gt], lead, cells, trail, row_xml[close:])


def _keep_gaps(cells: List[CellXml], own: Collection[int]) -> List[CellXml]:
    """The office's cells with the gaps before officebot's dropped cells (a comment, a PI:
    anything but whitespace) moved onto the next office cell, so nothing of theirs goes."""
    kept: List[CellXml] = []
    carry = b""
    for cell in cells:
        if cell.col in own:
            if cell.gap.strip():
                carry += cell.gap
            continue
        if carry:
            cell = cell._replace(gap=carry + cell.gap)
            carry = b""
        kept.append(cell)
    if carry:
        kept.append(CellXml(0, b"", b"", b"", True, carry))  # nothing but the gap
    return kept


def _with_ref(cell: CellXml, row_no: int, prefix: bytes) -> bytes:
    opener = b"<%sc" % prefix
    rest = cell.xml[len(opener) + len(cell.attrs):]
    attrs = _ANY_REF.sub(b"", cell.attrs)  # an unreadable reference is replaced
    return opener + b' r="%s%d"' % (column_letters(cell.col).encode(), row_no) + attrs + rest


def build_row(row: RowXml, row_no: int, own: Collection[int],
              new_cells: Sequence[Tuple[int, bytes]], prefix: bytes = b"") -> bytes:
    """The row with its cells in the ``own`` columns replaced by ``new_cells`` (column,
    XML, in column order); the office's cells keep their order. The row's own bytes when
    that changes nothing."""
    kept = [c for c in row.cells if c.col not in own]
    if not new_cells and len(kept) == len(row.cells):
        return row.xml
    if len(kept) < len(row.cells):
        kept = _keep_gaps(row.cells, own)
    # Each new cell goes after the last office cell left of it (in column order, the usual
    # merge; office cells out of order stay as they are).
    after: List[List[bytes]] = [[] for _ in range(len(kept) + 1)]
    for col, x in new_cells:
        at = len(kept)
        while at and kept[at - 1].col > col:
            at -= 1
        after[at].append(x)
    parts = after[0][:]
    for i, cell in enumerate(kept, start=1):
        if cell.gap:
            parts.append(cell.gap)
        parts.append(cell.xml if cell.has_ref else _with_ref(cell, row_no, prefix))
        parts.extend(after[i])
    start_tag = row.start_tag
    office = [c.col for c in kept if c.xml]
    cols = ([office[0], office[-1]] if office else []) + [c for c, _ in new_cells]
    if cols:
        start_tag = _spans(start_tag, min(cols), max(cols))
    return start_tag + row.lead + b"".join(parts) + row.trail + row.end_tag


def rewrite_row(row_xml: bytes, row_no: int, own: Collection[int],
                new_cells: Sequence[Tuple[int, bytes]], prefix: bytes = b"") -> bytes:
    """parse_row then build_row: the row with officebot's cells replaced."""
    return build_row(parse_row(row_xml, prefix), row_no, own, new_cells, prefix)


class FastRow:
    """The usual row's shortcut: office cells with references, the last one left of
    officebot's columns, then (on later runs) officebot's cells and nothing else. ``split``
    gives None for any other row, which then takes parse_row/build_row; a test holds the
    two to the same bytes."""

    def __init__(self, own: Collection[int], prefix: bytes = b""):
        self.prefix = prefix
        self.own = set(own)
        self.min_own = min(own)
        p = re.escape(prefix)
        alternatives = b"|".join(column_letters(c).encode() for c in sorted(own))
        self.first_own = re.compile(b'<%sc r="(?:%s)[0-9]' % (p, alternatives))
        self.refs = re.compile(b'<%sc r="([A-Z]{1,3})[0-9]' % p)
        self.with_ref = b'<%sc r="' % prefix
        self.spaced = b"<%sc " % prefix
        self.bare = (b"<%sc>" % prefix, b"<%sc/>" % prefix)
        self.cell = cell_pattern(prefix)
        self._openers: Dict[int, bytes] = {}

    def split(self, row_xml: bytes, look_for_own: bool = True) -> Optional["FastSplit"]:
        """The row taken apart the quick way, None when it is not a usual row. Without
        ``look_for_own`` the row is taken to hold no cells of officebot's (a first run)."""
        gt = row_xml.find(b">")
        if row_xml[gt - 1] == 47:  # "/": a self-closing row
            return None
        close = row_xml.rfind(b"<")
        inner = row_xml[gt + 1:close]
        if b"extLst" in inner or b"<!" in inner or b"<?" in inner or \
                row_xml.find(b"'", 0, gt) >= 0 or row_xml.count(b'"', 0, gt) % 2:
            return None  # comments, PIs, CDATA: parse_row reads them as XML does
        found = self.first_own.search(inner) if look_for_own else None
        cut = found.start() if found else len(inner)
        office = inner[:cut]
        with_ref = self.with_ref
        count = office.count(with_ref)
        if count != office.count(self.spaced) or self.bare[0] in office or \
                self.bare[1] in office:
            return None  # a cell without a reference, or with r= not first
        prev = first = 0
        if count:
            refs = self.refs
            a = refs.match(office, office.find(with_ref))
            last_at = office.rfind(with_ref)
            b = refs.match(office, last_at)
            if a is None or b is None:
                return None  # a reference such as $A$1 or a1: the general path reads it
            columns = _COLUMNS
            first = columns.get(a.group(1)) or self._column(a.group(1))
            prev = columns.get(b.group(1)) or self._column(b.group(1))
            if prev >= self.min_own:
                return None
            m = self.cell.match(office, last_at)
            if m is None or m.end() != cut:
                return None  # something between the last office cell and officebot's
        elif office.strip():
            return None
        return FastSplit(row_xml, row_xml[:gt + 1], office, first, prev, inner[cut:],
                         row_xml[close:])

    @staticmethod
    def _column(letters: bytes) -> int:
        col = _COLUMNS.get(letters)
        if col is None:
            col = _COLUMNS[letters] = column_index(letters.decode("ascii"))
        return col

    def olds(self, segment: bytes) -> Optional[List[CellXml]]:
        """officebot's cells of the last run in a row's segment (from FastSplit), None
        when the segment is anything but such cells, one after another, in column order."""
        olds: List[CellXml] = []
        pos = 0
        while pos < len(segment):
            m = self.cell.match(segment, pos)
            if m is None:
                return None
            col = cell_column(m.group(1))
            if col not in self.own or (olds and col <= olds[-1].col):
                return None
            olds.append(CellXml(col, m.group(0), m.group(1), m.group(2) or b"", True))
            pos = m.end()
        return olds

    def old_cell(self, segment: bytes, col: int, row_no: int) -> Optional[CellXml]:
        """One old cell of officebot's in the segment (the letters recorded earlier)."""
        opener = self._openers.get(col)
        if opener is None:
            opener = self._openers[col] = b'<%sc r="%s' % (self.prefix,
                                                          column_letters(col).encode())
        at = segment.find(b'%b%d"' % (opener, row_no))
        m = self.cell.match(segment, at) if at >= 0 else None
        return CellXml(col, m.group(0), m.group(1), m.group(2) or b"", True) if m else None


class FastSplit(NamedTuple):
    """A usual row taken apart by FastRow.split."""

    xml: bytes
    start_tag: bytes
    office: bytes            # the office's cells, byte for byte
    first_col: int           # of the office's cells (0: none)
    last_col: int
    segment: bytes           # what follows them: officebot's cells of the last run
    end_tag: bytes


def build_fast(row: FastSplit, new_cells: Sequence[Tuple[int, bytes]],
               joined: Optional[bytes] = None) -> bytes:
    """build_row for a row FastRow.split took apart whose segment FastRow.olds could read
    (the same bytes). ``joined``: the new cells' XML put together, when the caller has it."""
    if not new_cells:
        if not row.segment:
            return row.xml
        lo, hi = row.first_col, row.last_col
    else:  # new cells come in column order, right of the office's
        lo = row.first_col or new_cells[0][0]
        hi = new_cells[-1][0]
    start_tag = row.start_tag
    if lo and b'spans="' in start_tag:
        start_tag = _spans(start_tag, lo, hi)
    if joined is None:
        joined = b"".join([x for _, x in new_cells])
    return start_tag + row.office + joined + row.end_tag


def _spans(start_tag: bytes, lo: int, hi: int) -> bytes:
    m = _SPANS.search(start_tag)
    if not m:
        return start_tag
    a, b = int(m.group(1)), int(m.group(2))
    if a <= lo and hi <= b:
        return start_tag
    new = b' spans="%d:%d"' % (min(a, lo), max(b, hi))
    return start_tag[:m.start()] + new + start_tag[m.end():]


class SheetRows:
    """The pieces of a sheet's <sheetData> in order, read from a stream in chunks.

    Iterating gives (row number, row XML) for each row and (None, bytes) for what lies
    between rows; afterwards ``rest`` holds the XML from ``</sheetData>`` to the end of what
    was read so far. ``prev_row``: the number of the row before ``buf``'s first (a row
    without ``r`` takes the next).
    """

    def __init__(self, src: BinaryIO, buf: bytes, prefix: bytes, on_bad_row, on_cut_short,
                 prev_row: int = 0):
        self.src = src
        self.prev_row = prev_row
        self.buf = buf
        self.prefix = prefix
        self.rest = b""
        self.on_bad_row = on_bad_row
        self.on_cut_short = on_cut_short

    def __iter__(self) -> Iterator[Tuple[Optional[int], bytes]]:
        open_tag, close_tag = b"<%srow" % self.prefix, b"</%srow>" % self.prefix
        buf, src = self.buf, self.src
        prefix = self.prefix
        prev_row = self.prev_row
        eof = False
        while True:
            end = rowscan.sheet_end(buf, prefix)
            limit = end if end >= 0 else len(buf)
            pos = 0
            if odd(buf, 0, limit):
                for start, stop in rowscan.top_rows(buf, prefix, 0, limit):
                    if start != pos:
                        yield None, buf[pos:start]
                    pos = stop
                    prev_row = _row_number(buf, start, prev_row)
                    yield prev_row, buf[start:stop]
            else:  # every "<" starts a tag: rows are found with bytes.find (in C)
                while True:
                    start = buf.find(open_tag, pos, limit)
                    if start < 0:
                        break
                    gt = buf.find(b">", start, limit)
                    if gt < 0:
                        break
                    if buf[start + len(open_tag):start + len(open_tag) + 1] not in (
                            b" ", b">", b"/", b"\t", b"\n", b"\r"):
                        break  # not a <row> element: left to the checks below
                    if buf[gt - 1:gt] == b"/":
                        stop = gt + 1
                    else:
                        close = buf.find(close_tag, gt, limit)
                        if close < 0:
                            break
                        stop = close + len(close_tag)
                    if start != pos:
                        yield None, buf[pos:start]
                    pos = stop
                    m = ROW_NUMBER.search(buf, start, gt)
                    prev_row = int(m.group(1)) if m and buf.find(b"'", start, gt) < 0 \
                        else _row_number(buf, start, prev_row)
                    yield prev_row, buf[start:stop]
            if end >= 0:
                if pos < end:
                    between = buf[pos:end]
                    if open_tag in between and (not odd(between)
                                                or _opens_row(between, prefix)):
                        self.on_bad_row()
                    yield None, between
                self.rest = buf[end:]
                return
            # A row longer than what is read (a cell of megabytes) is searched again with each
            # read: read half as much again as is held, not a chunk, so that it is searched a
            # few times (once a chunk was quadratic: a 60 MB cell took 16 s)
            want = CHUNK if pos or len(buf) < 2 * CHUNK else len(buf) // 2
            buf = buf[pos:]
            if eof:
                self.on_cut_short()
                return
            chunk = src.read(want)
            if not chunk:
                eof = True
            buf += chunk


def _opens_row(between: bytes, prefix: bytes) -> bool:
    """Whether bytes left before </sheetData> open a row the lexer finds (one cut short)."""
    row = b"<%srow" % prefix
    return any(not t.closing and t.local == b"row" and between.startswith(row, t.start)
               for t in rowscan.tags(between))


def _row_number(buf: bytes, start: int, previous: int) -> int:
    """A row's number: its r, else the one after the previous row (as XML reads r)."""
    gt = buf.find(b">", start)
    m = ROW_NUMBER.search(buf, start, gt)
    if m and buf.find(b"'", start, gt) < 0:
        return int(m.group(1))
    tag = next(rowscan.tags(buf, start))
    r = rowscan.attribute(tag.attrs, b"r")
    return int(r) if r and r.strip().isdigit() else previous + 1


def find_sheet_data(src: BinaryIO, on_missing) -> Tuple[bytes, "rowscan.SheetStart", bytes]:
    """(everything read so far, where <sheetData> starts, the namespace prefix), found as a
    parser finds them."""
    buf = b""
    while True:
        start = rowscan.sheet_start(buf)
        if start:
            return buf, start, start.prefix
        chunk = src.read(CHUNK)
        if not chunk:
            on_missing()
        buf += chunk
