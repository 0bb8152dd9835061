"""Summary sheets: KPIs with numerators and denominators, lists, charts, layout, run log."""

import datetime as dt
import io
import os
import subprocess
import uuid
import zipfile

import openpyxl
import pytest

from conftest import AS_OF, need_tool, row
from officebot.check import ReadOptions, check_register
from officebot.errors import SettingsError
from officebot.settings import load_settings
from officebot.workbook.package import Package, minimal_package
from officebot.workbook.sheetxml import clean_text, number_text, text_xml
from officebot.workbook.summary import (OWN_SHEET_NAMES, SHEETS, build_summary_sheets,
                                        read_change_log, summary_settings)

D = dt.datetime
RUN_AT = D(2026, 3, 10, 12, 5)

# Hand-computed figures at AS_OF = 2026-03-10 12:00 with the default settings:
#  A1 客服部 2026-02-02 09:00, replied 02-03 10:00 (on time), closed, 满意
#  A2 客服部 2026-02-10 09:00, replied 02-13 09:00 (late: due 02-12 09:00), closed, 不满意
#  A3 工程部 2026-03-01 08:00, nothing done: reply+close overdue since 03-03 08:00 -> 148 h
#  A4 客服部 2026-03-02 10:00, replied 03-03 09:00, not closed: close overdue since 03-09 10:00
#  A5 工程部 2026-03-08 20:00, reply due 03-10 20:00 -> due soon (8 h left)
#  A6 工程部 2026-03-09 09:00, same phone and category as A3 -> repeat of A3, reply pending
ROWS = [
    row("A1", D(2026, 2, 2, 9), customer="陈一", phone="13800000001", category="服务",
        department="客服部", handler="王芳", replied_at=D(2026, 2, 3, 10),
        closed_at=D(2026, 2, 5, 9), satisfaction="满意", channel="来电"),
    row("A2", D(2026, 2, 10, 9), customer="陈二", phone="13800000002", category="服务",
        department="客服部", handler="王芳", replied_at=D(2026, 2, 13, 9),
        closed_at=D(2026, 2, 14, 9), satisfaction="不满意", channel="来电"),
    row("A3", D(2026, 3, 1, 8), customer="=HYPERLINK(\"http://x\")", phone="13800000003",
        category="维修质量", department="工程部", handler="李强", channel="网络",
        summary="漏水_x0001_未修 _x0041_"),
    row("A4", D(2026, 3, 2, 10), customer="陈四", phone="13800000004", category="服务",
        department="客服部", handler="王芳", replied_at=D(2026, 3, 3, 9), channel="来访"),
    row("A5", D(2026, 3, 8, 20), customer="陈五", phone="13800000005", category="服务",
        department="工程部", handler="李强", channel="网络"),
    row("A6", D(2026, 3, 9, 9), customer="陈六", phone="13800000003", category="维修质量",
        department="工程部", handler="李强", channel="来电"),
]


def summarise(register_path, out, settings=None, as_of=AS_OF, previous=None, run_at=RUN_AT,
              info=None):
    """Judge the register and write its summary sheets as a new workbook at ``out``."""
    settings = settings or load_settings()
    result = check_register(register_path, settings, as_of, ReadOptions(cases="full"))
    pkg = Package(io.BytesIO(minimal_package()), out.name)
    run_info = {"run_at": run_at, "as_of": as_of, "newly_overdue": ["A3"],
                "newly_escalated": ["A3", "A6"], "letters_drafted": 2}
    run_info.update(info or {})
    sheets = build_summary_sheets(result, settings, pkg.styles(), result.language, run_info,
                                  previous or [])
    pkg.replace_sheets(OWN_SHEET_NAMES, sheets)
    pkg.save(out)
    return out


def register_with_formula_text(path):
    """Store A3's customer "=HYPERLINK(...)" as text, as a clerk's pasted value would be."""
    wb = openpyxl.load_workbook(path)
    ws = wb["台账"]
    for r in ws.iter_rows(min_row=3):
        if r[0].value == "A3":
            r[3].value = '=HYPERLINK("http://x")'
            r[3].data_type = "s"
    wb.save(path)
    return path


@pytest.fixture
def summary_book(register, tmp_path):
    out = summarise(register_with_formula_text(register(ROWS)), tmp_path / "summary.xlsx")
    return out


def by_header(ws, header_row=1):
    """Rows of a table sheet as dicts keyed by header text (stops at the first blank row)."""
    headers = [c.value.replace("\n", "") if isinstance(c.value, str) else c.value
               for c in ws[header_row]]
    out = []
    for values in ws.iter_rows(min_row=header_row + 1, values_only=True):
        if all(v is None for v in values):
            break
        out.append(dict(zip(headers, values)))
    return out


GROUP_SHEETS = {"月度指标", "部门指标", "类别指标", "渠道指标", "处理人指标", "By month",
                "By department", "By category", "By channel", "By handler"}


def group_rows(ws):
    """Rows of a KPI group sheet (two header rows: the KPI over its four columns) as dicts
    keyed like "回复及时率分子", "回复及时率（≥100%）", "回复及时率结果"."""
    keys, name = [], ""
    for top, sub in zip(ws[1], ws[2]):
        if top.value is not None:
            name = top.value
        if sub.value is None:
            keys.append(top.value)
        else:
            keys.append(name + sub.value.replace("比率", "").replace("\n", ""))
    out = []
    for values in ws.iter_rows(min_row=3, values_only=True):
        if all(v is None for v in values):
            break
        out.append(dict(zip(keys, values)))
    return out


def test_sheet_names_in_the_register_language(summary_book):
    wb = openpyxl.load_workbook(summary_book)
    assert wb.sheetnames == [zh for zh, _ in SHEETS.values()]


def test_english_register_gets_english_sheets(register, tmp_path):
    headers = ["Case No.", "Received", "Channel", "Customer", "Phone", "Email", "Category",
               "Severity", "Complaint", "Department", "Handler", "First contact", "Replied",
               "Closed", "Resolution", "Satisfaction"]
    out = summarise(register(ROWS, headers=headers), tmp_path / "en.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [en for _, en in SHEETS.values()]
    kpis = by_header(wb["Overview"])
    assert kpis[1]["KPI"] == "On-time reply rate"
    assert kpis[1]["result"] == "MISSED"


def test_overview_kpis_with_numerators_and_denominators(summary_book):
    wb = openpyxl.load_workbook(summary_book)
    cached = openpyxl.load_workbook(summary_book, data_only=True)
    rows = by_header(wb["概览"])
    values = by_header(cached["概览"])
    got = {r["指标"]: (r["分子"], r["分母"]) for r in rows}
    # judged = A1 A2 A3 A4 (reply due or replied by T); replied A1 A2 A4; on time A1 A4
    assert got == {"回复率": (3, 4), "回复及时率": (2, 4), "重复投诉率": (1, 6), "满意率": (1, 2)}
    assert [r["数值"] for r in values] == [0.75, 0.5, 1 / 6, 0.5]
    assert rows[0]["数值"] == '=IF(C2=0,"",B2/C2)'
    assert [r["结果"] for r in rows] == ["未达标"] * 4
    assert [r["目标"] for r in rows] == ["≥100%", "≥100%", "≤1%", "≥90%"]


def test_missed_target_is_red_and_said(summary_book):
    ws = openpyxl.load_workbook(summary_book)["部门指标"]
    # 客服部: judged A1 A2 A4, all replied -> reply rate met; on time 2/3 -> missed
    dept = next(r for r in group_rows(ws) if r["责任部门"] == "客服部")
    row = next(r for r in ws.iter_rows(min_row=3) if r[0].value == "客服部")
    cell = dict(zip(dept, row))
    assert cell["回复率结果"].value == "达标"
    assert cell["回复及时率结果"].value == "未达标"
    assert cell["回复及时率结果"].fill.fgColor.rgb == "FFFFC7CE"
    rate = cell["回复及时率（≥100%）"]
    assert rate.fill.fgColor.rgb == "FFFFC7CE"
    assert rate.number_format == "0.0%"
    assert cell["回复率（≥100%）"].fill.fgColor.rgb != "FFFFC7CE"


def test_kpis_by_month_and_group(summary_book):
    wb = openpyxl.load_workbook(summary_book, data_only=True)
    months = {r["月份"]: r for r in group_rows(wb["月度指标"])}
    assert set(months) == {"2026-02", "2026-03"}
    feb, mar = months["2026-02"], months["2026-03"]
    assert (feb["投诉总数"], feb["应回复数"], feb["回复及时率分子"], feb["回复及时率分母"]) == (2, 2, 1, 2)
    assert feb["回复及时率（≥100%）"] == 0.5
    assert (mar["投诉总数"], mar["应回复数"], mar["回复率分子"]) == (4, 2, 1)
    assert (mar["满意率分子"], mar["满意率分母"], mar["满意率（≥90%）"], mar["满意率结果"]) == \
        (0, 0, None, "无数据")
    channels = {r["渠道"]: r["投诉总数"] for r in group_rows(wb["渠道指标"])}
    assert channels == {"来电": 3, "来访": 1, "网络": 2}
    handlers = {r["处理人"]: r["应回复数"] for r in group_rows(wb["处理人指标"])}
    assert handlers == {"王芳": 3, "李强": 1}
    cats = {r["投诉类别"]: (r["重复投诉率分子"], r["重复投诉率分母"]) for r in group_rows(wb["类别指标"])}
    assert cats == {"服务": (0, 4), "维修质量": (1, 2)}
    # the total row sits below the table, after one blank row
    ws = wb["部门指标"]
    total = [r for r in ws.iter_rows(values_only=True) if r[0] == "合计"]
    assert total and total[0][1] == 6


def test_case_lists_name_the_person_to_act(summary_book):
    wb = openpyxl.load_workbook(summary_book)
    overdue = by_header(wb["逾期清单"])
    assert [r["编号"] for r in overdue] == ["A3", "A4"]   # longest overdue first
    a3, a4 = overdue
    # both clocks overdue: each on its own line, with its own due time and how long over
    assert a3["事项"] == "答复\n结案"
    assert a3["到期时间"] == "2026-03-03 08:00\n2026-03-08 08:00"
    assert a3["逾期时长"] == "7天4小时\n2天4小时"
    assert a3["升级级别"] == 5 and a3["应办人"] == "公司总经理"
    assert a3["责任部门"] == "工程部"
    assert (a4["事项"], a4["逾期时长"], a4["升级级别"], a4["应办人"]) == \
        ("结案", "1天2小时", 2, "部门分管领导")
    soon = by_header(wb["即将到期"])
    assert [(r["编号"], r["剩余时间"], r["应办人"]) for r in soon] == [("A5", "8小时", "李强")]
    repeats = by_header(wb["重复投诉"])
    assert [(r["编号"], r["重复于"], r["答复状态"]) for r in repeats] == [("A6", "A3", "未到期")]
    escalated = {r["编号"]: r for r in by_header(wb["升级清单"])}
    assert list(escalated) == ["A3", "A4", "A6"]   # highest level first
    assert escalated["A6"]["升级级别"] == 1 and escalated["A6"]["升级原因"] == "重复投诉"
    assert escalated["A6"]["最早到期"] is None
    assert escalated["A3"]["升级原因"] == "逾期"


def test_customer_text_is_never_a_formula(summary_book):
    wb = openpyxl.load_workbook(summary_book)
    cell = wb["逾期清单"]["C2"]
    assert cell.value == '=HYPERLINK("http://x")'
    assert cell.data_type in ("s", "inlineStr")
    with zipfile.ZipFile(summary_book) as zf:
        xml = b"".join(zf.read(n) for n in zf.namelist() if "worksheets/" in n)
    assert b"<f>HYPERLINK" not in xml


def test_control_characters_are_kept_as_escapes(summary_book):
    ws = openpyxl.load_workbook(summary_book)["逾期清单"]
    # the register held "_x0001_" (a control character) and "_x0041_" (an "A"); openpyxl
    # does not decode the escape in inline strings, Excel and officebot's reader do
    assert ws["L2"].value == "漏水_x0001_未修 A"


@pytest.mark.parametrize("value, expected", [
    ("a\x00b\x1fc", "a_x0000_b_x001F_c"), ("_x0041_\x07", "_x005F_x0041__x0007_"),
    ("\ud800", "\ufffd"),
    ("tab\tnew\nline", "tab\tnew\nline"),
    ("x" * 40000, "x" * 32766 + "…"),
])
def test_clean_text(value, expected):
    assert clean_text(value) == expected


def test_text_that_looks_like_an_escape_is_escaped():
    assert text_xml("_x0041_ & <b>") == "_x005F_x0041_ &amp; &lt;b&gt;"


@pytest.mark.parametrize("value, expected", [
    (3, "3"), (2.0, "2"), (0.1 + 0.2, "0.30000000000000004"), (True, "1")])
def test_number_text_is_exact(value, expected):
    assert number_text(value) == expected


def test_charts_reference_the_sheet_cells(summary_book):
    wb = openpyxl.load_workbook(summary_book)
    assert len(wb["概览"]._charts) == 2
    with zipfile.ZipFile(summary_book) as zf:
        charts = sorted(n for n in zf.namelist() if n.startswith("xl/charts/"))
        assert len(charts) == 2
        xml = "".join(zf.read(n).decode() for n in charts)
        types = zf.read("[Content_Types].xml").decode()
    assert "'月度指标'!$A$3:$A$4" in xml and "'月度指标'!$B$3:$B$4" in xml
    assert "'月度指标'!$J$3:$J$4" in xml        # on-time reply rate per month
    assert "'部门指标'!$J$3:$J$4" in xml        # on-time reply rate per department
    assert "<c:barDir val=\"bar\"/>" in xml and "<c:lineChart>" in xml
    assert "drawingml.chart+xml" in types


def test_no_charts_when_switched_off(register, tmp_path):
    toml = tmp_path / "officebot.toml"
    toml.write_text("[summary]\ncharts = false\n", encoding="utf-8")
    out = summarise(register(ROWS), tmp_path / "s.xlsx", load_settings(toml))
    wb = openpyxl.load_workbook(out)
    assert all(not ws._charts for ws in wb)


def test_layout_for_a_manager(summary_book):
    wb = openpyxl.load_workbook(summary_book)
    for ws in wb:
        head = 2 if ws.title in GROUP_SHEETS else 1
        assert ws.freeze_panes == f"A{head + 1}", ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith(f"A{head}:"), ws.title
        assert int(ws.page_setup.paperSize) == 9, ws.title
        assert int(ws.page_setup.fitToWidth) == 1, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.print_title_rows == f"$1:${head}", ws.title
        assert ws.column_dimensions["A"].width > 8
    assert wb["月度指标"].page_setup.orientation == "landscape"
    assert wb["逾期清单"].page_setup.orientation == "landscape"
    assert wb["月度指标"].auto_filter.ref == "A2:S4"
    assert wb["概览"]["D2"].number_format == "0.0%"


def test_run_log_keeps_earlier_rows_and_adds_one(register, tmp_path):
    path = register(ROWS)
    first = summarise(path, tmp_path / "one.xlsx")
    previous = read_change_log(first)
    assert len(previous) == 1
    second = summarise(path, tmp_path / "two.xlsx", previous=previous,
                       run_at=D(2026, 3, 11, 8, 0), info={"newly_overdue": [],
                                                          "newly_escalated": [],
                                                          "letters_drafted": 0})
    assert len(read_change_log(second)) == 2
    rows = by_header(openpyxl.load_workbook(second)["运行记录"])
    assert rows[0] == {"运行时间": RUN_AT, "截至时间": AS_OF, "判定案件数": 6, "新增逾期数": 1,
                       "新增逾期编号": "A3", "新增升级数": 2, "新增升级编号": "A3、A6",
                       "起草函件数": 2}
    assert rows[1]["运行时间"] == D(2026, 3, 11, 8, 0)
    assert rows[1]["新增逾期数"] == 0 and rows[1]["新增逾期编号"] is None
    assert read_change_log(tmp_path / "absent.xlsx") == []
    assert read_change_log(path) == []


def test_same_as_of_gives_the_same_sheets_but_the_run_log(register, tmp_path):
    path = register(ROWS)
    settings = load_settings()
    result = check_register(path, settings, AS_OF, ReadOptions(cases="full"))

    def build(run_at):
        pkg = Package(io.BytesIO(minimal_package()), "x.xlsx")
        return build_summary_sheets(result, settings, pkg.styles(), "zh",
                                    {"run_at": run_at, "as_of": AS_OF}, [])

    one, two = build(RUN_AT), build(RUN_AT + dt.timedelta(hours=1))
    assert [s.xml for s in one[:-1]] == [s.xml for s in two[:-1]]
    assert one[-1].xml != two[-1].xml


def test_list_max_rows_cuts_long_lists_and_says_so(register, tmp_path):
    toml = tmp_path / "officebot.toml"
    toml.write_text("[summary]\nlist_max_rows = 1\n", encoding="utf-8")
    rows = [row(f"B{i}", D(2026, 3, 1, i), customer=f"客户{i}", phone=f"1390000000{i}")
            for i in range(3)]
    out = summarise(register(rows), tmp_path / "cut.xlsx", load_settings(toml))
    ws = openpyxl.load_workbook(out)["逾期清单"]
    assert [r["编号"] for r in by_header(ws)] == ["B0"]
    assert ws["A4"].value.startswith("另有 2 件未列出")


@pytest.mark.parametrize("text, key", [
    ("[summary]\nlist_max_rows = 0\n", "summary.list_max_rows"),
    ("[summary]\npaper_size = \"A4\"\n", "summary.paper_size"),
    ("[summary]\nchart_max_categories = 1.5\n", "summary.chart_max_categories"),
])
def test_wrong_summary_settings_name_the_key(tmp_path, text, key):
    toml = tmp_path / "officebot.toml"
    toml.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError, match=key.replace(".", r"\.")):
        summary_settings(load_settings(toml))


def test_empty_register_gives_empty_but_valid_sheets(register, tmp_path):
    out = summarise(register([]), tmp_path / "empty.xlsx")
    wb = openpyxl.load_workbook(out, data_only=True)
    assert by_header(wb["概览"])[0]["分母"] == 0
    assert by_header(wb["概览"])[0]["数值"] in (None, "")
    assert wb["逾期清单"]["A3"].value.startswith("截至 2026-03-10 12:00")


# --- LibreOffice: the workbook opens and its recalculated KPI values agree --------------------
RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode"
 oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def libreoffice_recalculated(path, outdir):
    """Convert ``path`` with headless LibreOffice, forcing a full recalculation on load
    (by default LibreOffice trusts an .xlsx file's cached values and recalculates nothing)."""
    soffice = need_tool("soffice")
    profile = outdir / f"lo-{uuid.uuid4().hex}"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC_ALWAYS, encoding="utf-8")
    env = dict(os.environ, HOME=str(profile))
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(outdir), str(path)],
                   check=True, capture_output=True, timeout=180, env=env)
    converted = outdir / path.name
    assert converted.exists(), "LibreOffice did not write the converted workbook"
    return converted


def rate_cells(path, data_only):
    """{(sheet, cell): value} of every KPI rate cell (the formula cells) of the summary."""
    formulas = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)
    out = {}
    for ws in formulas:
        for r in ws.iter_rows():
            for c in r:
                if isinstance(c.value, str) and c.value.startswith("=IF("):
                    out[(ws.title, c.coordinate)] = values[ws.title][c.coordinate].value
    return out


def test_libreoffice_recalculates_the_same_kpis(register, tmp_path):
    out = summarise(register(ROWS), tmp_path / "summary.xlsx")
    outdir = tmp_path / "lo"
    outdir.mkdir()
    theirs = rate_cells(libreoffice_recalculated(out, outdir), True)
    ours = rate_cells(out, True)
    assert len(ours) > 20
    for key, value in ours.items():
        other = theirs.get(key)
        if value in (None, ""):
            assert other in (None, ""), key
        else:
            assert other == pytest.approx(value, rel=1e-12), key
    wb = openpyxl.load_workbook(outdir / out.name)
    assert wb.sheetnames == [zh for zh, _ in SHEETS.values()]
    assert len(wb["概览"]._charts) == 2


def test_libreoffice_really_recalculates(register, tmp_path):
    out = summarise(register(ROWS), tmp_path / "poisoned.xlsx")
    with zipfile.ZipFile(out) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    needle = b'<f>IF(C2=0,"",B2/C2)</f><v>0.75</v>'
    part = next(n for n, data in parts.items() if needle in data)
    parts[part] = parts[part].replace(needle, b'<f>IF(C2=0,"",B2/C2)</f><v>0.25</v>')
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, data in parts.items():
            zf.writestr(n, data)
    outdir = tmp_path / "lo"
    outdir.mkdir()
    converted = libreoffice_recalculated(out, outdir)
    assert openpyxl.load_workbook(converted, data_only=True)["概览"]["D2"].value == 0.75


def test_the_letters_sheet_and_the_summary_are_no_circle():
    """letters_sheet and sheet_kit import nothing of summary, at module or function level:
    summary stands on them, not the other way round."""
    import ast
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent / "officebot" / "workbook"
    for name in ("letters_sheet.py", "sheet_kit.py", "measure.py"):
        tree = ast.parse((root / name).read_text("utf-8"))
        imported = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                imported.add(node.module or "")
                imported.update(a.name for a in node.names)
            elif isinstance(node, ast.Import):
                imported.update(a.name for a in node.names)
        assert not any("summary" in m for m in imported), (name, imported)


def test_a_received_time_is_never_advised_to_be_left_blank(register, tmp_path):
    rows = [row("B1", "待补录", customer="张三"), row("B2", D(2026, 3, 1, 9), customer="李四",
                                                 replied_at="已电话答复")]
    out = summarise(register(rows), tmp_path / "s.xlsx")
    fixes = {r["列"]: r["改正方法"] for r in by_header(openpyxl.load_workbook(out)["问题行清单"])}
    assert "留空" not in fixes["受理时间"] and "必须填写" in fixes["受理时间"]
    assert "留空" in fixes["答复时间"]   # a reply not made yet may well be blank
