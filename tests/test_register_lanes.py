"""The lean read's two lanes agree: a block's usual rows become cases a column at a time
(_RowReader.lean_block), every other row goes through row(); reading every row through
row() gives the same cases and problems, in the same order."""

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from conftest import write_register
from officebot.register import _RowReader, find_layout
from officebot.settings import load_settings
from officebot.xlsx import Workbook

IDS = ["C1", "C2", " C3 ", "", "  ", None, 1234, 12.5, "C1"]
TIMES = [dt.datetime(2026, 3, 5, 9, 30), dt.datetime(2026, 3, 5), "2026/3/5", "2026/3/5 14:20",
         "2026-03-05 08:00", "待补录", "  ", None, 5.0, 46000.25, 46000, 1e9, "2026/2/30",
         dt.datetime(1900, 1, 1), True, "9999-12-31", "0001-01-01 00:00"]
TEXTS = ["来电", "网络", "  服务 ", "", None, 3, "x" * 40000]
PHONES = ["13800138000", 13800138000, "+86 138 0013 8000", "", None, "无"]


@st.composite
def rows(draw):
    out = []
    for _ in range(draw(st.integers(0, 12))):
        pick = lambda options: draw(st.sampled_from(options))  # noqa: E731
        out.append(dict(case_id=pick(IDS), received_at=pick(TIMES), replied_at=pick(TIMES),
                        closed_at=pick(TIMES), first_contact_at=pick(TIMES),
                        channel=pick(TEXTS), category=pick(TEXTS), severity=pick(TEXTS),
                        department=pick(TEXTS), handler=pick(TEXTS), phone=pick(PHONES),
                        customer=pick(["张三", None, ""]), email=pick(["a@b.cn", None]),
                        satisfaction=pick([5, "满意", None, "  "])))
    return out


def both_lanes(path: Path):
    settings = load_settings()
    deferred = {"customer", "email"}
    with Workbook(path) as book:
        layout = find_layout(book, settings)
        lean = _RowReader(book, layout, settings, False, True)
        general = _RowReader(book, layout, settings, False, True)
        first = layout.header_row + 1
        fast = [item for block in book.row_blocks(layout.sheet, lean.key_of_col, first,
                                                   None, deferred)
                for item in lean.lean_block(block)]
        slow = [item for row_no, raw in book.rows(layout.sheet, columns=general.key_of_col,
                                                  first_row=first, deferred=deferred)
                for item in general.row(row_no, raw)]
    return fast, slow


@hsettings(max_examples=40, deadline=None, database=None,
           suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(rows())
def test_the_lean_lane_reads_every_row_as_the_general_one(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = write_register(Path(tmp) / "r.xlsx", data)
        fast, slow = both_lanes(path)
    assert fast == slow


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
