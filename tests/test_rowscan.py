"""The row tokenizer (rowscan) reads sheet XML as an XML parser reads it, on every path: the
reader's fast path and its lxml path, the planner's used range and the rewrite's cells are
held to a plain lxml reading of the same bytes, by tables and by a property test over
generated sheets with comments, processing instructions, CDATA sections, character and entity
references and whitespace placed anywhere (inside rows, between cells, inside <v> and <t>, in
the shared strings)."""

import io
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st
from lxml import etree

from officebot import rowscan, xlsx
from officebot.errors import RegisterError
from officebot.package import CellError, NotPlain
from officebot.package import cell_value, column_index, column_letters, unescape_x
from officebot.workbook.changes import cell_value as old_cell_value
from officebot.workbook.layout import ExtentScan, scan_cells
from officebot.workbook.rowxml import SheetRows, parse_row, rewrite_row

from test_package_read import T_MAIN, package

PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


# --- a plain lxml reading, written here on its own -----------------------------------------
def lxml_reading(sheet_xml: bytes, sst_xml):
    """{row: {column: value}} of a whole sheet part, read by lxml alone."""
    root = etree.fromstring(sheet_xml, PARSER)
    ns = root.tag[1:].split("}")[0]

    def q(name):
        return f"{{{ns}}}{name}"

    def text_of(el):  # <si> or <is>: its <t>, or the <t> of its runs
        parts = []
        for child in el:
            if child.tag == q("t"):
                parts.append("".join(child.itertext()))
            elif child.tag == q("r"):
                parts.extend("".join(t.itertext()) for t in child if t.tag == q("t"))
        return "".join(parts)

    strings = []
    if sst_xml is not None:
        sst = etree.fromstring(sst_xml.encode(), PARSER)
        strings = [unescape_x(text_of(si)) for si in sst if si.tag == q("si")]
    out, previous = {}, 0
    for row in root.find(q("sheetData")):
        if row.tag != q("row"):
            continue
        r = row.get("r")
        previous = int(r) if r else previous + 1
        values, col = {}, 0
        for c in row:
            if c.tag != q("c"):
                continue
            ref = c.get("r")
            col = column_index(re.sub("[^A-Z]", "", ref.upper())) if ref else col + 1
            v, inline = c.find(q("v")), c.find(q("is"))
            value = cell_value(c.get("t") or "n",
                               "".join(v.itertext()) if v is not None else None,
                               text_of(inline) if inline is not None else None,
                               strings.__getitem__)
            if value is not None:
                values[col] = value
        if values:
            out[previous] = values
    return out


EVERY = frozenset(range(1, 70)) | {16384}   # the columns these tests' sheets use


def reader_values(path: Path, block: int, columns=None):
    """What the register reader reads, the sheet cut in blocks of about ``block`` bytes
    (``columns``: only those). Without columns, every column is read twice, named (the
    reader's findall) and not (lxml), and the two readings must agree."""
    saved = xlsx.BLOCK
    xlsx.BLOCK = block
    try:
        with xlsx.Workbook(path) as book:
            if columns is not None:
                return dict(book.rows(book.sheets[0], columns=columns)), fast_blocks(book)
            named = dict(book.rows(book.sheets[0], columns=EVERY))
            every = dict(book.rows(book.sheets[0]))
            assert named == every
            return every, fast_blocks(book, EVERY)
    finally:
        xlsx.BLOCK = saved


def fast_blocks(book, columns=None):
    seen = []
    list(book.rows(book.sheets[0], columns=columns,
                   blocks=lambda xml, fast: seen.append(fast)))
    return sum(seen)


def sheet_part(path: Path) -> bytes:
    import zipfile
    with zipfile.ZipFile(path) as zf:
        return zf.read("xl/worksheets/sheet1.xml")


# --- tables --------------------------------------------------------------------------------
A, B = '<c r="A{n}" t="inlineStr"><is><t>{t}</t></is></c>', '<c r="B{n}"><v>{v}</v></c>'
CASES = {
    "plain": '<row r="1">' + A.format(n=1, t="甲") + B.format(n=1, v=5) + "</row>",
    "a comment holding a cell, inside a row":
        '<row r="2">' + A.format(n=2, t="c1@example.com")
        + '<!--<c r="A2" t="inlineStr"><is><t>attacker@evil.test</t></is></c>-->'
        + '<!--<c r="E2" t="inlineStr"><is><t>attacker@evil.test</t></is></c>--></row>',
    "a PI holding rows, inside a row":
        '<row r="3"><?pi <row r="9"><c r="A9"><v>1</v></c></row>?>'
        + B.format(n=3, v=7) + "</row>",
    "a comment holding </row> and </sheetData>":
        '<row r="4"><!-- </row></sheetData><row r="8"> -->' + B.format(n=4, v=1) + "</row>",
    "CDATA and references in text":
        '<row r="5">' + A.format(n=5, t="a<![CDATA[<b>&amp;]]>&#x4E2D;&lt;&#13;") + "</row>",
    "a comment inside <v>": '<row r="6"><c r="B6"><v>1<!-- 0 -->2</v></c></row>',
    "whitespace in tags, single quotes, spaces around =":
        "<row\n r = '7' ><c\tr='B7'  t = \"s\" ><v>0</v></c ></row >",
    "CR LF inside text": '<row r="8">' + A.format(n=8, t="a\r\nb\rc") + "</row>",
    "plain, but cells out of column order (the row shape does not fit: lxml reads it)":
        '<row r="11">' + B.format(n=11, v=2) + A.format(n=11, t="后") + "</row>",
    "plain, but a column twice (the later cell counts, as in lxml's reading)":
        '<row r="12">' + B.format(n=12, v=1) + B.format(n=12, v=3) + "</row>",
    "an undeclared-looking entity is refused, not guessed": None,
}


@pytest.mark.parametrize("name", [n for n in CASES if CASES[n]])
@pytest.mark.parametrize("block", [1, 64, 1 << 19])
def test_the_reader_reads_as_lxml_reads(tmp_path, name, block):
    path = package(tmp_path / "r.xlsx", CASES[name], ["<si><t>共享</t></si>"])
    got, _ = reader_values(path, block)
    assert got == lxml_reading(sheet_part(path), "<sst xmlns=\"%s\"><si><t>共享</t></si>"
                                                  "</sst>" % T_MAIN)


def test_the_regressions_read_as_excel_reads(tmp_path):
    path = package(tmp_path / "r.xlsx", "".join(v for v in CASES.values() if v),
                   ["<si><t>共享</t></si>"])
    got, _ = reader_values(path, 1 << 19)
    assert got[2] == {1: "c1@example.com"}       # not the attacker's address
    assert 9 not in got and 8 in got and got[8] == {1: "a\nb\nc"}  # no phantom rows
    assert got[6] == {2: 12} and got[7] == {2: "共享"}
    assert got[5] == {1: "a<b>&amp;中<\r"}  # CDATA holds its text as it is


def test_a_plain_block_takes_the_fast_path_and_an_odd_one_lxml(tmp_path):
    plain = "".join('<row r="%d">' % n + B.format(n=n, v=n) + "</row>" for n in range(1, 50))
    path = package(tmp_path / "p.xlsx", plain)
    assert reader_values(path, 1 << 19)[1] == 1
    odd = package(tmp_path / "o.xlsx", plain.replace("</row>", "<!-- --></row>", 1))
    values, fast = reader_values(odd, 1 << 19)
    assert fast == 0 and values == lxml_reading(sheet_part(odd), None)


@pytest.mark.parametrize("rows, named", [
    ('<row r="1048577"><c r="A1048577"><v>1</v></c></row>', "A1048577"),
    ('<row r="99999999999999999999"><c r="A1"><v>1</v></c></row>', "A99999999999999999999"),
    ('<row r="3"><c r="ZZZZ3"><v>1</v></c></row>', "ZZZZ3"),
    ('<row r="3"><c r="XFE3"><v>1</v></c></row>', "XFE3"),
    ('<row r="1048577"/>', "row 1,048,577"),
])
def test_cells_outside_excels_grid_stop_with_one_sentence_naming_the_cell(
        tmp_path, rows, named):
    path = package(tmp_path / "g.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row>' + rows)
    with pytest.raises(RegisterError) as caught:
        reader_values(path, 1 << 19)
    text = str(caught.value)
    assert named in text and "\n" not in text and "A1:XFD1048576" in text


def test_the_last_cell_of_the_grid_is_read(tmp_path):
    path = package(tmp_path / "g.xlsx", '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    assert reader_values(path, 1 << 19)[0] == {1048576: {16384: 1}}


def test_a_comment_item_atop_the_shared_strings_shifts_nothing(tmp_path):
    strings = ["<!-- <si><t>x</t></si> -->" "<si><t>一</t></si>", "<?pi <si>?><si><t>二</t></si>",
               "<si><t><![CDATA[三]]></t></si>"]
    cells = "".join(f'<c r="{col}1" t="s"><v>{i}</v></c>' for i, col in enumerate("ABC"))
    path = package(tmp_path / "s.xlsx", f'<row r="1">{cells}</row>', strings)
    assert reader_values(path, 1 << 19)[0] == {1: {1: "一", 2: "二", 3: "三"}}


@pytest.mark.parametrize("text", [b"a&nbsp;b", b"&#0;", b"a & b", b"&#xD800;"])
def test_references_no_parser_accepts_are_not_guessed(text):
    with pytest.raises(rowscan.NotPlain):
        rowscan.text(text)


@pytest.mark.parametrize("raw, text", [
    (b"&#25237;&amp;&lt;&gt;&quot;&apos;", "投&<>\"'"), (b"a\r\nb\rc", "a\nb\nc"),
    (b"&#x1F600;", "\U0001F600"), (b"&#13;", "\r"), (b"", "")])
def test_text_as_xml_reads_it(raw, text):
    assert rowscan.text(raw) == text
    assert rowscan.text(raw) == (etree.fromstring(b"<t>" + raw + b"</t>", PARSER).text or "")


@pytest.mark.parametrize("xml, plain", [
    (b'<row r="1" spans="1:2"><c r="A1" s="1" t="s"><v>0</v></c><c r="B1"/></row>', True),
    (b'<row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve"> a </t></is></c></row>',
     True),
    (b'<row r="1"><c r="A1"><f t="shared" si="0"/><v>1</v></c></row>\n', True),
    (b'<row r="1"><c r="A1" cm="1" t="s"><v>0</v></c></row>', False),  # t after another
    (b'<row r="1"><c r="A1"><v>1</v></c><!-- --></row>', False),
    (b'<row r="1"><?pi?></row>', False),
    (b'<row r="1"><c r="a1"><v>1</v></c></row>', False),
    (b'<row r="1"><c><v>1</v></c></row>', False),
    (b'<row><c r="A1"><v>1</v></c></row>', False),
    (b"<row r='1'></row>", False),
    (b'<row r="1"><c r="A1" xmlns="urn:x"><v>1</v></c></row>', False),
    (b'<row r="1"><c r="XFE1"><v>1</v></c></row>', False),
    (b'<row r="1"><c r="A1" t="inlineStr"><is><r><t>a</t></r></is></c></row>', False),
    (b'<row r="1"><c r="A1"><v>a\rb</v></c></row>', False),
    (b'<row r="1"/><c r="A1"><v>1</v></c>', False),                 # a cell outside a row
    (b'<row r="1"><c r="A1"><c r="B1"><v>1</v></c></c></row>', False),  # nested cells
    (b'<row r="1"><c r="A1"><row r="2"/></c></row>', False),
    (b'<row r="1"><v>1</v></row>', False),
])
def test_which_bytes_are_plain(xml, plain):
    assert rowscan.plain(xml) is plain
    for letters in (ALL, frozenset(), frozenset({"A"}), frozenset({"B", "C"})):
        assert fast_verdict(xml, letters) is plain, letters


ALL = frozenset(column_letters(c) for c in range(1, 20))   # more than the tables use


class _Table(list):
    def texts(self, indices):
        return [self[i] for i in indices]


class _Strings:
    """The shared strings of a reader with no workbook behind it (every index one text)."""

    strings = _Table(["s"] * 10)


def fast_verdict(xml: bytes, letters) -> bool:
    """Whether the reader's one findall (rowscan.row_shape_pattern for the columns named by
    ``letters``), read by the reader, takes ``xml`` as plain."""
    if rowscan.suspect(xml):
        return False
    columns = {column_index(x) for x in letters}
    try:
        xlsx._CellParser(_Strings(), columns, b"").shaped(xml)
    except NotPlain:
        return False
    return True


@pytest.mark.parametrize("xml", [
    b'<row r="1"/>\n<row r="2"><c r="A2"><v>1</v></c></row>',   # an empty row, then one
    b'<row r="1"></row><row r="2"/>',
    b'\n<row r="1"><c r="B1" t="s" s="1"><v>0</v></c></row>\n',   # t before s
])
def test_the_findall_takes_these_plain_rows_as_plain(xml):
    assert rowscan.plain(xml)
    assert all(fast_verdict(xml, letters) for letters in (ALL, frozenset({"A"})))


@pytest.mark.parametrize("xml", [
    b'<row r="1"><c r="A1"><v>1</v></c>',                     # a row left open
    b'<c r="A1"><v>1</v></c><row r="1"></row>',               # a cell before the first row
    b'<row r="1"></row></row>',                               # a </row> too many
    b'<row r="1"><row r="2"></row></row>',                    # a row in a row
    b'<row r="1"><c r="A1"/><row r="2"></row>',
    b'<row r="1"/></row><row r="2"></row>',                   # a </row> after an empty row
    b'<row r="1"/><c r="B1"/><row r="2"></row>',              # a skipped cell outside a row
    b'<row r="1"><c r="B1"/></row><c r="B1"/>',
    b'<row r="1"><c r="A1" s="1" s="2"><v>1</v></c></row>',   # s twice
    b'<row r="1"><c r="B1" t="s" t="n"><v>1</v></c></row>',
])
def test_the_findall_refuses_what_is_not_plain(xml):
    assert not rowscan.plain(xml)
    for letters in (ALL, frozenset(), frozenset({"A"}), frozenset({"B"})):
        assert not fast_verdict(xml, letters), letters
        reader = xlsx._CellParser(None, {column_index(x) for x in letters}, b"")
        with pytest.raises(NotPlain):   # before it decodes a cell
            reader.shaped(xml)


@pytest.mark.parametrize("block", [1, 90, 250, 1 << 19])
def test_odd_shared_string_cells_read_as_xml_reads_them(tmp_path, block):
    """In a column of shared strings, a number cell is a number, an empty typed cell is
    empty, an index with spaces reads as its number, one with a sign or a point is #REF!."""
    cells = ["1", "1", "1", "1", None, "1", "", " 2", "-1", "1.0", "x", "1", "1", "2"]
    rows = []
    for n, v in enumerate(cells, start=1):
        if v is None:
            cell = f'<c r="A{n}"><v>1</v></c>'           # the number 1
        elif v == "":
            cell = f'<c r="A{n}" t="s"/>'
        else:
            cell = f'<c r="A{n}" t="s"><v>{v}</v></c>'
        rows.append(f'<row r="{n}">{cell}<c r="B{n}" t="s"><v>0</v></c></row>')
    strings = ["<si><t>零</t></si>", "<si><t>一</t></si>", "<si><t>二</t></si>"]
    path = package(tmp_path / "r.xlsx", "".join(rows), strings)
    expected = lxml_reading(sheet_part(path),
                            ('<sst xmlns="%s">' % T_MAIN) + "".join(strings) + "</sst>")
    assert expected[5][1] == 1 and 1 not in expected[7]
    assert expected[9][1] == CellError("#REF!")   # no negative index
    values, fast = reader_values(path, block)
    assert values == expected
    assert fast   # the findall read these blocks


@pytest.mark.parametrize("mostly_shared", [True, False])
def test_a_columns_cache_answers_only_its_shared_string_cells(mostly_shared):
    """The cache a column fills in one block answers its shared-string cells in the next
    (all of the column at once, or first when most of it is shared), never a number cell
    whose digits name a cached index."""
    book = _Strings()
    book.strings = _Table(["零", "一", "二"])
    parser = xlsx._CellParser(book, {1: "a"}, b"")
    row = '<row r="{n}"><c r="A{n}"{t}>{v}</c></row>'.format
    assert parser.shaped(b"".join(row(n=n, t=' t="s"', v=f"<v>{n}</v>").encode()
                                  for n in (1, 2))).columns == {"a": ["一", "二"]}
    cells = [(' t="s"', "<v>1</v>"), ("", "<v>1</v>"), (' t="s"', "<v>2</v>"),
             (' t="s"', ""), ("", "<v>2</v>"), (' t="s"', "<v>0</v>")]
    # more shared cells than not: the cache is asked first, cell by cell
    cells += [(' t="s"', "<v>1</v>") if mostly_shared else ("", "<v>1</v>")] * 3
    block = "".join(row(n=n, t=t, v=v) for n, (t, v) in enumerate(cells, start=3))
    want = ["一", 1, "二", None, 2, "零"] + ["一" if mostly_shared else 1] * 3
    assert parser.shaped(block.encode()).columns == {"a": want}
    # strings the cache lacks, named out of order and more than once: each looked up once
    fresh = xlsx._CellParser(book, {1: "a"}, b"")
    block = "".join(row(n=n, t=' t="s"', v=f"<v>{i}</v>") for n, i in
                    enumerate([2, 0, 2, 1, 0, 1], start=1))
    assert fresh.shaped(block.encode()).columns == {"a": ["二", "零", "二", "一", "零", "一"]}
    # every cell shared: the whole column from the cache, the rest looked up
    block = "".join(row(n=n, t=' t="s"', v=v) for n, v in
                    enumerate(["<v>2</v>", "", "<v>0</v>", "<v>1</v>", "<v>7</v>"], start=20))
    assert parser.shaped(block.encode()).columns == {"a": ["二", None, "零", "一",
                                                           CellError("#REF!")]}


# --- the property test ---------------------------------------------------------------------
NOISE = ["<!-- -->", "<!--<c r=\"E{n}\" t=\"inlineStr\"><is><t>evil</t></is></c>-->",
         "<?pi x?>", "<?pi <row r=\"999\"/>?>", "\n", " \t ", "<!-- </row> -->"]
TEXT_NOISE = ["<!-- x -->", "<?p?>", "<![CDATA[<&>]]>", "&#20013;", "&amp;", "&lt;", "\r\n",
              "&#x1F600;", " "]


@st.composite
def sheets(draw):
    """Sheet data and shared strings, with noise placed anywhere (or nowhere: plain rows)."""
    noisy = draw(st.booleans())
    def noise(options=NOISE):
        return draw(st.sampled_from(options)) if noisy and draw(st.integers(0, 3)) == 0 else ""

    def text():
        parts = [draw(st.sampled_from(["a", "文", "5", "_x000D_", "x y"]))
                 for _ in range(draw(st.integers(0, 3)))]
        return "".join(p + noise(TEXT_NOISE) for p in parts)

    strings = [f"<si><t>{text()}</t></si>" for _ in range(3)]
    if noisy and draw(st.booleans()):
        strings[0] = "<!--<si><t>shift</t></si>-->" + strings[0]
    rows, n = [], 0
    for _ in range(draw(st.integers(0, 8))):
        n += draw(st.integers(1, 3))
        with_r = not noisy or draw(st.integers(0, 5)) > 0
        cells, col = [], 0
        for _ in range(draw(st.integers(0, 5))):
            col += draw(st.integers(1, 3))
            ref = f' r="{column_letters(col)}{n}"' if with_r else ""
            style = draw(st.sampled_from(["", ' s="0"', ' s="2"']))
            kind = draw(st.sampled_from(["n", "s", "s", "s", "str", "inlineStr", "b", "e",
                                         "none", "s/"]))
            if kind in ("none", "s/"):  # an empty cell, untyped or typed shared
                typed = ' t="s"' if kind == "s/" else ""
                cells.append(f"<c{ref}{style}{typed}/>")
                continue
            t = "" if kind == "n" else f' t="{kind}"'
            value = {"n": draw(st.sampled_from(["1", "2.5", "-3", "1E2"])) + noise(TEXT_NOISE[:2]),
                     "s": draw(st.sampled_from(["0", "1", "2", "3", "1", "2", " 2", "1.0", "x",
                                                "-1", ""])),
                     "b": "1", "e": "#N/A"}.get(kind, text())
            body = (f"<is><t>{value}</t></is>" if kind == "inlineStr" else f"<v>{value}</v>")
            cells.append(f"<c{ref}{style}{t}>{noise()}{body}</c>")
        inner = "".join(noise().replace("{n}", str(n)) + c for c in cells) + noise()
        rows.append(noise().replace("{n}", str(n)) + (f'<row r="{n}">' if with_r else "<row>")
                    + inner + "</row>")
    return "".join(rows) + noise(), strings


PROFILE = hsettings(max_examples=60, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
OWN = {60, 61}  # columns the generator never uses: officebot's


@PROFILE
@given(sheets(), st.sampled_from([1, 40, 300, 1 << 19]))
def test_every_path_reads_generated_sheets_as_lxml_does(sheet, block):
    data, strings = sheet
    with tempfile.TemporaryDirectory() as tmp:
        path = package(Path(tmp) / "r.xlsx", data, strings)
        xml = sheet_part(path)
        sst = ('<sst xmlns="%s">' % T_MAIN) + "".join(strings) + "</sst>"
        expected = lxml_reading(xml, sst)
        assert reader_values(path, block)[0] == expected          # the reader
        some = {1, 3}                                             # ... of some columns
        assert reader_values(path, block, some)[0] == {
            r: {c: v for c, v in vals.items() if c in some}
            for r, vals in expected.items() if set(vals) & some}
        rows_xml = xml[rowscan.sheet_start(xml).end:xml.rfind(b"</sheetData>")]
        for letters in (ALL, frozenset({"A", "C"})):              # one findall, one verdict
            assert fast_verdict(rows_xml, letters) is rowscan.plain(rows_xml)
        shared = lxml_strings(sst)
        start = rowscan.sheet_start(xml)
        rows = SheetRows(io.BytesIO(), xml[start.end:], b"", pytest.fail, pytest.fail)
        cells_by_row = {}
        for row_no, row_xml in rows:                              # the rewrite's cells
            if row_no is None:
                continue
            cells = parse_row(row_xml).cells
            values = {c.col: old_cell_value(c.attrs, c.body, shared.__getitem__) for c in cells}
            values = {k: v for k, v in values.items() if v is not None}
            if values:
                cells_by_row[row_no] = values
            new = [(60, b'<c r="BH%d"><v>1</v></c>' % row_no)]
            out = rewrite_row(row_xml, row_no, OWN, new)          # nothing of the office's goes
            for construct in (b"<!--", b"<?", b"<![CDATA["):
                assert out.count(construct) == row_xml.count(construct)
            assert lxml_row(out) == lxml_row(row_xml) + [(60, "1")]
        assert cells_by_row == expected
        used = scan_cells(io.BytesIO(xml), 1, set(), pytest.fail)   # the planner
        assert (used.last_col, used.any_last_col, used.last_row) == lxml_extent(xml)
        scan = ExtentScan(1, set())
        with xlsx.Workbook(path) as book:
            list(book.rows(book.sheets[0], blocks=scan.block))
        assert scan.state == "done"
        assert (scan.used.first_col, scan.used.last_col, scan.used.any_last_col,
                scan.used.last_row) == (used.first_col, used.last_col, used.any_last_col,
                                        used.last_row)


def lxml_strings(sst: str):
    root = etree.fromstring(sst.encode(), PARSER)
    q = "{%s}" % T_MAIN
    return [unescape_x("".join("".join(t.itertext()) for t in si.iter(q + "t"))) for si in root
            if si.tag == q + "si"]


def lxml_row(row_xml: bytes):
    """(column, <v> text) of a row's cells, read by lxml."""
    root = etree.fromstring(b'<sheetData xmlns="%s">%s</sheetData>' % (T_MAIN.encode(), row_xml),
                            PARSER)
    out, col = [], 0
    for c in root[0] if len(root) else ():
        if not isinstance(c.tag, str):
            continue
        ref = c.get("r")
        col = column_index(re.sub("[^A-Z]", "", ref)) if ref else col + 1
        v = c.find("{%s}v" % T_MAIN)
        out.append((col, "".join(v.itertext()) if v is not None else None))
    return out


def lxml_extent(xml: bytes):
    """(last used column, last column of any cell, last row) by lxml alone."""
    root = etree.fromstring(xml, PARSER)
    q = "{%s}" % T_MAIN
    last = any_last = row_no = 0
    for row in root.find(q + "sheetData"):
        if row.tag != q + "row":
            continue
        r = row.get("r")
        row_no = int(r) if r else row_no + 1
        col = 0
        for c in row:
            if c.tag != q + "c":
                continue
            ref = c.get("r")
            col = column_index(re.sub("[^A-Z]", "", ref)) if ref else col + 1
            any_last = max(any_last, col)
            if any(isinstance(x.tag, str) for x in c) or (c.get("s") or "0") != "0":
                last = max(last, col)
    return last, any_last, row_no


# --- the regressions on a register: reader, planner and rewrite ----------------------------
def patched_register(tmp_path, register, change):
    """A register written by openpyxl whose sheet XML ``change`` rewrites (bytes -> bytes)."""
    import zipfile

    from conftest import AS_OF, row
    path = register([row("TS-1", AS_OF - dt_hours(30), customer="张三", phone="13800138000",
                         email="c1@example.com", category="服务"),
                     row("TS-2", AS_OF - dt_hours(2), customer="李四", email="c2@example.com",
                         category="服务")], title=None)
    out = tmp_path / "台账.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            dst.writestr(item, data)
    return out


def dt_hours(n):
    import datetime as dt
    return dt.timedelta(hours=n)


EVIL = (b'<!--<c r="F2" t="inlineStr"><is><t>attacker@evil.test</t></is></c>'
        b'<c r="ZZ2" s="1"><v>1</v></c>-->')


def with_comment(data: bytes) -> bytes:
    """The attacker's comment after the last cell of row 2 (the first case)."""
    at = data.index(b"</row>", data.index(b'<row r="2"'))
    return data[:at] + EVIL + data[at:]


def test_a_comment_in_a_row_is_ignored_by_reader_planner_and_rewrite(tmp_path, register):
    import zipfile

    from conftest import AS_OF
    from officebot.batch import run_batch
    from officebot.register import read_cases
    from officebot.settings import load_settings
    path = patched_register(tmp_path, register, with_comment)
    settings = load_settings()
    _, cases, problems, _ = read_cases(path, settings, text_fields=True)
    assert [c.email for c in cases] == ["c1@example.com", "c2@example.com"] and not problems
    plain = patched_register(tmp_path / "p", register, lambda d: d) if (
        tmp_path / "p").mkdir() is None else None
    for a in (path, plain):  # the planner: the comment's far cell ZZ2 is no cell
        with zipfile.ZipFile(a) as zf:
            used = scan_cells(io.BytesIO(zf.read("xl/worksheets/sheet1.xml")), 1, set(),
                              pytest.fail)
        assert used.any_last_col == 16 and used.last_col == 16
    run_batch(path, settings, AS_OF, letters=False)
    with zipfile.ZipFile(path) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    assert sheet.count(EVIL) == 1  # kept in place, whole, in row 2
    row2 = sheet[sheet.index(b'<row r="2"'):sheet.index(b"</row>", sheet.index(b'<row r="2"'))]
    assert EVIL in row2 and b'r="Q2"' in row2  # officebot's first status column: Q, not ZZ+1
    _, again, _, _ = read_cases(path, settings, text_fields=True)
    assert [c.email for c in again] == ["c1@example.com", "c2@example.com"]


def test_a_pi_in_a_row_makes_no_phantom_rows(tmp_path, register):
    from officebot.register import read_cases
    from officebot.settings import load_settings

    def with_pi(data):
        at = data.index(b"</row>", data.index(b'<row r="2"'))
        return data[:at] + b'<?x <row r="7"><c r="A7" t="inlineStr"><is><t>TS-9</t></is></c>' \
            b'<c r="B7"><v>46000</v></c></row>?>' + data[at:]
    path = patched_register(tmp_path, register, with_pi)
    _, cases, problems, _ = read_cases(path, load_settings())
    assert [c.case_id for c in cases] == ["TS-1", "TS-2"] and not problems


@pytest.mark.parametrize("far, named", [
    (b'<row r="1048577"><c r="A1048577"><v>1</v></c></row>', "A1048577"),
    (b'<row r="99999999999999999999"><c r="A1"><v>1</v></c></row>', "A99999999999999999999"),
    (b'<row r="9"><c r="ZZZZ9"><v>1</v></c></row>', "ZZZZ9")])
def test_check_and_run_stop_with_one_sentence_at_a_cell_outside_the_grid(
        tmp_path, register, far, named):
    from click.testing import CliRunner

    from officebot.cli import cli

    def with_far(data):
        at = data.index(b"</sheetData>")
        return data[:at] + far + data[at:]
    path = patched_register(tmp_path, register, with_far)
    before = path.read_bytes()
    for command in ("check", "run"):
        result = CliRunner().invoke(cli, [command, str(path), "--as-of", "2026-03-10 12:00"])
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output and "XFD1048576" in result.output
        assert named in result.output and len(result.output.strip().splitlines()) == 1
    assert path.read_bytes() == before  # nothing judged, nothing written back


def test_records_around_the_rows_are_found_as_xml_finds_them():
    """dimension, autoFilter and officebot's rule blocks in a comment are not the sheet's."""
    from officebot.workbook import cfrules, layout
    head = (b'<?xml version="1.0"?><worksheet xmlns="%s"><!-- <dimension ref="A1:B2"/> -->'
            b'<dimension ref="A1:C9"/>' % T_MAIN.encode())
    used = layout.UsedRange(first_col=1, first_row=1, last_col=3, last_row=9)
    plan = layout.ColumnPlan({"reply_due": 4}, ["reply_due"], False)
    out = layout.set_dimension(head, used, plan, 1)
    assert b'<!-- <dimension ref="A1:B2"/> -->' in out and b'<dimension ref="A1:D9"/>' in out
    tail = b'</sheetData><!-- <autoFilter ref="A1:B2"/> --><autoFilter ref="A1:C9"/></worksheet>'
    out, new = layout.widen_filter(tail, 1, plan, 9)
    assert new == "A1:D9" and b'<!-- <autoFilter ref="A1:B2"/> -->' in out
    mark = b'<conditionalFormatting sqref="A1"><cfRule><formula>N("officebot")=0</formula>' \
           b'</cfRule></conditionalFormatting>'
    tail = b"</sheetData><!-- " + mark + b" -->" + mark + b"<pageMargins/></worksheet>"
    kept = cfrules.without_own_rules(tail)
    assert kept == b"</sheetData><!-- " + mark + b" --><pageMargins/></worksheet>"
    tail = b"</sheetData><!-- <pageMargins/> --><x/><pageMargins/></worksheet>"
    assert cfrules.schema_anchor(tail) == tail.index(b"<pageMargins/></worksheet>")


@pytest.mark.parametrize("wanted", [{1, 27}, {27}, {2, 28}, {1, 2, 27, 28, 703}])
def test_columns_whose_letters_begin_alike_are_told_apart(tmp_path, wanted):
    # A, B, AA, AB and AAA: the findall's slots and its pass over other columns must not
    # take one for another (A is a prefix of AA and AAA)
    cells = "".join(f'<c r="{column_letters(c)}1"><v>{c}</v></c>' for c in (1, 2, 27, 28, 703))
    path = package(tmp_path / "r.xlsx", f'<row r="1">{cells}</row>')
    got, fast = reader_values(path, 1 << 19, wanted)
    assert got == {1: {c: c for c in sorted(wanted)}} and fast == 1
