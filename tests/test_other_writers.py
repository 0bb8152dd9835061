"""Registers saved by LibreOffice Calc, the other writer every office has: an openpyxl
register with comments, a data validation, conditional formats (cellIs ones too), a merged
title row, frozen panes, a filter, a hyperlink, a chart and bordered blank cells, re-saved by
LibreOffice through both of its xlsx filters and through .ods. Each must pass the whole
"nothing lost" check (writer_check) and open in LibreOffice again afterwards."""

import datetime as dt
import shutil
import subprocess

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation

import writer_check as wc
from conftest import ZH_HEADERS, need_tool

FILTERS = {"Calc Office Open XML": ("xlsx:Calc Office Open XML",),
           "Calc MS Excel 2007 XML": ("xlsx:Calc MS Excel 2007 XML",),
           "ods then xlsx": ("ods", "xlsx:Calc Office Open XML")}


def featured_register(path):
    """A register with what offices put in theirs, made with openpyxl."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(["2026年投诉登记台账"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(ZH_HEADERS))
    ws.append(ZH_HEADERS)
    for c in ws[2]:
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="DDEBF7")
    base = dt.datetime(2026, 3, 1, 9, 0)
    thin = Side(style="thin")
    for i in range(8):
        ws.append([f"C-{i + 1:03d}", base + dt.timedelta(days=i), "来电", f"客户{i}",
                   f"1380013800{i}", "", "服务", "一般", "=1+1" if i == 2 else "投诉内容",
                   "客服部", "王五", None, None, None, "", 5 + i])
        ws.cell(ws.max_row, 2).number_format = "yyyy-mm-dd hh:mm"
        ws.cell(ws.max_row, 9).data_type = "s"  # customer text, not a formula
        ws.cell(ws.max_row, 17).border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws["C3"].comment = Comment("来电记录", "office")
    dv = DataValidation(type="list", formula1='"一般,严重,危机"', allow_blank=True)
    ws.add_data_validation(dv)
    dv.add("H3:H100")
    red = PatternFill("solid", bgColor="FF0000")
    ws.conditional_formatting.add("P3:P100", CellIsRule(operator="greaterThan", formula=["8"],
                                                         fill=red))
    ws.conditional_formatting.add("P3:P100", CellIsRule(operator="between",
                                                         formula=["$P$3", "10"], fill=red))
    ws.conditional_formatting.add("H3:H100", FormulaRule(formula=['H3="危机"'], fill=red))
    ws.freeze_panes = "C3"
    ws.auto_filter.ref = "A2:P10"
    ws.column_dimensions["I"].width = 30
    ws.cell(3, 9).hyperlink = "https://example.com/c1"
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=16, min_row=2, max_row=10), titles_from_data=True)
    ws.add_chart(chart, "S2")
    wb.create_sheet("说明")["A1"] = "notes"
    wb.save(path)
    return path


def convert(soffice, source, target_filter, out, profile):
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", target_filter, "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=180)
    ext = target_filter.split(":")[0]
    made = out / f"{source.stem}.{ext}"
    assert made.exists(), f"LibreOffice did not write {made}"
    return made


@pytest.fixture(scope="module")
def saved_by_libreoffice(tmp_path_factory):
    """name -> the register as LibreOffice saved it, then run twice by officebot."""
    soffice = need_tool("soffice")
    tmp = tmp_path_factory.mktemp("lo")
    source = featured_register(tmp / "register.xlsx")
    out = {}
    for i, (name, steps) in enumerate(FILTERS.items()):
        current = source
        for j, step in enumerate(steps):
            current = convert(soffice, current, step, tmp / f"conv{i}_{j}", tmp / "profile")
        folder = tmp / f"run{i}"
        folder.mkdir()
        path = folder / f"register{i}.xlsx"
        shutil.copyfile(current, path)
        # one of them with letters drafted too, so the letters column must also hold still
        out[name] = wc.run_twice(path, "台账", letters=i == 0)
    return out


@pytest.mark.parametrize("name", list(FILTERS))
def test_libreoffice_register_keeps_everything(saved_by_libreoffice, name):
    runs = saved_by_libreoffice[name]
    # LibreOffice really wrote these: its shared strings, comments and chart are there
    assert any(n.endswith("sharedStrings.xml") for n in runs.before)
    assert any("comments" in n for n in runs.before)
    wc.check_all(runs)


def test_libreoffice_opens_what_officebot_wrote(saved_by_libreoffice, tmp_path):
    wc.libreoffice_opens(need_tool("soffice"), [r.path for r in saved_by_libreoffice.values()],
                         tmp_path)
