"""`officebot run` keeps every part of the package it does not own byte for byte."""

import datetime as dt
import re
import zipfile

import openpyxl
import pytest
import xlsxwriter

from conftest import AS_OF, ZH_HEADERS
from officebot.batch import run_batch
from officebot.settings import load_settings

# Parts officebot may rewrite; everything else must come back byte for byte.
OWNED = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
         "xl/styles.xml"}
OWN_PREFIXES = ("xl/worksheets/sheet_ob", "xl/worksheets/_rels/sheet_ob", "xl/drawings/drawing_ob",
                "xl/drawings/_rels/drawing_ob", "xl/charts/chart_ob", "xl/charts/_rels/chart_ob")

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000" "1f15c489"
    "0000000d49444154789c6360f8cfc0000003010100c9fe92ef0000000049454e44ae426082")
PIVOT_CACHE = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               b'<pivotCacheDefinition xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
               b'2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
               b'relationships" r:id="rId1" recordCount="2"><cacheSource type="worksheet">'
               b'<worksheetSource ref="A2:B4" sheet="\xe5\x8f\xb0\xe8\xb4\xa6"/></cacheSource>'
               b'<cacheFields count="1"><cacheField name="x" numFmtId="0"><sharedItems/>'
               b'</cacheField></cacheFields></pivotCacheDefinition>')
PIVOT_RECORDS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 b'<pivotCacheRecords xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                 b'2006/main" count="0"/>')
PIVOT_TABLE = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               b'<pivotTableDefinition xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
               b'2006/main" name="PivotTable1" cacheId="7" dataCaption="Values">'
               b'<location ref="A3:B5" firstHeaderRow="1" firstDataRow="1" firstDataCol="1"/>'
               b'<pivotFields count="1"><pivotField showAll="0"/></pivotFields>'
               b'</pivotTableDefinition>')
RICH_VALUE = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              b'<rvData xmlns="http://schemas.microsoft.com/office/spreadsheetml/2017/richdata" '
              b'count="1"><rv s="0"><v>0</v><v>5</v></rv></rvData>')
RICH_REL = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<richValueRels xmlns="http://schemas.microsoft.com/office/spreadsheetml/2022/'
            b'richvaluerel" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships"><rel r:id="rId1"/></richValueRels>')
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def rows_for(n=6):
    base = dt.datetime(2026, 3, 1, 9, 0)
    out = []
    for i in range(n):
        out.append([f"C-{i + 1:03d}", base + dt.timedelta(days=i, hours=i), "来电", f"客户{i}",
                    "1380013800%d" % i, "", "服务", "一般", "=1+1" if i == 2 else "投诉内容",
                    "客服部", "王五", None, None, None, "", ""])
    return out


def build_featured(path, vba=None):
    """A register made with XlsxWriter holding every feature a workbook can carry."""
    wb = xlsxwriter.Workbook(str(path))
    if vba:
        wb.add_vba_project(str(vba))
    ws = wb.add_worksheet("台账")
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7"})
    date = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    ws.merge_range(0, 0, 0, len(ZH_HEADERS) - 1, "2026年投诉登记台账", bold)
    ws.write_row(1, 0, ZH_HEADERS, bold)
    for r, values in enumerate(rows_for(), start=2):
        for c, v in enumerate(values):
            if isinstance(v, dt.datetime):
                ws.write_datetime(r, c, v, date)
            elif v is not None:
                ws.write_string(r, c, v)
    ws.write_formula("Q1", "=SUM(1,549)", None, 550)  # a cached formula value
    ws.set_column(0, 0, 12)
    ws.set_column(8, 8, 40)
    ws.freeze_panes(2, 1)
    ws.autofilter(1, 0, 7, len(ZH_HEADERS) - 1)
    ws.data_validation(2, 2, 200, 2, {"validate": "list", "source": ["来电", "来访", "网络"]})
    ws.conditional_format(2, 7, 200, 7, {"type": "cell", "criteria": "==", "value": '"严重"',
                                         "format": bold})
    ws.conditional_format(2, 11, 50, 11, {"type": "data_bar", "data_bar_2010": True})
    ws.write_comment("A3", "首问负责人：王五")
    ws.write_url("D3", "https://example.com/case/1", string="客户0")
    ws.set_header("&L&G", {"image_left": str(path.with_name("logo.png"))})
    ws.set_landscape()
    ws.set_paper(9)
    ws.repeat_rows(1)
    ws.insert_image("S3", str(path.with_name("logo.png")))
    ws.insert_textbox("S10", "请每天下班前更新台账")
    ws.write_formula("P9", "=1+2", None, 3)
    other = wb.add_worksheet("说明")
    other.write("A1", "手工表")
    other.add_table("A3:C6", {"columns": [{"header": "部门"}, {"header": "人"},
                                          {"header": "电话"}]})
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": "='说明'!$A$4:$A$6"})
    other.insert_chart("E2", chart)
    other.add_sparkline("D4", {"range": "'说明'!A4:C4"})
    wb.define_name("部门列表", "='说明'!$A$4:$A$6")
    wb.define_name("'说明'!本地名", "='说明'!$B$4")
    wb.close()
    add_pivot_and_rich_value(path)
    return path


def add_pivot_and_rich_value(path):
    """Hand-written pivot table and rich-value (cell image) parts, wired into the package."""
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    ct = parts["[Content_Types].xml"].decode()
    extra = (
        '<Override PartName="/xl/pivotCache/pivotCacheDefinition1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.pivotCacheDefinition+xml"/>'
        '<Override PartName="/xl/pivotCache/pivotCacheRecords1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.pivotCacheRecords+xml"/>'
        '<Override PartName="/xl/pivotTables/pivotTable1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.pivotTable+xml"/>'
        '<Override PartName="/xl/richData/rdrichvalue.xml" ContentType="application/'
        'vnd.ms-excel.rdrichvalue+xml"/>'
        '<Override PartName="/xl/richData/richValueRel.xml" ContentType="application/'
        'vnd.ms-excel.richvaluerel+xml"/>')
    parts["[Content_Types].xml"] = ct.replace("</Types>", extra + "</Types>").encode()
    parts["xl/pivotCache/pivotCacheDefinition1.xml"] = PIVOT_CACHE
    parts["xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels"] = _rels(
        [("rId1", RT + "pivotCacheRecords", "pivotCacheRecords1.xml")])
    parts["xl/pivotCache/pivotCacheRecords1.xml"] = PIVOT_RECORDS
    parts["xl/pivotTables/pivotTable1.xml"] = PIVOT_TABLE
    parts["xl/pivotTables/_rels/pivotTable1.xml.rels"] = _rels(
        [("rId1", RT + "pivotCacheDefinition", "../pivotCache/pivotCacheDefinition1.xml")])
    parts["xl/richData/rdrichvalue.xml"] = RICH_VALUE
    parts["xl/richData/richValueRel.xml"] = RICH_REL
    parts["xl/richData/_rels/richValueRel.xml.rels"] = _rels(
        [("rId1", RT + "image", "../media/image_rich.png")])
    parts["xl/media/image_rich.png"] = PNG
    wbrels = parts["xl/_rels/workbook.xml.rels"].decode()
    wbrels = wbrels.replace("</Relationships>", (
        f'<Relationship Id="rId90" Type="{RT}pivotCacheDefinition" '
        'Target="pivotCache/pivotCacheDefinition1.xml"/>'
        '<Relationship Id="rId91" Type="http://schemas.microsoft.com/office/2017/06/'
        'relationships/rdRichValue" Target="richData/rdrichvalue.xml"/>'
        '<Relationship Id="rId92" Type="http://schemas.microsoft.com/office/2022/10/'
        'relationships/richValueRel" Target="richData/richValueRel.xml"/></Relationships>'))
    parts["xl/_rels/workbook.xml.rels"] = wbrels.encode()
    wbxml = parts["xl/workbook.xml"].decode()
    parts["xl/workbook.xml"] = re.sub(
        r"(<calcPr[^>]*/>)", r'\1<pivotCaches><pivotCache cacheId="7" r:id="rId90"/>'
        r"</pivotCaches>", wbxml).encode()
    sheet2_rels = "xl/worksheets/_rels/sheet2.xml.rels"
    parts[sheet2_rels] = parts[sheet2_rels].replace(b"</Relationships>", (
        f'<Relationship Id="rId90" Type="{RT}pivotTable" '
        'Target="../pivotTables/pivotTable1.xml"/></Relationships>').encode())
    path.unlink()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def _rels(items):
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{g}"/>' for i, t, g in items)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
            f'"http://schemas.openxmlformats.org/package/2006/relationships">{body}'
            "</Relationships>").encode()


def parts_of(path):
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def office_values(path):
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        if ws.title not in ("台账", "说明"):
            continue
        for row in ws.iter_rows(max_col=len(ZH_HEADERS) + 1):
            for c in row:
                out[(ws.title, c.coordinate)] = c.value
    return out


@pytest.fixture
def featured(tmp_path):
    (tmp_path / "logo.png").write_bytes(PNG)
    return build_featured(tmp_path / "台账.xlsx")


def run(path, **kw):
    return run_batch(path, load_settings(), AS_OF, letters=False, **kw)


def test_every_part_officebot_does_not_own_is_byte_identical(featured):
    before = parts_of(featured)
    # The fixture really holds each feature.
    names = set(before)
    for must in ("xl/charts/chart1.xml", "xl/drawings/vmlDrawing1.vml", "xl/comments1.xml",
                 "xl/tables/table1.xml", "xl/pivotTables/pivotTable1.xml",
                 "xl/richData/rdrichvalue.xml", "xl/media/image_rich.png",
                 "xl/drawings/vmlDrawing2.vml"):
        assert must in names, must
    assert b"x14:dataBar" in before["xl/worksheets/sheet1.xml"]
    assert b"x14:sparklineGroup" in before["xl/worksheets/sheet2.xml"]
    run(featured)
    after = parts_of(featured)
    sheet = "xl/worksheets/sheet1.xml"
    for name, data in before.items():
        if name in OWNED or name == sheet:
            continue
        assert after.get(name) == data, f"{name} changed"
    new = set(after) - set(before)
    assert new and all(n.startswith(OWN_PREFIXES) for n in new), new


def test_register_sheet_keeps_everything_but_gains_status_cells(featured):
    before = parts_of(featured)["xl/worksheets/sheet1.xml"]
    values_before = office_values(featured)
    run(featured)
    after = parts_of(featured)["xl/worksheets/sheet1.xml"]
    assert office_values(featured) == values_before
    assert b"<v>550</v>" in after and b"<f>SUM(1,549)</f>" in after
    # the office's column widths are kept as they were; officebot only adds its own columns
    office_cols = re.findall(rb"<col [^>]*/>", re.search(rb"<cols>.*?</cols>", before).group(0))
    cols_after = re.findall(rb"<col [^>]*/>", re.search(rb"<cols>.*?</cols>", after).group(0))
    assert cols_after[:len(office_cols)] == office_cols
    assert all(int(re.search(rb'min="(\d+)"', c).group(1)) > 16
               for c in cols_after[len(office_cols):])
    # the office's filter now covers officebot's columns too
    assert b'<autoFilter ref="A2:P8"/>' in before and b'<autoFilter ref="A2:Z8"/>' in after
    for pattern in (rb"<sheetViews>.*?</sheetViews>", rb"<mergeCells.*?</mergeCells>",
                    rb"<dataValidations.*?</dataValidations>", rb"<extLst>.*?</extLst>",
                    rb"<hyperlinks>.*?</hyperlinks>", rb"<pageSetup[^>]*/>",
                    rb"<headerFooter>.*?</headerFooter>", rb"<drawing [^>]*/>",
                    rb"<legacyDrawing [^>]*/>", rb"<legacyDrawingHF [^>]*/>"):
        found = re.search(pattern, before, re.S)
        assert found, pattern
        assert found.group(0) in after, pattern
    office_cf = re.findall(rb"<conditionalFormatting.*?</conditionalFormatting>", before, re.S)
    for block in office_cf:
        assert block in after
    ours = after.index(b'N("officebot")')
    assert after.index(b"</sheetData>") < ours < after.index(b"<dataValidations")
    assert after.count(b'N("officebot")') == 5


def test_vba_workbook_stays_xlsm_with_its_project(tmp_path):
    (tmp_path / "logo.png").write_bytes(PNG)
    vba = tmp_path / "vbaProject.bin"
    vba.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8)
    path = build_featured(tmp_path / "台账.xlsm", vba=vba)
    before = parts_of(path)
    assert "xl/vbaProject.bin" in before
    result = run(path)
    assert result.written_to.suffix == ".xlsm"
    after = parts_of(path)
    assert after["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]
    assert b"macroEnabled" in after["[Content_Types].xml"]


def test_untouched_parts_are_copied_compressed_as_they_were(featured):
    with zipfile.ZipFile(featured) as zf:
        before = {i.filename: (i.CRC, i.compress_size, i.compress_type) for i in zf.infolist()}
    run(featured)
    with zipfile.ZipFile(featured) as zf:
        after = {i.filename: (i.CRC, i.compress_size, i.compress_type) for i in zf.infolist()}
        assert zf.testzip() is None
    assert after["xl/media/image1.png"] == before["xl/media/image1.png"]
    assert after["xl/charts/chart1.xml"] == before["xl/charts/chart1.xml"]


def test_second_run_with_same_as_of_changes_only_the_run_log(featured):
    run(featured)
    first = parts_of(featured)
    run(featured)
    second = parts_of(featured)
    assert set(first) == set(second)
    changed = {n for n in first if first[n] != second[n]}
    log_parts = {n for n in changed if n.startswith("xl/worksheets/sheet_ob")}
    assert len(log_parts) <= 1
    assert changed - log_parts <= {"xl/workbook.xml"}
    if "xl/workbook.xml" in changed:  # only the run log's filter range grows
        strip = re.compile(rb"<definedName[^>]*>'(?:\xe8\xbf\x90\xe8\xa1\x8c\xe8\xae\xb0\xe5\xbd"
                           rb"\x95|Run log)'![^<]*</definedName>")
        assert strip.sub(b"", first["xl/workbook.xml"]) == strip.sub(b"", second["xl/workbook.xml"])


def test_workbook_with_own_sheets_removed_keeps_the_office_sheets(featured):
    run(featured)
    wb = openpyxl.load_workbook(featured)
    assert wb.sheetnames[:2] == ["台账", "说明"]
    assert "概览" in wb.sheetnames
    assert "部门列表" in wb.defined_names
    assert "本地名" in wb["说明"].defined_names


def test_an_office_sheet_with_an_officebot_name_is_never_removed(tmp_path):
    from conftest import write_register
    from officebot.errors import OfficebotError
    path = write_register(tmp_path / "台账.xlsx", [], before_sheets=("概览",))
    before = path.read_bytes()
    with pytest.raises(OfficebotError, match="概览"):
        run(path)
    assert path.read_bytes() == before
    assert not (tmp_path / "backups").exists()
