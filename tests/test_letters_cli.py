"""The `letters` command: drafts through run_batch, file names land in the register."""

import datetime as dt
import re
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from conftest import row
from officebot.cli import cli

README = Path(__file__).resolve().parents[1] / "README.md"
AS_OF = ["--as-of", "2026-03-10 12:00"]


def rows():
    return [row("C001", dt.datetime(2026, 3, 1, 9, 0), customer="张三", summary="空调漏水",
                resolution="已上门维修"),
            row("C002", dt.datetime(2026, 3, 9, 9, 0), customer="李四", summary="账单有误")]


def letter_column(path):
    ws = openpyxl.load_workbook(path)["台账"]
    header = [c.value for c in ws[2]]
    col = header.index("函件文件") + 1
    return {ws.cell(r, 1).value: ws.cell(r, col).value for r in range(3, ws.max_row + 1)}


def test_letters_command_drafts_and_records_files_in_register(register):
    path = register(rows())
    runner = CliRunner()
    res = runner.invoke(cli, ["letters", str(path)] + AS_OF)
    assert res.exit_code == 0, res.output
    assert "已起草函件 1 封" in res.output     # the response carries the apology
    assert letter_column(path) == {"C001": "letters/2026-03/C001_response.docx", "C002": None}
    again = runner.invoke(cli, ["letters", str(path)] + AS_OF)
    assert again.exit_code == 0 and "已起草函件 0 封" in again.output
    assert letter_column(path)["C001"].count("docx") == 1


def test_letters_command_case_and_kind_filters(register):
    path = register(rows())
    res = CliRunner().invoke(cli, ["letters", str(path), "--case", "C001", "--kind", "response"]
                             + AS_OF)
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in (path.parent / "letters/2026-03").iterdir()) == [
        "C001_response.docx"]


def test_letters_command_redo(register):
    path = register(rows())
    runner = CliRunner()
    runner.invoke(cli, ["letters", str(path)] + AS_OF)
    res = runner.invoke(cli, ["letters", str(path), "--redo"] + AS_OF)
    assert res.exit_code == 0 and "已起草函件 1 封" in res.output


def test_letters_command_unknown_kind_is_a_usage_error(register):
    res = CliRunner().invoke(cli, ["letters", str(register(rows())), "--kind", "thanks"])
    assert res.exit_code == 2 and "thanks" in res.output


def test_letters_command_bad_setting_exit_1_naming_the_key(register):
    path = register(rows())
    (path.parent / "officebot.toml").write_text('[letters]\nlanguage = "fr"\n', encoding="utf-8")
    res = CliRunner().invoke(cli, ["letters", str(path)] + AS_OF)
    assert res.exit_code == 1
    assert "'letters.language'" in res.output and "Traceback" not in res.output


def test_bad_template_reported_by_the_command(register):
    path = register(rows())
    tpl = path.parent / "templates"
    tpl.mkdir()
    import docx
    d = docx.Document()
    d.add_paragraph("尊敬的{{ 客户名 }}")
    d.save(str(tpl / "response_zh.docx"))
    res = CliRunner().invoke(cli, ["letters", str(path)] + AS_OF)
    assert res.exit_code == 0
    assert "函件问题：函件模板 response_zh.docx（段落“尊敬的{{ 客户名 }}”）使用了不认识的占位符 " \
        "{{ 客户名 }}（是否应为 {{ 客户姓名 }}？），未用它起草函件；请在 Word 中改正" in res.output
    assert "Traceback" not in res.output and "Jinja" not in res.output


def test_readme_documents_the_command_and_every_option():
    text = README.read_text(encoding="utf-8")
    section = text.split("<!-- section:letters -->", 1)[1].split("<!-- section:", 1)[0]
    assert "officebot letters" in section
    help_text = CliRunner().invoke(cli, ["letters", "--help"]).output
    options = set(re.findall(r"--[a-z][a-z-]+", help_text)) - {"--help"}
    assert {"--as-of", "--case", "--kind", "--redo", "--pdf", "--settings"} <= options
    for option in options:
        assert f"`{option}" in section, option
    docs = (README.parent / "docs" / "letters.md").read_text(encoding="utf-8")
    from officebot.letter_templates import PLACEHOLDERS
    for p in PLACEHOLDERS:
        assert f"| {p.zh} | {p.key} |" in docs, p
