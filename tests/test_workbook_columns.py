"""Status columns: values, languages, moved columns, stale cells, text safety, rules."""

import datetime as dt
import re
import zipfile

import openpyxl
import pytest

from conftest import AS_OF, row
from officebot.batch import run_batch
from officebot.errors import SettingsError
from officebot.settings import load_settings
from officebot.workbook.statusrows import note_text
from officebot.workbook.sheetxml import text_xml

T0 = dt.datetime(2026, 3, 1, 9, 0)
EN_HEADERS = ["Case No.", "Received", "Channel", "Customer", "Phone", "Email", "Category",
              "Severity", "Complaint", "Department", "Handler", "First contact", "Replied",
              "Closed", "Resolution", "Satisfaction"]


def rows():
    return [
        row("C-001", T0, customer="张三", phone="13800138000", category="服务"),         # overdue
        row("C-002", AS_OF - dt.timedelta(hours=40), customer="李四", phone="13900000000",
            category="产品质量", summary="=1+1"),                                        # due soon
        row("C-003", T0 + dt.timedelta(days=5), customer="张三", phone="13800138000",
            category="服务类", replied_at=T0 + dt.timedelta(days=5, hours=1)),          # repeat
        None,
        row("", T0),                                                                   # problem
        row("C-006", T0, customer="王五", summary="+86 @home -x",
            closed_at=T0 + dt.timedelta(days=1)),
    ]


def run(path, **kw):
    return run_batch(path, load_settings(), AS_OF, letters=False, **kw)


def sheet_rows(path, sheet="台账"):
    ws = openpyxl.load_workbook(path)[sheet]
    header = [c.value for c in ws[2]]
    return header, {r[0].row: {h: c.value for h, c in zip(header, r)}
                    for r in ws.iter_rows(min_row=3)}


def sheet_xml(path, part="xl/worksheets/sheet1.xml"):
    with zipfile.ZipFile(path) as zf:
        return zf.read(part)


def test_status_values_in_chinese(register):
    path = register(rows())
    out = run(path)
    header, data = sheet_rows(path)
    assert header[16:] == ["答复期限", "结案期限", "答复状态", "结案状态", "重复投诉原件", "升级级别",
                           "升级责任人", "函件文件", "officebot备注", "函件发送"]
    c1, c2, c3 = data[3], data[4], data[5]
    assert c1["答复期限"] == T0 + dt.timedelta(hours=48)
    assert c1["结案期限"] == T0 + dt.timedelta(days=7)
    assert (c1["答复状态"], c1["结案状态"]) == ("已逾期", "已逾期")
    assert c1["officebot备注"].startswith("答复已逾期")
    assert c2["答复状态"] == "即将到期" and c2["officebot备注"] == "答复还有8小时到期"
    assert c3["重复投诉原件"] == "C-001" and c3["答复状态"] == "按时完成"
    assert c3["升级级别"] >= 1
    assert out.newly_overdue == ["C-001"]
    assert "C-001" in out.newly_escalated


def test_dates_are_real_date_cells_with_a_date_format(register):
    path = register(rows())
    run(path)
    ws = openpyxl.load_workbook(path)["台账"]
    cell = ws.cell(3, 17)
    assert cell.is_date and "yy" in cell.number_format


def test_problem_rows_get_only_a_note_saying_what_is_wrong(register):
    path = register(rows())
    run(path)
    _, data = sheet_rows(path)
    assert all(data[6][h] is None for h in ("答复期限", "答复状态", "officebot备注"))  # blank row
    assert data[7]["答复期限"] is None and data[7]["答复状态"] is None
    assert data[7]["officebot备注"] == "编号：编号为空"
    ws = openpyxl.load_workbook(path)["台账"]
    note = ws.cell(7, 25)
    assert note.fill.fgColor.rgb == "FFF4B084" and note.alignment.wrap_text


def test_text_that_looks_like_a_formula_stays_text(register):
    data = rows()
    data[0]["case_id"] = "=A1"  # a case id typed with a leading "=" (office text)
    path = register(data)
    wb = openpyxl.load_workbook(path)
    for ref in ("A3", "I4"):  # the fixture wrote them as formulas: make them text again
        value = wb["台账"][ref].value
        wb["台账"][ref].value = value
        wb["台账"][ref].data_type = "s"
    wb.save(path)
    run(path)
    assert b"<f>" not in sheet_xml(path)
    ws = openpyxl.load_workbook(path)["台账"]
    assert (ws["I4"].value, ws["I4"].data_type) == ("=1+1", "s")
    assert ws["U5"].value == "=A1" and ws["U5"].data_type == "s"  # repeat of =A1, as text


@pytest.mark.parametrize("text, expected", [
    ("a\x07b", "a_x0007_b"), ("=1+1", "=1+1"), ("_x0041_", "_x005F_x0041_"), ("ok", "ok"),
    ("\ud800x", "\ufffdx"), ("A&B <注意>", "A&amp;B &lt;注意&gt;"),
])
def test_cell_text(text, expected):
    assert text_xml(text) == expected


@pytest.mark.parametrize("hours_left, expected", [
    (5.5, "答复还有5小时到期"), (-49, "答复已逾期2天1小时"), (0.5, "答复还有不到1小时到期"),
    (72, "答复还有3天到期"), (-3, "答复已逾期3小时"), (-30, "答复已逾期30小时"),
    (-200, "答复已逾期8天8小时"),
])
def test_note_text(hours_left, expected):
    class J:
        closed_at = None
        replied_at = None
        reply_due = AS_OF + dt.timedelta(hours=hours_left)
        close_due = AS_OF + dt.timedelta(days=7)
    assert note_text(J, AS_OF, "zh", 48) == expected
    assert note_text(J, AS_OF, "en", 48).startswith("reply ")


def test_note_names_both_clocks_when_both_are_overdue():
    class J:
        closed_at = None
        replied_at = None
        reply_due = AS_OF - dt.timedelta(hours=200)
        close_due = AS_OF - dt.timedelta(hours=80)
    assert note_text(J, AS_OF, "zh", 48) == "答复已逾期8天8小时，结案已逾期3天8小时"
    assert note_text(J, AS_OF, "en", 48) == "reply overdue 8 d 8 h; close overdue 3 d 8 h"


def test_english_register_gets_english_columns_and_words(register):
    path = register(rows(), headers=EN_HEADERS)
    run(path)
    header, data = sheet_rows(path)
    assert header[16:19] == ["Reply due", "Close due", "Reply status"]
    assert data[3]["Reply status"] == "Overdue"
    assert data[3]["officebot note"].startswith("reply overdue")


def test_moved_columns_are_found_and_updated_in_place(register):
    path = register(rows())
    run(path)
    wb = openpyxl.load_workbook(path)
    ws = wb["台账"]
    # A manager moves "答复状态" to column Z and hides it; stale values are left in it.
    for r in range(2, 9):
        ws.cell(r, 26).value = ws.cell(r, 19).value
        ws.cell(r, 19).value = None
    ws.cell(3, 26).value = "按时"  # stale: officebot must overwrite, never read as input
    ws.column_dimensions["Z"].hidden = True
    for name in [n for n in wb.sheetnames if n != "台账"]:
        del wb[name]
    wb.save(path)
    out = run(path)
    header, data = sheet_rows(path)
    assert header.count("答复状态") == 1 and header[25] == "答复状态"
    assert data[3]["答复状态"] == "已逾期"
    assert out.newly_overdue == []  # close status was already overdue before
    assert openpyxl.load_workbook(path)["台账"].column_dimensions["Z"].hidden


def test_stale_status_cells_of_rows_that_became_problems_are_cleared(register, tmp_path):
    path = register(rows())
    run(path)
    wb = openpyxl.load_workbook(path)
    ws = wb["台账"]
    ws["A3"] = None  # C-001 loses its id: now a problem row
    for name in [n for n in wb.sheetnames if n != "台账"]:
        del wb[name]
    wb.save(path)
    run(path)
    _, data = sheet_rows(path)
    assert data[3]["答复状态"] is None and data[3]["答复期限"] is None
    assert data[3]["officebot备注"] == "编号：编号为空"


def test_conditional_rules_added_once_and_office_rules_kept(register):
    path = register(rows())
    wb = openpyxl.load_workbook(path)
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import PatternFill
    wb["台账"].conditional_formatting.add(
        "H3:H100", CellIsRule(operator="equal", formula=['"严重"'],
                              fill=PatternFill("solid", fgColor="FF0000")))
    wb.save(path)
    run(path)
    run(path)
    xml = sheet_xml(path)
    assert xml.count(b'N("officebot")') == 5
    assert b'sqref="H3:H100"' in xml
    priorities = re.findall(rb'priority="(\d+)"', xml)
    assert len(priorities) == len(set(priorities))


def test_dimension_covers_the_status_columns(register):
    path = register(rows())
    run(path)
    dim = re.search(rb'<dimension ref="([^"]+)"', sheet_xml(path)).group(1)
    assert dim.endswith(b"Z8")


def test_cells_stay_in_column_order(register):
    path = register(rows())
    run(path)
    for row_xml in re.findall(rb"<row [^>]*>(.*?)</row>", sheet_xml(path)):
        cols = [openpyxl.utils.column_index_from_string(c)
                for c in re.findall(rb'<c r="([A-Z]+)\d+"', row_xml)
                for c in [c.decode()]]
        assert cols == sorted(cols) and len(cols) == len(set(cols))


def test_wrong_status_column_setting_names_the_key(register, tmp_path):
    path = register(rows())
    settings_file = tmp_path / "officebot.toml"
    settings_file.write_text('[status_columns]\noverdue_fill = "red"\n', encoding="utf-8")
    try:
        settings = load_settings(settings_file)
    except SettingsError as exc:  # rejected while loading: fine as long as the key is named
        assert "overdue_fill" in str(exc)
        return
    with pytest.raises(SettingsError, match="overdue_fill"):
        run_batch(path, settings, AS_OF, letters=False)


def test_new_status_columns_get_widths_and_office_widths_stay(register):
    path = register(rows())
    wb = openpyxl.load_workbook(path)
    wb["台账"].column_dimensions["B"].width = 21  # the office's own width
    wb.save(path)
    run(path)
    ws = openpyxl.load_workbook(path)["台账"]
    header = [c.value for c in ws[2]]
    letter = {h: openpyxl.utils.get_column_letter(i + 1) for i, h in enumerate(header)}
    assert ws.column_dimensions["B"].width == 21
    assert ws.column_dimensions[letter["答复期限"]].width == 17  # wide enough for a due time
    assert ws.column_dimensions[letter["函件文件"]].width == 40
    # a width the manager chose later is kept by the next run
    wb = openpyxl.load_workbook(path)
    wb["台账"].column_dimensions[letter["答复期限"]].width = 25
    wb.save(path)
    run(path)
    ws = openpyxl.load_workbook(path)["台账"]
    assert ws.column_dimensions[letter["答复期限"]].width == 25


def test_widths_come_with_a_new_cols_element_when_the_sheet_has_none(register):
    path = register(rows())
    assert b"<cols>" not in sheet_xml(path)
    run(path)
    xml = sheet_xml(path)
    cols = re.search(rb"<cols>(.*?)</cols>", xml).group(1)
    assert xml.index(b"<cols>") < xml.index(b"<sheetData")
    mins = [int(m) for m in re.findall(rb'min="(\d+)"', cols)]
    assert mins == sorted(mins) and mins[0] == 17  # right of the office's 16 columns


def test_status_headers_look_like_the_office_header_row(register):
    from openpyxl.styles import Border, Font, PatternFill, Side
    path = register(rows())
    wb = openpyxl.load_workbook(path)
    ws = wb["台账"]
    thin = Side(style="thin", color="FF000000")
    for c in ws[2]:
        c.fill = PatternFill("solid", fgColor="FFDDEBF7")
        c.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        c.font = Font(bold=True, color="FF1F4E78")
    wb.save(path)
    run(path)
    ws = openpyxl.load_workbook(path)["台账"]
    office, ours = ws.cell(2, 1), ws.cell(2, 17)
    assert ours.value == "答复期限"
    assert ours.fill.fgColor.rgb == "FFDDEBF7" and ours.border.left.style == "thin"
    assert ours.font.b and ours.font.color.rgb == "FF1F4E78"
    assert ours.alignment.wrap_text and office.value == "编号"


def test_the_office_autofilter_is_widened_and_keeps_its_criteria(register):
    path = register(rows())
    wb = openpyxl.load_workbook(path)
    ws = wb["台账"]
    ws.auto_filter.ref = "A2:P8"
    ws.auto_filter.add_filter_column(6, ["服务"])
    wb.save(path)
    run(path)
    run(path)
    ws = openpyxl.load_workbook(path)["台账"]
    assert ws.auto_filter.ref == "A2:Z8"
    assert ws.auto_filter.filterColumn[0].colId == 6
    assert ws.auto_filter.filterColumn[0].filters.filter == ["服务"]


def test_letter_file_names_wrap_in_a_wide_column(register, tmp_path):
    from officebot.check import ReadOptions, check_register
    from officebot.workbook.columns import StatusWriter
    from officebot.workbook.package import Package
    path = register(rows())
    settings = load_settings()
    result = check_register(path, settings, AS_OF, ReadOptions(cases="rules"))
    names = ["C-001_答复函_张三_20260310.docx", "C-001_致歉函_张三_20260310.docx"]
    out = tmp_path / "out.xlsx"
    with Package(path) as pkg:
        writer = StatusWriter(pkg, result, settings, {3: names})
        pkg.stream(result.sheet_part, writer)
        pkg.save(out)
    ws = openpyxl.load_workbook(out)["台账"]
    letters = ws.cell(3, 24)
    assert ws.cell(2, 24).value == "函件文件"
    assert letters.value == "; ".join(names) and letters.alignment.wrap_text
    assert ws.column_dimensions["X"].width == 40


def test_status_columns_are_as_wide_as_their_words_in_each_language():
    from officebot.workbook.columns import status_widths
    from officebot.workbook.measure import text_width
    en, zh = status_widths("en"), status_widths("zh")
    assert en["escalate_to"] > text_width("deputy general manager")
    assert en["escalation"] > text_width("Escalation level", bold=True)
    assert en["reply_status"] > text_width("Reply status", bold=True)
    assert zh["reply_status"] >= 11 and zh["escalate_to"] > text_width("公司分管副总经理")
    sent = "letter on your complaint sent 2026-12-03 12:22 sam.taylor@example.com"
    assert status_widths("en", mailed=[sent])["mailed"] > text_width(sent)
    note = "Received: cannot read this time: to be entered as soon as known"
    assert status_widths("en", notes=[note])["note"] > text_width(note)


@pytest.mark.parametrize("method, zh, en", [
    ("_no_cells", "台账.xlsx：登记表中没有单元格数据；请在 Excel 中重新保存后再运行",
     "台账.xlsx: the register sheet has no cell data; re-save it in Excel and run again"),
    ("_unreadable", "台账.xlsx：登记表中有一行 officebot 无法读取；请在 Excel 中重新保存后再运行",
     "台账.xlsx: the register sheet has a row officebot cannot read; re-save it in Excel and "
     "run again")])
def test_a_sheet_the_writer_cannot_read_is_said_in_both_languages(method, zh, en):
    from types import SimpleNamespace
    from officebot.errors import RegisterError
    from officebot.workbook.columns import StatusWriter
    writer = SimpleNamespace(pkg=SimpleNamespace(label="台账.xlsx"))
    with pytest.raises(RegisterError) as caught:
        getattr(StatusWriter, method)(writer)
    assert caught.value.text("zh") == f"{zh}（{en}）"
    assert caught.value.text("en") == en
