"""The shared-strings table reads each item as an XML parser reads it, whichever way its
index was built: Excel's usual <si><t>text</t></si> items, found a block at a time, are
only decoded; any other item (runs, phonetic runs, references, _x escapes, CR, spaces kept)
is read whole; the table is cut into blocks anywhere."""

import zipfile

from hypothesis import HealthCheck, given, settings as hsettings, strategies as st
from lxml import etree

from officebot import package
from officebot.package import SharedStrings, inline_text, unescape_x

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
ITEMS = [
    "<si><t>服务</t></si>",
    "<si><t>13800138000</t></si>",
    "<si><t>=cmd|' /C calc'!A0</t></si>",
    "<si><t></t></si>",
    "<si><t/></si>",
    "<si><t>a&amp;b &lt;c&gt;</t></si>",
    "<si><t>line&#10;two &#x4E2D;</t></si>",
    "<si><t>tax_x000D_end</t></si>",
    "<si><t>snake_case x_y</t></si>",
    '<si><t xml:space="preserve"> kept </t></si>',
    "<si><r><t>東</t></r><r><rPr><b/></rPr><t>京</t></r></si>",
    '<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si>',
    "<si><t>a\r\nb</t></si>",
    "<si><t>two</t><t>texts</t></si>",
    "<si>\n  <t>spaced</t>\n</si>",
    '<si a="1"><t>with an attribute</t></si>',
    "<si/>",
    "<si />",
    "<si><t>spaced end</t></si >",
    "<si><t>new line end</t></si\n>",
]


def expected_texts(sst_xml: bytes) -> list:
    """The table as lxml reads it: each top-level item's text, then Excel's _xHHHH_."""
    root = etree.fromstring(sst_xml)
    out = []
    for si in root:
        text = inline_text(si)
        out.append(unescape_x(text) if "_x" in text else text)
    return out


def table(path, items) -> bytes:
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{NS}" '
           f'count="{len(items)}" uniqueCount="{len(items)}">' + "".join(items)
           + "</sst>").encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/sharedStrings.xml", xml)
    return xml


def read_all(path, n: int):
    with zipfile.ZipFile(path) as zf:
        sst = SharedStrings(zf, "xl/sharedStrings.xml", "register")
        try:
            one_by_one = [sst[i] for i in range(n)]
            at_once = sst.texts(range(n))
            backwards = sst.texts(range(n - 1, -1, -1))[::-1]
            return one_by_one, at_once, backwards, bytes(sst._usual)
        finally:
            sst.close()


@hsettings(max_examples=300, deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(picks=st.lists(st.sampled_from(range(len(ITEMS))), max_size=30),
       usual_run=st.integers(0, 40), block=st.sampled_from([5, 16, 64, 1 << 20]))
def test_every_item_reads_as_lxml_reads_it(tmp_path, monkeypatch, picks, usual_run, block):
    # a run of usual items, so that some blocks hold only those and some both kinds, with
    # the other items before, after or around it
    usual = ["<si><t>件%d</t></si>" % i for i in range(usual_run)]
    cut = len(picks) // 2 if len(picks) % 3 == 0 else 0 if len(picks) % 3 == 1 else len(picks)
    items = [ITEMS[i] for i in picks[:cut]] + usual + [ITEMS[i] for i in picks[cut:]]
    monkeypatch.setattr(package, "SST_BLOCK", block)
    path = tmp_path / "sst.zip"
    want = expected_texts(table(path, items))
    one_by_one, at_once, backwards, _ = read_all(path, len(items))
    assert one_by_one == want
    assert at_once == want
    assert backwards == want


def test_usual_items_are_found_a_block_at_a_time_and_others_are_not(tmp_path):
    usual = ["<si><t>服务%d</t></si>" % i for i in range(50)]
    path = tmp_path / "sst.zip"
    want = expected_texts(table(path, usual))
    *texts, flags = read_all(path, len(usual))
    assert texts == [want] * 3
    assert flags == b"\x01" * len(usual)  # every item found usual: only decoded
    # one item with a reference in the block: that block's items are each read whole
    mixed = usual[:10] + ["<si><t>a&amp;b</t></si>"] + usual[10:]
    want = expected_texts(table(path, mixed))
    *texts, flags = read_all(path, len(mixed))
    assert texts == [want] * 3
    assert flags == bytes(len(mixed))


def test_an_index_past_the_table_is_an_index_error(tmp_path):
    path = tmp_path / "sst.zip"
    table(path, ["<si><t>a</t></si>"])
    with zipfile.ZipFile(path) as zf:
        sst = SharedStrings(zf, "xl/sharedStrings.xml", "register")
        try:
            assert sst.texts([0]) == ["a"]
            try:
                sst.texts([0, 1])
            except IndexError:
                pass
            else:
                raise AssertionError("an index past the table was read")
        finally:
            sst.close()
