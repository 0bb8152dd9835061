"""What a clerk reads at the command line and from the launcher: --as-of, report --out,
the run log of `officebot run`, the owner file left by a crashed Excel."""

import datetime as dt
import io

import pytest
from click.testing import CliRunner

from officebot.cli import cli
from officebot.launcher import launch

from conftest import row


@pytest.fixture
def reg(register):
    return register([row("C1", dt.datetime(2026, 3, 1, 9, 0), customer="张三")], name="台账.xlsx")


@pytest.mark.parametrize("typed", ["2026-03-05 14:20", "2026/03/05 14:20", "2026/3/5 14:20",
                                   "2026年3月5日 14:20", "2026年3月5日 下午2:20"])
def test_as_of_accepts_the_registers_forms(reg, typed):
    done = CliRunner().invoke(cli, ["check", str(reg), "--as-of", typed])
    assert done.exit_code == 0, done.output
    assert "判断时间：2026-03-05 14:20" in done.output


@pytest.mark.parametrize("typed", ["tomorrow", "2026-13-45", "5.3.2026"])
def test_a_bad_as_of_is_one_sentence_and_exit_2(reg, typed):
    done = CliRunner().invoke(cli, ["check", str(reg), "--as-of", typed])
    assert done.exit_code == 2
    lines = done.output.strip().splitlines()
    assert len(lines) == 1 and typed in lines[0] and "2026年11月22日 9:00" in lines[0]
    assert "Usage" not in done.output


def test_report_refuses_a_csv_name(reg, tmp_path):
    out = tmp_path / "x.csv"
    done = CliRunner().invoke(cli, ["report", str(reg), "--out", str(out)])
    assert done.exit_code == 2 and ".xlsx" in done.output and not out.exists()


def test_run_writes_the_run_log(reg):
    done = CliRunner().invoke(cli, ["run", str(reg), "--as-of", "2026-03-10 12:00",
                                    "--no-letters"])
    assert done.exit_code == 0, done.output
    logs = list((reg.parent / "logs").glob("officebot-*.log"))
    assert len(logs) == 1
    text = logs[0].read_text(encoding="utf-8")
    assert "officebot run" in text and "written to" in text and "逾期 1 件" in text


def test_run_logs_a_failure_into_an_existing_log_folder(reg, tmp_path):
    (reg.parent / "logs").mkdir()
    bad = tmp_path / "s.toml"
    bad.write_text("[summary]\nlist_max_rows = 0\n", encoding="utf-8")
    done = CliRunner().invoke(cli, ["run", str(reg), "--settings", str(bad)])
    assert done.exit_code == 1
    assert "summary.list_max_rows" in done.output and str(bad) in done.output
    text = next((reg.parent / "logs").glob("officebot-*.log")).read_text(encoding="utf-8")
    assert "failed:" in text and "summary.list_max_rows" in text


def test_launcher_says_what_to_do_with_a_left_over_owner_file(reg):
    (reg.parent / ("~$" + reg.name)).write_bytes(b"\x05alice" + b" " * 100)
    out = io.StringIO()
    assert launch(reg.parent, out=out, stdin=io.StringIO()) == 1
    last = out.getvalue().splitlines()[-1]
    assert "~$台账.xlsx" in last and "异常退出" in last and "删除" in last
