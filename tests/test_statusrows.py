"""The status rows: what the status writer writes of each judged row, held compactly, is what
the judgements say (values as the cells hold them, rows found in any order)."""

import datetime as dt
from pathlib import Path

import pytest

from officebot.check import check_register
from officebot.rules import CLOCK_WORDS, is_overdue
from officebot.settings import load_settings
from officebot.values import to_serial
from officebot.workbook.statusrows import Repeating, StatusRows, note_text

SAMPLE = Path(__file__).resolve().parent.parent / "sample_workbooks" / "投诉登记台账.xlsx"
AS_OF = dt.datetime(2026, 12, 3, 9, 0)


@pytest.fixture(scope="module")
def judgements():
    return check_register(SAMPLE, load_settings(), AS_OF).judgements


def expected(j, language, date1904):
    """The status values of one judgement, worked out from the record itself."""
    words = CLOCK_WORDS[language]
    return {"reply_due": to_serial(j.reply_due, date1904),
            "close_due": to_serial(j.close_due, date1904),
            "reply_status": words.get(j.reply_status, j.reply_status),
            "close_status": words.get(j.close_status, j.close_status),
            "repeat_of": j.repeat_of or None, "escalation": j.escalation,
            "escalate_to": j.escalate_to or None, "letters": None,
            "note": note_text(j, AS_OF, language, 48), "mailed": None}


@pytest.mark.parametrize("language, date1904", [("zh", False), ("en", True)])
def test_values_are_the_judgements(judgements, language, date1904):
    rows = StatusRows(reversed(judgements), AS_OF, language, date1904, 48)  # any order
    assert list(rows.rows) == sorted(j.row for j in judgements)
    assert rows.last_row == max(j.row for j in judgements)
    for j in judgements:
        i = rows.find(j.row)
        values = rows.values(i)
        assert values == expected(j, language, date1904)
        assert [type(v) for v in values.values()] == [
            type(v) for v in expected(j, language, date1904).values()]  # 3 stays 3, not 3.0
        assert tuple(rows.case(i)) == (j.case_id, is_overdue(j), j.escalation)


def test_rows_are_found_in_any_order(judgements):
    rows = StatusRows(judgements, AS_OF, "zh")
    judged = sorted(j.row for j in judgements)
    assert [rows.find(r) for r in judged] == list(range(len(judged)))   # as the sheet streams
    assert [rows.find(r) for r in reversed(judged)] == list(range(len(judged)))[::-1]
    assert rows.find(judged[0] - 1) == -1 and rows.find(judged[-1] + 1) == -1
    gaps = sorted(set(range(judged[0], judged[-1])) - set(judged))
    assert all(rows.find(r) == -1 for r in gaps)
    assert rows.find(judged[1]) == 1   # found again after a miss


def test_no_judgements():
    rows = StatusRows([], AS_OF, "zh")
    assert len(rows) == 0 and rows.last_row is None and rows.find(2) == -1


@pytest.mark.parametrize("distinct, width", [(1, "B"), (256, "B"), (257, "H"),
                                             (65536, "H"), (65537, "I")])
def test_repeating_values_take_as_few_bytes_as_they_need(distinct, width):
    seen = {f"v{k}": k for k in range(distinct)}
    codes = list(range(distinct)) + [distinct - 1, 0]
    column = Repeating(seen, codes)
    assert column.codes.typecode == width
    assert [column[i] for i in (0, distinct - 1, distinct, distinct + 1)] == [
        "v0", f"v{distinct - 1}", f"v{distinct - 1}", "v0"]


def test_a_run_lets_the_judgements_go_and_still_counts_them(tmp_path, judgements):
    import shutil

    import openpyxl

    from officebot.batch import run_batch, summary_lines
    register = tmp_path / SAMPLE.name
    shutil.copyfile(SAMPLE, register)
    out = run_batch(register, load_settings(), AS_OF, letters=False)
    assert out.result.judgements == []
    assert out.tallied.cases == len(judgements) and out.overdue == out.tallied.overdue
    assert f" {len(judgements)} " in summary_lines(out, "zh")[0]
    log = openpyxl.load_workbook(register)["运行记录"]
    assert log.cell(row=2, column=3).value == len(judgements)   # 判定案件数 of this run
