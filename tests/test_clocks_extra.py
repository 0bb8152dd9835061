"""The seeds' other clocks: follow-up (回访), first response, agreed or extended due times;
and with none of their columns every verdict stays as it was."""

import datetime as dt
import io
import json

import openpyxl
import pytest
from click.testing import CliRunner

from officebot.batch import run_batch
from officebot.check import check_register
from officebot.cli import cli
from officebot.settings import load_settings

from conftest import ZH_HEADERS, row

D = dt.datetime
AS_OF = D(2026, 3, 20, 12, 0)


def extra(*names):
    return list(ZH_HEADERS) + list(names)


def judged(path, settings=None):
    r = check_register(path, settings or load_settings(), AS_OF)
    return {j.case_id: j for j in r.judgements}, r


def test_agreed_reply_time_and_extension_replace_the_due_times(register, tmp_path):
    path = register([
        row("A", D(2026, 3, 1, 9), **{"约定答复时间": D(2026, 3, 25, 17), "延期至": D(2026, 4, 1)}),
        row("B", D(2026, 3, 1, 9)),
    ], headers=extra("约定答复时间", "延期至"))
    js, _ = judged(path)
    a, b = js["A"], js["B"]
    assert (a.reply_due, a.close_due) == (D(2026, 3, 25, 17), D(2026, 4, 1))
    assert (a.reply_status, a.close_status) == ("pending", "pending") and a.escalation == 0
    assert "约定" in a.reply_explain and "延期" in a.close_explain
    assert (b.reply_status, b.close_status) == ("overdue", "overdue")
    assert b.reply_explain == "受理后48小时"


def first_response_settings(tmp_path):
    toml = tmp_path / "fr.toml"
    toml.write_text("[clocks]\nfirst_response = true\nfirst_response_minutes = 30\n",
                    encoding="utf-8")
    return load_settings(toml)


def test_first_response_clock_is_off_by_default(register):
    path = register([row("A", D(2026, 3, 20, 11))])
    js, _ = judged(path)
    assert js["A"].first_response_status == "" and js["A"].first_response_due is None


@pytest.mark.parametrize("contact, status", [
    (None, "overdue"), (D(2026, 3, 20, 11, 20), "on_time"), (D(2026, 3, 20, 11, 45), "late")])
def test_first_response_within_30_minutes(register, tmp_path, contact, status):
    path = register([row("A", D(2026, 3, 20, 11), first_contact_at=contact)])
    js, r = judged(path, first_response_settings(tmp_path))
    j = js["A"]
    assert j.first_response_due == D(2026, 3, 20, 11, 30) and j.first_response_status == status
    assert (j.reply_status, j.close_status) == ("pending", "pending")
    assert j.escalation == (1 if status == "overdue" else 0)   # an overdue clock escalates


FOLLOWUP_ROWS = [
    # closed 03-05: follow-up due 03-12, window 3 days -> overdue at 03-20 unless done
    row("F1", D(2026, 3, 1, 9), department="客服部", replied_at=D(2026, 3, 2),
        closed_at=D(2026, 3, 5), **{"回访时间": D(2026, 3, 13)}),
    row("F2", D(2026, 3, 1, 9), department="客服部", replied_at=D(2026, 3, 2),
        closed_at=D(2026, 3, 5)),
    # closed 03-12: due 03-19 -> due (within the window)
    row("F3", D(2026, 3, 10, 9), department="工程部", replied_at=D(2026, 3, 11),
        closed_at=D(2026, 3, 12)),
    # closed 03-18: due 03-25 -> pending
    row("F4", D(2026, 3, 16, 9), department="工程部", replied_at=D(2026, 3, 17),
        closed_at=D(2026, 3, 18)),
    row("F5", D(2026, 3, 19, 9), department="工程部"),   # open: no follow-up yet
]


def test_follow_up_statuses_and_rate(register):
    path = register(FOLLOWUP_ROWS, headers=extra("回访时间"))
    js, r = judged(path)
    assert {k: j.followup_status for k, j in js.items()} == {
        "F1": "done", "F2": "overdue", "F3": "due", "F4": "pending", "F5": ""}
    assert js["F3"].followup_due == D(2026, 3, 19)
    f = r.kpis.followup
    assert (f.numerator, f.denominator) == (1, 3) and f.value == pytest.approx(1 / 3)
    assert "followup_rate" not in r.kpis.kpis     # the check --json figures stay the four


def test_follow_up_on_the_summary_sheets(register):
    path = register(FOLLOWUP_ROWS, headers=extra("回访时间"))
    out = run_batch(path, load_settings(), AS_OF, letters=False)
    assert out.followup == {"done": 1, "overdue": 1, "due": 1, "pending": 1}
    wb = openpyxl.load_workbook(path, data_only=True)
    ws = wb["部门指标"]
    heads = [c.value for c in ws[1]]
    assert "回访率" in heads
    col = heads.index("回访率") + 1
    rows = {ws.cell(r, 1).value: ws.cell(r, col + 2).value for r in range(3, 5)}
    assert rows == {"客服部": 0.5, "工程部": 0.0}
    overview = {ws_row[0]: ws_row[1] for ws_row in wb["概览"].iter_rows(values_only=True)}
    assert overview["回访率"] == 1 and overview["回访逾期"] == 1 and overview["已回访"] == 1
    assert len(wb["概览"]._charts) == 3    # cases per month, on time by dept, follow-up by dept


def test_without_the_new_columns_nothing_changes(register, tmp_path):
    """The same rows with and without empty new columns and with the clocks' settings
    left at their defaults: the same JSON document and the same figures."""
    rows = [r for r in FOLLOWUP_ROWS]
    plain = register(rows, name="plain.xlsx")
    docs = []
    for path in (plain,):
        done = CliRunner().invoke(cli, ["check", str(path), "--as-of", "2026-03-20 12:00",
                                        "--json"])
        docs.append(json.loads(done.output))
    js, r = judged(plain)
    assert all(j.followup_status == "" and j.first_response_status == "" for j in js.values())
    assert r.kpis.followup.denominator == 0
    keys = set(docs[0]["kpis"])
    assert keys == {"total", "judged", "reply_rate", "on_time_reply_rate", "repeat_rate",
                    "satisfaction_rate"}
    assert set(docs[0]["cases"][0]) == {"case_id", "row", "reply_due", "close_due",
                                        "reply_status", "close_status", "repeat_of",
                                        "escalation"}


def test_a_follow_up_done_needs_no_follow_up_letter(register):
    from officebot.letters import conditions_met
    path = register(FOLLOWUP_ROWS, headers=extra("回访时间"))
    js, r = judged(path)
    cases = {c.case_id: c for c in r.cases}
    met = {k: "followup_due" in conditions_met(cases[k], js[k], AS_OF, 7) for k in js}
    assert met == {"F1": False, "F2": True, "F3": True, "F4": False, "F5": False}
