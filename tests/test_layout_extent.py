"""The used range found in the reading pass (ExtentScan) equals the one scan_cells finds by
reading the sheet on its own: hand-written sheets, fed in every way the reader cuts blocks."""

import io
import random
import re

import pytest

from officebot.workbook import layout
from officebot.workbook.layout import ExtentScan, letters_between, scan_cells
from officebot import rowscan
from officebot.package import column_letters

HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<%sworksheet xmlns%s='
        b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><%ssheetData>')
TAIL = (b'</%ssheetData><%sconditionalFormatting sqref="A1:Z9"><%scfRule type="expression" '
        b'priority="1"><%sformula>1</%sformula></%scfRule></%sconditionalFormatting>'
        b'</%sworksheet>')


def sheet(rows: bytes, p: bytes = b"") -> bytes:
    return HEAD % (p, b":" + p[:-1] if p else b"", p) + rows + TAIL % ((p,) * 8)


def c(ref, body=b"<v>1</v>", s=None, p=b""):
    attrs = (b' r="%s"' % ref.encode() if ref else b"") + (b' s="%d"' % s if s else b"")
    return b"<%sc%s>%s</%sc>" % (p, attrs, body, p) if body else b"<%sc%s/>" % (p, attrs)


def row(n, cells, p=b"", extra=b""):
    r = b' r="%d"' % n if n else b""
    return b"<%srow%s%s>%s</%srow>" % (p, r, extra, b"".join(cells), p)


def usual_rows(first, last, cols=8, p=b""):
    return b"".join(row(n, [c(f"{column_letters(k)}{n}", p=p) for k in range(1, cols + 1)],
                        p) for n in range(first, last + 1))


SHEETS = {
    "usual": (sheet(usual_rows(1, 300)), 1, set()),
    "comments and PIs holding far cells and rows": (
        sheet(usual_rows(1, 100) + b'<!-- <row r="1"><c r="ZZ1" s="3"/></row> -->'
              + row(101, [c("A101"), b'<?pi <c r="XX101"><v>1</v></c>?>', c("B101")])
              + usual_rows(102, 200) + b"<!-- </sheetData> -->"), 1, set()),
    "header on row 3, title above": (
        sheet(row(1, [c("A1")]) + usual_rows(3, 200)), 3, set()),
    "styled blank cells right of the data": (
        sheet(usual_rows(1, 150) + row(151, [c("A151"), c("M151", b"", s=3)]) +
              usual_rows(152, 300)), 1, set()),
    "unstyled blank cells far right": (
        sheet(usual_rows(1, 100) + row(101, [c("A101"), c("X101", b"")]) +
              usual_rows(102, 200)), 1, set()),
    "rows and cells without references": (
        sheet(usual_rows(1, 100) + b"".join(row(0, [c(None), c(None), c(None, b"", s=2)])
                                            for _ in range(50)) + usual_rows(151, 250)),
        1, set()),
    "officebot's columns of an earlier run (own)": (
        sheet(b"".join(row(n, [c(f"A{n}"), c(f"B{n}"), c(f"K{n}"), c(f"L{n}")])
                       for n in range(1, 300))), 1, {11, 12}),
    "an own cell beyond the last seen": (
        sheet(b"".join(row(n, [c(f"A{n}"), c(f"K{n}")]) for n in range(1, 200)) +
              row(200, [c("A200"), c("M200")]) +
              b"".join(row(n, [c(f"A{n}")]) for n in range(201, 300))), 1, {11, 13}),
    "data left of the header's first column": (
        sheet(row(1, [c("C1"), c("D1")]) + usual_rows(2, 100) +
              b"".join(row(n, [c(f"C{n}"), c(f"D{n}")]) for n in range(101, 200))), 1, set()),
    "rows out of order above the first used row": (
        sheet(row(4, [c("A4"), c("B4")]) + usual_rows(5, 150) + row(2, [c("F2")]) +
              usual_rows(151, 200)), 4, set()),
    "self-closing and empty rows": (
        sheet(usual_rows(1, 50) + b"".join(b'<row r="%d" ht="20" customHeight="1"/>' % n
                                           for n in range(51, 150)) + usual_rows(150, 200)),
        1, set()),
    "references officebot does not write ($A$1, lower case)": (
        sheet(usual_rows(1, 80) + row(81, [c("$A$81"), c("j81")]) + usual_rows(82, 160)),
        1, set()),
    "a row's extLst": (
        sheet(usual_rows(1, 60) + row(61, [c("A61")], extra=b' spans="1:1"')[:-6] +
              b'<extLst><ext uri="{X}"><c r="Z61"/></ext></extLst></row>' +
              usual_rows(62, 120)), 1, set()),
    "prefixed tags": (sheet(usual_rows(1, 200, p=b"x:"), b"x:"), 1, set()),
    "merged ranges over the header row and below, and above it": (
        sheet(row(1, [c("A1")]) + usual_rows(2, 120)).replace(
            b"<conditionalFormatting", b'<mergeCells count="3"><mergeCell ref="A1:Z1"/>'
            b'<mergeCell ref="G2:K2"/><mergeCell ref="B40:M41"/></mergeCells>'
            b"<conditionalFormatting"), 2, set()),
    "prefixed merged ranges": (
        sheet(usual_rows(1, 50, p=b"x:"), b"x:").replace(
            b"</x:sheetData>", b'</x:sheetData><x:mergeCells count="1">'
            b'<x:mergeCell ref="H3:J4"/></x:mergeCells>'), 1, set()),
    "no rows": (sheet(b""), 1, set()),
    "sheetData self-closing": (HEAD.replace(b"<%ssheetData>", b"<%ssheetData/>") % (
        b"", b"", b"") + b"</worksheet>", 1, set()),
}


def folded(xml: bytes, header_row: int, own, size: int, rng=None):
    """The used range the reading pass finds, fed the pieces as the reader cuts them."""
    scan = ExtentScan(header_row, own)
    src = io.BytesIO(xml)
    read = src.read if rng is None else (lambda n: src.read(rng.randint(1, size)))
    for kind, block, start in rowscan.sheet_blocks(read, size):
        usual = kind == "rows" and b"x:row" not in block and rowscan.plain(block)
        scan.block(block, usual)
    return scan


def fields(used):
    return (used.first_col, used.first_row, used.last_col, used.last_row, used.any_last_col,
            used.header_styles, used.merged_to)


def test_cells_in_comments_and_pis_are_no_cells():
    xml, header_row, own = SHEETS["comments and PIs holding far cells and rows"]
    for used in (folded(xml, header_row, own, 700).used,
                 scan_cells(io.BytesIO(xml), header_row, own, pytest.fail)):
        assert (used.last_col, used.any_last_col, used.last_row) == (8, 8, 200)


def test_merged_ranges_over_the_header_row_or_below_count_as_used():
    xml, header_row, own = SHEETS["merged ranges over the header row and below, and above it"]
    used = folded(xml, header_row, own, 1 << 20).used
    assert used.merged_to == 13  # M (B40:M41); the title merge A1:Z1 lies above the header
    assert layout.plan_columns({1: "a", 2: "b"}, used).columns["reply_due"] == 14


@pytest.mark.parametrize("name", list(SHEETS))
@pytest.mark.parametrize("size", [1, 700, 5000, 1 << 20])
def test_the_reading_pass_finds_the_same_used_range(name, size):
    xml, header_row, own = SHEETS[name]
    expected = scan_cells(io.BytesIO(xml), header_row, own, pytest.fail)
    scan = folded(xml, header_row, own, size)
    assert scan.state == "done"
    assert fields(scan.used) == fields(expected)


def test_random_sheets_agree():
    rng = random.Random(9)
    for _ in range(150):
        lines = []
        n = 0
        for _ in range(rng.randint(0, 60)):
            n = n + rng.choice([1, 1, 1, 2, 5]) if rng.random() > 0.05 else 0
            cells, col = [], 0
            for _ in range(rng.randint(0, 6)):
                col += rng.choice([1, 1, 2, 7, 30])
                ref = f"{column_letters(col)}{n or 1}" if rng.random() > 0.1 else None
                body = rng.choice([b"<v>1</v>", b"", b"<f>A1</f><v>2</v>"])
                cells.append(c(ref, body, s=rng.choice([None, None, 2])))
            lines.append(row(n, cells))
        xml = sheet(b"".join(lines))
        header_row = rng.randint(1, 5)
        own = set(rng.sample(range(1, 40), rng.randint(0, 3)))
        expected = scan_cells(io.BytesIO(xml), header_row, own, pytest.fail)
        scan = folded(xml, header_row, own, 400, rng)
        assert fields(scan.used) == fields(expected), xml


@pytest.mark.parametrize("lo,hi", [(1, 1), (1, 26), (26, 27), (27, 702), (702, 703),
                                   (19, 18278), (5, 800), (28, 53), (700, 16384)])
def test_letters_between_names_exactly_those_columns(lo, hi):
    pattern = re.compile(b"(?:" + letters_between(lo, hi) + rb")\Z")
    got = [col for col in range(1, 18279) if pattern.match(column_letters(col).encode())]
    assert got == list(range(lo, hi + 1))


def test_a_run_plans_from_the_reading_pass_and_writes_what_the_own_scan_would(
        tmp_path, monkeypatch):
    """The run uses what the reading pass found (scan_cells is not called), and the sheet
    it writes is byte for byte the one written when the writer scans the sheet itself."""
    import openpyxl

    from officebot import batch
    from officebot.settings import load_settings

    def register(path):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(["投诉编号", "受理时间", "客户姓名", "联系电话", "投诉类别", "严重程度",
                   "投诉内容", "责任部门", "处理人", "首次回复时间", "结案时间"])
        for i in range(1, 60):
            ws.append([f"TS-{i:03}", f"2026-03-{1 + i % 9:02d} 09:00", "张伟",
                       f"1380000{i:04}", "服务态度", "一般", "等了很久", "客服部", "李娜",
                       None, None])
        ws["P30"].fill = openpyxl.styles.PatternFill("solid", fgColor="FFFF00")  # styled blank
        wb.save(path)

    settings = load_settings()
    paths = []
    for label in ("folded", "own scan"):
        path = tmp_path / label / "台账.xlsx"
        path.parent.mkdir()
        register(path)
        paths.append(path)
    real_scan = layout.scan_cells

    def no_second_read(*args, **kwargs):
        raise AssertionError("the sheet was read a second time")
    monkeypatch.setattr(layout, "scan_cells", no_second_read)
    import datetime as dt
    as_of = dt.datetime(2026, 3, 10, 12, 0)
    batch.run_batch(paths[0], settings, as_of, letters=False)
    monkeypatch.setattr(layout, "scan_cells", real_scan)

    class NeverDone(ExtentScan):
        def block(self, work, usual=False):
            pass  # state stays "head": the writer scans for itself
    import officebot.check
    monkeypatch.setattr(officebot.check, "ExtentScan", NeverDone)
    batch.run_batch(paths[1], settings, as_of, letters=False)
    import zipfile
    sheets = [zipfile.ZipFile(p).read("xl/worksheets/sheet1.xml") for p in paths]
    assert sheets[0] == sheets[1]
    assert b'r="Q1"' in sheets[0]  # officebot's first column right of the styled blank P30
