"""Streaming access to an .xlsx/.xlsm package: sheets, shared strings and rows.

Only the parts needed are read, row by row, with lxml's iterparse; elements are freed as
soon as a row is handled, so memory does not grow with the sheet. Shared strings are spilled
to a temporary file with an offset index, so even a million-row table costs little memory.
"""

import mmap
import posixpath
import re
import tempfile
import zipfile
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

from lxml import etree

from .errors import RegisterError

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
EXCEL_EXTENSIONS = (".xlsx", ".xlsm")

_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


class CellError(str):
    """An Excel error value such as #N/A."""


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
        raise RegisterError(f"{path} does not exist; check the file name and folder")
    if path.is_dir():
        raise RegisterError(f"{path} is a folder, not a workbook; give the register's .xlsx file")
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        with open(path, "rb") as fh:
            blob = fh.read(1 << 20)
        if "EncryptionInfo".encode("utf-16-le") in blob:
            raise RegisterError(f"{path.name} is password-protected; remove the password in "
                                "Excel (File > Info > Protect Workbook) and run again")
        raise RegisterError(f"{path.name} is an old .xls workbook; open it in Excel and save it "
                            "as .xlsx, then run again")
    if path.suffix.lower() not in EXCEL_EXTENSIONS:
        raise RegisterError(f"{path.name} is not an Excel workbook (.xlsx or .xlsm); save the "
                            "register as .xlsx and run again")
    try:
        zf = zipfile.ZipFile(path)
        names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise RegisterError(f"{path.name} is damaged and cannot be opened ({exc}); restore it "
                            "from backups/ or re-save it in Excel") from None
    if "xl/workbook.xml" not in names and not any(n.endswith("workbook.xml") for n in names):
        zf.close()
        raise RegisterError(f"{path.name} is not an Excel workbook inside; save the register "
                            "as .xlsx and run again")
    return zf


def _parse(zf: zipfile.ZipFile, part: str, label: str):
    try:
        return etree.fromstring(zf.read(part))
    except (KeyError, etree.XMLSyntaxError, zipfile.BadZipFile, OSError) as exc:
        raise RegisterError(f"{label} is damaged ({part}: {exc}); restore it from backups/ or "
                            "re-save it in Excel") from None


def _rels_path(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def read_rels(zf: zipfile.ZipFile, part: str) -> Dict[str, Tuple[str, str]]:
    """Relationships of a part: id -> (type, absolute target path inside the zip)."""
    rels_part = _rels_path(part)
    if rels_part not in zf.namelist():
        return {}
    root = etree.fromstring(zf.read(rels_part))
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
        ns = root.nsmap.get(None, NS_MAIN)
        self.ns = ns
        pr = root.find(f"{{{ns}}}workbookPr")
        self.date1904 = pr is not None and pr.get("date1904") in ("1", "true")
        rels = read_rels(self.zf, self.workbook_part)
        self.sheets: List[SheetInfo] = []
        sheets_el = root.find(f"{{{ns}}}sheets")
        rel_ns = NS_REL if ns == NS_MAIN else "http://purl.oclc.org/ooxml/officeDocument/relationships"
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
        except (KeyError, etree.XMLSyntaxError):
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
        raise RegisterError(f'{self.path.name} has no sheet named "{name}"; sheets are: '
                            + ", ".join(s.name for s in self.sheets)
                            + "; fix [register] sheet in officebot.toml")

    def rows(self, sheet: SheetInfo, columns: Optional[set] = None,
             first_row: int = 1, last_row: Optional[int] = None
             ) -> Iterator[Tuple[int, Dict[int, object]]]:
        """(row number, {column number: value}) for each non-empty row, streamed.

        ``columns`` limits which columns are decoded; values are str, int, float, bool or
        CellError. Rows before ``first_row`` are skipped cheaply; reading stops after
        ``last_row``.
        """
        return _iter_rows(self, sheet.part, columns, first_row, last_row)

    def close(self) -> None:
        if self._strings is not None:
            self._strings.close()
        self.zf.close()

    def __enter__(self) -> "Workbook":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _text_of_si(si, ns: str) -> str:
    """Text of a shared-string item or inline string, leaving out phonetic runs."""
    t = si.find(f"{{{ns}}}t")
    if t is not None and len(si) == 1:
        return t.text or ""
    parts = []
    for child in si:
        tag = child.tag
        if tag == f"{{{ns}}}t":
            parts.append(child.text or "")
        elif tag == f"{{{ns}}}r":
            for tt in child.iter(f"{{{ns}}}t"):
                parts.append(tt.text or "")
    return _unescape_x("".join(parts))


_X_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape_x(text: str) -> str:
    """Decode Excel's _xHHHH_ escapes for characters XML cannot hold."""
    if "_x" not in text:
        return text
    return _X_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


class SharedStrings:
    """The shared-strings table, spilled to a temporary file and indexed by offset."""

    def __init__(self, zf: zipfile.ZipFile, part: Optional[str], label: str):
        self._offsets = array("q", [0])
        self._file = tempfile.TemporaryFile(prefix="officebot-sst-")
        self._map: Optional[mmap.mmap] = None
        if not part or part not in zf.namelist():
            return
        write = self._file.write
        pos = 0
        try:
            with zf.open(part) as fh:
                ns = None
                for _, el in etree.iterparse(fh, events=("end",), huge_tree=True,
                                             tag=(f"{{{NS_MAIN}}}si", f"{{{NS_STRICT}}}si")):
                    if ns is None:
                        ns = el.tag[1:].split("}")[0]
                    data = _text_of_si(el, ns).encode("utf-8")
                    write(data)
                    pos += len(data)
                    self._offsets.append(pos)
                    el.clear()
                    while el.getprevious() is not None:
                        del el.getparent()[0]
        except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError) as exc:
            raise RegisterError(f"{label} is damaged (shared strings: {exc}); restore it from "
                                "backups/ or re-save it in Excel") from None
        self._file.flush()
        if pos:
            self._map = mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ)

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, index: int) -> str:
        if not 0 <= index < len(self._offsets) - 1:
            raise IndexError(index)
        start, end = self._offsets[index], self._offsets[index + 1]
        if start == end:
            return ""
        return self._map[start:end].decode("utf-8")

    def close(self) -> None:
        if self._map is not None:
            self._map.close()
        self._file.close()


def _number(text: str):
    if "." in text or "E" in text or "e" in text:
        value = float(text)
        return value
    return int(text)


def _iter_rows(book: Workbook, part: str, columns: Optional[set], first_row: int,
               last_row: Optional[int]) -> Iterator[Tuple[int, Dict[int, object]]]:
    zf = book.zf
    if part not in zf.namelist():
        raise RegisterError(f"{book.path.name} is damaged (missing {part}); restore it from "
                            "backups/ or re-save it in Excel")
    ns = book.ns
    row_tag, c_tag, v_tag, is_tag = (f"{{{ns}}}row", f"{{{ns}}}c", f"{{{ns}}}v",
                                     f"{{{ns}}}is")
    col_cache: Dict[str, int] = {}
    strings = None
    row_no = 0
    try:
        with zf.open(part) as fh:
            for _, row in etree.iterparse(fh, events=("end",), tag=row_tag, huge_tree=True):
                r = row.get("r")
                row_no = int(r) if r else row_no + 1
                if row_no < first_row:
                    _free(row)
                    continue
                if last_row is not None and row_no > last_row:
                    break
                values: Dict[int, object] = {}
                col_no = 0
                for c in row:
                    if c.tag != c_tag:
                        continue
                    ref = c.get("r")
                    if ref:
                        letters = ref.rstrip("0123456789")
                        col_no = col_cache.get(letters)
                        if col_no is None:
                            col_no = col_cache[letters] = column_index(letters)
                    else:
                        col_no += 1
                    if columns is not None and col_no not in columns:
                        continue
                    t = c.get("t")
                    if t == "inlineStr":
                        is_el = c.find(is_tag)
                        if is_el is not None:
                            values[col_no] = _text_of_si(is_el, ns)
                        continue
                    v = c.find(v_tag)
                    if v is None or v.text is None:
                        continue
                    text = v.text
                    if t == "s":
                        if strings is None:
                            strings = book.strings
                        try:
                            values[col_no] = strings[int(text)]
                        except (IndexError, ValueError):
                            values[col_no] = CellError("#REF!")
                    elif t is None or t == "n":
                        try:
                            values[col_no] = _number(text)
                        except ValueError:
                            values[col_no] = text
                    elif t == "str":
                        values[col_no] = _unescape_x(text)
                    elif t == "b":
                        values[col_no] = text.strip() in ("1", "true")
                    elif t == "e":
                        values[col_no] = CellError(text)
                    else:  # "d": an ISO 8601 date written by some tools
                        values[col_no] = text
                _free(row)
                if values:
                    yield row_no, values
    except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, EOFError) as exc:
        raise RegisterError(f"{book.path.name} is damaged near row {row_no} ({exc}); restore "
                            "it from backups/ or re-save it in Excel") from None


def _free(el) -> None:
    el.clear()
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]
