"""The lean read's two lanes agree: a block's usual rows become cases a column at a time
(_RowReader.lean_block), every other row is checked as a dict; checking every row so gives
the same cases and problems, in the same order. And a lean read says what a full read says
of every field the rules take."""

import datetime as dt
import tempfile
from pathlib import Path

import openpyxl

from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from conftest import KEYS, ZH_HEADERS, write_register
from officebot.register import _RowReader, find_layout, read_cases
from officebot.settings import load_settings
from officebot.xlsx import Workbook

IDS = ["C1", "C2", " C3 ", "", "  ", None, 1234, 12.5, "C1", "#N/A"]
TIMES = [dt.datetime(2026, 3, 5, 9, 30), dt.datetime(2026, 3, 5), "2026/3/5", "2026/3/5 14:20",
         "2026-03-05 08:00", "待补录", "  ", None, 5.0, 46000.25, 46000, 1e9, "2026/2/30",
         dt.datetime(1900, 1, 1), True, "9999-12-31", "0001-01-01 00:00",
         "#VALUE!"]
TEXTS = ["来电", "网络", "  服务 ", "", None, 3, "x" * 40000]
PHONES = ["13800138000", 13800138000, "+86 138 0013 8000", "", None, "无", "#DIV/0!", 0,
          99999999999, 100000000000, 8613800138000, -13800138000, 13800138000.0,
          "8613800138000"]
ERRORS = {"#N/A", "#VALUE!", "#DIV/0!"}   # written as Excel's error cells


GOOD_TIMES = [dt.datetime(2026, 3, 5, 9, 30), "2026/3/6 14:20", 46090.5, None,
              dt.datetime(2026, 3, 5, 9, 30, 17), 46090.5 + 59.6 / 86400]  # to the second


@st.composite
def rows(draw):
    """Rows that are mostly cases, each field now and then one of the odd values."""
    out = []
    for n in range(draw(st.integers(0, 12))):
        def pick(odd, good):
            return draw(st.sampled_from(odd if draw(st.integers(0, 3)) == 0 else good))
        out.append(dict(case_id=pick(IDS, [f"C{n}"]),
                        received_at=pick(TIMES, GOOD_TIMES[:3]),
                        replied_at=pick(TIMES, GOOD_TIMES), closed_at=pick(TIMES, GOOD_TIMES),
                        first_contact_at=pick(TIMES, GOOD_TIMES),
                        channel=pick(TEXTS, ["来电"]), category=pick(TEXTS, ["服务"]),
                        severity=pick(TEXTS, ["一般", "重大"]), department=pick(TEXTS, ["客服部"]),
                        handler=pick(TEXTS, ["王五"]), phone=pick(PHONES, ["13800138000"]),
                        customer=pick(["张三", None, ""], ["张三"]),
                        email=pick(["a@b.cn", None], [None]),
                        satisfaction=pick([5, "满意", None, "  "], [None])))
    return out


def both_lanes(path: Path):
    settings = load_settings()
    deferred = {"customer", "email"}
    out = []
    with Workbook(path) as book:
        layout = find_layout(book, settings)
        for fast in (True, False):
            reader = _RowReader(book, layout, settings, False)
            out.append([item for block in book.row_blocks(
                layout.sheet, reader.key_of_col, layout.header_row + 1, None, deferred)
                for item in reader.lean_block(block, fast)])
    return out


RULE_FIELDS = ("row", "case_id", "received_at", "replied_at", "closed_at", "first_contact_at",
               "identity", "severity", "channel", "category", "department", "handler",
               "satisfaction")


def lean_and_full(path: Path):
    """What a lean read and a full read give of the fields the rules take, and problems."""
    settings = load_settings()
    _, lean, lean_problems, _ = read_cases(path, settings, lean=True)
    _, full, full_problems, _ = read_cases(path, settings)
    def pick(cases):
        return [tuple(getattr(c, f) for f in RULE_FIELDS) for c in cases]
    return (pick(lean), lean_problems), (pick(full), full_problems)


def write(path: Path, data) -> Path:
    """The register of these rows, the ERRORS texts written as error cells."""
    write_register(path, data)
    wb = openpyxl.load_workbook(path)
    for row in wb.active.iter_rows():
        for cell in row:
            if cell.value in ERRORS:
                cell.data_type = "e"
    wb.save(path)
    return path


@hsettings(max_examples=40, deadline=None, database=None,
           suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(rows())
def test_the_lean_lane_reads_every_row_as_the_general_one(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp) / "r.xlsx", data)
        fast, slow = both_lanes(path)
        lean, full = lean_and_full(path)
    assert fast == slow
    assert lean == full


def test_the_lean_lane_takes_the_usual_rows_and_leaves_the_rest(tmp_path):
    usual = dict(case_id="C1", received_at=dt.datetime(2026, 3, 5, 9), channel="来电",
                 phone="13800138000", replied_at="2026/3/6 10:00")
    path = write_register(tmp_path / "r.xlsx", [
        usual, dict(usual, case_id="C1"), dict(usual, case_id="C2", received_at="待补录"),
        dict(usual, case_id="C3", replied_at="2026/3/6 10:00")])
    fast, slow = both_lanes(path)
    assert fast == slow
    assert [getattr(x, "case_id", None) or x.kind for x in fast] == [
        "C1", "duplicate_id", "bad_time", "C3"]
    assert fast[0].replied_at == fast[3].replied_at == dt.datetime(2026, 3, 6, 10)


def shared_register(path: Path, rows) -> Path:
    """A register as Excel saves it (every text a shared string, no title row), by
    XlsxWriter: a column whose every cell is a shared string, the header's too."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("台账")
    sheet.write_row(0, 0, ZH_HEADERS)
    for r, row in enumerate(rows, start=1):
        for c, key in enumerate(KEYS):
            value = row.get(key)
            if isinstance(value, str):
                sheet.write_string(r, c, value)
            elif value is not None:
                sheet.write(r, c, value)
    book.close()
    return path


def test_customers_and_emails_of_every_row_are_read_when_a_row_has_no_phone(tmp_path):
    # every cell of the customer and e-mail columns a shared string: made Deferred at once
    base = dict(received_at=46086.375, channel="来电")
    path = shared_register(tmp_path / "r.xlsx", [
        dict(base, case_id="C1", customer="张三", email="a@b.cn", phone="13800138000"),
        dict(base, case_id="C2", customer="李四", email="c@d.cn"),
        dict(base, case_id="C3", customer="王五", email="=E@f.cn")])
    lean, full = lean_and_full(path)
    assert lean == full
    assert [case[RULE_FIELDS.index("identity")] for case in lean[0]] == [
        "tel:13800138000", "mail:c@d.cn", "mail:=e@f.cn"]
    path = shared_register(tmp_path / "r2.xlsx", [
        dict(base, case_id="C1", customer="张三"), dict(base, case_id="C2", customer="李四")])
    lean, full = lean_and_full(path)
    assert lean == full
    assert [case[RULE_FIELDS.index("identity")] for case in lean[0]] == ["name:张三", "name:李四"]


def test_serials_no_calendar_holds_are_problem_rows_in_either_lane(tmp_path):
    """A time cell holding a number no date has (an infinity, NaN, 1e400 written by some
    tool) is a problem row, whichever way the column is read, and the others are cases."""
    import re
    import zipfile

    rows = [dict(case_id=f"C{n}", received_at=46086.375 + n / 1440, channel="来电")
            for n in range(6)]
    path = shared_register(tmp_path / "r.xlsx", rows)
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    for n, odd in ((0, "1e400"), (2, "nan"), (4, "-inf")):   # received_at is column B
        sheet = re.sub(f'<c r="B{n + 2}"><v>[^<]*</v>', f'<c r="B{n + 2}"><v>{odd}</v>', sheet)
    assert sheet.count("1e400") == 1 and sheet.count("nan") == 1
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    fast, slow = both_lanes(path)
    assert fast == slow
    assert [getattr(x, "case_id", None) or x.kind for x in fast] == [
        "bad_time", "C1", "bad_time", "C3", "bad_time", "C5"]
    lean, full = lean_and_full(path)
    assert lean == full
