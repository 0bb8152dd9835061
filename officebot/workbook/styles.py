"""StyleBook: the package's xl/styles.xml, with officebot's cell formats appended.

Entries are only ever appended, never reordered or changed, so every s="N" and dxfId the
office's cells and rules use keeps its meaning. An entry equal to one already there (for
instance the one officebot appended on the previous run) is reused, so a second run leaves
styles.xml byte for byte unchanged.
"""

from typing import Dict, Optional, Tuple

from lxml import etree

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

# Order of the top-level children of <styleSheet> (CT_Stylesheet).
_ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles",
          "dxfs", "tableStyles", "colors", "extLst")


def _el(tag: str, **attrs) -> etree._Element:
    el = etree.Element(_Q + tag, nsmap={None: NS})
    for k, v in attrs.items():
        el.set(k, str(v))
    return el


def _sub(parent, tag: str, **attrs) -> etree._Element:
    el = etree.SubElement(parent, _Q + tag)
    for k, v in attrs.items():
        el.set(k, str(v))
    return el


def _key(el) -> bytes:
    return etree.tostring(el, method="c14n", exclusive=True)


def _argb(colour: str) -> str:
    colour = colour.lstrip("#").upper()
    return colour if len(colour) == 8 else "FF" + colour


class StyleBook:
    """Cell formats (cellXfs) and conditional-format styles (dxfs) of one package."""

    def __init__(self, styles_xml: Optional[bytes] = None):
        self.original = styles_xml
        self.root = etree.fromstring(styles_xml or MINIMAL_STYLES)
        self.changed = styles_xml is None
        self._index: Dict[str, Dict[bytes, int]] = {}
        self._cache: Dict[Tuple, int] = {}
        self._base_font = self._default_font()

    # --- containers -----------------------------------------------------------------
    def _container(self, tag: str) -> etree._Element:
        el = self.root.find(_Q + tag)
        if el is not None:
            return el
        el = _el(tag, count=0)
        after = _ORDER.index(tag)
        for i, child in enumerate(self.root):
            local = etree.QName(child).localname if isinstance(child.tag, str) else ""
            if local in _ORDER and _ORDER.index(local) > after:
                child.addprevious(el)
                return el
        self.root.append(el)
        return el

    def _find_or_add(self, tag: str, el: etree._Element) -> int:
        """Index of an entry equal to ``el`` in container ``tag``, appending it if new."""
        container = self._container(tag)
        index = self._index.get(tag)
        if index is None:
            index = {}
            for i, child in enumerate(c for c in container if isinstance(c.tag, str)):
                index.setdefault(_key(child), i)
            self._index[tag] = index
        key = _key(el)
        if key in index:
            return index[key]
        container.append(el)
        n = len(index)
        index[key] = n
        container.set("count", str(n + 1))
        self.changed = True
        return n

    def _default_font(self) -> Dict[str, str]:
        fonts = self.root.find(_Q + "fonts")
        out = {"sz": "11", "name": "Calibri"}
        if fonts is not None and len(fonts):
            for child in fonts[0]:
                if not isinstance(child.tag, str):
                    continue
                local = etree.QName(child).localname
                if local in ("sz", "name", "family", "charset", "scheme") and child.get("val"):
                    out[local] = child.get("val")
        return out

    # --- pieces ---------------------------------------------------------------------
    def _num_fmt(self, code: Optional[str]) -> int:
        if code is None:
            return 0
        if code in BUILTIN_FORMATS:
            return BUILTIN_FORMATS[code]
        container = self._container("numFmts")
        used = []
        for nf in container:
            if not isinstance(nf.tag, str):
                continue
            if nf.get("formatCode") == code:
                return int(nf.get("numFmtId"))
            used.append(int(nf.get("numFmtId", "0")))
        new_id = max(used + [163]) + 1
        _sub(container, "numFmt", numFmtId=new_id, formatCode=code)
        container.set("count", str(len(used) + 1))
        self.changed = True
        return new_id

    def _font(self, bold: bool, colour: Optional[str], size: Optional[float]) -> int:
        if not bold and colour is None and size is None:
            return 0
        base = self._base_font
        font = _el("font")
        if bold:
            _sub(font, "b")
        _sub(font, "sz", val=_num(size) if size is not None else base["sz"])
        if colour is not None:
            _sub(font, "color", rgb=_argb(colour))
        _sub(font, "name", val=base["name"])
        for k in ("family", "charset", "scheme"):
            if k in base:
                _sub(font, k, val=base[k])
        return self._find_or_add("fonts", font)

    def _fill(self, colour: Optional[str]) -> int:
        if colour is None:
            return 0
        fill = _el("fill")
        pf = _sub(fill, "patternFill", patternType="solid")
        _sub(pf, "fgColor", rgb=_argb(colour))
        _sub(pf, "bgColor", indexed=64)
        return self._find_or_add("fills", fill)

    def _border(self, border: bool) -> int:
        if not border:
            return 0
        b = _el("border")
        for side in ("left", "right", "top", "bottom"):
            s = _sub(b, side, style="thin")
            _sub(s, "color", indexed=64)
        _sub(b, "diagonal")
        return self._find_or_add("borders", b)

    # --- public ---------------------------------------------------------------------
    def xf(self, *, bold=False, num_format=None, fill=None, font_color=None, wrap=False,
           halign=None, valign=None, border=False, size=None) -> int:
        """The cellXfs index of a cell format, appended to the stylesheet if new."""
        key = ("xf", bold, num_format, fill, font_color, wrap, halign, valign, border, size)
        if key in self._cache:
            return self._cache[key]
        num_id = self._num_fmt(num_format)
        font_id = self._font(bold, font_color, size)
        fill_id = self._fill(fill)
        border_id = self._border(border)
        xf = _el("xf", numFmtId=num_id, fontId=font_id, fillId=fill_id, borderId=border_id,
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
            al = _sub(xf, "alignment")
            if halign:
                al.set("horizontal", halign)
            if valign:
                al.set("vertical", valign)
            if wrap:
                al.set("wrapText", "1")
        index = self._find_or_add("cellXfs", xf)
        self._cache[key] = index
        return index

    def dxf(self, *, fill=None, font_color=None, bold=False) -> int:
        """The dxfs index of a conditional-format style, appended if new."""
        key = ("dxf", fill, font_color, bold)
        if key in self._cache:
            return self._cache[key]
        d = _el("dxf")
        if bold or font_color:
            font = _sub(d, "font")
            if bold:
                _sub(font, "b")
            if font_color:
                _sub(font, "color", rgb=_argb(font_color))
        if fill:
            pf = _sub(_sub(d, "fill"), "patternFill", patternType="solid")
            _sub(pf, "fgColor", rgb=_argb(fill))
            _sub(pf, "bgColor", rgb=_argb(fill))
        index = self._find_or_add("dxfs", d)
        self._cache[key] = index
        return index

    def to_bytes(self) -> bytes:
        """styles.xml: the original bytes when nothing was appended."""
        if not self.changed and self.original is not None:
            return self.original
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8",
                              standalone=True)


def _num(value) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
