"""`officebot run` and `officebot report` from the command line, and LibreOffice opening them."""

import datetime as dt
import subprocess
import zipfile

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import need_tool, row
from officebot.cli import cli

T0 = dt.datetime(2026, 3, 1, 9, 0)
AS_OF = "2026-03-10 12:00"


def rows():
    return [row("C-001", T0, customer="张三", phone="13800138000", category="服务",
                department="客服部"),
            row("C-002", T0 + dt.timedelta(days=8), customer="李四", phone="13900000000",
                category="产品质量"),
            row("C-003", T0 + dt.timedelta(days=5), customer="张三", phone="13800138000",
                category="服务类", replied_at=T0 + dt.timedelta(days=5, hours=1)),
            row("", T0)]


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_run_writes_back_and_prints_a_short_summary(register):
    path = register(rows())
    result = invoke("run", path, "--as-of", AS_OF, "--no-letters")
    assert result.exit_code == 0, result.output
    assert "判断 3 件案件" in result.output and "逾期 1 件" in result.output
    assert "新增逾期：C-001" in result.output
    assert "备份：" in result.output
    wb = openpyxl.load_workbook(path)
    assert wb["台账"].cell(2, 19).value == "答复状态"
    assert "概览" in wb.sheetnames


def test_second_run_reports_nothing_new(register):
    path = register(rows())
    invoke("run", path, "--as-of", AS_OF, "--no-letters")
    result = invoke("run", path, "--as-of", AS_OF, "--no-letters")
    assert result.exit_code == 0
    assert "新增逾期" not in result.output


def test_dry_run_prints_changes_and_writes_nothing(register):
    path = register(rows())
    before = path.read_bytes()
    result = invoke("run", path, "--as-of", AS_OF, "--dry-run")
    assert result.exit_code == 0
    assert "试运行：没有写入任何内容" in result.output
    assert "新增状态列：答复期限 (Q)" in result.output
    assert "第 3 行 (C-001): 答复状态: (empty) -> '已逾期'" in result.output
    assert path.read_bytes() == before
    assert not (path.parent / "letters").exists()


def test_summary_in_english(register, tmp_path):
    path = register(rows(), name="r.xlsx")
    (tmp_path / "officebot.toml").write_text('language = "en"\n', encoding="utf-8")
    result = invoke("run", path, "--as-of", AS_OF, "--no-letters")
    assert result.exit_code == 0, result.output
    assert "3 cases judged" in result.output and "overdue 1," in result.output
    assert "newly overdue: C-001" in result.output and "backup: " in result.output


def test_open_workbook_exits_1_with_one_sentence(register):
    path = register(rows())
    path.with_name("~$" + path.name).write_bytes(b"\x01x")
    result = CliRunner().invoke(cli, ["run", str(path), "--as-of", AS_OF, "--no-letters"])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "open" in lines[0] and "--side-copy" in lines[0]
    assert "Traceback" not in result.output


def test_side_copy_option(register):
    path = register(rows())
    path.with_name("~$" + path.name).write_bytes(b"\x01x")
    result = invoke("run", path, "--as-of", AS_OF, "--no-letters", "--side-copy")
    assert result.exit_code == 0
    assert "(officebot).xlsx" in result.output
    assert path.with_name(f"{path.stem} (officebot).xlsx").exists()


def test_missing_register_exits_1(tmp_path):
    result = CliRunner().invoke(cli, ["run", str(tmp_path / "nope.xlsx")])
    assert result.exit_code == 1 and "does not exist" in result.output


def test_run_drafts_letters_and_records_them(register):
    path = register(rows())
    result = invoke("run", path, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(path)["台账"]
    # C-003 repeats C-001 (the same customer): one apology, for the latest case, names both
    assert ws.cell(3, 24).value is None
    letters = ws.cell(5, 24).value
    assert letters and "C-003" in letters and letters.endswith(".docx")
    # The next run keeps the record although nothing new is drafted.
    invoke("run", path, "--as-of", AS_OF)
    assert openpyxl.load_workbook(path)["台账"].cell(5, 24).value == letters


def test_report_writes_a_separate_workbook(register, tmp_path):
    path = register(rows())
    before = path.read_bytes()
    out = tmp_path / "月报.xlsx"
    result = invoke("report", path, "--out", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == before
    wb = openpyxl.load_workbook(out)
    assert "概览" in wb.sheetnames and "台账" not in wb.sheetnames
    with zipfile.ZipFile(out) as zf:
        assert zf.testzip() is None


def libreoffice_convert(path, outdir, fmt="xlsx"):
    soffice = need_tool("soffice")
    profile = outdir / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", fmt, "--outdir", str(outdir), str(path)],
                   check=True, capture_output=True, timeout=180)
    return outdir / (path.stem + "." + fmt)


@pytest.mark.parametrize("command", ["run", "report"])
def test_libreoffice_opens_what_officebot_writes(register, tmp_path, command):
    path = register(rows())
    target = path
    if command == "run":
        invoke("run", path, "--as-of", AS_OF, "--no-letters")
    else:
        target = tmp_path / "report.xlsx"
        invoke("report", path, "--out", target, "--as-of", AS_OF)
    outdir = tmp_path / "lo"
    outdir.mkdir()
    converted = libreoffice_convert(target, outdir)
    assert converted.exists()
    wb = openpyxl.load_workbook(converted)
    assert "概览" in wb.sheetnames
    if command == "run":
        ws = wb["台账"]
        assert ws.cell(3, 19).value == "已逾期"
        assert ws.cell(3, 17).value == T0 + dt.timedelta(hours=48)

