import datetime as dt
import re
import zipfile

import openpyxl
import pytest
import xlsxwriter

from conftest import ZH_HEADERS, row, write_register
from officebot.errors import RegisterError
from officebot.register import read_cases
from officebot.settings import load_settings

D = dt.datetime


def settings_with(tmp_path, text):
    path = tmp_path / "officebot.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(path)


def read(path, settings=None, **kw):
    return read_cases(path, settings or load_settings(), **kw)


def test_header_below_title_rows_on_a_later_sheet(register):
    path = register([row("C1", "2026-03-05 14:20")], before_sheets=["填表说明"])
    layout, cases, problems, _ = read(path)
    assert layout.sheet.name == "台账"
    assert layout.header_row == 2
    assert layout.language == "zh"
    assert [c.case_id for c in cases] == ["C1"]
    assert cases[0].received_at == D(2026, 3, 5, 14, 20)
    assert cases[0].row == 3
    assert problems == []


@pytest.mark.parametrize("case_header, received_header", [
    ("投诉编号", "投诉时间"), ("工单号", "登记时间"), ("单号", "来电时间"), ("编号", "投诉日期"),
    ("Case No.", "Received"), ("case no.", "RECEIVED"), ("ＩＤ", "Ｒｅｃｅｉｖｅｄ"),
    (" 编 号 ", "受理\n时间"), ("Case No", "received"), ("投诉编号*", "受理时间（必填）"),
    ("编号：", "Received (date)"),
])
def test_header_aliases(tmp_path, case_header, received_header):
    path = write_register(tmp_path / "r.xlsx", [row("C1", "2026/3/5")],
                          headers=[case_header, received_header], title=None)
    layout, cases, _, _ = read(path)
    assert layout.columns["case_id"] == 1 and layout.columns["received_at"] == 2
    assert cases[0].case_id == "C1"


def test_english_register_language(tmp_path):
    headers = ["Case No.", "Received", "Customer", "Phone", "Category", "Replied", "Closed"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(headers)
    ws.append(["E1", D(2026, 3, 1), "Ann", "+86 138 0013 8000", "Service", None, None])
    wb.save(tmp_path / "en.xlsx")
    layout, cases, _, _ = read(tmp_path / "en.xlsx")
    assert layout.language == "en"
    assert cases[0].identity == "tel:13800138000"


def test_explicit_column_map_and_sheet(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "其他"
    wb.active.append(["编号", "受理时间"])  # a decoy the sheet setting skips
    ws = wb.create_sheet("台账")
    ws.append(["单据", "收件日", "备注"])
    ws.append(["X1", "2026-03-05", "备注不是字段"])
    wb.save(tmp_path / "r.xlsx")
    s = settings_with(tmp_path, '[register]\nsheet = "台账"\n[columns]\ncase_id = "单据"\n'
                                'received_at = "收件日"\n')
    layout, cases, _, _ = read(tmp_path / "r.xlsx", s)
    assert layout.sheet.name == "台账"
    assert cases[0].case_id == "X1" and cases[0].received_at == D(2026, 3, 5)


def test_header_beyond_row_30_is_not_found(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for _ in range(30):
        ws.append(["说明文字"])
    ws.append(["编号", "受理时间"])
    ws.append(["C1", "2026-03-05"])
    wb.save(tmp_path / "r.xlsx")
    with pytest.raises(RegisterError, match="first 30 rows"):
        read(tmp_path / "r.xlsx")


def test_missing_required_column_names_it(tmp_path):
    write_register(tmp_path / "r.xlsx", [row("C1", None)], headers=["编号", "客户姓名"])
    with pytest.raises(RegisterError) as err:
        read(tmp_path / "r.xlsx")
    assert "受理时间" in str(err.value) and "[columns]" in str(err.value)


def test_problem_rows_are_reported_and_left_out(register):
    path = register([
        row("C1", "2026-03-05 14:20"),
        None,                                    # blank row: skipped silently
        row("C1", "2026-03-06"),                 # duplicate: the later row is the problem
        row(None, "2026-03-06", customer="张三"),  # blank id
        row("C3", None, customer="李四"),          # blank received
        row("C4", "待补录"),                        # unreadable received
        row("C5", "2026-03-05", replied_at="昨天"),
        row("C6", "2026-03-05", closed_at="2026-02-30"),
        row("C7", "2026-03-05", first_contact_at="尽快"),
        row("C8", "2026-03-05"),
    ])
    _, cases, problems, _ = read(path)
    assert [c.case_id for c in cases] == ["C1", "C8"]
    got = [(p.row, p.column) for p in problems]
    assert got == [(5, "编号"), (6, "编号"), (7, "受理时间"), (8, "受理时间"), (9, "答复时间"),
                   (10, "结案时间"), (11, "首次联系时间")]
    assert "第 3 行" in problems[0].message
    assert "待补录" in problems[3].message
    assert all(p.sheet == "台账" for p in problems)


def test_times_typed_as_text_are_read_alike_each_time_they_repeat(register):
    # Each distinct text is parsed once a read: the second 待补录 is reported as the first,
    # and the second 2026/3/5 reads as the first.
    path = register([row("C1", "2026/3/5"), row("C2", "待补录"), row("C3", "2026/3/5"),
                     row("C4", "待补录"), row("C5", "2026/3/5", replied_at="待补录")])
    _, cases, problems, _ = read(path)
    assert [(c.case_id, c.received_at) for c in cases] == [
        ("C1", D(2026, 3, 5)), ("C3", D(2026, 3, 5))]
    assert [(p.row, p.column, p.kind) for p in problems] == [
        (4, "受理时间", "bad_time"), (6, "受理时间", "bad_time"), (7, "答复时间", "bad_time")]
    assert all("待补录" in p.message for p in problems)


def test_first_row_keeps_a_duplicated_id_even_when_it_is_itself_a_problem(register):
    path = register([row("C1", "待补录"), row("C1", "2026-03-05")])
    _, cases, problems, _ = read(path)
    assert cases == []
    assert [(p.row, p.column) for p in problems] == [(3, "受理时间"), (4, "编号")]


def test_english_messages(tmp_path, register):
    s = settings_with(tmp_path, 'language = "en"\n')
    _, _, problems, _ = read(register([row(None, "2026-03-05")]), s)
    assert problems[0].message == "case number is blank"


def test_values_of_every_kind(register):
    path = register([
        row(1001, D(2026, 3, 5, 14, 20), phone=13800138000, email="A@X.cn", category="服务类",
            severity=None, summary="=1+1 第一行\n第二行 😀", satisfaction=8, customer=" 王五 "),
        row(1002.0, dt.date(2026, 3, 5), phone=1.3800138e10, severity="危机",
            replied_at=46087.25, closed_at="2026年3月7日 9:30", satisfaction="满意"),
    ])
    _, cases, problems, _ = read(path, text_fields=True)
    assert problems == []
    a, b = cases
    assert (a.case_id, b.case_id) == ("1001", "1002")
    assert a.identity == b.identity == "tel:13800138000"
    assert a.phone == "13800138000" and a.email == "A@X.cn" and a.customer == "王五"
    assert a.severity == "一般" and b.severity == "危机"
    assert a.summary == "=1+1 第一行\n第二行 😀"
    assert b.received_at == D(2026, 3, 5)
    assert b.replied_at == D(2026, 3, 6, 6, 0)
    assert b.closed_at == D(2026, 3, 7, 9, 30)
    assert a.satisfaction == 8 and b.satisfaction == "满意"


def test_long_texts_are_loaded_only_when_asked(register):
    path = register([row("C1", "2026-03-05", summary="很长的投诉内容", resolution="已退款",
                         phone="13800138000")])
    _, light, _, _ = read(path)
    _, full, _, _ = read(path, text_fields=True)
    assert light[0].summary == "" and light[0].resolution == "" and light[0].phone == ""
    assert light[0].identity == "tel:13800138000"
    assert full[0].summary == "很长的投诉内容" and full[0].resolution == "已退款"


def test_only_rows(register):
    path = register([row("C1", "2026-03-05"), row("C2", "2026-03-06"), row(None, "x")])
    _, cases, problems, _ = read(path, only_rows={4, 5})
    assert [c.case_id for c in cases] == ["C2"]
    assert {p.row for p in problems} == {5}
    _, cases, problems, _ = read(path, only_rows={3})
    assert [c.case_id for c in cases] == ["C1"] and problems == []


def test_officebot_status_columns_and_unknown_columns_are_ignored(tmp_path):
    headers = ["编号", "受理时间", "备注", "答复状态", "答复期限", "升级级别"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(headers)
    ws.append(["C1", "2026-03-05", "随便写", "已逾期", "not a date", 3])
    wb.save(tmp_path / "r.xlsx")
    layout, cases, problems, _ = read(tmp_path / "r.xlsx")
    assert set(layout.columns) == {"case_id", "received_at"}
    assert len(cases) == 1 and problems == []


def test_1904_workbook(tmp_path):
    path = write_register(tmp_path / "r.xlsx", [row("C1", D(2026, 3, 5, 8, 0))], date1904=True)
    with zipfile.ZipFile(path) as zf:
        assert b'date1904="1"' in zf.read("xl/workbook.xml")
    _, cases, _, date1904 = read(path)
    assert date1904 and cases[0].received_at == D(2026, 3, 5, 8, 0)


def _xlsxwriter_register(path, constant_memory):
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": constant_memory})
    ws = wb.add_worksheet("台账")
    fmt = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    ws.write_row(0, 0, ZH_HEADERS)
    ws.write_string(1, 0, "A&B<1>")
    ws.write_datetime(1, 1, D(2026, 3, 5, 14, 20), fmt)
    ws.write_string(1, 3, "客户 _x000D_ 甲")
    ws.write_number(1, 4, 13800138000)
    ws.write_formula(1, 8, '="=SUM"&"(1)"', None, "=SUM(1)")
    ws.write_rich_string(1, 9, wb.add_format({"bold": True}), "客服", "部")
    ws.write_string(2, 0, "A2")
    ws.write_string(2, 1, "2026/3/6")
    wb.close()
    return path


@pytest.mark.parametrize("constant_memory", [False, True])
def test_shared_and_inline_strings_rich_text_and_formulas(tmp_path, constant_memory):
    path = _xlsxwriter_register(tmp_path / "x.xlsx", constant_memory)
    _, cases, problems, _ = read(path, text_fields=True)
    assert problems == []
    a, b = cases
    assert a.case_id == "A&B<1>"
    assert a.received_at == D(2026, 3, 5, 14, 20)
    assert a.customer == "客户 _x000D_ 甲"  # written escaped as _x005F_x000D_, read back as typed
    assert a.summary == "=SUM(1)"
    assert a.department == "客服部"
    assert b.received_at == D(2026, 3, 6)


def test_prefixed_namespace_parts_use_the_general_scan(tmp_path, register):
    path = register([row("C1", "2026-03-05 14:20", customer="张三"), row("C2", 46087.5)])
    out = tmp_path / "prefixed.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if (item.filename.startswith("xl/worksheets/sheet")
                    or item.filename == "xl/sharedStrings.xml"):
                text = data.decode("utf-8")
                text = re.sub(r"<(/?)(?!\?)([A-Za-z]+)([\s>/])", r"<\1x:\2\3", text)
                text = text.replace('xmlns="', 'xmlns:x="')
                data = text.encode("utf-8")
            dst.writestr(item, data)
    _, cases, _, _ = read(out)
    assert [(c.case_id, c.received_at, c.customer) for c in cases] == [
        ("C1", D(2026, 3, 5, 14, 20), "张三"), ("C2", D(2026, 3, 6, 12, 0), "")]


@pytest.mark.parametrize("name, content, words", [
    ("r.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old .xls"),
    ("r.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le"),
     "password-protected"),
    ("r.xlsx", b"PK\x03\x04 this is not really a zip", "damaged"),
    ("r.csv", b"a,b\n1,2\n", "not an Excel workbook"),
    ("r.xlsx", b"", "damaged"),
])
def test_unusable_files(tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(RegisterError, match=words):
        read(path)


def test_missing_file(tmp_path):
    with pytest.raises(RegisterError, match="does not exist"):
        read(tmp_path / "nope.xlsx")


def test_truncated_sheet_is_damaged(tmp_path, register):
    path = register([row(f"C{i}", "2026-03-05") for i in range(200)])
    out = tmp_path / "cut.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = data[: len(data) // 2]
            dst.writestr(item, data)
    # a sheet cut short still yields its complete rows; it must not crash
    _, cases, _, _ = read(out)
    assert 0 < len(cases) < 200


@pytest.mark.parametrize("block", [1, 3, 5, 7, 64])
def test_shared_strings_split_across_blocks(tmp_path, monkeypatch, block):
    """Items and tags cut at any byte between two decompressed blocks are still found."""
    import officebot.package
    path = _xlsxwriter_register(tmp_path / "x.xlsx", constant_memory=False)
    _, expected, _, _ = read(path, text_fields=True)
    monkeypatch.setattr(officebot.package, "SST_BLOCK", block)
    _, cases, _, _ = read(path, text_fields=True)
    assert cases == expected and cases[0].case_id == "A&B<1>"


@pytest.mark.parametrize("when, date1904", [
    (dt.datetime(2026, 3, 5, 14, 20, 36), False), (dt.datetime(2026, 3, 5, 14, 20, 36), True),
    (dt.datetime(1900, 3, 1), False), (dt.datetime(9999, 12, 31), False),
    (dt.datetime(1904, 1, 1), True), (dt.datetime(2026, 1, 1, 0, 0, 0, 499999), False)])
def test_one_serial_each_way(when, date1904):
    """values.to_serial (what the writers write) and serial_to_datetime (what the reader
    reads) are each other's inverse, to the second."""
    from officebot.values import serial_to_datetime, to_serial
    assert serial_to_datetime(to_serial(when, date1904), date1904) == when.replace(microsecond=0)
    assert to_serial(when.date(), date1904) == to_serial(
        dt.datetime(when.year, when.month, when.day), date1904)
