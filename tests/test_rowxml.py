"""One row rewritten: tables of hand-written row XML in and out (officebot owns S and T)."""

import pytest

from officebot.workbook.rowxml import FastRow, build_fast, parse_row, rewrite_row

OWN = {19, 20}  # S, T
NEW = [(19, b'<c r="S3"><v>1</v></c>'), (20, b'<c r="T3" t="inlineStr"><is><t>x</t></is></c>')]
NEW_X = [(19, b'<x:c r="S3"><x:v>1</x:v></x:c>'), (20, b'<x:c r="T3"><x:v>2</x:v></x:c>')]

CASES = [
    # (name, row in, prefix, new cells, row out)
    ("plain first run",
     b'<row r="3" spans="1:2"><c r="A3"><v>5</v></c><c r="B3" s="4"/></row>', b"", NEW,
     b'<row r="3" spans="1:20"><c r="A3"><v>5</v></c><c r="B3" s="4"/>'
     b'<c r="S3"><v>1</v></c><c r="T3" t="inlineStr"><is><t>x</t></is></c></row>'),
    ("later run: old status cells replaced",
     b'<row r="3"><c r="A3"><v>5</v></c><c r="S3"><v>9</v></c><c r="T3"><v>8</v></c></row>',
     b"", NEW,
     b'<row r="3"><c r="A3"><v>5</v></c><c r="S3"><v>1</v></c>'
     b'<c r="T3" t="inlineStr"><is><t>x</t></is></c></row>'),
    ("prefixed tags",
     b'<x:row r="3"><x:c r="A3" t="s"><x:v>0</x:v></x:c></x:row>', b"x:", NEW_X,
     b'<x:row r="3"><x:c r="A3" t="s"><x:v>0</x:v></x:c><x:c r="S3"><x:v>1</x:v></x:c>'
     b'<x:c r="T3"><x:v>2</x:v></x:c></x:row>'),
    ("cells without references are numbered and get one",
     b'<row><c><v>1</v></c><c t="inlineStr"><is><t>a</t></is></c><c s="2"/></row>', b"", NEW,
     b'<row><c r="A3"><v>1</v></c><c r="B3" t="inlineStr"><is><t>a</t></is></c>'
     b'<c r="C3" s="2"/><c r="S3"><v>1</v></c><c r="T3" t="inlineStr"><is><t>x</t></is></c>'
     b'</row>'),
    ("a cell without reference after one with: the next column",
     b'<row r="3"><c r="Q3"><v>1</v></c><c><v>2</v></c></row>', b"", NEW[:1],
     b'<row r="3"><c r="Q3"><v>1</v></c><c r="R3"><v>2</v></c><c r="S3"><v>1</v></c></row>'),
    ("self-closing row",
     b'<row r="3" ht="20" customHeight="1"/>', b"", NEW[:1],
     b'<row r="3" ht="20" customHeight="1"><c r="S3"><v>1</v></c></row>'),
    ("office cells right of officebot's columns stay",
     b'<row r="3"><c r="A3"><v>1</v></c><c r="S3"><v>7</v></c><c r="U3" s="3"><v>42</v></c>'
     b'<c r="Z3" t="inlineStr"><is><t>office</t></is></c></row>', b"", NEW,
     b'<row r="3"><c r="A3"><v>1</v></c><c r="S3"><v>1</v></c>'
     b'<c r="T3" t="inlineStr"><is><t>x</t></is></c><c r="U3" s="3"><v>42</v></c>'
     b'<c r="Z3" t="inlineStr"><is><t>office</t></is></c></row>'),
    ("shared and array formulas keep their cached values",
     b'<row r="3"><c r="A3"><f t="shared" ref="A3:A9" si="0">B3*2</f><v>4</v></c>'
     b'<c r="B3"><f t="shared" si="0"/><v>6</v></c>'
     b'<c r="C3"><f t="array" ref="C3:C4">SUM(A1:A2*B1:B2)</f><v>11</v></c></row>', b"",
     NEW[:1],
     b'<row r="3"><c r="A3"><f t="shared" ref="A3:A9" si="0">B3*2</f><v>4</v></c>'
     b'<c r="B3"><f t="shared" si="0"/><v>6</v></c>'
     b'<c r="C3"><f t="array" ref="C3:C4">SUM(A1:A2*B1:B2)</f><v>11</v></c>'
     b'<c r="S3"><v>1</v></c></row>'),
    ("inline strings and rich text",
     b'<row r="3"><c r="A3" t="inlineStr"><is><r><rPr><b/><color rgb="FFFF0000"/></rPr>'
     b'<t>red</t></r><r><t xml:space="preserve"> text</t></r><rPh sb="0" eb="1"><t>x</t>'
     b'</rPh></is></c></row>', b"", NEW[:1],
     b'<row r="3"><c r="A3" t="inlineStr"><is><r><rPr><b/><color rgb="FFFF0000"/></rPr>'
     b'<t>red</t></r><r><t xml:space="preserve"> text</t></r><rPh sb="0" eb="1"><t>x</t>'
     b'</rPh></is></c><c r="S3"><v>1</v></c></row>'),
    ("a row's extLst stays after the cells",
     b'<row r="3"><c r="A3"><v>1</v></c><extLst><ext uri="{x}"><y/></ext></extLst></row>',
     b"", NEW[:1],
     b'<row r="3"><c r="A3"><v>1</v></c><c r="S3"><v>1</v></c>'
     b'<extLst><ext uri="{x}"><y/></ext></extLst></row>'),
    ("whitespace between the office's cells is kept",
     b'<row r="3">\n  <c r="A3"><v>1</v></c>\n  <c r="B3"><v>2</v></c>\n</row>', b"", NEW[:1],
     b'<row r="3">\n  <c r="A3"><v>1</v></c>\n  <c r="B3"><v>2</v></c>'
     b'<c r="S3"><v>1</v></c>\n</row>'),
    ("moved columns: officebot's between the office's",
     b'<row r="3"><c r="R3"><v>1</v></c><c r="S3"><v>0</v></c><c r="T3"/><c r="U3"><v>3</v>'
     b'</c></row>', b"", NEW[:1],
     b'<row r="3"><c r="R3"><v>1</v></c><c r="S3"><v>1</v></c><c r="U3"><v>3</v></c></row>'),
    ("office cells out of order stay so; new cells after the last one left of them",
     b'<row r="3"><c r="Z3"><v>1</v></c><c r="B3"><v>2</v></c></row>', b"", NEW[:1],
     b'<row r="3"><c r="Z3"><v>1</v></c><c r="B3"><v>2</v></c><c r="S3"><v>1</v></c></row>'),
    ("nothing to write, nothing there: the same bytes",
     b'<row r="3"><c><v>1</v></c></row>', b"", [], b'<row r="3"><c><v>1</v></c></row>'),
    ("stale status cells go",
     b'<row r="3"><c r="A3"><v>1</v></c><c r="S3"><v>9</v></c></row>', b"", [],
     b'<row r="3"><c r="A3"><v>1</v></c></row>'),
    ("a comment holding a cell is no cell, and stays where it was",
     b'<row r="3"><c r="A3"><v>1</v></c><!--<c r="S3"><v>x</v></c>--></row>', b"", NEW[:1],
     b'<row r="3"><c r="A3"><v>1</v></c><c r="S3"><v>1</v></c><!--<c r="S3"><v>x</v></c>-->'
     b'</row>'),
    ("a comment before an old status cell is kept when the cell is replaced",
     b'<row r="3"><c r="A3"><v>1</v></c><!-- office note --><c r="S3"><v>9</v></c>'
     b'<?pi x?><c r="U3"><v>2</v></c></row>', b"", NEW[:1],
     b'<row r="3"><c r="A3"><v>1</v></c><c r="S3"><v>1</v></c><!-- office note --><?pi x?>'
     b'<c r="U3"><v>2</v></c></row>'),
    ("CDATA with a cell's tags inside a cell",
     b'<row r="3"><c r="A3" t="inlineStr"><is><t><![CDATA[</c><c r="S3">]]></t></is></c></row>',
     b"", NEW[:1],
     b'<row r="3"><c r="A3" t="inlineStr"><is><t><![CDATA[</c><c r="S3">]]></t></is></c>'
     b'<c r="S3"><v>1</v></c></row>'),
    ("single-quoted references and a \">\" in a value",
     b"<row r='3'><c r='A3' foo=\"a>b\"><v>1</v></c></row>", b"", NEW[:1],
     b"<row r='3'><c r='A3' foo=\"a>b\"><v>1</v></c><c r=\"S3\"><v>1</v></c></row>"),
    ("a reference with $ and lower case",
     b'<row r="3"><c r="$s$3"><v>9</v></c><c r="b3"><v>2</v></c></row>', b"", NEW[:1],
     b'<row r="3"><c r="b3"><v>2</v></c><c r="S3"><v>1</v></c></row>'),
]


@pytest.mark.parametrize("name,row_xml,prefix,new,expected", CASES, ids=[c[0] for c in CASES])
def test_rewrite_row(name, row_xml, prefix, new, expected):
    assert rewrite_row(row_xml, 3, OWN, new, prefix) == expected


@pytest.mark.parametrize("name,row_xml,prefix,new,expected", CASES, ids=[c[0] for c in CASES])
def test_the_fast_path_gives_the_same_bytes_or_declines(name, row_xml, prefix, new, expected):
    fast = FastRow(OWN, prefix)
    for look in (True, False):
        split = fast.split(row_xml, look)
        if split is None:
            continue
        if not look and any(c.col in OWN for c in parse_row(row_xml, prefix).cells):
            continue  # not looking is for rows without cells in officebot's columns
        if fast.olds(split.segment) is None:
            continue  # the writer then takes the general path
        assert build_fast(split, new) == expected


def test_the_usual_rows_take_the_fast_path():
    fast = FastRow(OWN)
    first, later = fast.split(CASES[0][1]), fast.split(CASES[1][1])
    assert first is not None and later is not None
    assert [c.col for c in fast.olds(later.segment)] == [19, 20]
    assert fast.old_cell(later.segment, 20, 3).body == b"<v>8</v>"


def test_a_segment_equal_to_the_new_cells_gives_the_row_unchanged():
    row = b'<row r="3"><c r="A3"><v>5</v></c>' + b"".join(x for _, x in NEW) + b"</row>"
    fast = FastRow(OWN)
    assert build_fast(fast.split(row), NEW) == row == rewrite_row(row, 3, OWN, NEW)


def test_cells_are_numbered_as_excel_numbers_them():
    row = parse_row(b'<row><c><v>1</v></c><c r="D7"/><c/><c s="1"><v>2</v></c></row>')
    assert [c.col for c in row.cells] == [1, 4, 5, 6]
    assert [c.used for c in row.cells] == [True, False, False, True]


def test_a_row_of_megabytes_is_read_in_few_and_growing_reads():
    """A row far longer than one read (a cell of megabytes) comes whole, and the reads grow
    with what is held: the row is searched a few times, not once a chunk (quadratic)."""
    import io

    from officebot.workbook.rowxml import CHUNK, SheetRows

    text = b"x" * (40 * CHUNK)
    row = b'<row r="2"><c r="A2" t="inlineStr"><is><t>' + text + b"</t></is></c></row>"
    data = io.BytesIO(b'<row r="1"/>' + row + b"</sheetData></worksheet>")
    reads = []

    class Counted:
        def read(self, n):
            reads.append(n)
            return data.read(n)

    rows = SheetRows(Counted(), b"", b"", pytest.fail, pytest.fail)
    assert [(n, len(xml)) for n, xml in rows] == [(1, len(b'<row r="1"/>')), (2, len(row))]
    assert rows.rest == b"</sheetData></worksheet>"
    assert len(reads) <= 12, reads   # 41 reads of a chunk before
    assert max(reads) < 40 * CHUNK   # never much more than the row itself
