"""Streaming access to an .xlsx/.xlsm package: sheets, shared strings and rows.

Only the parts needed are read: the sheet is read in blocks of whole rows as an XML parser
reads it (rowscan.py: plain blocks with one regular-expression pass, any other by lxml), so
memory does not grow with it; the package layer (package.py) bounds every part's size and
spills the shared strings to a temporary file with an offset index.
"""

import re
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import Callable, Dict, Iterator, List, NamedTuple, Optional, Set, Tuple

from lxml import etree

from . import rowscan
from .errors import RegisterError, damaged
from .messages import msg, pair
from .package import (AMP, DOT, LOW, NS_MAIN, NS_STRICT, CellError, Limits,  # noqa: F401
                      SharedStrings, Zip, cell_value, column_index, column_letters,
                      compound_names, date1904, item_text, namespace, number, office_document,
                      read_rels, sheet_list, text_of_item, typed_value, unescape_x, ZIP_ERRORS,
                      one_line)
from .rowscan import MAX_ROW, NotPlain, OutsideGrid

EXCEL_EXTENSIONS = (".xlsx", ".xlsm")


class Deferred:
    """A shared string left undecoded until asked for (a column rarely needed)."""

    __slots__ = ("strings", "index")

    def __init__(self, strings: "SharedStrings", index: int):
        self.strings = strings
        self.index = index

    def text(self) -> object:
        """The string, or a CellError when the index points nowhere."""
        try:
            return self.strings.text_at(self.index)
        except IndexError:
            return CellError("#REF!")


class DeferredText(Deferred):
    """An inline string left undecoded (its character references and escapes) until asked."""

    __slots__ = ("raw",)

    def __init__(self, raw: bytes):
        self.raw = raw

    def text(self) -> object:
        try:
            return text_of_item(self.raw)
        except NotPlain:  # a reference to a character XML cannot hold
            return CellError("#VALUE!")


@dataclass
class SheetInfo:
    name: str
    part: str  # path inside the zip, e.g. xl/worksheets/sheet1.xml
    state: str = "visible"


class RowBlock(NamedTuple):
    """The rows of one block of a sheet: their numbers and, per wanted key, that column's
    values in row order (None: no value); a block lxml read gives each row's {key: value}
    instead (``rows``)."""

    numbers: List[int]
    columns: Optional[Dict[object, list]] = None
    rows: Optional[List[Dict[object, object]]] = None

    def row(self, i: int) -> Dict[object, object]:
        """The ``i``-th row's {key: value}."""
        if self.rows is not None:
            return self.rows[i]
        return {k: c[i] for k, c in self.columns.items() if c[i] is not None}

    def dicts(self) -> Iterator[Tuple[int, Dict[object, object]]]:
        """(row number, {key: value}) of each row, empty ones too."""
        if self.rows is not None:
            return zip(self.numbers, self.rows)
        keys = list(self.columns)
        return ((n, {k: x for k, x in zip(keys, row) if x is not None})
                for n, row in zip(self.numbers, zip(*self.columns.values())))

    def since(self, first_row: int) -> "RowBlock":
        """The block without its rows numbered before ``first_row``."""
        if not self.numbers or min(self.numbers) >= first_row:
            return self
        keep = [i for i, n in enumerate(self.numbers) if n >= first_row]
        numbers = [self.numbers[i] for i in keep]
        if self.rows is not None:
            return RowBlock(numbers, rows=[self.rows[i] for i in keep])
        return RowBlock(numbers, {k: [c[i] for i in keep] for k, c in self.columns.items()})


def open_package(path: Path, limits: Optional[Limits] = None) -> Zip:
    """Open a workbook package, or raise RegisterError with the fix in one sentence."""
    path = Path(path)
    if not path.exists():
        raise RegisterError(*pair("xlsx.missing", path=path))
    if path.is_dir():
        raise RegisterError(*pair("xlsx.is_folder", path=path))
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        with open(path, "rb") as fh:
            blob = fh.read(1 << 20)
            try:  # the directory may lie anywhere in the file: read it as the format says
                fh.seek(0)
                names = compound_names(fh)
            except ValueError:
                names = []
        if {"EncryptionInfo", "EncryptedPackage"} & set(names) \
                or "EncryptionInfo".encode("utf-16-le") in blob:
            raise RegisterError(*pair("xlsx.password", name=path.name))
        raise RegisterError(*pair("xlsx.old_xls", name=path.name))
    if path.suffix.lower() not in EXCEL_EXTENSIONS:
        raise RegisterError(*pair("xlsx.not_excel", name=path.name))
    zf = Zip(path, path.name, limits)
    names = set(zf.namelist())
    main = office_document(read_rels(zf, "")) if "_rels/.rels" in names else ""
    if not (main in names and main.split("/")[0] not in ("word", "ppt")) \
            and "xl/workbook.xml" not in names and not any(n.endswith("workbook.xml")
                                                           for n in names):
        zf.close()
        raise RegisterError(*pair("xlsx.not_excel_inside", name=path.name))
    return zf


class Workbook:
    """A workbook package opened for streaming reads."""

    def __init__(self, path: Path, limits: Optional[Limits] = None, zf: Optional[Zip] = None):
        """``zf``: the package already open (by the workbook editor); it stays open."""
        self.path = Path(path)
        self._owns_zf = zf is None
        self.zf = open_package(self.path, limits) if zf is None else zf
        try:
            self.workbook_part = office_document(read_rels(self.zf, ""))
            root = self.zf.xml(self.workbook_part)
            self.ns = namespace(root) or NS_MAIN
            self.date1904 = date1904(root)
            rels = read_rels(self.zf, self.workbook_part)
            self.sheets: List[SheetInfo] = [
                SheetInfo(e.name, e.part, e.state) for e in sheet_list(root, rels)
                if e.is_worksheet and e.part]
            self.sst_part: Optional[str] = next(
                (r.target for r in rels if r.type.endswith("/sharedStrings")), None)
            # The small parts every writer of the package relies on are checked now, so a
            # damaged one stops `check` as it would stop `run`.
            for rel in rels:
                if rel.type.endswith("/styles") and rel.target in self.zf:
                    self.zf.xml(rel.target)
            if "[Content_Types].xml" in self.zf:
                self.zf.xml("[Content_Types].xml")
        except BaseException:
            if self._owns_zf:
                self.zf.close()
            raise
        self._strings: Optional[SharedStrings] = None
        self.sheet_context: Optional[rowscan.Context] = None  # the last sheet read's

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
        raise RegisterError(*pair("xlsx.no_sheet", name=self.path.name, sheet=name,
                                  names=names))

    def rows(self, sheet: SheetInfo, columns: Optional[set] = None,
             first_row: int = 1, last_row: Optional[int] = None,
             only: Optional[Set[int]] = None, deferred: Optional[Set[object]] = None,
             blocks: Optional[Callable[[bytes, bool], None]] = None
             ) -> Iterator[Tuple[int, Dict[int, object]]]:
        """(row number, {column number: value}) for each non-empty row, streamed.

        ``columns`` limits which columns are decoded; given as a dict {column: key}, each
        row's values are keyed by those keys instead of column numbers. Values are str, int,
        float, bool or CellError. ``only`` skips every row not in it without decoding it;
        shared strings of the ``deferred`` keys may come as Deferred, decoded on demand.
        Rows before ``first_row`` are skipped cheaply; reading stops after ``last_row``.
        ``blocks(xml, plain)`` sees the sheet's XML as it is read, in the pieces of
        rowscan.sheet_blocks: the head up to and including <sheetData>, each block of whole
        rows (``plain``: PLAIN holds for it, proven by the reading findall), then the rest from
        """
        size = BLOCK if last_row is None or last_row > 1000 else SMALL_BLOCK
        for block in _iter_blocks(self, sheet.part, columns, first_row, only, deferred, blocks,
                                  size):
            for row_no, values in block.dicts():
                if last_row is not None and row_no > last_row:
                    return
                if values:
                    yield row_no, values

    def row_blocks(self, sheet: SheetInfo, columns: dict, first_row: int = 1,
                   only: Optional[Set[int]] = None, deferred: Optional[Set[object]] = None,
                   blocks: Optional[Callable[[bytes, bool], None]] = None
                   ) -> Iterator[RowBlock]:
        """rows() a block at a time, each wanted column's values in one list (see RowBlock):
        for readers that go through a column at once."""
        return _iter_blocks(self, sheet.part, columns, first_row, only, deferred, blocks,
                            BLOCK)

    def parse_rows(self, rows: List[Tuple[int, bytes]], columns: Optional[dict] = None,
                   deferred: Optional[Set[object]] = None, context=None
                   ) -> Iterator[Tuple[int, Dict[int, object]]]:
        """Like rows(), for rows given as (row number, the row's XML) that were picked out
        of the sheet while it streamed by elsewhere (``context``: the sheet's namespaces,
        a rowscan.Context; the usual ones without)."""
        parsers: Dict[bytes, "_CellParser"] = {}
        contexts: Dict[bytes, rowscan.Context] = {}
        for row_no, xml in rows:
            m = re.match(rb"<(\w+:)?row\b", xml)
            p = m.group(1) or b"" if m else b""
            parse = parsers.get(p)
            if parse is None:
                parse = parsers[p] = _CellParser(self, columns, p, None, deferred)
            ctx = context or self.sheet_context
            if ctx is None or ctx.prefix != p:
                ctx = contexts.get(p) or contexts.setdefault(p, rowscan.Context(p))
            parse.last_row = row_no - 1
            block, _ = _block_rows(parse, xml, ctx, p, self.path.name, "the register sheet")
            values = dict(block.dicts())
            if values.get(row_no):
                yield row_no, values[row_no]

    def detach(self) -> None:
        """Let go of the package file (the register may then be replaced) but keep the shared
        strings, so rows picked out of the sheet elsewhere can still be decoded."""
        if self.sst_part:
            self.strings  # noqa: B018 - loaded now, while the package is open
        if self._owns_zf:
            self.zf.close()

    def close(self) -> None:
        if self._strings is not None:
            self._strings.close()
        if self._owns_zf:
            self.zf.close()

    def __enter__(self) -> "Workbook":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


SST_CACHE_PER_COLUMN = 2000


def outside_grid(label: str, exc: OutsideGrid) -> RegisterError:
    """One sentence naming the cell (or row) beyond Excel's grid."""
    where = {lang: msg(lang, "xlsx.outside_row", row=exc.row) if not exc.col else
             msg(lang, "xlsx.outside_cell", cell=f"{column_letters(exc.col)}{exc.row}")
             for lang in ("en", "zh")}
    return RegisterError(*(msg(lang, "xlsx.outside_grid", label=label, where=where[lang])
                           for lang in ("en", "zh")))


BLOCK = 1 << 19
SMALL_BLOCK = 1 << 15


def _iter_blocks(book: Workbook, part: str, columns: Optional[set], first_row: int,
                 only: Optional[Set[int]], deferred: Optional[Set[object]], blocks, size: int
                 ) -> Iterator[RowBlock]:
    """The rows of a worksheet part, a block of whole rows at a time (rowscan: plain blocks
    with one regular expression, in C; any other block by lxml), from ``first_row`` on.

    ``blocks`` sees the sheet's bytes in order: the head up to and including <sheetData>,
    then each block of whole rows (with whether it was plain), then the rest from
    </sheetData> on (the last two only when the sheet is read to its end). ``size``: about
    how many bytes a block holds (a read of the first rows only takes small ones, so lxml,
    which reads them when every column is asked for, parses little more than those rows).
    """
    zf = book.zf
    label = book.path.name
    if part not in zf.namelist():
        raise damaged(label, f"missing {part}")
    parse = None
    try:
        with zf.open(part) as fh:
            pieces = rowscan.sheet_blocks(fh.read, size)
            kind, head, start = next(pieces)
            if not re.search(rb"<(\w+:)?worksheet\b", head[:1 << 16]):
                raise damaged(label, f"{part} is not a worksheet")
            if start is None:
                return  # no <sheetData>: no rows
            p, ctx = start.prefix, start.context
            book.sheet_context = ctx
            parse = _CellParser(book, columns, p, only, deferred)
            if blocks is not None:
                blocks(head, False)
            for kind, work, _ in pieces:
                if kind == "rest":
                    if blocks is not None:
                        blocks(work, False)
                    break
                block, plain = _block_rows(parse, work, ctx, p, label, part)
                if blocks is not None:
                    blocks(work, plain)
                yield block.since(first_row)
    except ZIP_ERRORS as exc:
        near = parse.last_row if parse is not None else 0
        raise damaged(label, f"{part} near row {near}: {one_line(exc)}") from None


def _block_rows(parse: "_CellParser", work: bytes, ctx, p: bytes, label: str, part: str):
    """(the block's RowBlock, whether it is plain: rowscan.plain, without a prefix)."""
    if parse.shape is not None and not p and not rowscan.suspect(work):
        try:  # one findall reads the rows and proves the block plain (row_shape_pattern)
            return parse.shaped(work), True
        except NotPlain:  # not plain, or a row, reference or row number only lxml may judge
            pass
    plain = not p and rowscan.plain(work)  # judged again only when the findall gave up
    try:
        return _read_block(parse, work, ctx), plain
    except OutsideGrid as exc:
        raise outside_grid(label, exc) from None
    except etree.XMLSyntaxError as exc:
        raise damaged(label, f"{part} near row {parse.last_row + 1}: {one_line(exc)}") from None


def _read_block(parse: "_CellParser", work: bytes, ctx):
    """The rows of a block in any layout, read by lxml; a row without r follows the one
    before it."""
    numbers, rows = [], []
    only, columns, keys = parse.only, parse.columns, parse.keys
    shared = parse.shared
    for row_no, cells in rowscan.read_rows(work, ctx, parse.last_row, columns):
        parse.last_row = row_no
        if only is not None and row_no not in only:
            continue
        values: Dict[int, object] = {}
        for cell in cells:
            if columns is not None and cell.col not in columns:
                continue
            key = keys[cell.col] if keys else cell.col
            value = cell_value(cell.t, cell.v, cell.inline,
                               lambda i, key=key: shared(b"%d" % i, key))
            if value is not None:
                values[key] = value
        numbers.append(row_no)
        rows.append(values)
    return RowBlock(numbers, rows=rows)


_V = re.compile(rb"<v>([^<]*)</v>")
# An & that starts no reference a parser accepts (searched in C, for texts left undecoded)
_BAD_REFERENCE = re.compile(rb"&(?!#[0-9]{1,7};|#x[0-9a-fA-F]{1,6};|amp;|lt;|gt;|quot;|apos;)")
_IS = re.compile(rb"<is><t(?: xml:space=\"preserve\")?>([^<]*)</t></is>")


class _CellParser:
    """Turns the rows of a plain block (the findall of rowscan.row_shape_pattern) into
    {column: value}, as package.cell_value turns the cells lxml reads (a test holds the two
    to the same values). Each wanted column of a block is decoded at once, by one
    comprehension for the usual forms (numbers, shared strings, inline strings), instead of
    cell by cell."""

    def __init__(self, book: Workbook, columns, prefix: bytes, only=None, deferred=None):
        self.book = book
        self.columns = columns
        self.keys = columns if isinstance(columns, dict) else None
        self.only = only
        self.deferred = deferred or set()
        self.prefix = prefix
        self.strings: Optional[SharedStrings] = None
        self.sst_cache: Dict[object, Dict[bytes, str]] = {}
        self.inline_cache: Dict[object, Dict[bytes, str]] = {}
        self.last_row = 0  # the number of the last row seen (rows without r follow it)
        self.shape = None  # the findall of the wanted columns' row shape (None: all columns)
        if columns is not None:
            # Columns beyond XFD get no slot: a cell there is then no plain byte (lxml names it)
            numbers = sorted(c for c in columns if 0 < c <= rowscan.MAX_COLUMN)
            self.slot_keys = [self.keys[c] if self.keys else c for c in numbers]
            self.shape = rowscan.row_shape_pattern(tuple(column_letters(c) for c in numbers))

    def shaped(self, work: bytes) -> RowBlock:
        """The rows of a block, each wanted column decoded at once; NotPlain unless one row
        shape findall reads the whole block (an odd byte: not plain, or a plain row the shape
        does not fit) or when a row or text is for lxml to judge."""
        found = self.shape.findall(work)
        cols = list(zip(*found))
        if cols and any(cols[-1]):
            raise NotPlain("not rows of the wanted columns' shape")
        if cols and b"" in cols[0]:  # whitespace between rows
            cols = list(zip(*(f for f in found if f[0])))
        if not cols:
            return RowBlock([], {k: [] for k in self.slot_keys})
        numbers = list(map(int, cols[0]))
        if max(numbers) > MAX_ROW:
            raise NotPlain("beyond the grid: lxml's reading names the cell")
        last = numbers[-1]
        only = self.only
        if only is not None:  # rows not asked for are not decoded
            keep = [i for i, n in enumerate(numbers) if n in only]
            numbers = [numbers[i] for i in keep]
            cols = [[c[i] for i in keep] for c in cols]
        per_column = []
        column = self.column
        for i, key in enumerate(self.slot_keys):
            at = 1 + rowscan.SHAPE_GROUPS * i
            t, t2, v, raw, body = cols[at:at + rowscan.SHAPE_GROUPS]
            if any(t2):  # t after s in some cells, t first in others (or only t first)
                t = [a or b for a, b in zip(t, t2)] if any(t) else t2
            per_column.append(column(key, t, v, raw, body))
        self.last_row = last
        return RowBlock(numbers, dict(zip(self.slot_keys, per_column)))

    def column(self, key, ts, vs, raws, bodies) -> list:
        """The values of one column's cells in a block (None: no value), as cell() reads
        each; the usual forms in one comprehension."""
        cell = self.cell
        if not any(bodies) and not any(raws):  # <v> cells and empty ones
            if not any(ts):  # numbers only (a time column): the shortest test first
                try:
                    return [None if not v else float(v) if DOT in v else
                            int(v) if v.isdigit() else cell(key, b"", v, b"", b"")
                            for v in vs]
                except ValueError:
                    pass  # a number float() refuses: each cell as cell() reads it
            cache = self.sst_cache.get(key)
            if cache is None:
                cache = self.sst_cache[key] = {}
            get = cache.get
            if key in self.deferred:  # a shared string left undecoded until asked for
                strings = self.book.strings
                if not cache and ts.count(b"s") == len(ts) and b"" not in vs and \
                        b"".join(vs).isdigit():  # (the comprehension's reading, in C)
                    return list(map(Deferred, repeat(strings), map(int, vs)))
                shared = lambda v: Deferred(strings, int(v))  # noqa: E731
            else:
                shared = _later  # looked up below, all at once
                n_s = ts.count(b"s")
                if n_s == len(ts):  # shared strings only: the cache answers in C
                    return self._all_shared(key, list(map(get, vs)), vs)
            try:
                if shared is _later and n_s * 2 > len(ts):  # mostly shared: the cache first
                    values = [h if h and t == b"s" else
                              None if not v else
                              float(v) if not t and DOT in v else
                              int(v) if not t and v.isdigit() else
                              _missed if t == b"s" and v.isdigit() else
                              cell(key, t, v, b"", b"")
                              for h, t, v in zip(map(get, vs), ts, vs)]
                else:
                    values = [None if not v else
                              float(v) if not t and DOT in v else
                              int(v) if not t and v.isdigit() else
                              (get(v) or shared(v)) if t == b"s" and v.isdigit() else
                              cell(key, t, v, b"", b"")
                              for t, v in zip(ts, vs)]
            except ValueError:
                pass  # a number float() refuses: each cell as cell() reads it
            else:
                if shared is _later and b"s" in ts:
                    self._look_up(key, values, vs)
                return values
        elif not any(vs) and not any(bodies) and key not in self.deferred:
            texts = self.inline_cache.get(key)
            if texts is None:
                texts = self.inline_cache[key] = {}
            get = texts.get
            try:
                return [None if not r else
                        r.decode("utf-8") if t == b"inlineStr" and AMP not in r
                        and (LOW not in r or b"_x" not in r) else
                        get(r) or cell(key, t, b"", r, b"")
                        for t, r in zip(ts, raws)]
            except ValueError:
                pass  # not UTF-8: cell() says so as the reader always has
        return [cell(key, t, v, r, b) if v or r or b else None
                for t, v, r, b in zip(ts, vs, raws, bodies)]

    def _all_shared(self, key, values: list, vs) -> list:
        """A column whose cells are all typed shared strings: ``values`` holds what the
        column's cache knew (None elsewhere); the rest is read as the comprehension in
        column() reads it (an empty cell is None, an index the cache lacks is looked up)."""
        if None in values:
            cell = self.cell
            for i in [i for i, x in enumerate(values) if x is None]:
                v = vs[i]
                values[i] = None if not v else _missed if v.isdigit() else \
                    cell(key, b"s", v, b"", b"")
            self._look_up(key, values, vs)
        return values

    def _look_up(self, key, values: list, vs) -> None:
        """The shared strings a column's cells name that its cache did not hold (the
        _missed in ``values``), looked up in one pass and put in their places."""
        missed = [i for i, x in enumerate(values) if x is _missed]
        if not missed:
            return
        if self.strings is None:
            self.strings = self.book.strings
        indices = [int(vs[i]) for i in missed]
        wanted = sorted(set(indices))  # each once, in table order: the read-ahead sweeps on
        try:
            text_of = dict(zip(wanted, self.strings.texts(wanted)))
        except (IndexError, ValueError):  # an index past the table, a damaged item: #REF!
            texts = [self.shared(vs[i], key) for i in missed]
        else:
            texts = [text_of[n] for n in indices]
        cache = self.sst_cache[key]
        room = SST_CACHE_PER_COLUMN - len(cache)
        for i, text in zip(missed, texts):
            values[i] = text
            if room > 0:
                cache[vs[i]] = text
                room -= 1

    def cell(self, key, t: bytes, v: bytes, raw: bytes, body: bytes):
        """One cell's value from the shape's groups: its type, its <v> text, its plain
        inline text, its other content (None: no value)."""
        if v:
            if not t:
                if v.isdigit():
                    return int(v)
                if AMP not in v:
                    try:  # package.number's reading, its commonest case in line
                        return float(v) if DOT in v else number(v)
                    except ValueError:
                        pass
            elif t == b"s":
                hit = self.sst_cache.get(key, _NO_CACHE).get(v)  # keys: digits only
                if hit is None and v.isdigit():
                    hit = Deferred(self.book.strings, int(v)) if key in self.deferred \
                        else self.shared(v, key)
                if hit is not None:
                    return hit
            body = b"<v>" + v + b"</v>"
        elif raw and t != b"inlineStr":
            body = b"<is><t>" + raw + b"</t></is>"
        elif raw:
            if AMP not in raw and (LOW not in raw or b"_x" not in raw):
                return raw.decode("utf-8")
            # Exported registers write characters as &#NNNNN;: decode each distinct text of
            # a column once, and the rarely needed columns only when asked.
            texts = self.inline_cache.get(key)
            if texts is None:
                texts = self.inline_cache[key] = {}
            hit = texts.get(raw)
            if hit is None:
                if key in self.deferred:
                    if _BAD_REFERENCE.search(raw):
                        raise NotPlain("a reference lxml is to judge")
                    return DeferredText(raw)
                hit = text_of_item(raw)
                if len(texts) < SST_CACHE_PER_COLUMN:
                    texts[raw] = hit
            return hit
        elif not body:
            return None
        return self.value(t.decode("ascii") if t else "n", body, key)

    def value(self, t: str, body: bytes, col_no):
        """The value of one cell of a plain block from its type and the XML inside it."""
        if t == "inlineStr":
            im = _IS.search(body)
            return text_of_item(im.group(1)) if im else None
        vm = _V.search(body)
        v = rowscan.text(vm.group(1)) if vm else None
        return cell_value(t, v, None, lambda i: self.shared(b"%d" % i, col_no))

    def shared(self, text: bytes, col_no):
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
        if len(cache) < SST_CACHE_PER_COLUMN and text.isdigit():
            cache[text] = value
        return value


_NO_CACHE: Dict[bytes, str] = {}


_missed = object()  # a shared-string cell whose text is looked up with its column's


def _later(v: bytes) -> object:
    return _missed
