"""A sheet's rows and cells read as an XML parser reads them: the one row tokenizer under
the register reader (xlsx.py), the column planner (workbook/layout.py) and the row rewrite
(workbook/rowxml.py).

Two paths, one meaning:

- the general path parses the bytes with lxml (entities, DTDs and network off): comments,
  processing instructions, CDATA sections, character and entity references, whitespace and
  namespace prefixes mean what they mean in XML;
- the fast path reads *plain* bytes with regular expressions, in C. Plain bytes hold no
  comment, processing instruction, CDATA section, DOCTYPE, carriage return or namespace
  declaration, and each of their tags is one of the few forms Excel, openpyxl and XlsxWriter
  write (``PLAIN``: one ``fullmatch`` for the planner and the rewrite; for the reader, the
  same grammar as one findall that gives one tuple a row, ``row_shape_pattern``). In such
  bytes every ``<`` starts a tag, so the patterns find exactly the elements a parser finds.
  Anything else takes the general path, chosen per block of rows (the reader) or per row
  (the rewrite).

Tests hold the fast path to the general one (tables and a property test over generated
sheet XML with every such construct placed anywhere). Spans of the row rewrite come from
``TOKEN``, a lexer of XML's tokens; what the tokens mean comes from lxml.
"""

import re
from typing import Dict, Iterator, List, NamedTuple, Optional, Tuple

from .package import (NotPlain, column_index, inline_text, own_text,  # noqa: F401
                      parse_fragment, text_as_xml as text, xml_namespace)

MAX_ROW = 1048576    # Excel's last row
MAX_COLUMN = 16384   # XFD, Excel's last column

# --- plain bytes ---------------------------------------------------------------------------
# What the fast path never reads besides what PLAIN leaves out (comments, CDATA, DOCTYPE and
# PIs: no alternative of PLAIN starts with "<!" or "<?"): carriage returns (a parser turns
# CR LF into LF), "]]>" (not allowed in text), namespace declarations (a cell could be moved
# out of the sheet's namespace).
_NAME = rb"(?:[a-qu-zA-Z_]|[rst][\w:.-])[\w:.-]*+"   # an attribute named other than r, s, t
_VALUE = rb'="[^"<>&]*+"'
_LETTERS = rb"(?:[A-Z]{1,2}|[A-W][A-Z]{2}|X[A-E][A-Z]|XF[A-D])"  # A..XFD
_WS = rb"[ \n\t]++"
# Plain rows: rows and cells with their reference first, cells' s and t right after it,
# each cell holding only <f>, <v> and a plain inline <is><t> (whitespace between anything).
_CHILD = (rb'<v>[^<]*+</v>|<is><t(?: xml:space="preserve")?>[^<]*+</t></is>'
          rb'|<f(?: [\w:.-]++' + _VALUE + rb')*+(?:/>|>[^<]*+</f>)|' + _WS)
_CELL = (rb'<c r="' + _LETTERS + rb'[0-9]++"(?: s="[0-9]++"(?: t="[a-zA-Z]++")?'
         rb'| t="[a-zA-Z]++"(?: s="[0-9]++")?)?(?: ' + _NAME + _VALUE + rb')*+'
         rb'(?:/>|>(?:' + _CHILD + rb')*+</c>)')
PLAIN = re.compile(rb'(?:<row r="[0-9]++"(?: [\w:.-]++' + _VALUE + rb')*+(?:/>|>(?:' + _CELL
                   + b"|" + _WS + rb")*+</row>)|" + _WS + rb")*+")


def suspect(xml: bytes) -> bool:
    """Whether ``xml`` holds what PLAIN cannot rule out (carriage returns, "]]>", namespace
    declarations): searches in C, a rare byte first (a single byte looked for as an int is
    one memchr; "]" and "x" seldom occur in rows)."""
    return 0x0D in xml or (0x5D in xml and b"]]>" in xml) or (0x78 in xml and b"xmlns" in xml)


def plain(xml: bytes) -> bool:
    """Whether the fast path reads these bytes (whole rows, no prefix) exactly."""
    if suspect(xml):
        return False
    return PLAIN.fullmatch(xml) is not None


# --- the reader's one findall -----------------------------------------------------------------
_ROW_ATTRS = rb'(?: [\w:.-]++' + _VALUE + rb')*+'
_CELL_TAIL = rb'(?: ' + _NAME + _VALUE + rb')*+'
_CELL_BODY = rb'(?:/>|>(?:' + _CHILD + rb')*+</c>)'
# PLAIN's grammar narrowed to rows whose wanted cells come in column order, each at most
# once (as every writer writes them): a row start tag, then one optional slot per wanted
# column (left to right), cells of the other columns and whitespace passed over between them,
# and </row>. One match is one whole row, so findall gives one tuple a row (not one a cell),
# its groups at fixed places: the row number, then SHAPE_GROUPS per wanted column (t, t after
# s, <v> text, plain inline text, other content), then the odd byte (the last alternative
# takes any one byte, so no byte is skipped unseen). Whitespace between rows matches with no
# row number. A block is plain when no tuple holds the odd byte; a block the shape does not
# fit (not plain, or cells out of order, a column twice) gives an odd byte and is for lxml.
SHAPE_GROUPS = 5
_shape_patterns: Dict[Tuple[str, ...], "re.Pattern"] = {}


def row_shape_pattern(letters: Tuple[str, ...]) -> "re.Pattern":
    """The findall pattern of plain rows with one slot per column of ``letters`` (in column
    order); see the comment above for its tuples."""
    pattern = _shape_patterns.get(letters)
    if pattern is None:
        wanted = _one_of(letters)
        other = (rb'<c r="(?!' + wanted + rb'[0-9])' + _LETTERS + rb'[0-9]++"'
                 rb'(?: s="[0-9]++"(?: t="[a-zA-Z]++")?| t="[a-zA-Z]++"(?: s="[0-9]++")?)?'
                 + _CELL_TAIL + _CELL_BODY)
        skip = rb"(?:" + other + b"|" + _WS + rb")*+"
        slots = b"".join(
            skip + rb'(?:<c r="' + name.encode("ascii") + rb'[0-9]++"'
            rb'(?: s="[0-9]++"(?: t="([a-zA-Z]++)")?| t="([a-zA-Z]++)"(?: s="[0-9]++")?)?'
            + _CELL_TAIL +
            rb'(?:/>|><v>([^<]++)</v></c>|><is><t>([^<]++)</t></is></c>'
            rb'|>((?:' + _CHILD + rb')*+)</c>))?+' for name in letters)
        row = (rb'<row r="([0-9]++)"' + _ROW_ATTRS + rb'(?:/>|>' + slots + skip
               + rb'</row>)')
        pattern = _shape_patterns[letters] = re.compile(row + b"|" + _WS + rb"|([\s\S])")
    return pattern


def _one_of(letters: Tuple[str, ...]) -> bytes:
    """A pattern of exactly these column letters (followed by a digit, they are a wanted
    column's reference): names that differ in their last letter share one character class,
    which the engine tries in one step (an alternative a name took one step each)."""
    by_stem: Dict[str, List[str]] = {}
    for name in letters:
        by_stem.setdefault(name[:-1], []).append(name[-1])
    alternatives = [stem.encode("ascii") + b"[" + "".join(sorted(last)).encode("ascii") + b"]"
                    for stem, last in sorted(by_stem.items(), key=lambda kv: -len(kv[0]))]
    return b"(?:" + (b"|".join(alternatives) or b"(?!)") + b")"


class OutsideGrid(ValueError):
    """A cell or row beyond Excel's grid (A1:XFD1048576): its row, its column (0: the row)."""

    def __init__(self, row: int, col: int):
        super().__init__(f"row {row}, column {col}")
        self.row, self.col = row, col


# --- the lexer -----------------------------------------------------------------------------
# XML's tokens: comment, processing instruction, CDATA section, a tag (its attribute values
# read whole: they may hold ">"), text. Exact for well-formed XML without a DTD.
TOKEN = re.compile(rb"""<!--.*?-->|<\?.*?\?>|<!\[CDATA\[.*?\]\]>"""
                   rb"""|<(/?)([^\s/>!?]+)((?:[^>"']|"[^"]*"|'[^']*')*)>|[^<]+""", re.S)


class Tag(NamedTuple):
    """One tag of the lexer: closing (</x>) or not, its local name, its span, self-closing."""

    closing: bool
    local: bytes
    start: int
    end: int
    empty: bool
    attrs: bytes


def tags(xml: bytes, pos: int = 0, end: Optional[int] = None) -> Iterator[Tag]:
    """The tags of ``xml[pos:end]`` in order (comments, PIs, CDATA and text skipped); stops
    at the first bytes that are no whole token (a token cut at the end)."""
    end = len(xml) if end is None else end
    match = TOKEN.match
    while pos < end:
        m = match(xml, pos, end)
        if m is None:
            return
        name = m.group(2)
        if name is not None:
            attrs = m.group(3)
            yield Tag(bool(m.group(1)), name.rsplit(b":", 1)[-1], pos, m.end(),
                      attrs[-1:] == b"/", attrs)
        pos = m.end()


def odd(xml: bytes, start: int = 0, end: Optional[int] = None) -> bool:
    """Whether ``xml[start:end]`` may hold a comment, PI or CDATA (then only the lexer finds
    tags)."""
    end = len(xml) if end is None else end
    # "!" and "?" are rare in sheet XML and "<" is everywhere: look for the rare byte first
    return (xml.find(b"!", start, end) >= 0 and xml.find(b"<!", start, end) >= 0) or \
        (xml.find(b"?", start, end) >= 0 and xml.find(b"<?", start, end) >= 0)


def rows_end(buf: bytes, prefix: bytes, start: int = 0, lexed: Optional[bool] = None) -> int:
    """Where the last whole row of ``buf[start:]`` ends (-1: none), ``buf[start:]`` starting
    between rows; a ``</row>`` in a comment or CDATA section does not count. ``lexed``:
    whether ``buf`` is odd, when the caller knows."""
    close = b"</%srow>" % prefix
    if not (odd(buf) if lexed is None else lexed):
        at = buf.rfind(close, start)
        return at + len(close) if at >= 0 else -1
    last, depth = -1, 0
    for tag in tags(buf, start):
        if tag.closing:
            depth -= 1
            if depth == 0 and tag.local == b"row":
                last = tag.end
            elif depth < 0:  # </sheetData>: the rows end here
                return last
        elif not tag.empty:
            depth += 1
        elif depth == 0 and tag.local == b"row":
            last = tag.end
    return last


def top_rows(buf: bytes, prefix: bytes, pos: int, limit: int) -> List[Tuple[int, int]]:
    """The (start, end) of each whole <row> element directly in ``buf[pos:limit]`` (which
    starts between rows), found by the lexer: a row in a comment or CDATA is none."""
    out, depth, opened = [], 0, -1
    row = b"<%srow" % prefix
    for tag in tags(buf, pos, limit):
        if tag.closing:
            depth -= 1
            if depth == 0 and opened >= 0:
                out.append((opened, tag.end))
                opened = -1
            elif depth < 0:
                break
            continue
        if depth == 0 and tag.local == b"row" and buf.startswith(row, tag.start):
            if tag.empty:
                out.append((tag.start, tag.end))
                continue
            opened = tag.start
        if not tag.empty:
            depth += 1
    return out


_ATTRIBUTE = re.compile(rb"""(?:^|\s)([^\s=/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_SPACES = bytes.maketrans(b"\t\n\r", b"   ")


def attribute(attrs: bytes, name: bytes) -> Optional[str]:
    """An attribute's value in a start tag's attribute bytes, as XML reads it (either quote,
    whitespace around "=", white space characters made spaces, references replaced)."""
    for m in _ATTRIBUTE.finditer(attrs):
        if m.group(1) == name:
            raw = m.group(2) if m.group(2) is not None else m.group(3)
            return text(raw.replace(b"\r\n", b" ").translate(_SPACES))
    return None


def has_element(body: bytes) -> bool:
    """Whether an element's content holds an element (comments, PIs, CDATA and text are
    none)."""
    if b"<" not in body:
        return False
    if not odd(body):
        return True
    return next(tags(body), None) is not None


class SheetStart(NamedTuple):
    """Where a worksheet's <sheetData> starts, found as a parser finds it."""

    start: int        # of the <sheetData> start tag
    end: int          # after it
    prefix: bytes     # the sheet's namespace prefix (b"" or b"x:")
    empty: bool       # <sheetData/>
    context: "Context"


def sheet_start(head: bytes) -> Optional[SheetStart]:
    """The <sheetData> start tag of a worksheet's first bytes (None: not in them yet)."""
    root = None
    for tag in tags(head):
        if tag.closing:
            continue
        if root is None:
            root = tag
        elif tag.local == b"sheetData":
            name = head[tag.start + 1:tag.end].split(None, 1)[0].rstrip(b"/>")
            prefix = name[:-len(b"sheetData")]
            return SheetStart(tag.start, tag.end, prefix, tag.empty,
                              Context(prefix, head[root.start:root.end]))
    return None


def sheet_end(buf: bytes, prefix: bytes, start: int = 0, lexed: Optional[bool] = None) -> int:
    """Where ``</sheetData>`` starts in ``buf[start:]`` (-1: not in it), found as a parser
    finds it (not in a comment or CDATA section). ``lexed``: whether ``buf`` is odd, when the
    caller knows."""
    close = b"</%ssheetData" % prefix
    if not (odd(buf) if lexed is None else lexed):
        return buf.find(close, start)
    depth = 0
    for tag in tags(buf, start):
        if tag.closing:
            depth -= 1
            if depth < 0:
                return tag.start if tag.local == b"sheetData" else -1
        elif not tag.empty:
            depth += 1
    return -1


def sheet_blocks(read, size: int = 1 << 19) -> Iterator[Tuple[str, bytes, Optional[SheetStart]]]:
    """A worksheet's bytes (``read(n)`` gives the next up to n) in the pieces its readers
    take: ("head", the bytes up to and including <sheetData>, where it starts), then
    ("rows", a block of whole rows, None) for each block, then ("rest", the bytes from
    </sheetData> to the end, None). A sheet without <sheetData> gives its head only, with
    None; a sheet cut short ends with the rows it has."""
    buf = read(1 << 16)
    start = sheet_start(buf)
    while start is None:
        more = read(1 << 16)
        if not more:
            yield "head", buf, None
            return
        buf += more
        start = sheet_start(buf)
    yield "head", buf[:start.end], start
    if start.empty:
        yield "rest", buf[start.end:] + _all(read), None
        return
    p = start.prefix
    buf = bytearray(buf[start.end:])
    # buf[:looked] holds no </row> and no </sheetData>: a row longer than a block (a cell of
    # megabytes) is searched once, not again with each block added (that was quadratic).
    looked, lexed = 0, False
    while True:
        block = read(size)
        if block:
            buf += block
        lexed = lexed or odd(buf, max(0, looked - 1))  # comments etc.: the lexer, from 0
        since = 0 if lexed else max(0, looked - 16)
        end = sheet_end(buf, p, since, lexed)
        view = memoryview(buf)
        if end >= 0:
            if end:
                yield "rows", bytes(view[:end]), None
            rest = bytes(view[end:])
            view.release()
            yield "rest", rest + _all(read), None
            return
        cut = rows_end(buf, p, since, lexed)
        if not block:  # cut short: its whole rows, the rest of a row is no row
            if cut > 0:
                yield "rows", bytes(view[:cut]), None
            return
        if cut > 0:
            yield "rows", bytes(view[:cut]), None
        view.release()
        if cut > 0:
            del buf[:cut]
        looked = len(buf)


def _all(read) -> bytes:
    parts = []
    while True:
        block = read(1 << 20)
        if not block:
            return b"".join(parts)
        parts.append(block)


# --- the general path: lxml ----------------------------------------------------------------
DEFAULT_ROOT = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
                b' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
                b' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
                b' xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"'
                b' xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision">')


class Context:
    """The namespaces rows are read in: the sheet's root start tag (its declarations)."""

    def __init__(self, prefix: bytes = b"", root: bytes = b""):
        self.prefix = prefix
        if not root:
            root = DEFAULT_ROOT if not prefix else DEFAULT_ROOT.replace(
                b"<worksheet xmlns=", b"<%sworksheet xmlns:%s=" % (prefix, prefix[:-1]))
        if root.endswith(b"/>"):
            root = root[:-2] + b">"
        self.root = root
        self.close = b"</" + root[1:].split(None, 1)[0].rstrip(b">") + b">"

    def row_tag(self, root) -> str:
        """The tag of a row in the namespace of the parsed root."""
        tag = root.tag
        return tag[:tag.index("}") + 1] + "row" if tag.startswith("{") else "row"

    def parse(self, fragment: bytes):
        """The fragment (rows, a row, a cell body) parsed inside the sheet's root element;
        XMLSyntaxError when it is not well-formed."""
        return parse_fragment(self.root + fragment + self.close)


class Cell(NamedTuple):
    """One <c> as a parser reads it."""

    col: int                  # numbered as Excel numbers it
    ref: bool                 # written with an r reference
    t: str                    # its type ("n" when none)
    s: int                    # its style (cellXfs index)
    v: Optional[str]          # the text of its <v> (None: no <v>)
    inline: Optional[str]     # the text of its <is>, runs joined, phonetic runs left out
    used: bool                # holds an element (value, formula) or a style of its own


def column_of(ref: str) -> Optional[int]:
    """The column number of a reference's letters (None when it has none)."""
    letters = ref.replace("$", "").rstrip("0123456789").upper()
    if not letters or not letters.isalpha() or not letters.isascii():
        return None
    return column_index(letters)


def cell_of(el, previous: int) -> Cell:
    """A parsed <c> element as a Cell (``previous``: the column of the cell before it)."""
    ref = el.get("r")
    col = column_of(ref) if ref else None
    has_ref = col is not None
    col = col if has_ref else previous + 1
    s = el.get("s") or "0"
    ns = xml_namespace(el)
    v = inline = None
    used = False
    for child in el:
        if not isinstance(child.tag, str):
            continue  # a comment or PI
        used = True
        if child.tag == ns + "v" and v is None:
            v = own_text(child)
        elif child.tag == ns + "is" and inline is None:
            inline = inline_text(child)
    style = int(s) if s.isdigit() else 0
    return Cell(col, has_ref, el.get("t") or "n", style, v, inline, used or style != 0)


def row_number(el, previous: int) -> int:
    """A parsed <row>'s number: its r, else the one after the previous row."""
    r = el.get("r")
    return int(r) if r and r.strip().isdigit() else previous + 1


def check_grid(row_no: int, cells: List[Cell]) -> None:
    """OutsideGrid for a row or cell beyond A1:XFD1048576."""
    for cell in cells:
        if cell.col > MAX_COLUMN or row_no > MAX_ROW:
            raise OutsideGrid(row_no, cell.col)
    if row_no > MAX_ROW:
        raise OutsideGrid(row_no, 0)


def read_rows(block: bytes, context: Context, previous: int = 0, wanted=None
              ) -> List[Tuple[int, List[Cell]]]:
    """The rows of a block of whole rows, read by lxml: (row number, cells) each, only the
    cells in the ``wanted`` columns when given. XMLSyntaxError when the block is not
    well-formed; OutsideGrid beyond Excel's grid."""
    out = []
    root = context.parse(block)
    row_tag = context.row_tag(root)
    cell_tag = row_tag[:-3] + "c"
    for el in root:
        if el.tag != row_tag:
            continue
        previous = row_number(el, previous)
        cells, col = [], 0
        for c in el:
            if c.tag != cell_tag:
                continue
            ref = c.get("r")
            at = column_of(ref) if ref else None
            col = at if at is not None else col + 1
            if col > MAX_COLUMN:
                raise OutsideGrid(previous, col)
            if wanted is None or col in wanted:
                cells.append(cell_of(c, col - 1) if at is None else cell_of(c, 0))
        check_grid(previous, cells)
        out.append((previous, cells))
    return out


# --- one row, with the spans of its cells (the rewrite) ------------------------------------
class Span(NamedTuple):
    """A cell of one row: where its element lies in the row's bytes."""

    start: int
    end: int
    attrs: bytes      # its start tag's attributes
    body: bytes       # between its start and end tag (b"" for <c/>)


_CELL_PATTERNS: Dict[bytes, "re.Pattern"] = {}


def cell_pattern(prefix: bytes) -> "re.Pattern":
    """A <c> element with the sheet's namespace prefix, for bytes without comments, PIs or
    CDATA (there every "<" starts a tag, and a cell's body cannot hold "</c>")."""
    pattern = _CELL_PATTERNS.get(prefix)
    if pattern is None:
        p = re.escape(prefix)
        pattern = _CELL_PATTERNS[prefix] = re.compile(
            rb"""<%sc(?=[\s/>])((?:[^>"']|"[^"]*"|'[^']*')*?)(?:/>|>(.*?)</%sc\s*>)"""
            % (p, p), re.S)
    return pattern


def row_spans(row_xml: bytes, prefix: bytes = b"") -> Tuple[int, int, List[Span]]:
    """(end of the row's start tag, start of its end tag, the spans of its <c> children).
    Comments, PIs and CDATA are skipped as a parser skips them."""
    gt = next(tags(row_xml)).end
    if row_xml[gt - 2:gt] == b"/>":
        return gt, gt, []
    close = row_xml.rfind(b"<")
    if not odd(row_xml[gt:close]):
        spans = [Span(m.start(), m.end(), m.group(1), m.group(2) or b"")
                 for m in cell_pattern(prefix).finditer(row_xml, gt, close)]
        return gt, close, spans
    spans, depth, opened = [], 0, None
    for tag in tags(row_xml, gt, close):
        if tag.closing:
            depth -= 1
            if depth == 0 and opened is not None:
                spans.append(Span(opened.start, tag.end, opened.attrs,
                                  row_xml[opened.end:tag.start]))
                opened = None
            continue
        if depth == 0 and tag.local == b"c" and row_xml.startswith(b"<%sc" % prefix,
                                                                     tag.start):
            if tag.empty:
                spans.append(Span(tag.start, tag.end, tag.attrs[:-1], b""))
                continue
            opened = tag
        if not tag.empty:
            depth += 1
    return gt, close, spans
