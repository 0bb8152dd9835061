"""Streaming access to an .xlsx/.xlsm package: sheets, shared strings and rows.

Only the parts needed are read, row by row, with lxml's iterparse; elements are freed as
soon as a row is handled, so memory does not grow with the sheet. Shared strings are spilled
to a temporary file with an offset index, so even a million-row table costs little memory.
"""

import mmap
import os
import posixpath
import re
import tempfile
import zipfile
from zlib import error as zlib_error
from array import array
from itertools import accumulate
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Set, Tuple

from xml.etree import ElementTree as etree  # the parts read whole are small

from .errors import RegisterError, damaged

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
EXCEL_EXTENSIONS = (".xlsx", ".xlsm")

_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


class CellError(str):
    """An Excel error value such as #N/A."""


class Deferred:
    """A shared string left undecoded until asked for (a column rarely needed)."""

    __slots__ = ("strings", "index")

    def __init__(self, strings: "SharedStrings", index: int):
        self.strings = strings
        self.index = index

    def text(self) -> object:
        """The string, or a CellError when the index points nowhere."""
        try:
            return self.strings[self.index]
        except IndexError:
            return CellError("#REF!")


@dataclass
class SheetInfo:
    name: str
    part: str  # path inside the zip, e.g. xl/worksheets/sheet1.xml
    state: str = "visible"


def column_index(letters: str) -> int:
    """1-based column number of column letters ('A' -> 1)."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(index: int) -> str:
    """Column letters of a 1-based column number (1 -> 'A')."""
    out = ""
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def open_package(path: Path) -> zipfile.ZipFile:
    """Open a workbook package, or raise RegisterError with the fix in one sentence."""
    path = Path(path)
    if not path.exists():
        raise RegisterError(f"{path} does not exist; check the file name and folder",
                            zh=f"找不到 {path}；请检查文件名和所在文件夹")
    if path.is_dir():
        raise RegisterError(f"{path} is a folder, not a workbook; give the register's .xlsx file",
                            zh=f"{path} 是文件夹，不是工作簿；请指定台账的 .xlsx 文件")
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        with open(path, "rb") as fh:
            blob = fh.read(1 << 20)
        if "EncryptionInfo".encode("utf-16-le") in blob:
            raise RegisterError(f"{path.name} is password-protected; remove the password in "
                                "Excel (File > Info > Protect Workbook) and run again",
                                zh=f"{path.name} 设有密码；请在 Excel 中取消密码（文件 > 信息 > "
                                "保护工作簿）后再运行")
        raise RegisterError(f"{path.name} is an old .xls workbook; open it in Excel and save it "
                            "as .xlsx, then run again",
                            zh=f"{path.name} 是旧的 .xls 工作簿；请在 Excel 中另存为 .xlsx 后再运行")
    if path.suffix.lower() not in EXCEL_EXTENSIONS:
        raise RegisterError(f"{path.name} is not an Excel workbook (.xlsx or .xlsm); save the "
                            "register as .xlsx and run again",
                            zh=f"{path.name} 不是 Excel 工作簿（.xlsx 或 .xlsm）；请把台账保存为 .xlsx "
                            "后再运行")
    try:
        zf = zipfile.ZipFile(path)
        names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise damaged(path.name, f"cannot be opened: {exc}") from None
    if "xl/workbook.xml" not in names and not any(n.endswith("workbook.xml") for n in names):
        zf.close()
        raise RegisterError(f"{path.name} is not an Excel workbook inside; save the register "
                            "as .xlsx and run again",
                            zh=f"{path.name} 的内容不是 Excel 工作簿；请把台账保存为 .xlsx 后再运行")
    return zf


def _parse(zf: zipfile.ZipFile, part: str, label: str):
    try:
        return etree.fromstring(zf.read(part))
    except (KeyError, etree.ParseError, zipfile.BadZipFile, OSError, EOFError) as exc:
        raise damaged(label, f"{part}: {exc}") from None


def _rels_path(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def read_rels(zf: zipfile.ZipFile, part: str) -> Dict[str, Tuple[str, str]]:
    """Relationships of a part: id -> (type, absolute target path inside the zip)."""
    rels_part = _rels_path(part)
    if rels_part not in zf.namelist():
        return {}
    root = _parse(zf, rels_part, posixpath.basename(zf.filename or "the workbook"))
    base = posixpath.dirname(part)
    out = {}
    for rel in root:
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            resolved = target
        elif target.startswith("/"):
            resolved = target.lstrip("/")
        else:
            resolved = posixpath.normpath(posixpath.join(base, target))
        out[rel.get("Id")] = (rel.get("Type", ""), resolved)
    return out


class Workbook:
    """A workbook package opened for streaming reads."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.zf = open_package(self.path)
        self.workbook_part = self._find_workbook_part()
        root = _parse(self.zf, self.workbook_part, self.path.name)
        ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else NS_MAIN
        self.ns = ns
        pr = root.find(f"{{{ns}}}workbookPr")
        self.date1904 = pr is not None and pr.get("date1904") in ("1", "true")
        rels = read_rels(self.zf, self.workbook_part)
        self.sheets: List[SheetInfo] = []
        sheets_el = root.find(f"{{{ns}}}sheets")
        rel_ns = (NS_REL if ns == NS_MAIN
                  else "http://purl.oclc.org/ooxml/officeDocument/relationships")
        for sh in (sheets_el if sheets_el is not None else []):
            rid = sh.get(f"{{{rel_ns}}}id")
            if rid in rels and rels[rid][0].endswith("/worksheet"):
                self.sheets.append(SheetInfo(sh.get("name"), rels[rid][1],
                                             sh.get("state", "visible")))
        self.sst_part: Optional[str] = next(
            (target for kind, target in rels.values() if kind.endswith("/sharedStrings")), None)
        self._strings: Optional[SharedStrings] = None

    def _find_workbook_part(self) -> str:
        try:
            root = etree.fromstring(self.zf.read("_rels/.rels"))
            for rel in root:
                if rel.get("Type", "").endswith("/officeDocument"):
                    return rel.get("Target").lstrip("/")
        except (KeyError, etree.ParseError):
            pass
        return "xl/workbook.xml"

    @property
    def strings(self) -> "SharedStrings":
        if self._strings is None:
            self._strings = SharedStrings(self.zf, self.sst_part, self.path.name)
        return self._strings

    def sheet(self, name: str) -> SheetInfo:
        for info in self.sheets:
            if info.name == name:
                return info
        names = ", ".join(s.name for s in self.sheets)
        raise RegisterError(f'{self.path.name} has no sheet named "{name}"; sheets are: {names}'
                            "; fix [register] sheet in officebot.toml",
                            zh=f"{self.path.name} 没有名为“{name}”的工作表（现有：{names}）；"
                            "请改正 officebot.toml 中 [register] 的 sheet")

    def rows(self, sheet: SheetInfo, columns: Optional[set] = None,
             first_row: int = 1, last_row: Optional[int] = None,
             only: Optional[Set[int]] = None, deferred: Optional[Set[object]] = None
             ) -> Iterator[Tuple[int, Dict[int, object]]]:
        """(row number, {column number: value}) for each non-empty row, streamed.

        ``columns`` limits which columns are decoded; given as a dict {column: key}, each
        row's values are keyed by those keys instead of column numbers. Values are str, int,
        float, bool or CellError. ``only`` skips every row not in it without decoding it;
        shared strings of the ``deferred`` keys may come as Deferred, decoded on demand.
        Rows before ``first_row`` are skipped cheaply; reading stops after ``last_row``.
        """
        return _iter_rows(self, sheet.part, columns, first_row, last_row, only, deferred)

    def parse_rows(self, rows: List[Tuple[int, bytes]], columns: Optional[dict] = None,
                   deferred: Optional[Set[object]] = None
                   ) -> Iterator[Tuple[int, Dict[int, object]]]:
        """Like rows(), for rows given as (row number, the row's XML) that were picked out
        of the sheet while it streamed by elsewhere."""
        parsers: Dict[bytes, tuple] = {}
        for row_no, xml in rows:
            m = re.match(rb"<(\w+:)?row\b", xml)
            p = re.escape(m.group(1)) if m and m.group(1) else b""
            if p not in parsers:
                row_re, cell_re, v_re, is_re = _row_patterns(p)
                parsers[p] = (row_re, cell_re,
                              _CellParser(self, columns, v_re, is_re, p, None, deferred))
            row_re, cell_re, parse = parsers[p]
            rm = row_re.match(xml)
            body = rm.group(2) if rm else None
            values = parse.row(cell_re.finditer(body)) if body else {}
            if values:
                yield row_no, values

    def close(self) -> None:
        if self._strings is not None:
            self._strings.close()
        self.zf.close()

    def __enter__(self) -> "Workbook":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_X_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape_x(text: str) -> str:
    """Decode Excel's _xHHHH_ escapes for characters XML cannot hold."""
    if "_x" not in text:
        return text
    text = _X_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    if _SURROGATE.search(text):  # an emoji escaped as two halves (_xD83D__xDE00_): join them
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text


_SURROGATE = re.compile("[\ud800-\udfff]")


class SharedStrings:
    """The shared-strings table, kept decompressed in a temporary file and decoded lazily.

    Only the byte offsets of the items stay in memory (8 or 16 bytes a string), found while
    the part is decompressed; a string is read back and unescaped when a cell asks for it,
    so a table of millions of strings costs little memory.
    """

    def __init__(self, zf: zipfile.ZipFile, part: Optional[str], label: str):
        self._file = tempfile.TemporaryFile(prefix="officebot-sst-")
        self._prefix = b""
        self._window, self._window_at = b"", 0
        self._starts, self._ends = array("q"), array("q")
        if not part or part not in zf.namelist():
            return
        if zf.getinfo(part).file_size < 1 << 32:  # 4-byte offsets halve the index
            self._starts, self._ends = array("I"), array("I")
        try:
            with zf.open(part) as fh:
                plain, tail = self._copy_and_index(fh)
        except (zipfile.BadZipFile, OSError, EOFError, zlib_error) as exc:
            raise damaged(label, f"shared strings: {exc}") from None
        self._file.flush()
        if self._file.tell() and not re.search(rb"</(\w+:)?sst>\s*$", tail):
            raise damaged(label, "its shared strings are cut short")
        if not plain:
            self._index_by_pattern()

    def _copy_and_index(self, fh) -> Tuple[bool, bytes]:
        """Decompress into the file, noting where Excel's plain <si>...</si> items are.
        Returns (whether every item was plain, the last bytes of the part)."""
        write, starts, ends = self._file.write, self._starts, self._ends
        carry, base, tail, plain = b"", 0, b"", None
        while True:
            block = fh.read(SST_BLOCK)
            if not block:
                return bool(plain), tail
            write(block)
            tail = (tail + block)[-64:]
            if plain is None:
                m = re.search(rb"<(\w+:)?sst\b", block[:1000])
                plain = not (m and m.group(1))
            if not plain:
                continue
            data = carry + block
            if b"<si " in data or b"<si/" in data:
                plain = False  # items with attributes: the general pattern indexes them
                continue
            pieces = data.split(b"</si>")
            carry = pieces.pop()
            if not pieces:
                continue
            # Excel writes the items back to back: every piece after the first starts with
            # <si>. Then the offsets are sums of the piece lengths, added up in C.
            if data.count(b"</si><si>") != len(pieces) - 1 + carry.startswith(b"<si>"):
                plain = False
                continue
            first = pieces[0].rfind(b"<si>")
            if first < 0:
                plain = False
                continue
            bounds = list(accumulate(map(_PLUS_5, map(len, pieces)), initial=base))
            starts.append(base + first + 4)
            starts.extend(map(_PLUS_4, bounds[1:-1]))
            ends.extend(map(_MINUS_5, bounds[1:]))
            base = bounds[-1]

    def _index_by_pattern(self) -> None:
        """Index items of any form (prefixed tags, attributes) with a regular expression."""
        del self._starts[:], self._ends[:]
        with mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            prefix = re.search(rb"<(\w+:)?sst\b", mm[:1000])
            p = re.escape(prefix.group(1)) if prefix and prefix.group(1) else b""
            self._prefix = p
            item = re.compile(rb"<" + p + rb"si(?:\s[^>]*)?(?:/>|>(.*?)</" + p + rb"si>)", re.S)
            for m in item.finditer(mm):
                s, e = m.span(1)
                self._starts.append(max(s, 0))
                self._ends.append(max(e, 0))

    def __len__(self) -> int:
        return len(self._starts)

    def __getitem__(self, index: int) -> str:
        start, end = self._starts[index], self._ends[index]
        if start >= end:
            return ""
        return item_text(self._read(start, end - start), self._prefix)

    def _read(self, offset: int, size: int) -> bytes:
        # Cells ask for strings roughly in table order: serve them from a window read ahead.
        rel = offset - self._window_at
        if 0 <= rel and rel + size <= len(self._window):
            return self._window[rel:rel + size]
        length = max(size, SST_WINDOW)
        if _pread is not None:
            self._window = _pread(self._file.fileno(), length, offset)
        else:
            self._file.seek(offset)
            self._window = self._file.read(length)
        self._window_at = offset
        return self._window[:size]

    def close(self) -> None:
        self._file.close()


SST_BLOCK = 1 << 20
_PLUS_4, _PLUS_5, _MINUS_5 = (4).__add__, (5).__add__, (-5).__add__
SST_WINDOW = 1 << 16
_pread = getattr(os, "pread", None)  # not on Windows: seek and read there


SST_CACHE_PER_COLUMN = 2000

_ENTITY = re.compile(r"&(#x[0-9A-Fa-f]+|#\d+|amp|lt|gt|quot|apos);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _entity(m) -> str:
    name = m.group(1)
    if name[0] == "#":
        return chr(int(name[2:], 16) if name[1] in "xX" else int(name[1:]))
    return _ENTITIES[name]


def unescape_xml(text: str) -> str:
    """Undo XML escaping in element text."""
    return _ENTITY.sub(_entity, text) if "&" in text else text


_SIMPLE_T = re.compile(rb"<t(?:\s[^>]*)?>([^<]*)</t>")
_PHONETIC = re.compile(rb"<(\w+:)?rPh\b.*?</(\w+:)?rPh>", re.S)
_CDATA = re.compile(rb"<!\[CDATA\[(.*?)\]\]>", re.S)
_ANY_T = re.compile(rb"<(?:\w+:)?t(?:\s[^>]*)?(?:/>|>([^<]*)</(?:\w+:)?t>)")


def item_text(body: bytes, prefix: bytes = b"") -> str:
    """Text of a shared-string item or inline string body (its XML between the tags)."""
    if not prefix and body[:3] == b"<t>" and body[-4:] == b"</t>" and body.count(b"<") == 2:
        text = body[3:-4].decode("utf-8")  # the usual item: one plain <t>
        if "&" in text:
            text = unescape_xml(text)
        return _unescape_x(text) if "_x" in text else text
    if not prefix:
        m = _SIMPLE_T.fullmatch(body)
        if m:
            return _unescape_x(unescape_xml(m.group(1).decode("utf-8")))
    if b"<![CDATA[" in body:
        body = _CDATA.sub(lambda m: m.group(1).replace(b"&", b"&amp;").replace(b"<", b"&lt;"),
                          body)
    body = _PHONETIC.sub(b"", body)
    text = "".join((m.group(1) or b"").decode("utf-8") for m in _ANY_T.finditer(body))
    return _unescape_x(unescape_xml(text))


def _number(text: str):
    if "." in text or "E" in text or "e" in text:
        value = float(text)
        return value
    return int(text)


def _iter_rows(book: Workbook, part: str, columns: Optional[set], first_row: int,
               last_row: Optional[int], only: Optional[Set[int]] = None,
               deferred: Optional[Set[object]] = None
               ) -> Iterator[Tuple[int, Dict[int, object]]]:
    """Rows of a worksheet part, scanned with regular expressions over streamed blocks.

    Sheet XML is regular (rows of <c> cells with <v> or inline <is> values), and scanning the
    bytes is several times faster than building an element per cell.
    """
    zf = book.zf
    if part not in zf.namelist():
        raise damaged(book.path.name, f"missing {part}")
    row_no = 0
    try:
        with zf.open(part) as fh:
            head = fh.read(1 << 16)
            m = re.search(rb"<(\w+:)?worksheet\b", head)
            if m is None:
                raise damaged(book.path.name, f"{part} is not a worksheet")
            p = re.escape(m.group(1)) if m.group(1) else b""
            row_re, cell_re, v_re, is_re = _row_patterns(p)
            parse = _CellParser(book, columns, v_re, is_re, p, only, deferred)
            row_end = b"</" + (m.group(1) or b"") + b"row>"
            buf = head
            done = False
            while not done:
                block = fh.read(1 << 19)
                if block:
                    buf += block
                    cut = buf.rfind(row_end)
                    if cut < 0:
                        continue
                    cut += len(row_end)
                    work, buf = buf[:cut], buf[cut:]
                else:
                    work, buf, done = buf, b"", True
                rows = _fast_rows(work, parse) if not p else None
                if rows is None:  # unusual layout: the general, slower scan
                    rows = _general_rows(work, row_re, cell_re, parse, row_no)
                for row_no, values in rows:
                    if row_no < first_row:
                        continue
                    if last_row is not None and row_no > last_row:
                        return
                    if values:
                        yield row_no, values
    except (zipfile.BadZipFile, OSError, EOFError, zlib_error) as exc:
        raise damaged(book.path.name, f"near row {row_no}: {exc}") from None


def _row_patterns(p: bytes):
    """Regular expressions for <row>, <c>, <v> and <is> with the (escaped) tag prefix p."""
    return (re.compile(rb"<" + p + rb"row\b([^>]*?)(?:/>|>(.*?)</" + p + rb"row>)", re.S),
            re.compile(rb"<" + p + rb"c\b([^>]*?)(?:/>|>(.*?)</" + p + rb"c>)", re.S),
            re.compile(rb"<" + p + rb"v(?:\s[^>]*)?>([^<]*)</" + p + rb"v>"),
            re.compile(rb"<" + p + rb"is>(.*?)</" + p + rb"is>", re.S))


def _general_rows(work: bytes, row_re, cell_re, parse, row_no: int):
    rows = []
    for rm in row_re.finditer(work):
        r = _ATTR_R.search(rm.group(1))
        row_no = int(r.group(1)) if r else row_no + 1
        body = rm.group(2)
        if parse.only is None or row_no in parse.only:
            rows.append((row_no, parse.row(cell_re.finditer(body)) if body else {}))
    return rows


# Excel, openpyxl and XlsxWriter write <row r=".."> and <c r=".." s=".." t=".."> in this
# order; one findall over a whole block then does the work in C, and only the cells of the
# wanted columns become Python objects.
_FAST_ROW = rb'<row r="(\d+)"[^>]*>'
_FAST_CELL = (rb'|<c r="({letters})\d+"(?: s="\d+")?(?: t="(\w+)")?(?: s="\d+")?[^>]*?'
              rb'(?:/>|><v>([^<]*)</v></c>|>(.*?)</c>)')
# A cell or row without its reference first: the block needs the general scan.
_UNUSUAL = re.compile(rb'<row(?! r=")|<c(?:[>/]|\s(?!r="))')
_fast_patterns: Dict[Optional[frozenset], "re.Pattern"] = {}


def _fast_pattern(columns: Optional[set]):
    key = frozenset(columns) if columns is not None else None
    pattern = _fast_patterns.get(key)
    if pattern is None:
        if columns is None:
            letters = rb"[A-Z]+"
        else:
            names = sorted((column_letters(c) for c in columns), key=len, reverse=True)
            letters = b"|".join(n.encode("ascii") for n in names) or b"(?!)"
        pattern = _fast_patterns[key] = re.compile(
            _FAST_ROW + _FAST_CELL.replace(b"{letters}", letters), re.S)
    return pattern


def _fast_rows(work: bytes, parse: "_CellParser"):
    """Rows of a block in the common layout, or None when the block holds anything else."""
    if _UNUSUAL.search(work):
        return None
    return parse.fast(_fast_pattern(parse.columns).findall(work))


_ATTR_R = re.compile(rb"""\br=["']([0-9]+)["']""")
_CELL_ATTR_R = re.compile(rb"""\br=["']([A-Z]+)[0-9]*["']""")
_CELL_ATTR_T = re.compile(rb"""\bt=["'](\w+)["']""")


class _CellParser:
    """Turns the <c> matches of one row into {column: value}."""

    def __init__(self, book: Workbook, columns, v_re, is_re, prefix: bytes, only=None,
                 deferred=None):
        self.book = book
        self.columns = columns
        self.keys = columns if isinstance(columns, dict) else None
        self.only = only
        self.deferred = deferred or set()
        self.col_cache: Dict[bytes, object] = {}
        self.v_re = v_re
        self.is_re = is_re
        self.prefix = prefix
        self.strings: Optional[SharedStrings] = None
        self.sst_cache: Dict[int, Dict[bytes, str]] = {}

    def key_of(self, letters: bytes):
        """The key of a column's values: its number, or its key from a {column: key} map."""
        key = self.col_cache.get(letters)
        if key is None:
            key = column_index(letters.decode("ascii"))
            key = self.col_cache[letters] = self.keys[key] if self.keys else key
        return key

    def fast(self, found) -> List[Tuple[int, Dict[int, object]]]:
        """{column: value} per row from _FAST matches (row, letters, type, <v> text, body)."""
        rows: List[Tuple[int, Dict[int, object]]] = []
        values: Dict[int, object] = {}
        cache = self.col_cache
        sst_cache = self.sst_cache
        value_of = self.value
        deferred = self.deferred
        only = self.only
        skip = False
        for r, letters, t, v, body in found:
            if r:
                values = {}
                row_no = int(r)
                skip = only is not None and row_no not in only
                if not skip:
                    rows.append((row_no, values))
                continue
            if skip:
                continue
            col_no = cache.get(letters)
            if col_no is None:
                col_no = self.key_of(letters)
            if v:  # the commonest cells: <v> alone, a number or a shared-string index
                if not t:
                    try:
                        values[col_no] = int(v) if v.isdigit() else float(v)
                        continue
                    except ValueError:
                        pass
                elif t == b"s":
                    hit = sst_cache.get(col_no, _NO_CACHE).get(v)
                    if hit is None and col_no in deferred:
                        hit = Deferred(self.book.strings, int(v))
                    values[col_no] = hit if hit is not None else self.shared(v, col_no)
                    continue
                body = b"<v>" + v + b"</v>"
            elif not body:
                continue
            elif (t == b"inlineStr" and body[:7] == b"<is><t>" and body[-9:] == b"</t></is>"
                  and body.count(b"<") == 4 and b"&" not in body and b"_x" not in body):
                values[col_no] = body[7:-9].decode("utf-8")
                continue
            value = value_of(t or b"n", body, col_no)
            if value is not None:
                values[col_no] = value
        return rows

    def row(self, cells) -> Dict[int, object]:
        values: Dict[int, object] = {}
        col_no = 0
        columns = self.columns
        for cm in cells:
            attrs = cm.group(1)
            ref = _CELL_ATTR_R.search(attrs)
            col_no = column_index(ref.group(1).decode("ascii")) if ref else col_no + 1
            if columns is not None and col_no not in columns:
                continue
            body = cm.group(2)
            if not body:
                continue
            tm = _CELL_ATTR_T.search(attrs) if b"t=" in attrs else None
            key = self.keys[col_no] if self.keys else col_no
            value = self.value(tm.group(1) if tm else b"n", body, key)
            if value is not None:
                values[key] = value
        return values

    def value(self, t: bytes, body: bytes, col_no: int):
        """The value of one cell from its type and the XML inside it (None when empty)."""
        if t == b"inlineStr":
            im = self.is_re.search(body)
            return item_text(im.group(1), self.prefix) if im else None
        vm = self.v_re.search(body)
        if vm is None:
            return None
        text = vm.group(1)
        if t == b"s":
            return self.shared(text, col_no)
        if t == b"n":
            try:
                return _number(text.decode("ascii"))
            except (ValueError, UnicodeDecodeError):
                return unescape_xml(text.decode("utf-8"))
        if t == b"str":
            return _unescape_x(unescape_xml(text.decode("utf-8")))
        if t == b"b":
            return text.strip() in (b"1", b"true")
        if t == b"e":
            return CellError(text.decode("utf-8"))
        return text.decode("utf-8")  # "d": an ISO 8601 date written by some tools

    def shared(self, text: bytes, col_no: int):
        """A shared string; columns with few distinct values keep them decoded once."""
        if self.strings is None:
            self.strings = self.book.strings
        try:
            value = self.strings[int(text)]
        except (IndexError, ValueError):
            return CellError("#REF!")
        cache = self.sst_cache.get(col_no)
        if cache is None:
            cache = self.sst_cache[col_no] = {}
        if len(cache) < SST_CACHE_PER_COLUMN:
            cache[text] = value
        return value


_NO_CACHE: Dict[bytes, str] = {}
