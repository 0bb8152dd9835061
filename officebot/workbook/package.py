"""The package editor: change a few parts of an .xlsx/.xlsm zip, copy the rest byte for byte.

A workbook is a zip of XML parts tied together by relationship (.rels) parts and the
[Content_Types].xml list. officebot owns only: the status cells of the register sheet (that
sheet's XML is stream-rewritten), its own summary sheets (removed and added again on each run,
with the drawings and charts only they use), and the bookkeeping parts that must follow
(styles, content types, workbook.xml, its rels, calcChain). Every other part is copied as its
compressed bytes, untouched.
"""

import io
import posixpath
import re
from dataclasses import dataclass, field
from typing import BinaryIO, Callable, Dict, List, Optional, Set, Tuple, Union
from pathlib import Path

from lxml import etree

from .. import package as pk
from ..errors import RegisterError, damaged
from ..messages import pair
from ..package import NS_CT, NS_MAIN, NS_PKG, NS_R, NS_R_STRICT, SheetEntry  # noqa: F401
from ..package import rels_part_of, relative as _relative, resolve as _resolve  # noqa: F401
from .streams import WriteBehind, XmlCheck
from .styles import MINIMAL_STYLES, StyleBook

REL_BASE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
STRICT_REL_BASE = "http://purl.oclc.org/ooxml/officeDocument/relationships/"

WORKSHEET_REL = REL_BASE + "worksheet"
DRAWING_REL = REL_BASE + "drawing"
CHART_REL = REL_BASE + "chart"
STYLES_REL = REL_BASE + "styles"
OFFICE_DOCUMENT_REL = REL_BASE + "officeDocument"

CT_BASE = "application/vnd.openxmlformats-officedocument."
WORKSHEET_CT = CT_BASE + "spreadsheetml.worksheet+xml"
STYLES_CT = CT_BASE + "spreadsheetml.styles+xml"
WORKBOOK_CT = CT_BASE + "spreadsheetml.sheet.main+xml"

# Parts whose dxfId attributes point into styles.xml's dxfs (see dxf_references).
DXF_USERS = {WORKSHEET_CT, CT_BASE + "spreadsheetml.table+xml",
             CT_BASE + "spreadsheetml.pivotTable+xml"}
DXF_SCAN_LIMIT = 16 << 20
DXF_ID = re.compile(rb'[dD]xfId="(\d+)"')  # where a rule or a table points into dxfs

# Level 2 writes a large sheet about three times as fast as zlib's default 6 for ~25 % more
# bytes (and the deflating overlaps the rewrite, on a second thread).
_DEFLATE_LEVEL = 2


@dataclass
class NewPart:
    """A part officebot adds with one of its sheets (drawing, chart ...)."""

    path: str                 # package path, e.g. "xl/charts/chart_ob1.xml"
    content_type: str
    data: bytes
    rels: List[Tuple[str, str, str]] = field(default_factory=list)  # (rId, type, target)


@dataclass
class NewSheet:
    """A worksheet officebot adds (its summary sheets), complete with its parts."""

    name: str                 # sheet name, <= 31 characters
    xml: bytes                # complete worksheet XML, strings inline, s="N" from StyleBook
    rels: List[Tuple[str, str, str]] = field(default_factory=list)
    parts: List[NewPart] = field(default_factory=list)
    defined_names: List[Tuple[str, str]] = field(default_factory=list)  # local to this sheet


# Transitional namespaces of the parts officebot writes, and their Strict OOXML names.
TO_STRICT = [(b"http://schemas.openxmlformats.org/" + t, b"http://purl.oclc.org/ooxml/" + s)
             for t, s in ((b"spreadsheetml/2006/main", b"spreadsheetml/main"),
                          (b"officeDocument/2006/relationships", b"officeDocument/relationships"),
                          (b"drawingml/2006/main", b"drawingml/main"),
                          (b"drawingml/2006/chart", b"drawingml/chart"),
                          (b"drawingml/2006/spreadsheetDrawing",
                           b"drawingml/spreadsheetDrawing"))]


def rel_kind(rel_type: str) -> str:
    """A relationship type's last word ("styles", "worksheet" ...), transitional or Strict."""
    return rel_type.rsplit("/", 1)[-1]


def _xml(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def rels_xml(rels: List[Tuple[str, str, str]]) -> bytes:
    """A .rels part from (rId, type, target) triples."""
    root = etree.Element(f"{{{NS_PKG}}}Relationships", nsmap={None: NS_PKG})
    for rid, kind, target in rels:
        etree.SubElement(root, f"{{{NS_PKG}}}Relationship", Id=rid, Type=kind, Target=target)
    return _xml(root)


def minimal_package() -> bytes:
    """A valid workbook package with no sheets yet (officebot adds them): for `report`."""
    buf = io.BytesIO()
    with pk.ZipWriter(buf) as zf:
        zf.add("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Types xmlns="{NS_CT}">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{WORKBOOK_CT}"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{STYLES_CT}"/></Types>'))
        zf.add("_rels/.rels", rels_xml([("rId1", OFFICE_DOCUMENT_REL, "xl/workbook.xml")]))
        zf.add("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{NS_MAIN}" xmlns:r="{NS_R}"><bookViews><workbookView/>'
            '</bookViews><sheets/></workbook>'))
        zf.add("xl/_rels/workbook.xml.rels", rels_xml([("rId1", STYLES_REL, "styles.xml")]))
        zf.add("xl/styles.xml", MINIMAL_STYLES)
    return buf.getvalue()


StreamFn = Callable[[BinaryIO, BinaryIO], None]


class Package:
    """An open workbook package and the edits to make when it is saved."""

    def __init__(self, source: Union[Path, str, BinaryIO], label: Optional[str] = None,
                 limits: Optional[pk.Limits] = None, zf: Optional[pk.Zip] = None):
        """``zf``: the package already open (by the reading pass); the editor closes it."""
        self.label = label or (Path(source).name if isinstance(source, (str, Path)) else "workbook")
        self.zf = pk.Zip(source, self.label, limits) if zf is None else zf
        self.infos = self.zf.infolist()
        self.names = {i.filename for i in self.infos}
        self._replaced: Dict[str, bytes] = {}
        self._streamed: Dict[str, StreamFn] = {}
        # Streamed parts checked as XML while written: part -> None (well-formed) or the error
        self.checked: Dict[str, Optional[str]] = {}
        self._removed: Set[str] = set()
        self._added: Dict[str, bytes] = {}
        self._rels_cache: Dict[str, List[pk.Rel]] = {}
        try:
            self.ct_root = self.xml("[Content_Types].xml")
            self.workbook_part = pk.office_document(self.rels("", root=True))
            self.wb_root = self.xml(self.workbook_part)
            self.wb_rels_part = rels_part_of(self.workbook_part)
            self.wb_rels_root = self.xml(self.wb_rels_part)
        except BaseException:
            self.zf.close()
            raise
        # Strict OOXML workbooks keep their own namespaces for what officebot adds.
        self.ns = pk.namespace(self.wb_root) or NS_MAIN
        self.ns_r = NS_R_STRICT if self.ns == pk.NS_STRICT else NS_R
        self._wb_changed = self._wb_rels_changed = self._ct_changed = False
        self._styles: Optional[StyleBook] = None

    # --- reading --------------------------------------------------------------------
    def read(self, part: str) -> bytes:
        """A part's bytes as they will be saved (edits included)."""
        if part in self._added:
            return self._added[part]
        if part in self._replaced:
            return self._replaced[part]
        return self.zf.read(part)

    def xml(self, part: str):
        """A part parsed as XML; a damaged one stops with the fix in one sentence."""
        return pk.parse_xml(self.read(part), self.label, part)

    def exists(self, part: str) -> bool:
        return (part in self.names and part not in self._removed) or part in self._added

    def rels(self, part: str, root: bool = False) -> List[pk.Rel]:
        """A part's relationships: (Id, Type, resolved target, TargetMode)."""
        if root:
            part = ""
        rp = rels_part_of(part)
        if rp in self._rels_cache:
            return self._rels_cache[rp]
        out = pk.rels_of(self.xml(rp), part) if self.exists(rp) else []
        self._rels_cache[rp] = out
        return out

    def sheets(self) -> List[SheetEntry]:
        """The workbook's sheets in workbook order (worksheets and chartsheets)."""
        self._sheets_el()
        return pk.sheet_list(self.wb_root, self.rels(self.workbook_part))

    def _sheets_el(self):
        el = pk.child(self.wb_root, "sheets")
        if el is None:
            raise RegisterError(*pair("workbook.no_sheet_list", label=self.label))
        return el

    def styles(self) -> StyleBook:
        """The package's StyleBook (created if the package has no styles part)."""
        if self._styles is None:
            part = next((t for _, k, t, _ in self.rels(self.workbook_part)
                         if rel_kind(k) == "styles"), None)
            if part and self.exists(part):
                try:
                    self._styles = StyleBook(self.read(part))
                except etree.XMLSyntaxError as exc:
                    raise damaged(self.label, f"{part}: {exc}") from None
                self._styles_part = part
            else:
                self._styles = StyleBook(None)
                self._styles_part = posixpath.join(posixpath.dirname(self.workbook_part),
                                                   "styles.xml")
                self._add_rel(STYLES_REL, "styles.xml")
                self._set_override(self._styles_part, STYLES_CT)
        return self._styles

    def dxf_references(self, skip: Set[str]) -> Set[int]:
        """The dxfs indices the office's other sheets, tables and pivot tables refer to
        (conditional formats, table styles), ``skip`` parts left out; parts larger than
        DXF_SCAN_LIMIT are not read (a data sheet that large holds no rules worth the time)."""
        out: Set[int] = set()
        for info in self.infos:
            name = info.filename
            if name in skip or info.file_size > DXF_SCAN_LIMIT or not self.exists(name) \
                    or pk.content_type(self.ct_root, name) not in DXF_USERS:
                continue
            data = self.read(name)
            if b"xfId" in data:
                out.update(int(x) for x in DXF_ID.findall(data))
        return out

    # --- editing --------------------------------------------------------------------
    def replace(self, part: str, data: bytes) -> None:
        """Save ``part`` with new bytes (a small part)."""
        if part in self._added:
            self._added[part] = data
        else:
            self._replaced[part] = data

    def stream(self, part: str, fn: StreamFn) -> None:
        """Save ``part`` by calling fn(source, destination) with open binary streams."""
        self._streamed[part] = fn

    def add(self, part: str, data: bytes, content_type: Optional[str] = None) -> None:
        """Add a new part (and its content-type override)."""
        self._removed.discard(part)
        if part in self.names:
            self._replaced[part] = data
        else:
            self._added[part] = data
        if content_type:
            self._set_override(part, content_type)
        self._rels_cache.pop(part, None)

    def remove(self, part: str) -> None:
        """Leave ``part`` and its content-type override out of the saved package."""
        self._added.pop(part, None)
        self._replaced.pop(part, None)
        if part in self.names:
            self._removed.add(part)
        self._rels_cache.pop(part, None)
        for ov in list(self.ct_root):
            if ov.get("PartName", "").lstrip("/") == part:
                self.ct_root.remove(ov)
                self._ct_changed = True

    def _set_override(self, part: str, content_type: str) -> None:
        name = "/" + part
        for ov in self.ct_root:
            if ov.get("PartName") == name:
                if ov.get("ContentType") != content_type:
                    ov.set("ContentType", content_type)
                    self._ct_changed = True
                return
        etree.SubElement(self.ct_root, f"{{{NS_CT}}}Override", PartName=name,
                         ContentType=content_type)
        self._ct_changed = True

    def _add_rel(self, kind: str, target: str, prefer: str = "rIdOb") -> str:
        if self.ns_r == NS_R_STRICT:  # a Strict package's relationships name Strict types
            kind = kind.replace(REL_BASE, STRICT_REL_BASE)
        taken = {r.get("Id") for r in self.wb_rels_root}
        n = 1
        while f"{prefer}{n}" in taken:
            n += 1
        rid = f"{prefer}{n}"
        etree.SubElement(self.wb_rels_root, f"{{{NS_PKG}}}Relationship", Id=rid, Type=kind,
                         Target=target)
        self._wb_rels_changed = True
        self._rels_cache.pop(self.wb_rels_part, None)
        return rid

    def _reachable(self, skip: Set[str]) -> Set[str]:
        """Parts reachable by relationships from the package root, not passing ``skip``."""
        seen: Set[str] = set()
        todo = [t for _, _, t, m in self.rels("", root=True) if m != "External"]
        while todo:
            part = todo.pop()
            if part in seen or part in skip:
                continue
            seen.add(part)
            todo.extend(t for _, _, t, m in self.rels(part) if m != "External")
        return seen

    def replace_sheets(self, remove_names: Set[str], new_sheets: List[NewSheet]) -> None:
        """Remove the sheets named in ``remove_names`` (with the parts only they use) and add
        ``new_sheets``; a new sheet takes the place of a removed one of the same name."""
        entries = self.sheets()
        old_index = {e.name: i for i, e in enumerate(entries)}
        removing = [e for e in entries if e.name in remove_names]
        for sheet in new_sheets:
            if sheet.name in old_index and sheet.name not in remove_names:
                raise RegisterError(*pair("workbook.foreign_sheet", label=self.label,
                                          sheet=sheet.name))
        if not removing and not new_sheets:
            return
        self._remove_sheets(removing)
        self._add_sheets(new_sheets, {e.name: old_index[e.name] for e in removing}, entries)

    def _remove_sheets(self, removing: List[SheetEntry]) -> None:
        if not removing:
            return
        sheet_parts = {e.part for e in removing}
        doomed: Set[str] = set()
        todo = list(sheet_parts)
        while todo:
            part = todo.pop()
            if part in doomed:
                continue
            doomed.add(part)
            todo.extend(t for _, _, t, m in self.rels(part) if m != "External")
        still_used = self._reachable(skip=sheet_parts)
        for part in doomed - still_used:
            if self.exists(rels_part_of(part)):
                self.remove(rels_part_of(part))
            self.remove(part)
        rids = {e.rid for e in removing}
        for rel in list(self.wb_rels_root):
            if rel.get("Id") in rids:
                self.wb_rels_root.remove(rel)
                self._wb_rels_changed = True
        self._rels_cache.pop(self.wb_rels_part, None)
        self._drop_calc_chain({e.sheet_id for e in removing})

    def _drop_calc_chain(self, sheet_ids: Set[int]) -> None:
        part = next((t for _, k, t, _ in self.rels(self.workbook_part)
                     if rel_kind(k) == "calcChain"), None)
        if not part or not self.exists(part):
            return
        root = self.xml(part)
        current, dropped = None, False
        for c in list(root):
            if c.get("i") is not None:
                current = c.get("i")
            elif current is not None:
                c.set("i", current)  # make the sticky sheet id explicit before removing
            if current is not None and int(current) in sheet_ids:
                root.remove(c)
                dropped = True
        if not dropped:
            return
        if len(root):
            self.replace(part, _xml(root))
            return
        self.remove(part)
        for rel in list(self.wb_rels_root):
            if rel_kind(rel.get("Type", "")) == "calcChain":
                self.wb_rels_root.remove(rel)
        self._rels_cache.pop(self.wb_rels_part, None)

    def _unique(self, part: str, taken: Set[str]) -> str:
        if not self.exists(part) and part not in taken:
            return part
        stem, ext = posixpath.splitext(part)
        n = 2
        while self.exists(f"{stem}_{n}{ext}") or f"{stem}_{n}{ext}" in taken:
            n += 1
        return f"{stem}_{n}{ext}"

    def _add_sheets(self, new_sheets: List[NewSheet], slots: Dict[str, int],
                    old_entries: List[SheetEntry]) -> None:
        sheets_el = self._sheets_el()
        old_elements = list(sheets_el)
        removed_names = set(slots)
        by_name = {s.name: s for s in new_sheets}
        wb_dir = posixpath.dirname(self.workbook_part)
        taken: Set[str] = set()
        used_ids = {e.sheet_id for e in old_entries if e.name not in removed_names}
        # Build the new <sheets> order: removed ones replaced in place, the rest appended.
        order: List[Tuple[str, object]] = []
        for el in old_elements:
            name = el.get("name")
            if name in removed_names:
                if name in by_name:
                    order.append(("new", by_name.pop(name)))
            else:
                order.append(("old", el))
        order.extend(("new", s) for s in new_sheets if s.name in by_name)
        old_pos = {el.get("name"): i for i, el in enumerate(old_elements)}
        new_pos: Dict[int, int] = {}
        for i, (kind, item) in enumerate(order):
            if kind == "old":
                new_pos[old_pos[item.get("name")]] = i
            elif item.name in slots:
                new_pos[slots[item.name]] = i
        self._renumber(new_pos, set(slots.values()))
        for el in old_elements:
            sheets_el.remove(el)
        next_id = max(used_ids | {0}) + 1
        for i, (kind, item) in enumerate(order):
            if kind == "old":
                sheets_el.append(item)
                continue
            sheet: NewSheet = item
            n = 1
            part = posixpath.join(wb_dir, "worksheets", "sheet_ob1.xml")
            while self.exists(part) or part in taken:
                n += 1
                part = posixpath.join(wb_dir, "worksheets", f"sheet_ob{n}.xml")
            taken.add(part)
            self._add_new_sheet_parts(sheet, part, taken)
            rid = self._add_rel(WORKSHEET_REL, _relative(self.workbook_part, part))
            el = etree.SubElement(sheets_el, f"{{{self.ns}}}sheet", name=sheet.name,
                                  sheetId=str(next_id))
            el.set(f"{{{self.ns_r}}}id", rid)
            next_id += 1
            for name, formula in sheet.defined_names:
                self._defined_name(name, formula, i)
        self._wb_changed = True

    def _add_new_sheet_parts(self, sheet: NewSheet, part: str, taken: Set[str]) -> None:
        rename: Dict[str, str] = {}
        for p in sheet.parts:
            new = self._unique(p.path, taken)
            taken.add(new)
            rename[p.path] = new

        def fix(owner_old: str, owner_new: str, rels):
            out = []
            for rid, kind, target in rels:
                absolute = _resolve(owner_old, target)
                if absolute in rename:
                    target = _relative(owner_new, rename[absolute])
                out.append((rid, kind, target))
            return out

        conform = self._conform
        sheet_rels = fix(posixpath.join(posixpath.dirname(part), "x.xml"), part, sheet.rels)
        self.add(part, conform(sheet.xml), WORKSHEET_CT)
        if sheet_rels:
            self.add(rels_part_of(part), conform(rels_xml(sheet_rels)))
        for p in sheet.parts:
            new = rename[p.path]
            self.add(new, conform(p.data), p.content_type)
            if p.rels:
                self.add(rels_part_of(new), conform(rels_xml(fix(p.path, new, p.rels))))

    def _conform(self, data: bytes) -> bytes:
        """A part officebot made, in a Strict package written with Strict's namespaces and
        relationship types, like the rest of the package."""
        if self.ns != pk.NS_STRICT:
            return data
        for transitional, strict in TO_STRICT:
            data = data.replace(transitional, strict)
        return data

    def _defined_name(self, name: str, formula: str, local_id: int) -> None:
        dn = self.wb_root.find(f"{{{self.ns}}}definedNames")
        if dn is None:
            dn = etree.Element(f"{{{self.ns}}}definedNames")
            anchor = self._sheets_el()
            for tag in ("functionGroups", "externalReferences"):
                later = self.wb_root.find(f"{{{self.ns}}}{tag}")
                if later is not None:
                    anchor = later
            anchor.addnext(dn)
        el = etree.SubElement(dn, f"{{{self.ns}}}definedName", name=name,
                              localSheetId=str(local_id))
        if name == "_xlnm._FilterDatabase":
            el.set("hidden", "1")
        el.text = formula

    def update_defined_name(self, name: str, part: str, formula: str) -> None:
        """Give an existing name local to the sheet at ``part`` (e.g. the office's
        _xlnm._FilterDatabase) a new formula; a name the workbook lacks is not added."""
        index = next((i for i, e in enumerate(self.sheets()) if _resolve(
            self.workbook_part, e.part) == part or e.part == part), None)
        dn = self.wb_root.find(f"{{{self.ns}}}definedNames")
        if index is None or dn is None:
            return
        for el in dn:
            if el.get("name") == name and el.get("localSheetId") == str(index) \
                    and el.text != formula:
                el.text = formula
                self._wb_changed = True

    def _renumber(self, new_pos: Dict[int, int], removed: Set[int]) -> None:
        """Sheet indices (localSheetId, activeTab) follow the sheets to their new places;
        names local to a removed sheet go with it."""
        dn = self.wb_root.find(f"{{{self.ns}}}definedNames")
        if dn is not None:
            for el in list(dn):
                local = el.get("localSheetId")
                if local is None or not local.isdigit():
                    continue
                idx = int(local)
                if idx in removed:
                    dn.remove(el)
                elif idx in new_pos and new_pos[idx] != idx:
                    el.set("localSheetId", str(new_pos[idx]))
            if not len(dn):
                dn.getparent().remove(dn)
        for view in self.wb_root.iter(f"{{{self.ns}}}workbookView"):
            for attr in ("activeTab", "firstSheet"):
                value = view.get(attr)
                if value is not None and value.isdigit():
                    moved = new_pos.get(int(value), 0)
                    if moved != int(value):
                        view.set(attr, str(moved))

    # --- saving ---------------------------------------------------------------------
    def _finish_small_parts(self) -> None:
        if self._styles is not None and self._styles.changed:
            if self._styles_part in self._added or self._styles_part not in self.names:
                self._added[self._styles_part] = self._styles.to_bytes()
            else:
                self._replaced[self._styles_part] = self._styles.to_bytes()
        if self._wb_changed:
            self.replace(self.workbook_part, _xml(self.wb_root))
        if self._wb_rels_changed:
            self.replace(self.wb_rels_part, _xml(self.wb_rels_root))
        if self._ct_changed:
            self.replace("[Content_Types].xml", _xml(self.ct_root))

    def save(self, dest: Union[Path, str, BinaryIO],
             after_stream: Optional[Callable[[], None]] = None) -> None:
        """Write the edited package to ``dest`` (a path or a binary file object).

        Streamed parts are written first; ``after_stream`` then runs (it may still add sheets
        and styles, using what the stream found) before the small parts are finished.
        """
        if isinstance(dest, (str, Path)):
            with open(dest, "wb") as fh:
                return self.save(fh, after_stream)
        out = pk.ZipWriter(dest, _DEFLATE_LEVEL)
        for info in self.infos:
            name = info.filename
            if name in self._streamed and name not in self._removed:
                check = XmlCheck()  # parses what is written, in a second process
                try:
                    with self.zf.open(info) as src, \
                            out.open(name, info.date_time) as raw_dst, \
                            WriteBehind(raw_dst, check) as dst:
                        self._streamed[name](src, dst)
                except BaseException:
                    check.abandon()
                    raise
                self.checked[name] = check.result()
        if after_stream is not None:
            after_stream()
        self._finish_small_parts()
        for info in self.infos:
            name = info.filename
            if name in self._removed or name in self._streamed:
                continue
            if name in self._replaced:
                out.add(name, self._replaced[name], info.date_time)
            else:
                pk.copy_entry(self.zf, info, out)
        for name, data in self._added.items():
            out.add(name, data)
        out.close()

    def close(self) -> None:
        self.zf.close()

    def __enter__(self) -> "Package":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

