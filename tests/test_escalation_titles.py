"""Escalation names job titles in the register's language until [escalation.people] names
people; check, the run summary and doctor say so once."""

import datetime as dt

from click.testing import CliRunner

from officebot.check import check_register
from officebot.cli import cli
from officebot.doctor import run_doctor
from officebot.settings import load_settings

from conftest import row, write_register

EN = ["Case No.", "Received", "Channel", "Customer", "Phone", "Email", "Category", "Severity",
      "Complaint", "Department", "Handler", "First contact", "Replied", "Closed",
      "Resolution", "Satisfaction"]
ROWS = [row("E1", dt.datetime(2026, 3, 1, 9), department="Service"),
        row("E2", dt.datetime(2026, 3, 9, 9), department="Service")]


def test_an_english_register_gets_english_titles(tmp_path):
    path = write_register(tmp_path / "reg.xlsx", ROWS, headers=EN)
    result = check_register(path, load_settings(), dt.datetime(2026, 3, 10, 12))
    people = {j.case_id: j.escalate_to for j in result.judgements}
    assert people == {"E1": "general manager", "E2": "handler"}


def test_check_says_once_that_no_people_are_set_and_never_title_to_title(tmp_path):
    path = write_register(tmp_path / "reg.xlsx", ROWS)
    out = CliRunner().invoke(cli, ["check", str(path), "--as-of", "2026-03-10 12:00"]).output
    assert out.count("[escalation.people]") == 1
    assert "公司总经理 → 公司总经理" not in out and "级别 5 公司总经理" in out


def test_named_people_are_shown_and_the_note_goes(tmp_path):
    path = write_register(tmp_path / "reg.xlsx", ROWS)
    (tmp_path / "officebot.toml").write_text(
        '[escalation.people]\n"*" = ["王组长", "李副经理", "张经理", "赵副总", "钱总"]\n',
        encoding="utf-8")
    out = CliRunner().invoke(cli, ["check", str(path), "--as-of", "2026-03-10 12:00"]).output
    assert "级别 5 公司总经理 → 钱总" in out and "[escalation.people]" not in out
    done = CliRunner().invoke(cli, ["run", str(path), "--as-of", "2026-03-10 12:00",
                                    "--no-letters"]).output
    assert "[escalation.people]" not in done


def test_run_summary_and_doctor_say_it(tmp_path):
    path = write_register(tmp_path / "reg.xlsx", ROWS)
    done = CliRunner().invoke(cli, ["run", str(path), "--as-of", "2026-03-10 12:00",
                                    "--no-letters"]).output
    assert done.count("[escalation.people]") == 1
    report = run_doctor(tmp_path).text()
    assert report.count("[escalation.people]") == 1
