"""What other writers put in a sheet, read right: tables of hand-written XML -> values.

No library writes most of these structures (rows and cells without r, prefixed or Strict
namespaces, phonetic runs, character references, ISO date cells ...), so the packages are
written by hand here, part by part.
"""

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from officebot.cli import cli
from officebot.package import (CellError, cell_ref, column_index, column_letters, item_text,
                               next_column, split_ref, typed_value)
from officebot.xlsx import Workbook

T_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
T_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
S_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
S_REL = "http://purl.oclc.org/ooxml/officeDocument/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def package(path: Path, sheet_data: str, strings=None, strict=False, prefix="",
            dimension='<dimension ref="A1"/>') -> Path:
    """A workbook package written by hand around ``sheet_data`` (the rows' XML, with tags
    prefixed by ``prefix``); ``strings`` the <si> items of a shared-strings part."""
    main, rel = (S_MAIN, S_REL) if strict else (T_MAIN, T_REL)
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{main}"' if prefix else f'xmlns="{main}"'
    sheet = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             f'<{p}worksheet {xmlns} xmlns:r="{rel}">'
             + dimension.replace("<", f"<{p}") +
             f'<{p}sheetData>{sheet_data}</{p}sheetData></{p}worksheet>')
    rels = [("rId1", f"{rel}/worksheet", "worksheets/sheet1.xml")]
    parts = {"xl/worksheets/sheet1.xml": sheet}
    if strings is not None:
        parts["xl/sharedStrings.xml"] = (
            f'<{p}sst {xmlns} count="{len(strings)}" uniqueCount="{len(strings)}">'
            + "".join(s.replace("<", f"<{p}").replace(f"<{p}/", f"</{p}")
                      .replace(f"{p}/", f"/{p}") if p else s for s in strings) + f"</{p}sst>")
        rels.append(("rId2", f"{rel}/sharedStrings", "sharedStrings.xml"))
    parts["xl/workbook.xml"] = (
        f'<{p}workbook {xmlns} xmlns:r="{rel}"><{p}sheets>'
        f'<{p}sheet name="台账" sheetId="1" r:id="rId1"/></{p}sheets></{p}workbook>')
    parts["xl/_rels/workbook.xml.rels"] = (
        f'<Relationships xmlns="{PKG_REL}">' + "".join(
            f'<Relationship Id="{i}" Type="{t}" Target="{g}"/>' for i, t, g in rels)
        + "</Relationships>")
    parts["_rels/.rels"] = (
        f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" '
        f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts["[Content_Types].xml"] = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/>'
        "</Types>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in ("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml",
                     "xl/_rels/workbook.xml.rels", *[n for n in parts if n.startswith("xl/") and
                                                     "/_rels/" not in n and "book" not in n]):
            zf.writestr(name, parts[name])
    return path


def rows_of(path: Path):
    """Every row's values, read twice: every column (lxml) and the columns named (the
    reader's findall, for a plain sheet), which must agree."""
    with Workbook(path) as book:
        every = dict(book.rows(book.sheets[0]))
        named = dict(book.rows(book.sheets[0], columns=set(range(1, 30)) | {16384}))
    assert named == every
    return every


INLINE = '<c r="{r}" t="inlineStr"><is><t>{t}</t></is></c>'

# (sheet data, shared strings, {row: {column: value}})
CASES = [
    pytest.param('<row><c t="inlineStr"><is><t>a</t></is></c><c><v>1</v></c></row>'
                 '<row><c><v>2</v></c></row>', None, {1: {1: "a", 2: 1}, 2: {1: 2}},
                 id="rows-and-cells-without-r"),
    pytest.param('<row r="3"><c r="C3"><v>1</v></c><c><v>2</v></c><c r="F3"><v>3</v></c>'
                 '<c><v>4</v></c></row><row><c r="B4"><v>5</v></c></row>', None,
                 {3: {3: 1, 4: 2, 6: 3, 7: 4}, 4: {2: 5}}, id="r-missing-after-r"),
    pytest.param('<row r="5"><c r="A5"><v>1</v></c></row><row><c><v>2</v></c></row>'
                 '<row r="9"><c r="A9"><v>3</v></c></row><row/><row><c><v>4</v></c></row>',
                 None, {5: {1: 1}, 6: {1: 2}, 9: {1: 3}, 11: {1: 4}}, id="rows-follow-rows"),
    pytest.param('<row r="1"><c r="A1"><v>1</v></c><c r="AB1"><v>2</v></c></row>'
                 '<row r="40000"><c r="XFD40000"><v>3</v></c></row>', None,
                 {1: {1: 1, 28: 2}, 40000: {16384: 3}}, id="dimension-A1-but-data-beyond"),
    pytest.param(INLINE.format(r="A1", t="投诉"), None, {}, id="cell-outside-a-row"),
    pytest.param('<row r="1">' + INLINE.format(r="A1", t="&#25237;&#35785;&#x767b;&#x8BB0;")
                 + INLINE.format(r="B1", t="A&amp;B &lt;1&gt; &quot;q&quot; &apos;") + "</row>",
                 None, {1: {1: "投诉登记", 2: "A&B <1> \"q\" '"}}, id="character-references"),
    pytest.param('<row r="1">' + INLINE.format(r="A1", t="a_x000D_b_x000a_c")
                 + INLINE.format(r="B1", t="_x005F_x000D_") + "</row>", None,
                 {1: {1: "a\rb\nc", 2: "_x000D_"}}, id="x-escapes"),
    pytest.param('<row r="1"><c r="A1" t="inlineStr"><is><r><rPr><b/></rPr><t>客服</t></r>'
                 '<r><t xml:space="preserve"> 部 </t></r></is></c></row>', None,
                 {1: {1: "客服 部 "}}, id="inline-rich-text"),
    pytest.param('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
                 '<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>9</v></c></row>',
                 ['<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh>'
                  '<phoneticPr fontId="1"/></si>',
                  '<si><r><t>甲</t></r><r><rPr><i/></rPr><t>乙</t></r>'
                  '<rPh sb="0" eb="1"><t>コウ</t></rPh></si>',
                  "<si><t>&#20013;&amp;_x0009_</t></si>"],
                 {1: {1: "東京", 2: "甲乙", 3: "中&\t", 4: CellError("#REF!")}},
                 id="shared-rich-text-and-phonetic-runs"),
    pytest.param('<row r="1"><c r="A1" t="str"><f>B1&amp;"x"</f><v>abc&amp;&#36335;</v></c>'
                 '<c r="B1" t="d"><v>2026-03-05T14:20:00</v></c>'
                 '<c r="C1" t="b"><v>1</v></c><c r="D1" t="e"><v>#N/A</v></c>'
                 '<c r="E1" t="n"><v>1.5E3</v></c><c r="F1"><v>-7</v></c></row>', None,
                 {1: {1: "abc&路", 2: "2026-03-05T14:20:00", 3: True, 4: CellError("#N/A"),
                      5: 1500.0, 6: -7}}, id="typed-cells"),
    pytest.param('<row r="2"><c r="B2"><f t="shared" ref="B2:B3" si="0">A2+1</f><v>5</v></c>'
                 '</row><row r="3"><c r="B3"><f t="shared" si="0"/><v>6</v></c>'
                 '<c r="C3"><f t="array" ref="C3:C4">SUM(A1:A2)</f><v>11</v></c>'
                 '<c r="D3" t="str"><f t="shared" si="1"/><v>文本</v></c></row>', None,
                 {2: {2: 5}, 3: {2: 6, 3: 11, 4: "文本"}}, id="shared-and-array-formulas"),
    pytest.param('<row r="1" spans="1:3"><c r="A1" s="3"/><c r="B1"><v></v></c>'
                 '<c s="2" t="s" r="C1"><v>0</v></c><c r=\'D1\' t=\'inlineStr\'><is><t>单引号'
                 '</t></is></c></row><row r="2"/>', ["<si><t>属性在后</t></si>"],
                 {1: {3: "属性在后", 4: "单引号"}}, id="empty-cells-and-attribute-order"),
]


@pytest.mark.parametrize("sheet_data, strings, expected", CASES)
def test_sheet_structures(tmp_path, sheet_data, strings, expected):
    path = package(tmp_path / "r.xlsx", sheet_data, strings)
    assert rows_of(path) == expected


@pytest.mark.parametrize("strict", [False, True], ids=["transitional", "strict"])
@pytest.mark.parametrize("sheet_data, strings, expected", CASES)
def test_prefixed_and_strict_namespaces(tmp_path, sheet_data, strings, expected, strict):
    prefixed = (sheet_data.replace("<", "<x:").replace("<x:/", "</x:")
                .replace("x:/", "/x:"))
    path = package(tmp_path / "r.xlsx", prefixed, strings, strict=strict, prefix="x")
    assert rows_of(path) == expected
    path = package(tmp_path / "s.xlsx", sheet_data, strings, strict=strict)
    assert rows_of(path) == expected


@pytest.mark.parametrize("body, text", [
    (b"<t>plain</t>", "plain"),
    (b'<t xml:space="preserve"> x </t>', " x "),
    (b"<t/>", ""),
    (b"<t>&#x1F600;&#128512;</t>", "\U0001F600\U0001F600"),
    (b"<t><![CDATA[a<b&c]]></t>", "a<b&c"),
    (b"<r><t>a</t></r><r><t>b</t></r><rPh><t>c</t></rPh>", "ab"),
    (b"<x:r><x:t>a</x:t></x:r><x:rPh><x:t>c</x:t></x:rPh>", "a"),
])
def test_item_text(body, text):
    prefix = b"x:" if b"x:" in body else b""
    assert item_text(body, prefix) == text


@pytest.mark.parametrize("t, v, value", [
    ("n", "42", 42), ("n", "4.5", 4.5), ("n", "1e2", 100.0), ("n", "abc", "abc"),
    ("str", "<是>", "<是>"), ("str", "a_x0041_", "aA"), ("b", "0", False), ("b", "true", True),
    ("e", "#DIV/0!", "#DIV/0!"), ("d", "2026-03-05", "2026-03-05"),
])
def test_typed_value(t, v, value):
    assert typed_value(t, v) == value


@pytest.mark.parametrize("ref, row_col", [("A1", (1, 1)), ("Z9", (9, 26)), ("AA10", (10, 27)),
                                          ("$XFD$1048576", (1048576, 16384)), ("b3", (3, 2))])
def test_cell_references(ref, row_col):
    assert split_ref(ref) == row_col
    assert cell_ref(*row_col) == ref.replace("$", "").upper()
    assert column_index(column_letters(row_col[1])) == row_col[1]


def test_numbering_without_references():
    assert [next_column(r, p) for r, p in [(b"C5", 0), (None, 3), (b"$D$5", 9)]] == [3, 4, 4]
    with pytest.raises(ValueError):
        split_ref("A0B")


HEADER = ["编号", "受理时间", "客户姓名", "投诉类别", "答复时间"]


def _register_sheet(prefix=""):
    """A register as an exporter writes it: no r anywhere, inline strings with character
    references, an ISO date cell, a formula's string result and a shared formula's cached
    serial number."""
    def refs(text):
        return "".join(f"&#{ord(ch)};" if ord(ch) > 127 else ch for ch in text)

    def inline(text):
        return f'<c t="inlineStr"><is><t>{refs(text)}</t></is></c>'

    rows = ["<row>" + "".join(inline(h) for h in HEADER) + "</row>",
            "<row>" + inline("C1") + '<c t="d"><v>2026-03-05T09:00:00</v></c>'
            + inline("张三") + inline("服务") + '<c t="str"><f>TEXT(B2,"yyyy-mm-dd")</f>'
            "<v>2026-03-06 10:00</v></c></row>",
            "<row/>",
            "<row>" + inline("C2") + '<c><f t="shared" ref="B4:B5" si="0">B2+1</f>'
            "<v>46087.375</v></c>" + inline("李四") + inline("产品质量") + "</row>",
            '<row><c t="str"><v>C3</v></c><c><f t="shared" si="0"/><v>46088.5</v></c></row>']
    data = "".join(rows)
    if prefix:
        data = data.replace("<", "<x:").replace("<x:/", "</x:").replace("x:/", "/x:")
    return data


@pytest.mark.parametrize("prefix, strict", [("", False), ("x", False), ("", True),
                                            ("x", True)])
def test_check_json_reads_an_exported_register(tmp_path, prefix, strict):
    path = package(tmp_path / "台账.xlsx", _register_sheet(prefix), strict=strict,
                   prefix=prefix, dimension="")
    result = CliRunner().invoke(cli, ["check", str(path), "--as-of", "2026-03-10 12:00",
                                      "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["problems"] == []
    cases = {c["case_id"]: c for c in doc["cases"]}
    assert sorted(cases) == ["C1", "C2", "C3"]
    assert [cases[k]["row"] for k in ("C1", "C2", "C3")] == [2, 4, 5]
    assert cases["C1"]["reply_status"] == "on_time"
    received = {k: dt.datetime.fromisoformat(cases[k]["reply_due"]) - dt.timedelta(hours=48)
                for k in cases}
    assert received == {"C1": dt.datetime(2026, 3, 5, 9, 0), "C2": dt.datetime(2026, 3, 6, 9),
                        "C3": dt.datetime(2026, 3, 7, 12)}
