"""StyleBook: the package's xl/styles.xml, with officebot's cell formats appended.

Entries are only ever appended, never reordered or changed, so every s="N" and dxfId the
office's cells and rules use keeps its meaning. An entry equal to one already there (for
instance the one officebot appended on the previous run) is reused, so a second run leaves
styles.xml byte for byte unchanged. Equal means the same element names, attributes and
children, whatever the namespace prefix or attribute order. Office lists may hold the same
entry several times: an appended entry's index is its real position in the list, and the
count attributes are set to the lists' real lengths. Index 0 of cellXfs is the style of every
cell without ``s``: it is never handed out, and an empty or missing list first gets a plain
default entry so officebot's formats never land there.
"""

import copy
from typing import Dict, Iterable, Optional, Tuple

from lxml import etree

from ..package import safe_fromstring

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_Q = "{%s}" % NS

MINIMAL_STYLES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/>'
    b'<scheme val="minor"/></font></fonts>'
    b'<fills count="2"><fill><patternFill patternType="none"/></fill>'
    b'<fill><patternFill patternType="gray125"/></fill></fills>'
    b'<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    b'<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    b'</cellStyleXfs>'
    b'<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    b'</cellXfs>'
    b'<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    b'<dxfs count="0"/>'
    b'</styleSheet>'
)

# Built-in number formats Excel knows without a <numFmt> entry.
BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9,
                   "0.00%": 10, "@": 49}

# dxfIds beyond this are taken for damage, not kept with empty entries.
MAX_KEPT_DXFS = 4096

# Order of the top-level children of <styleSheet> (CT_Stylesheet).
_ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles",
          "dxfs", "tableStyles", "colors", "extLst")


# What an empty list gets first, so that officebot's own entries never take index 0.
_DEFAULT_ENTRY = {
    "fonts": [("font", {}, [("sz", {"val": "11"}), ("name", {"val": "Calibri"})])],
    "fills": [("fill", {}, [("patternFill", {"patternType": "none"})]),
              ("fill", {}, [("patternFill", {"patternType": "gray125"})])],
    "borders": [("border", {}, [("left", {}), ("right", {}), ("top", {}), ("bottom", {}),
                                ("diagonal", {})])],
    "cellStyleXfs": [("xf", {"numFmtId": "0", "fontId": "0", "fillId": "0", "borderId": "0"},
                      [])],
    "cellXfs": [("xf", {"numFmtId": "0", "fontId": "0", "fillId": "0", "borderId": "0",
                        "xfId": "0"}, [])],
}


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _key(el) -> tuple:
    """An entry's identity: names, attributes (any order) and children, prefixes ignored."""
    attrs = tuple(sorted((etree.QName(k).localname, v) for k, v in el.attrib.items()))
    return (_local(el), attrs, (el.text or "").strip(),
            tuple(_key(c) for c in el if isinstance(c.tag, str)))


def _entries(container) -> list:
    return [c for c in container if isinstance(c.tag, str)]


def _argb(colour: str) -> str:
    colour = colour.lstrip("#").upper()
    return colour if len(colour) == 8 else "FF" + colour


class StyleBook:
    """Cell formats (cellXfs) and conditional-format styles (dxfs) of one package."""

    def __init__(self, styles_xml: Optional[bytes] = None):
        self.original = styles_xml
        self.root = safe_fromstring(styles_xml or MINIMAL_STYLES)
        # The stylesheet's own namespace (transitional or Strict) for everything added.
        self.ns = etree.QName(self.root).namespace or NS
        self.changed = styles_xml is None
        self._index: Dict[str, Dict[tuple, int]] = {}
        self._cache: Dict[Tuple, int] = {}
        self._base_font = self._default_font()

    def _el(self, tag: str, **attrs) -> etree._Element:
        el = etree.Element("{%s}%s" % (self.ns, tag), nsmap={None: self.ns})
        for k, v in attrs.items():
            el.set(k, str(v))
        return el

    def _sub(self, parent, tag: str, **attrs) -> etree._Element:
        el = etree.SubElement(parent, "{%s}%s" % (self.ns, tag))
        for k, v in attrs.items():
            el.set(k, str(v))
        return el

    def _find(self, tag: str):
        return self.root.find("{%s}%s" % (self.ns, tag))

    # --- containers -----------------------------------------------------------------
    def _container(self, tag: str) -> etree._Element:
        el = self._find(tag)
        if el is None:
            el = self._el(tag, count=0)
            after = _ORDER.index(tag)
            for child in self.root:
                local = _local(child)
                if local in _ORDER and _ORDER.index(local) > after:
                    child.addprevious(el)
                    break
            else:
                self.root.append(el)
            self.changed = True
        if tag in _DEFAULT_ENTRY and not _entries(el):
            for name, attrs, children in _DEFAULT_ENTRY[tag]:
                entry = self._sub(el, name, **attrs)
                for child, child_attrs in children:
                    self._sub(entry, child, **child_attrs)
            el.set("count", str(len(_entries(el))))
            self.changed = True
        return el

    def _find_or_add(self, tag: str, el: etree._Element) -> int:
        """Index of an entry equal to ``el`` in container ``tag``, appending it if new."""
        container = self._container(tag)
        index = self._index.get(tag)
        entries = _entries(container)
        if index is None:
            index = {}
            for i, child in enumerate(entries):
                if i or tag != "cellXfs":  # cellXfs 0 is every unstyled cell's: never ours
                    index.setdefault(_key(child), i)
            self._index[tag] = index
        key = _key(el)
        if key in index:
            return index[key]
        n = len(entries)  # the real position, duplicates in the list counted
        container.append(el)
        index[key] = n
        container.set("count", str(n + 1))
        self.changed = True
        return n

    def _default_font(self) -> Dict[str, str]:
        fonts = self._find("fonts")
        out = {"sz": "11", "name": "Calibri"}
        first = _entries(fonts)[:1] if fonts is not None else []
        for child in (first[0] if first else []):
            local = _local(child)
            if local in ("sz", "name", "family", "charset", "scheme") and child.get("val"):
                out[local] = child.get("val")
        return out

    # --- pieces ---------------------------------------------------------------------
    def _num_fmt(self, code: Optional[str]) -> int:
        if code is None:
            return 0
        codes: Dict[int, set] = {}  # an id may be listed twice, with different codes
        numfmts = self._find("numFmts")
        for nf in (_entries(numfmts) if numfmts is not None else []):
            number = nf.get("numFmtId", "")
            if number.isdigit():
                codes.setdefault(int(number), set()).add(nf.get("formatCode"))
        builtin = BUILTIN_FORMATS.get(code)
        if builtin is not None and codes.get(builtin, {code}) == {code}:
            return builtin  # unless the office gave that built-in id a code of its own
        for number, found in sorted(codes.items()):
            if found == {code}:  # one meaning only: readers disagree on which of two counts
                return number
        container = self._container("numFmts")
        new_id = max(list(codes) + [163]) + 1
        self._sub(container, "numFmt", numFmtId=new_id, formatCode=code)
        container.set("count", str(len(_entries(container))))
        self.changed = True
        return new_id

    def _font(self, bold: bool, colour: Optional[str], size: Optional[float]) -> int:
        if not bold and colour is None and size is None:
            return 0
        base = self._base_font
        font = self._el("font")
        if bold:
            self._sub(font, "b")
        self._sub(font, "sz", val=_num(size) if size is not None else base["sz"])
        if colour is not None:
            self._sub(font, "color", rgb=_argb(colour))
        self._sub(font, "name", val=base["name"])
        for k in ("family", "charset", "scheme"):
            if k in base:
                self._sub(font, k, val=base[k])
        return self._find_or_add("fonts", font)

    def _fill(self, colour: Optional[str]) -> int:
        if colour is None:
            return 0
        fill = self._el("fill")
        pf = self._sub(fill, "patternFill", patternType="solid")
        self._sub(pf, "fgColor", rgb=_argb(colour))
        self._sub(pf, "bgColor", indexed=64)
        return self._find_or_add("fills", fill)

    def _border(self, border: bool) -> int:
        if not border:
            return 0
        b = self._el("border")
        for side in ("left", "right", "top", "bottom"):
            s = self._sub(b, side, style="thin")
            self._sub(s, "color", indexed=64)
        self._sub(b, "diagonal")
        return self._find_or_add("borders", b)

    # --- public ---------------------------------------------------------------------
    def xf(self, *, bold=False, num_format=None, fill=None, font_color=None, wrap=False,
           halign=None, valign=None, border=False, size=None) -> int:
        """The cellXfs index of a cell format, appended to the stylesheet if new."""
        key = ("xf", bold, num_format, fill, font_color, wrap, halign, valign, border, size)
        if key in self._cache:
            return self._cache[key]
        for tag in ("fonts", "fills", "borders", "cellStyleXfs"):  # the entries 0 it refers to
            self._container(tag)
        num_id = self._num_fmt(num_format)
        font_id = self._font(bold, font_color, size)
        fill_id = self._fill(fill)
        border_id = self._border(border)
        xf = self._el("xf", numFmtId=num_id, fontId=font_id, fillId=fill_id, borderId=border_id,
                 xfId=0)
        if num_id:
            xf.set("applyNumberFormat", "1")
        if font_id:
            xf.set("applyFont", "1")
        if fill_id:
            xf.set("applyFill", "1")
        if border_id:
            xf.set("applyBorder", "1")
        if wrap or halign or valign:
            xf.set("applyAlignment", "1")
            al = self._sub(xf, "alignment")
            if halign:
                al.set("horizontal", halign)
            if valign:
                al.set("vertical", valign)
            if wrap:
                al.set("wrapText", "1")
        index = self._find_or_add("cellXfs", xf)
        self._cache[key] = index
        return index

    def xf_like(self, index: int, *, wrap=True, valign="center") -> int:
        """A cell format that looks like cellXfs entry ``index`` (the office's header cells,
        say) and wraps its text; the entry itself when it already does."""
        key = ("like", index, wrap, valign)
        if key in self._cache:
            return self._cache[key]
        entries = _entries(self._container("cellXfs"))
        if not 0 < index < len(entries):
            return self.xf(bold=True, wrap=wrap, valign=valign)
        xf = copy.deepcopy(entries[index])
        al = next((c for c in xf if _local(c) == "alignment"), None)
        if al is None:
            al = self._el("alignment")
            xf.insert(0, al)
        if wrap:
            al.set("wrapText", "1")
        if valign and not al.get("vertical"):
            al.set("vertical", valign)
        xf.set("applyAlignment", "1")
        found = _key(xf) == _key(entries[index])
        result = index if found else self._find_or_add("cellXfs", xf)
        self._cache[key] = result
        return result

    def dxf(self, *, fill=None, font_color=None, bold=False) -> int:
        """The dxfs index of a conditional-format style, appended if new."""
        key = ("dxf", fill, font_color, bold)
        if key in self._cache:
            return self._cache[key]
        d = self._el("dxf")
        if bold or font_color:
            font = self._sub(d, "font")
            if bold:
                self._sub(font, "b")
            if font_color:
                self._sub(font, "color", rgb=_argb(font_color))
        if fill:
            pf = self._sub(self._sub(d, "fill"), "patternFill", patternType="solid")
            self._sub(pf, "fgColor", rgb=_argb(fill))
            self._sub(pf, "bgColor", rgb=_argb(fill))
        index = self._find_or_add("dxfs", d)
        self._cache[key] = index
        return index

    def keep_dxfs(self, ids: Iterable[int]) -> None:
        """Make sure every dxfs index the office's rules refer to (``ids``, and those of the
        table styles here) is taken, so officebot's entries never land where an office rule
        points. A missing entry gets an empty ``<dxf/>``: no formatting, as before."""
        ids = set(ids)
        for el in self.root.iter():
            value = el.get("dxfId") if isinstance(el.tag, str) else None
            if value is not None and value.isdigit():
                ids.add(int(value))
        ids = {i for i in ids if i < MAX_KEPT_DXFS}  # beyond: a damaged id, not an entry
        if not ids:
            return
        entries = _entries(self._find("dxfs")) if self._find("dxfs") is not None else []
        if max(ids) < len(entries):
            return
        container = self._container("dxfs")
        for _ in range(max(ids) + 1 - len(entries)):
            self._sub(container, "dxf")
        container.set("count", str(len(_entries(container))))
        self._index.pop("dxfs", None)
        self.changed = True

    def to_bytes(self) -> bytes:
        """styles.xml: the original bytes when nothing was appended."""
        if not self.changed and self.original is not None:
            return self.original
        for el in self.root:  # once rewritten, every list says how many entries it has
            if _local(el) in _ORDER and el.get("count") is not None:
                el.set("count", str(len(_entries(el))))
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8",
                              standalone=True)


def _num(value) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
