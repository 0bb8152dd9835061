"""The "nothing lost" check of one workbook, whoever wrote it: `officebot run` twice with the
same --as-of, then every invariant of issue 9 asserted on the parts themselves.

Written apart from officebot's own reading code (lxml and zipfile only), so a mistake in the
package layer cannot hide itself:

- every original cell keeps its value and its style, the cellXfs entry resolved to what it
  means (font, fill, border, number format code, alignment), not only its index;
- officebot's due cells display as dates and its highlight rules point at dxfs in its colours;
- styles.xml counts match the lists, and the register sheet and styles.xml are byte for byte
  the same after the second run;
- every part officebot does not own comes back byte for byte; in the register sheet every
  element but the cells, the dimension, the column widths and the filter's range is kept;
- LibreOffice opens the result (``libreoffice_opens``, one soffice call for many files).
"""

import datetime as dt
import posixpath
import re
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

from click.testing import CliRunner
from lxml import etree

from officebot.cli import cli

AS_OF = dt.datetime(2026, 3, 10, 12, 0)
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OFFICEBOT_COLOURS = {"FFFFC7CE", "FFFFEB9C", "FFE4DFEC"}
OFFICEBOT_MARK = 'N("officebot")'
DUE_HEADERS = ("答复期限", "Reply due")
# Built-in number formats that show a date or time.
DATE_BUILTINS = set(range(14, 23)) | set(range(27, 37)) | set(range(45, 48)) | set(range(50, 59))
# Register sheet elements officebot may change: its cells, the used range, widths of its new
# columns, the filter's range, and its own conditional formats.
SHEET_OWNED = {"sheetData", "dimension", "cols", "autoFilter", "conditionalFormatting"}


def parts(path) -> Dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def elements(el) -> list:
    return [] if el is None else [x for x in el if isinstance(x.tag, str)]


def child(el, name):
    return next((x for x in elements(el) if local(x) == name), None)


def c14n(el) -> bytes:
    return etree.tostring(el, method="c14n")


def col_number(ref: str) -> int:
    letters = re.match(r"\$?([A-Za-z]+)", ref).group(1).upper()
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


# --- the package as a reader sees it ---------------------------------------------------------
def rels(items: Dict[str, bytes], part: str) -> Dict[str, tuple]:
    """{rId: (type, resolved target)} of a part ('' = the package root)."""
    folder, name = posixpath.split(part)
    rp = posixpath.join(folder, "_rels", name + ".rels") if part else "_rels/.rels"
    if rp not in items:
        return {}
    out = {}
    for rel in elements(etree.fromstring(items[rp])):
        target = rel.get("Target", "")
        if rel.get("TargetMode") != "External":
            target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(folder, target))
        out[rel.get("Id")] = (rel.get("Type", ""), target)
    return out


@dataclass
class Layout:
    workbook: str
    styles: Optional[str]
    strings: Optional[str]
    sheets: Dict[str, str]          # sheet name -> part


def layout_of(items: Dict[str, bytes]) -> Layout:
    workbook = next(t for k, t in rels(items, "").values() if k.endswith("/officeDocument"))
    wb_rels = rels(items, workbook)
    styles = next((t for k, t in wb_rels.values() if k.endswith("/styles")), None)
    strings = next((t for k, t in wb_rels.values() if k.endswith("/sharedStrings")), None)
    root = etree.fromstring(items[workbook])
    sheets = {}
    for sh in elements(child(root, "sheets")):
        rid = next((v for k, v in sh.attrib.items() if etree.QName(k).localname == "id"), None)
        if rid in wb_rels:
            sheets[sh.get("name")] = wb_rels[rid][1]
    return Layout(workbook, styles, strings, sheets)


def shared_strings(items: Dict[str, bytes], part: Optional[str]) -> List[str]:
    if not part or part not in items:
        return []
    out = []
    for si in elements(etree.fromstring(items[part])):
        out.append("".join(t.text or "" for t in si.iter()
                           if local(t) == "t" and local(t.getparent()) != "rPh"))
    return out


def cells_of(sheet_xml: bytes) -> Dict[tuple, tuple]:
    """{(row, col): (style, type, children XML)}, cells and rows without references numbered
    as Excel numbers them."""
    root = etree.fromstring(sheet_xml)
    data = child(root, "sheetData")
    out = {}
    row_no = 0
    for row in elements(data):
        row_no = int(row.get("r")) if row.get("r") else row_no + 1
        col = 0
        for c in elements(row):
            if local(c) != "c":
                continue
            col = col_number(c.get("r")) if c.get("r") else col + 1
            out[(row_no, col)] = (c.get("s", "0") or "0", c.get("t", "n"),
                                  b"".join(c14n(x) for x in elements(c)))
    return out


def cell_text(body: bytes, kind: str, strings: List[str]) -> str:
    """A cell's text: inline strings and <v> (shared strings looked up)."""
    root = etree.fromstring(b"<c>%s</c>" % body) if body else etree.Element("c")
    if kind == "s":
        v = next((x for x in root.iter() if local(x) == "v"), None)
        return strings[int(v.text)] if v is not None and v.text and v.text.isdigit() else ""
    if kind == "inlineStr":
        return "".join(t.text or "" for t in root.iter()
                       if local(t) == "t" and local(t.getparent()) != "rPh")
    v = next((x for x in root.iter() if local(x) == "v"), None)
    return v.text or "" if v is not None else ""


class Styles:
    """A styles.xml resolved: what a cellXfs index or dxfId means."""

    def __init__(self, data: Optional[bytes]):
        self.root = etree.fromstring(data) if data else None

    def items(self, tag: str) -> list:
        return [] if self.root is None else elements(child(self.root, tag))

    def formats(self) -> Dict[str, str]:
        """numFmtId -> format code; an id defined twice with different codes is ambiguous
        (readers disagree on which one counts) and maps to every code, joined by NUL."""
        out: Dict[str, str] = {}
        for nf in self.items("numFmts"):
            num, code = nf.get("numFmtId"), nf.get("formatCode")
            out[num] = code if out.get(num, code) == code else out[num] + "\0" + code
        return out

    def dxf(self, index: Optional[str]) -> bytes:
        """What a rule's dxfId means (an absent id, one beyond the list or an empty entry:
        no formatting)."""
        dxfs = self.items("dxfs")
        if index is None or not index.isdigit() or int(index) >= len(dxfs) \
                or not len(dxfs[int(index)]):
            return b"(none)"
        return c14n(dxfs[int(index)])

    def xf(self, index: int) -> bytes:
        """What a cell of style ``index`` looks like, every id resolved to its entry."""
        xfs = self.items("cellXfs")
        if not xfs and index == 0:
            return b"(default)"  # an absent or empty list: Excel's default look
        if not 0 <= index < len(xfs):
            return b"(none)"
        xf = xfs[index]
        if index == 0 and xf.get("numFmtId", "0") == "0" and not any(
                xf.get(k, "0") != "0" for k in ("fillId", "borderId")) and not len(xf):
            return b"(default)"  # a plain entry 0, as officebot adds to an empty list

        def pick(tag, attr):
            lst = self.items(tag)
            i = int(xf.get(attr, "0") or 0)
            return c14n(lst[i]) if i < len(lst) else b""
        num = xf.get("numFmtId", "0")
        attrs = sorted((k, v) for k, v in xf.attrib.items() if k not in (
            "numFmtId", "fontId", "fillId", "borderId"))
        return b"|".join([repr(attrs).encode(), self.formats().get(num, num).encode(),
                          pick("fonts", "fontId"), pick("fills", "fillId"),
                          pick("borders", "borderId")] + [c14n(x) for x in elements(xf)])

    def is_date(self, index: int) -> bool:
        xfs = self.items("cellXfs")
        if not 0 < index < len(xfs):
            return False
        num = xfs[index].get("numFmtId", "0")
        code = self.formats().get(num)
        if code is None:
            return num.isdigit() and int(num) in DATE_BUILTINS
        return all(bool(re.search(r"[ymd]", c)) and "0.0" not in c for c in (
            re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", x).lower() for x in code.split("\0")))

    def wrong_counts(self) -> List[str]:
        out = []
        if self.root is None:
            return out
        for el in elements(self.root):
            count = el.get("count")
            if count is not None and int(count) != len(elements(el)):
                out.append(f"{local(el)} count={count} but {len(elements(el))} entries")
        return out


# --- running officebot -----------------------------------------------------------------------
def write_settings(folder: Path, sheet: str = "", header_row: int = 0,
                   columns: Optional[Dict[str, str]] = None) -> None:
    """An officebot.toml beside the workbook declaring where the register's header is."""
    lines = ["[register]", f'sheet = "{sheet}"', f"header_row = {header_row}", "[columns]"]
    lines += [f'{k} = "{v}"' for k, v in (columns or {}).items()]
    (folder / "officebot.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def officebot(*args) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, (args, result.output)
    return result.output


@dataclass
class Runs:
    """A workbook before, after one run and after a second run with the same --as-of."""

    path: Path
    before: Dict[str, bytes]
    first: Dict[str, bytes]
    second: Dict[str, bytes]
    sheet: str                      # the register sheet's name


def run_twice(path: Path, sheet: Optional[str] = None, as_of=AS_OF,
              letters: bool = False) -> Runs:
    """`officebot run` twice (exit 0 both times); ``sheet``: the register sheet's name (the
    first worksheet whose cells hold officebot's headers when not given)."""
    path = Path(path)
    before = parts(path)
    when = as_of.strftime("%Y-%m-%d %H:%M")
    extra = [] if letters else ["--no-letters"]
    officebot("run", path, "--as-of", when, *extra)
    first = parts(path)
    officebot("run", path, "--as-of", when, *extra)
    second = parts(path)
    if sheet is None:
        lay = layout_of(second)
        sheet = next(name for name, part in lay.sheets.items()
                     if part in before and any(h.encode() in second[part] for h in DUE_HEADERS))
    return Runs(path, before, first, second, sheet)


# --- the invariants --------------------------------------------------------------------------
def status_headers(sheet_xml: bytes) -> Dict[str, tuple]:
    """officebot's header texts -> (row, col), read from its inline-string header cells."""
    out = {}
    for (r, c), (_, kind, body) in cells_of(sheet_xml).items():
        if kind == "inlineStr":
            out.setdefault(cell_text(body, kind, []), (r, c))
    return out


def check_cells(runs: Runs) -> None:
    """Every original cell of every original sheet keeps its value and its look."""
    old_lay, new_lay = layout_of(runs.before), layout_of(runs.second)
    old_st = Styles(runs.before.get(old_lay.styles))
    new_st = Styles(runs.second.get(new_lay.styles))
    old_ss = shared_strings(runs.before, old_lay.strings)
    new_ss = shared_strings(runs.second, new_lay.strings)
    for name, part in old_lay.sheets.items():
        if part not in runs.before or not runs.before[part].lstrip().startswith(b"<") \
                or b"sheetData" not in runs.before[part]:
            continue
        assert new_lay.sheets.get(name) == part, f"sheet {name} moved or lost"
        old, new = cells_of(runs.before[part]), cells_of(runs.second[part])
        for key, (style, kind, body) in old.items():
            assert key in new, f"{name} {key}: cell lost"
            n_style, n_kind, n_body = new[key]
            assert (n_kind, cell_text(n_body, n_kind, new_ss)) == (
                kind, cell_text(body, kind, old_ss)), f"{name} {key}: value changed"
            if kind not in ("s",):
                assert n_body == body, f"{name} {key}: cell content changed"
            assert new_st.xf(int(n_style)) == old_st.xf(int(style)), \
                f"{name} {key}: look changed (s={style} -> {n_style})"


def check_styles_appended(runs: Runs) -> None:
    """styles.xml's lists are only appended to: the office's entries keep their places."""
    old_lay, new_lay = layout_of(runs.before), layout_of(runs.second)
    old, new = Styles(runs.before.get(old_lay.styles)), Styles(runs.second.get(new_lay.styles))
    for tag in ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "dxfs"):
        a, b = old.items(tag), new.items(tag)
        assert [c14n(x) for x in b[:len(a)]] == [c14n(x) for x in a], f"{tag} entries changed"


def check_status_cells(runs: Runs) -> None:
    """officebot's due cells show dates; its highlight rules carry its colours; the counts of
    styles.xml are right."""
    lay = layout_of(runs.second)
    part = lay.sheets[runs.sheet]
    xml = runs.second[part]
    styles = Styles(runs.second.get(lay.styles))
    assert not styles.wrong_counts(), styles.wrong_counts()
    headers = status_headers(xml)
    head = next(headers[h] for h in DUE_HEADERS if h in headers)
    assert head[1] <= 16384, f"officebot's columns start beyond XFD, at column {head[1]}"
    cells = cells_of(xml)
    due = [(r, s) for (r, c), (s, kind, body) in cells.items()
           if c == head[1] and r > head[0] and kind == "n" and body]
    assert due, "no due cell written"
    for r, s in due:
        assert styles.is_date(int(s)), f"due cell row {r}: s={s} is not a date format"
    root = etree.fromstring(xml)
    dxfs = styles.items("dxfs")
    ours = [rule for cf in elements(root) if local(cf) == "conditionalFormatting"
            for rule in elements(cf) if OFFICEBOT_MARK in "".join(rule.itertext())]
    assert len(ours) == 5, f"{len(ours)} officebot rules"
    for rule in ours:
        d = int(rule.get("dxfId"))
        fg = [x.get("rgb") for x in dxfs[d].iter() if local(x) in ("fgColor", "bgColor")]
        assert set(fg) & OFFICEBOT_COLOURS, f"rule -> dxf {d} has colours {fg}"
    mine = [int(rule.get("priority")) for rule in ours]
    others = {int(x) for x in re.findall(rb'priority="(\d+)"', xml)} - set(mine)
    assert len(set(mine)) == len(mine) and not set(mine) & others, \
        f"officebot's priorities {mine} collide with the office's {sorted(others)}"
    assert max(mine) <= 2 ** 31 - 1, f"priority {max(mine)} beyond an xsd:int"
    widths = {}
    for col in elements(child(root, "cols")):
        for n in range(int(col.get("min")), min(int(col.get("max")), head[1] + 1) + 1):
            widths.setdefault(n, float(col.get("width", "0")))
    assert widths.get(head[1], 0) >= 16, \
        f"due column {head[1]} is {widths.get(head[1])} wide: its dates would show as ####"


def check_stable(runs: Runs) -> None:
    """The second run changes neither the register sheet nor styles.xml."""
    lay = layout_of(runs.second)
    part = lay.sheets[runs.sheet]
    assert runs.second[part] == runs.first[part], "register sheet changed on the second run"
    assert runs.second.get(lay.styles) == runs.first.get(lay.styles), \
        "styles.xml changed on the second run"


def check_parts(runs: Runs) -> None:
    """Nothing else lost: every part officebot does not own comes back byte for byte, and
    the register sheet keeps every element of the office's."""
    lay = layout_of(runs.before)
    sheet_part = lay.sheets[runs.sheet]
    owned = {"[Content_Types].xml", lay.workbook, posixpath.join(
        posixpath.dirname(lay.workbook), "_rels", posixpath.basename(lay.workbook) + ".rels"),
        lay.styles, sheet_part}
    for name, data in runs.before.items():
        assert name in runs.second, f"part {name} lost"
        if name not in owned:
            assert runs.second[name] == data, f"part {name} changed"
    new_lay = layout_of(runs.second)
    for name, part in lay.sheets.items():
        assert new_lay.sheets.get(name) == part, f"sheet {name} lost from the workbook"
    for kind, target in rels(runs.before, lay.workbook).values():
        assert (kind, target) in rels(runs.second, new_lay.workbook).values(), \
            f"workbook relationship to {target} lost"
    old_ct, new_ct = (etree.fromstring(runs.before["[Content_Types].xml"]),
                      etree.fromstring(runs.second["[Content_Types].xml"]))
    new_entries = {c14n(x) for x in elements(new_ct)}
    for entry in elements(old_ct):
        assert c14n(entry) in new_entries, f"content type lost: {c14n(entry)!r}"
    old_wb, new_wb = (etree.fromstring(runs.before[lay.workbook]),
                      etree.fromstring(runs.second[new_lay.workbook]))
    for el in elements(old_wb):
        if local(el) in ("sheets", "definedNames"):
            continue
        assert any(c14n(el) == c14n(x) for x in elements(new_wb)), \
            f"workbook.xml lost or changed <{local(el)}>"
    new_names = {(x.get("name"), x.text) for x in elements(child(new_wb, "definedNames"))}
    for dn in elements(child(old_wb, "definedNames")):
        if dn.get("name") != "_xlnm._FilterDatabase":
            assert (dn.get("name"), dn.text) in new_names, f"defined name {dn.get('name')} lost"
    old_sheet = etree.fromstring(runs.before[sheet_part])
    new_sheet = etree.fromstring(runs.second[sheet_part])
    new_kept = [c14n(x) for x in elements(new_sheet) if local(x) not in SHEET_OWNED]
    old_kept = [c14n(x) for x in elements(old_sheet) if local(x) not in SHEET_OWNED]
    assert new_kept == old_kept, "register sheet elements lost or changed"
    new_cf = [c14n(x) for x in elements(new_sheet) if local(x) == "conditionalFormatting"
              and OFFICEBOT_MARK not in "".join(x.itertext())]
    old_cf = [c14n(x) for x in elements(old_sheet) if local(x) == "conditionalFormatting"]
    assert new_cf == old_cf, "the office's conditional formats changed"
    old_st = Styles(runs.before.get(lay.styles))
    new_st = Styles(runs.second.get(new_lay.styles))
    for name, data in runs.before.items():  # rules, tables, pivot tables: their dxfIds
        if name == lay.styles or b"xfId=" not in data:
            continue
        for m in re.finditer(rb'<[\w:]+\b[^>]*?\b\w*[dD]xfId="(\d+)"[^>]*>', data):
            d = m.group(1).decode()
            assert new_st.dxf(d) == old_st.dxf(d), \
                f"{name}: the office's {m.group(0)[:80]!r} now shows another look"
    ours = {c for _, c in status_headers(runs.second[sheet_part]).values()}
    old_cols, new_cols = column_looks(old_sheet), column_looks(new_sheet)
    for n, look in old_cols.items():
        if n not in ours:
            assert new_cols.get(n) == look, f"the look of the office's column {n} changed"
    old_filter, new_filter = child(old_sheet, "autoFilter"), child(new_sheet, "autoFilter")
    if old_filter is not None:
        assert new_filter is not None, "autoFilter lost"
        assert [c14n(x) for x in elements(new_filter)] == [c14n(x) for x in
                                                           elements(old_filter)]


def column_looks(sheet_root) -> Dict[int, tuple]:
    """column number -> the attributes of the <col> covering it (min and max left out)."""
    out = {}
    for col in elements(child(sheet_root, "cols")):
        look = tuple(sorted((k, v) for k, v in col.attrib.items() if k not in ("min", "max")))
        for n in range(int(col.get("min")), int(col.get("max")) + 1):
            out[n] = look
    return out


def check_all(runs: Runs) -> None:
    check_cells(runs)
    check_styles_appended(runs)
    check_status_cells(runs)
    check_stable(runs)
    check_parts(runs)


def check_workbook(path: Path, sheet: Optional[str] = None, **options) -> Runs:
    """Run officebot twice on ``path`` and assert every invariant but LibreOffice's."""
    runs = run_twice(path, sheet, **options)
    check_all(runs)
    return runs


def libreoffice_opens(soffice: str, files: List[Path], tmp: Path,
                      expect: str = "C-001") -> None:
    """LibreOffice opens every file: each converts to CSV (its first sheet) holding
    ``expect`` (None: only that the CSV is written)."""
    out = tmp / "lo-out"
    assert len({Path(f).stem for f in files}) == len(files), "file names must differ"
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/lo-profile", "--headless",
                    "--convert-to", "csv", "--outdir", str(out)] + [str(f) for f in files],
                   check=True, capture_output=True, timeout=300)
    for f in files:
        csv = out / (Path(f).stem + ".csv")
        assert csv.exists(), f"LibreOffice could not open {f}"
        if expect:
            assert expect in csv.read_text(encoding="utf-8", errors="replace"), f
