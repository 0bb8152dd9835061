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


# --- click's own words ------------------------------------------------------------------------
def test_clicks_own_errors_speak_the_offices_language(tmp_path, monkeypatch):
    """An unknown option or command, a missing argument: click's sentences, in Chinese by
    default, in English in an English office (click reads them through gettext)."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    done = runner.invoke(cli, ["run", "r.xlsx", "--yes"])
    assert done.exit_code == 2
    assert "错误：没有选项 '--yes'。" in done.output and "查看用法" in done.output
    assert "Error" not in done.output
    done = runner.invoke(cli, ["chek"])
    assert "没有命令 'chek'" in done.output and "'check'" in done.output
    (tmp_path / "officebot.toml").write_text('language = "en"\n', encoding="utf-8")
    done = runner.invoke(cli, ["run", "r.xlsx", "--yes"])
    assert done.exit_code == 2
    assert "Error: No such option '--yes'." in done.output and "错误" not in done.output


def test_every_click_word_is_one_click_says_with_its_fields():
    """Each entry of messages.CLICK_ZH is a msgid in click's source (a newer click that
    rewords one shows here), and its Chinese keeps the msgid's {fields}."""
    import string
    from pathlib import Path
    import click
    from officebot.messages import CLICK_ZH
    source = "".join(p.read_text(encoding="utf-8") for p in Path(click.__file__).parent.glob("*.py"))
    fields = lambda text: {f for _, f, _, _ in string.Formatter().parse(text) if f}
    for msgid, zh in CLICK_ZH.items():
        assert repr(msgid)[1:-1] in source or msgid in source, msgid
        assert fields(zh) == fields(msgid), msgid
