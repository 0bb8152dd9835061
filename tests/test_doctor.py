"""officebot doctor: what is installed and whether a folder is ready (exit 0 / 1)."""

import datetime as dt
import tempfile

import pytest
from click.testing import CliRunner

import officebot.doctor as doctor
from officebot.cli import cli
from officebot.doctor import run_doctor
from officebot.demo import NAMES as DEMO_NAMES
from officebot.init import SAMPLE_NAME, init_folder

THIS_YEAR = dt.date(2025, 3, 10)   # chinesecalendar 1.11 knows 2025 and 2026


def check(report, english_name):
    names = {"settings": "设置文件", "register": "台账", "write permission": "写入权限",
             "holiday data": "节假日数据", "letter templates": "函件模板",
             "LibreOffice (for PDF)": "LibreOffice（转 PDF）", "Chinese font": "中文字体"}
    for c in report.checks:
        if c.name in (english_name, names.get(english_name)):
            return c
    raise AssertionError(f"no check {english_name}: {report.checks}")


@pytest.fixture
def folder(tmp_path):
    return init_folder(tmp_path / "投诉 办公室", "en").folder


def test_a_fresh_folder_is_ready(folder):
    report = run_doctor(folder, today=THIS_YEAR)
    assert report.ready, report.text()
    assert check(report, "register").ok
    assert "sheet" in check(report, "register").detail
    assert check(report, "letter templates").ok
    assert check(report, "holiday data").ok


def test_cli_doctor_exit_codes(folder, tmp_path):
    ok = CliRunner().invoke(cli, ["doctor", str(folder)])
    assert ok.exit_code == 0, ok.output
    assert "officebot" in ok.output and "Python" in ok.output and "Ready to run." in ok.output
    empty = tmp_path / "empty"
    empty.mkdir()
    bad = CliRunner().invoke(cli, ["doctor", str(empty)])
    assert bad.exit_code == 1
    assert "Traceback" not in bad.output


def test_no_register_is_a_problem(folder):
    (folder / DEMO_NAMES["en"]).unlink()
    report = run_doctor(folder, today=THIS_YEAR)
    assert not report.ready
    assert "no register" in check(report, "register").detail


def test_wrong_settings_name_the_key(folder):
    (folder / "officebot.toml").write_text('language = "en"\n[schedule]\ntimes = ["8h"]\n',
                                           encoding="utf-8")
    report = run_doctor(folder, today=THIS_YEAR)
    assert not report.ready
    assert "schedule.times" in check(report, "settings").detail


def test_unreadable_register_is_a_problem(folder):
    (folder / SAMPLE_NAME).write_bytes(b"not a workbook")
    report = run_doctor(folder, today=THIS_YEAR)
    assert not report.ready
    assert not check(report, "register").ok


def test_no_write_permission_is_a_problem(folder, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    report = run_doctor(folder, today=THIS_YEAR)
    assert not report.ready
    assert "Permission denied" in check(report, "write permission").detail


def test_missing_holiday_data_for_this_year_is_a_problem(folder):
    report = run_doctor(folder, today=dt.date(2099, 1, 5))
    holidays = check(report, "holiday data")
    assert not holidays.ok and holidays.essential
    assert "pip install -U chinesecalendar" in holidays.detail
    assert not report.ready


def test_missing_holiday_data_for_next_year_is_a_warning(folder):
    from officebot.rules import holiday_data_covers
    year = dt.date.today().year
    while holiday_data_covers(year + 1):
        year += 1
    report = run_doctor(folder, today=dt.date(year, 12, 1))
    holidays = check(report, "holiday data")
    assert not holidays.ok and not holidays.essential
    assert report.ready


def test_optional_tools_missing_are_warnings(folder, monkeypatch):
    monkeypatch.setattr(doctor, "find_soffice", lambda: None)
    monkeypatch.setattr(doctor, "find_cjk_font", lambda: None)
    for template in (folder / "templates").glob("*.docx"):
        template.unlink()
    report = run_doctor(folder, today=THIS_YEAR)
    assert report.ready
    for name in ("LibreOffice (for PDF)", "Chinese font", "letter templates"):
        assert not check(report, name).ok and not check(report, name).essential
    assert "[warning]" in report.text()


def test_the_report_speaks_the_folder_language(tmp_path):
    folder = init_folder(tmp_path / "zh").folder
    text = run_doctor(folder, today=THIS_YEAR).text()
    assert "可以运行。" in text and "台账" in text


def test_cjk_font_found_here(folder):
    from conftest import need_part
    font = need_part(doctor.find_cjk_font(), "a Chinese font (fonts-noto-cjk)")
    found = check(run_doctor(folder, today=THIS_YEAR), "Chinese font")
    assert found.ok and font in found.detail  # the report names the font it found


def _path_without_python(monkeypatch, tmp_path):
    """A PC with no python3 / python on PATH."""
    empty = tmp_path / "empty-bin"
    empty.mkdir(exist_ok=True)
    monkeypatch.setenv("PATH", str(empty))


def test_launcher_check_names_the_python_this_pc_would_start(folder, monkeypatch, tmp_path):
    import sys
    from officebot.init import _platform_launcher, sh_text
    report = run_doctor(folder, today=THIS_YEAR)
    assert check(report, "launcher").ok, report.text()
    assert "→" in check(report, "launcher").detail
    # Another PC: the init PC's Python is gone and nothing on PATH has officebot.
    _path_without_python(monkeypatch, tmp_path)
    _platform_launcher(folder, "en").write_text(sh_text("/nowhere/python3"), encoding="utf-8")
    report = run_doctor(folder, today=THIS_YEAR)
    assert not check(report, "launcher").ok and report.ready
    assert "install Python 3" in check(report, "launcher").detail
    # ... until the folder gets a .venv with officebot.
    venv = folder / ".venv" / "bin"
    venv.mkdir(parents=True)
    (venv / "python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    (venv / "python").chmod(0o755)
    report = run_doctor(folder, today=THIS_YEAR)
    assert check(report, "launcher").ok
    assert str(venv / "python") in check(report, "launcher").detail


def test_launcher_that_lost_its_executable_bit_is_explained(folder):
    import sys
    if sys.platform.startswith("win"):
        pytest.skip("no executable bit on Windows")
    command = folder / "Run officebot.command"
    command.chmod(0o644)
    detail = check(run_doctor(folder, today=THIS_YEAR), "launcher").detail
    assert "Run officebot.command" in detail and "executable bit" in detail
    assert "zip" in detail and f'chmod +x "{command}"' in detail


def test_launcher_python_falls_back_on_the_init_python_named_in_the_launcher(
        folder, monkeypatch, tmp_path):
    import sys
    from officebot.doctor import launcher_python
    from officebot.init import bat_text, sh_text
    _path_without_python(monkeypatch, tmp_path)
    for text in (bat_text(sys.executable), sh_text(sys.executable)):
        path = folder / "launcher.txt"
        path.write_text(text, encoding="utf-8")
        assert launcher_python(folder, path) == sys.executable


def test_the_register_is_read_once_for_its_check_and_the_templates(folder, monkeypatch):
    import officebot.check
    from officebot.letters import drafting
    real, reads, seen = officebot.check.check_register, [], []

    def counted(*args, **kwargs):
        reads.append(args[0])
        return real(*args, **kwargs)
    monkeypatch.setattr(officebot.check, "check_register", counted)
    real_gaps = drafting.english_gaps
    monkeypatch.setattr(drafting, "english_gaps",
                        lambda result, settings: seen.append(result) or real_gaps(result,
                                                                                  settings))
    import officebot.letters
    monkeypatch.setattr(officebot.letters, "english_gaps", drafting.english_gaps)
    report = run_doctor(folder, today=THIS_YEAR)
    assert check(report, "register").ok
    assert len(reads) == 1, reads
    assert len(seen) == 1 and seen[0].cases     # the English check had the one reading


def test_a_chinese_folder_reads_its_problems_in_chinese(tmp_path):
    folder = init_folder(tmp_path / "投诉", "zh").folder
    (folder / DEMO_NAMES["zh"]).unlink()
    detail = run_doctor(folder, today=THIS_YEAR).checks
    register = next(c for c in detail if c.name == "台账")
    assert not register.ok
    assert register.detail.startswith(f"文件夹 {folder} 中没有台账（.xlsx/.xlsm 文件）")
    assert "no register" not in register.detail
