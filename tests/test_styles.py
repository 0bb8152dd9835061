"""StyleBook: appends de-duplicated, found again on the next run, never at cellXfs 0."""

import re

import pytest
from lxml import etree

from officebot.workbook.styles import StyleBook

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEAD = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def styles(body: bytes, prefix: bytes = b"") -> bytes:
    decl = b'xmlns:x="%s"' % NS.encode() if prefix else b'xmlns="%s"' % NS.encode()
    return HEAD + b"<%sstyleSheet %s>%s</%sstyleSheet>" % (prefix, decl, body, prefix)


DUPLICATES = styles(
    b'<numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0.000"/></numFmts>'
    b'<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    b'<font><sz val="11"/><name val="Calibri"/></font></fonts>'
    b'<fills count="3"><fill><patternFill patternType="none"/></fill>'
    b'<fill><patternFill patternType="gray125"/></fill>'
    b'<fill><patternFill patternType="gray125"/></fill></fills>'
    b'<borders count="1"><border/></borders>'
    b'<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    b'<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    b'<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    b'</cellXfs>'
    b'<dxfs count="1"><dxf><font><color rgb="FFFFFFFF"/></font></dxf>'
    b'<dxf><font><color rgb="FFFFFFFF"/></font></dxf></dxfs>')

CASES = {
    "duplicates in every list": DUPLICATES,
    "no cellXfs, no dxfs": styles(b'<fonts count="1"><font><sz val="11"/></font></fonts>'),
    "empty styleSheet": styles(b""),
    "empty lists": styles(b'<numFmts count="0"/><fonts count="0"/><fills count="0"/>'
                          b'<borders count="0"/><cellXfs count="0"/><dxfs count="0"/>'),
    "prefixed, counts wrong": styles(
        b'<x:fonts count="9"><x:font><x:sz val="11"/></x:font></x:fonts>'
        b'<x:cellXfs count="7"><x:xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        b'</x:cellXfs>', b"x:"),
}


def entries(xml: bytes, tag: str):
    root = etree.fromstring(xml)
    container = next(el for el in root if etree.QName(el).localname == tag)
    return container, [c for c in container if isinstance(c.tag, str)]


def add_officebot_styles(book: StyleBook):
    return (book.xf(num_format="yyyy-mm-dd hh:mm"), book.xf(bold=True, wrap=True),
            book.dxf(fill="FFC7CE", font_color="9C0006"), book.dxf(fill="FFEB9C"))


@pytest.mark.parametrize("name", CASES)
def test_officebot_entries_are_its_own_and_found_again(name):
    book = StyleBook(CASES[name])
    date, header, overdue, soon = add_officebot_styles(book)
    first = book.to_bytes()
    root_xml = first
    _, xfs = entries(root_xml, "cellXfs")
    _, dxfs = entries(root_xml, "dxfs")
    assert 0 not in (date, header)  # index 0 is every unstyled cell's style
    assert date < len(xfs) and header < len(xfs)
    # the date xf really is a date format
    num_id = xfs[date].get("numFmtId")
    codes = {nf.get("numFmtId"): nf.get("formatCode") for nf in entries(root_xml, "numFmts")[1]}
    assert codes[num_id] == "yyyy-mm-dd hh:mm"
    # the highlight dxf really carries officebot's fill
    fg = dxfs[overdue].find(".//{%s}fgColor" % NS)
    assert fg.get("rgb") == "FFFFC7CE"
    assert dxfs[soon].find(".//{%s}fgColor" % NS).get("rgb") == "FFFFEB9C"
    # every count attribute that officebot touched is the list's real length
    for tag in ("numFmts", "cellXfs", "dxfs", "fonts", "fills"):
        container, items = entries(root_xml, tag)
        assert container.get("count") == str(len(items)), tag
    # the next run finds them again: same indices, same bytes
    again = StyleBook(first)
    assert add_officebot_styles(again) == (date, header, overdue, soon)
    assert again.to_bytes() == first


def test_office_entries_keep_their_indices():
    book = StyleBook(DUPLICATES)
    add_officebot_styles(book)
    _, before = entries(DUPLICATES, "cellXfs")
    _, after = entries(book.to_bytes(), "cellXfs")
    assert [etree.tostring(x) for x in after[:len(before)]] == [etree.tostring(x) for x in before]


def test_nothing_added_leaves_the_bytes():
    book = StyleBook(DUPLICATES)
    assert book.to_bytes() is DUPLICATES


def test_a_format_like_the_office_header_wraps():
    xml = styles(b'<fonts count="2"><font><sz val="11"/></font><font><b/><sz val="12"/></font>'
                 b'</fonts><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" '
                 b'borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="2" borderId="1" '
                 b'xfId="0" applyFont="1"><alignment horizontal="center"/></xf></cellXfs>')
    book = StyleBook(xml)
    like = book.xf_like(1)
    out = book.to_bytes()
    _, xfs = entries(out, "cellXfs")
    assert like == 2
    assert (xfs[2].get("fontId"), xfs[2].get("fillId"), xfs[2].get("borderId")) == ("1", "2", "1")
    al = xfs[2][0]
    assert al.get("horizontal") == "center" and al.get("wrapText") == "1"
    assert StyleBook(out).xf_like(1) == 2
    assert re.search(rb'<cellXfs count="3"', out)


def test_a_builtin_id_the_office_redefined_is_not_used_for_its_builtin_meaning():
    book = StyleBook(styles(b'<numFmts count="1"><numFmt numFmtId="2" formatCode="yyyy"/>'
                            b"</numFmts>"))
    index = book.xf(num_format="0.00")
    num = book.root.find(f"{{{NS}}}cellXfs")[index].get("numFmtId")
    assert num != "2"
    codes = {nf.get("numFmtId"): nf.get("formatCode") for nf in book.root.iter(f"{{{NS}}}numFmt")}
    assert codes[num] == "0.00"


def test_an_id_listed_twice_with_two_codes_is_not_reused():
    book = StyleBook(styles(b'<numFmts count="2"><numFmt numFmtId="164" formatCode="0.0%"/>'
                            b'<numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/></numFmts>'))
    index = book.xf(num_format="yyyy-mm-dd hh:mm")
    assert book.root.find(f"{{{NS}}}cellXfs")[index].get("numFmtId") == "165"


def test_dxfs_the_office_refers_to_stay_theirs():
    """An office rule's dxfId (or a table style's) beyond the list keeps meaning nothing:
    officebot's highlight goes after it, and a second run adds nothing."""
    body = (b'<tableStyles count="1"><tableStyle name="T" count="1"><tableStyleElement '
            b'type="wholeTable" dxfId="2"/></tableStyle></tableStyles>')
    book = StyleBook(styles(body))
    book.keep_dxfs({4})
    assert book.dxf(fill="FFC7CE") == 5
    again = StyleBook(book.to_bytes())
    again.keep_dxfs({4})
    assert again.dxf(fill="FFC7CE") == 5 and not again.changed
    book = StyleBook(styles(body))
    book.keep_dxfs({10 ** 6})  # a damaged id: no million empty entries
    assert book.dxf(fill="FFC7CE") == 3
