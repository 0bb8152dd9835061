"""One register, every place a clerk or a manager reads the counts: `check --json`, the text
report, the overview sheet, the case lists and the launcher's sentence agree. The list sheets
print whole: both lines of a complaint and the whole escalation reason are on the PDF page."""

import datetime as dt
import io
import json
import re
import shutil
import subprocess

import openpyxl
import pytest
from click.testing import CliRunner

from officebot.cli import cli
from officebot.launcher import launch

from conftest import ZH_HEADERS, need_tool, row, write_register

D = dt.datetime
AS_OF = D(2026, 3, 13, 6, 0)
AS_OF_TEXT = "2026-03-13 06:00"
TWO_LINES = "电梯停运三天无人处理\n物业前台说只能等厂家"
LONG = "楼上装修噪音" * 30

ROWS = [
    # reply overdue (due 03-08 12:00) and close due soon (03-13 12:00): overdue, not due soon
    row("K1", D(2026, 3, 6, 12), customer="甲", phone="13800000001", category="服务",
        summary=TWO_LINES, department="客服部"),
    # reply due soon only (due 03-13 10:00)
    row("K2", D(2026, 3, 11, 10), customer="乙", phone="13800000002", category="服务",
        summary=LONG),
    # serious and overdue: escalated for both reasons
    row("K3", D(2026, 3, 1, 9), customer="丙", phone="13800000003", category="产品质量",
        severity="严重", summary="热水器漏水"),
    # a repeat of K1 (same phone, same category), replied on time
    row("K4", D(2026, 3, 12, 9), customer="甲", phone="13800000001", category="服务",
        replied_at=D(2026, 3, 12, 10)),
    # closed on time
    row("K5", D(2026, 3, 2, 9), customer="丁", phone="13800000005", category="服务",
        replied_at=D(2026, 3, 2, 10), closed_at=D(2026, 3, 4, 9)),
    row("", D(2026, 3, 2, 9), customer="戊"),          # a problem row: blank case number
]


@pytest.fixture
def office(tmp_path):
    folder = tmp_path / "office"
    folder.mkdir()
    return write_register(folder / "台账.xlsx", ROWS, headers=list(ZH_HEADERS))


def test_the_same_counts_everywhere(office):
    runner = CliRunner()
    doc = json.loads(runner.invoke(cli, ["check", str(office), "--as-of", AS_OF_TEXT,
                                         "--json"]).output)
    statuses = [(c["reply_status"], c["close_status"]) for c in doc["cases"]]
    overdue = sum("overdue" in s for s in statuses)
    soon = sum("due_soon" in s and "overdue" not in s for s in statuses)
    repeats = sum(c["repeat_of"] is not None for c in doc["cases"])
    escalated = sum(c["escalation"] > 0 for c in doc["cases"])
    assert (overdue, soon, repeats, escalated, len(doc["problems"])) == (2, 1, 1, 3, 1)

    text = runner.invoke(cli, ["check", str(office), "--as-of", AS_OF_TEXT]).output
    assert (f"逾期 {overdue} 件，即将到期 {soon} 件，重复投诉 {repeats} 件，已升级 "
            f"{escalated} 件，问题行 1 行") in text

    out = io.StringIO()
    assert launch(office.parent, as_of=AS_OF, out=out, stdin=io.StringIO(), pause=False,
                  batch_options={"letters": False}) == 0
    sentence = out.getvalue().strip().splitlines()[-1]
    assert f"{overdue} 件逾期" in sentence and f"{soon} 件即将到期" in sentence
    assert f"{repeats} 件重复投诉" in sentence and "1 行登记有误" in sentence
    assert re.search(rf"{escalated} 件需上报", sentence)

    wb = openpyxl.load_workbook(office, data_only=True)
    counts = {r[0]: r[1] for r in wb["概览"].iter_rows(values_only=True) if r[0]}
    assert (counts["逾期案件"], counts["即将到期案件"], counts["重复投诉"], counts["已升级案件"],
            counts["无法判定的行"]) == (overdue, soon, repeats, escalated, 1)

    def listed(name):
        return [r[0] for r in wb[name].iter_rows(min_row=2, values_only=True) if r[0]]

    assert len(listed("逾期清单")) == overdue and len(listed("即将到期")) == soon
    assert len(listed("重复投诉")) == repeats and len(listed("升级清单")) == escalated
    assert listed("问题行清单") == [8]   # the worksheet row of the blank case number (title, header above)


def test_lists_print_whole_on_the_pdf_page(office, tmp_path):
    soffice = need_tool("soffice")
    need_tool("pdftotext")
    assert launch(office.parent, as_of=AS_OF, out=io.StringIO(), stdin=io.StringIO(),
                  pause=False, batch_options={"letters": False}) == 0
    wb = openpyxl.load_workbook(office)
    for name in wb.sheetnames:  # print only the list sheets
        if name not in ("逾期清单", "即将到期", "升级清单"):
            wb[name].sheet_state = "hidden"
    # Keep officebot's package untouched: print a copy with the other sheets hidden by
    # LibreOffice's own reading of it (openpyxl only flips the sheet states).
    printed = tmp_path / "print" / "lists.xlsx"
    printed.parent.mkdir()
    wb.save(printed)
    profile = tmp_path / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(printed.parent), str(printed)],
                   check=True, capture_output=True, timeout=300)
    text = subprocess.run(["pdftotext", str(printed.with_suffix(".pdf")), "-"],
                          capture_output=True, check=True).stdout.decode("utf-8")
    flat = re.sub(r"\s+", "", text)
    for line in TWO_LINES.split("\n"):     # both lines of a two-line complaint
        assert line in text
    assert "投诉等级：严重" in text          # the escalation reason, whole, on one line
    assert LONG in flat                      # a long complaint wraps; none of it is cut
    shutil.rmtree(profile, ignore_errors=True)


def test_problem_rows_sheet_says_where_what_and_how(tmp_path):
    rows = [row("P1", D(2026, 3, 1, 9)), row("P1", D(2026, 3, 2, 9)),
            row("P3", "待补录"), row("P4", D(2026, 3, 2, 9), replied_at="已电话答复")]
    path = write_register(tmp_path / "台账.xlsx", rows, headers=list(ZH_HEADERS))
    CliRunner().invoke(cli, ["run", str(path), "--as-of", AS_OF_TEXT, "--no-letters"])
    ws = openpyxl.load_workbook(path)["问题行清单"]
    assert [c.value for c in ws[1]] == ["行号", "列", "单元格", "填写的内容", "问题", "改正方法"]
    got = [[c.value for c in r] for r in ws.iter_rows(min_row=2) if r[0].value]
    assert [g[:2] + g[3:4] for g in got] == [[4, "编号", "P1"], [5, "受理时间", "待补录"],
                                             [6, "答复时间", "已电话答复"]]
    assert got[0][2] == '=HYPERLINK("#\'台账\'!A4","A4")'
    assert got[2][2] == '=HYPERLINK("#\'台账\'!M6","M6")'
    assert "重复" in got[0][4] and "编号" in got[0][5] and "2026-03-05 14:20" in got[1][5]
