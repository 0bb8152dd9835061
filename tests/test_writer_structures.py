"""Structures WPS, old Excel versions, LibreOffice and home-made exporters write, by hand
(no library writes them), each run twice through `officebot run` and held to the whole
"nothing lost" check of writer_check: the office's cells, looks, rules and parts kept,
officebot's due cells shown as dates in wide enough columns, its rules in its colours with
priorities of their own, nothing changed by the second run, and LibreOffice opening them."""

import zipfile

import pytest
from click.testing import CliRunner

import writer_check as wc
from conftest import need_tool
from officebot.cli import cli
from test_odd_workbooks import (CF_OFFICE, DUPLICATE_STYLES, PLAIN_STYLES, T0, T1, cell, package,
                                register_rows, sheet)

TEXTS = ["2026 登记", "编号", "受理时间", "投诉内容", "C-001", "overdue", "C-002", "due soon",
         "no case number", "C-004", "fine", "C-005", "old"]
DATA = [(1, ["2026 登记", None, None]), (2, ["编号", "受理时间", "投诉内容"]),
        (3, ["C-001", T0, "overdue"]), (4, ["C-002", T1, "due soon"]),
        (5, [None, T0, "no case number"]), (6, ["C-004", T1, "fine"]),
        (7, ["C-005", T0, "old"])]


def shared_string_rows(p=""):
    """The register with every text a shared string, the headers as rich text with
    phonetic runs (as Excel and WPS save text typed with an IME); (rows XML, <si> items)."""
    items = []
    for t in TEXTS:
        if t in ("编号", "受理时间"):
            items.append(f'<{p}r><{p}rPr><{p}b/><{p}sz val="11"/></{p}rPr><{p}t>{t[:1]}</{p}t>'
                         f'</{p}r><{p}r><{p}t>{t[1:]}</{p}t></{p}r><{p}rPh sb="0" eb="1">'
                         f'<{p}t>ﾍﾝ</{p}t></{p}rPh><{p}phoneticPr fontId="0" '
                         'type="noConversion"/>')
        else:
            items.append(f"<{p}t>{t}</{p}t>")
    rows = []
    for n, values in DATA:
        cells = []
        for i, v in enumerate(values):
            ref = f"{'ABC'[i]}{n}"
            if v in TEXTS:
                cells.append(f'<{p}c r="{ref}" t="s"><{p}v>{TEXTS.index(v)}</{p}v></{p}c>')
            elif v is not None:
                cells.append(f'<{p}c r="{ref}"><{p}v>{v}</{p}v></{p}c>')
        rows.append(f'<{p}row r="{n}">{"".join(cells)}</{p}row>')
    return "".join(rows), items


def typed_rows(kind):
    """Every text a formula string (t="str", as SheetJS and exporters write), receipt times
    as t="str" text or t="d" ISO dates, and an error cell (t="e")."""
    times = {3: "2026-03-01T09:00:00", 4: "2026-03-09T09:00:00", 6: "2026-03-09T09:00:00",
             7: "2026-03-01T09:00:00"}
    rows = ['<row r="1"><c r="A1" t="str"><v>2026 登记</v></c></row>',
            '<row r="2">' + "".join(f'<c r="{c}2" t="str"><v>{h}</v></c>' for c, h in zip(
                "ABC", ["编号", "受理时间", "投诉内容"])) + "</row>"]
    for n, when in times.items():
        time = (f'<c r="B{n}" t="d"><v>{when}</v></c>' if kind == "d"
                else f'<c r="B{n}" t="str"><v>{when.replace("T", " ")[:16]}</v></c>')
        error = '<c r="D4" t="e"><f>1/0</f><v>#DIV/0!</v></c>' if n == 4 else ""
        rows.append(f'<row r="{n}"><c r="A{n}" t="str"><v>C-00{n - 2}</v></c>{time}'
                    f'<c r="C{n}" t="str"><v>text</v></c>{error}</row>')
    return "".join(rows)


WITH_DXFS = PLAIN_STYLES + ('<dxfs count="2"><dxf><font><color rgb="FFFFFFFF"/></font></dxf>'
                            '<dxf><fill><patternFill><bgColor rgb="FF00FF00"/></patternFill>'
                            '</fill></dxf></dxfs>')
# Old Excel and exporters: no cellStyleXfs, no applyNumberFormat, a built-in date format.
NO_CELL_STYLE_XFS = (
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border/></borders>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '<xf numFmtId="22" fontId="0" fillId="0" borderId="0"/></cellXfs>')
# A number format id listed twice (0.0 % first, then officebot's own date code), and a
# built-in id given a code of its own: readers disagree on which entry counts.
COLLIDING_FORMATS = (
    '<numFmts count="3"><numFmt numFmtId="164" formatCode="0.0%"/>'
    '<numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/>'
    '<numFmt numFmtId="14" formatCode="#,##0.000"/></numFmts>'
    + PLAIN_STYLES.replace(
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
        '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0"/>'))
X14_CELL_IS = (
    '<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" '
    'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    '<x14:conditionalFormattings><x14:conditionalFormatting '
    'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><x14:cfRule type="cellIs" '
    'priority="3" operator="equal" id="{00000000-0000-0000-0000-000000000002}">'
    '<xm:f>"overdue"</xm:f><x14:dxf><font><color rgb="FF9C0006"/></font></x14:dxf>'
    '</x14:cfRule><xm:sqref>C3:C7</xm:sqref></x14:conditionalFormatting>'
    '</x14:conditionalFormattings></ext></extLst>')
DATA_VALIDATION = ('<dataValidations count="1"><dataValidation type="list" sqref="C3:C9">'
                   '<formula1>"a,b"</formula1></dataValidation></dataValidations>')


def cf(sqref, rule):
    return f'<conditionalFormatting sqref="{sqref}">{rule}</conditionalFormatting>'


def with_cols(cols, rows=None):
    return sheet(rows or register_rows()).replace("<sheetData>", cols + "<sheetData>")


ROWS = register_rows()
SST_X, ITEMS_X = shared_string_rows("x:")
SST, ITEMS = shared_string_rows()
WORKBOOKS = {
    "WPS: every part prefixed x:, rich shared strings": dict(
        sheet_xml=sheet(SST_X, p="x:", dimension='<x:dimension ref="A1:C7"/>'),
        strings=ITEMS_X, p="x:", styles_prefix="x:"),
    "shared strings with rich runs and phonetic rPh": dict(sheet_xml=sheet(SST), strings=ITEMS),
    "number format ids colliding": dict(
        sheet_xml=sheet(register_rows(extra={3: [cell("D3", "5", s=1)],
                                             4: [cell("D4", "7", s=2)]})),
        styles_xml=COLLIDING_FORMATS),
    "no cellStyleXfs, no applyNumberFormat": dict(
        sheet_xml=sheet(register_rows(extra={3: [cell("D3", T0, s=1)]})),
        styles_xml=NO_CELL_STYLE_XFS),
    't="str" cells': dict(sheet_xml=sheet(typed_rows("str"))),
    't="d" ISO dates and t="e" errors': dict(sheet_xml=sheet(typed_rows("d"))),
    "print area, print titles and filter names": dict(
        sheet_xml=sheet(ROWS, after='<autoFilter ref="A2:C7"/>'), wb_after=(
            '<definedNames><definedName name="_xlnm.Print_Area" localSheetId="0">'
            "台账!$A$1:$C$7</definedName><definedName name=\"_xlnm.Print_Titles\" "
            'localSheetId="0">台账!$2:$2</definedName><definedName '
            'name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">台账!$A$2:$C$7'
            '</definedName><definedName name="office">台账!$B$3</definedName>'
            "</definedNames>")),
    "sheetPr with tabColor": dict(sheet_xml=sheet(ROWS).replace(
        "<dimension", '<sheetPr><tabColor rgb="FFFF0000"/><outlinePr summaryBelow="0"/>'
        "</sheetPr><dimension")),
    "1904 date system": dict(
        sheet_xml=sheet(ROWS.replace(T0, "44620.375").replace(T1, "44628.375")),
        wb_before='<workbookPr date1904="1"/>'),
    "count attributes wrong, even on lists officebot leaves alone": dict(
        sheet_xml=sheet(ROWS), styles_xml=PLAIN_STYLES.replace(
            '<fonts count="1">', '<fonts count="7">').replace('<borders count="1">', "<borders>")
        + '<cellStyles count="5"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'),
    "cellIs rules with formula operands": dict(sheet_xml=sheet(ROWS, after=cf(
        "B3:B7", '<cfRule type="cellIs" dxfId="0" priority="1" operator="lessThan">'
        '<formula>TODAY()-7</formula></cfRule><cfRule type="cellIs" dxfId="1" priority="2" '
        'operator="between"><formula>$B$3</formula><formula>$B$3+2</formula></cfRule>')),
        styles_xml=WITH_DXFS),
    "cellIs rule without dxfId": dict(sheet_xml=sheet(ROWS, after=cf(
        "C3:C7", '<cfRule type="cellIs" priority="1" operator="equal">'
        '<formula>"overdue"</formula></cfRule>'))),
    "cellIs rule pointing into a missing dxfs list": dict(sheet_xml=sheet(ROWS, after=cf(
        "C3:C7", '<cfRule type="cellIs" dxfId="1" priority="1" operator="equal">'
        '<formula>"overdue"</formula></cfRule>'))),
    "cellIs rule in an x14 extLst": dict(sheet_xml=sheet(ROWS, after=cf(
        "B3:B7", '<cfRule type="cellIs" dxfId="0" priority="1" operator="greaterThan">'
        "<formula>1</formula></cfRule>") + X14_CELL_IS), styles_xml=WITH_DXFS),
    "office priorities colliding with each other and officebot's": dict(sheet_xml=sheet(
        ROWS, after=cf("C3:C7", '<cfRule type="cellIs" dxfId="0" priority="1" '
                       'operator="equal"><formula>"overdue"</formula></cfRule>')
        + cf("B3:B7", '<cfRule type="cellIs" dxfId="1" priority="1" operator="greaterThan">'
             "<formula>1</formula></cfRule>")
        + cf("A3:A7", '<cfRule type="expression" dxfId="1" priority="6">'
             "<formula>LEN(A3)&gt;3</formula></cfRule>")), styles_xml=WITH_DXFS),
    "a priority at the top of xsd:int": dict(sheet_xml=sheet(ROWS, after=cf(
        "C3:C7", '<cfRule type="cellIs" dxfId="0" priority="2147483647" operator="equal">'
        '<formula>"overdue"</formula></cfRule>')), styles_xml=WITH_DXFS),
    "a > inside an attribute of an empty element": dict(sheet_xml=sheet(ROWS, after=cf(
        "B3:B7", '<cfRule type="colorScale" priority="1"><colorScale>'
        '<cfvo type="formula" val="IF($B$1>0,$B$1,0)"/><cfvo type="max"/>'
        '<color rgb="FFF8696B"/><color rgb="FF63BE7B"/></colorScale></cfRule>')
        + DATA_VALIDATION)),
    "a <col> range over every column": dict(sheet_xml=with_cols(
        '<cols><col min="1" max="2" width="14" customWidth="1"/>'
        '<col min="3" max="16384" width="9" style="0"/></cols>')),
    "<col> attributes max before min (LibreOffice)": dict(sheet_xml=with_cols(
        '<cols><col collapsed="false" customWidth="true" hidden="false" max="2" min="1" '
        'style="0" width="14"/></cols>')),
    "an empty <cols/>": dict(sheet_xml=with_cols("<cols/>")),
    "a table whose styles point into a missing dxfs list": dict(
        sheet_xml=sheet(ROWS, after='<tableParts count="1"><tablePart r:id="rId1"/>'
                        "</tableParts>"),
        extra={"xl/worksheets/_rels/sheet1.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
            'http://schemas.openxmlformats.org/officeDocument/2006/relationships/table" '
            'Target="../tables/table1.xml"/></Relationships>'),
            "xl/tables/table1.xml": (
                '<?xml version="1.0" encoding="UTF-8"?><table xmlns="http://schemas.'
                'openxmlformats.org/spreadsheetml/2006/main" id="1" name="登记" '
                'displayName="登记" ref="A2:C7" headerRowDxfId="2"><autoFilter ref="A2:C7"/>'
                '<tableColumns count="3"><tableColumn id="1" name="编号"/><tableColumn id="2" '
                'name="受理时间" dataDxfId="1"/><tableColumn id="3" name="投诉内容"/>'
                '</tableColumns><tableStyleInfo name="TableStyleMedium2" showRowStripes="1"/>'
                "</table>", "table+xml")}),
}


def repacked(path, change, folders=False):
    """The package with every part passed through change(name, bytes) -> (name, bytes), and
    with zip entries for its folders first when ``folders`` (as Java's zip writers add)."""
    with zipfile.ZipFile(path) as zf:
        items = [(n, zf.read(n)) for n in zf.namelist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        if folders:
            for d in ("_rels/", "xl/", "xl/_rels/", "xl/worksheets/"):
                zf.writestr(zipfile.ZipInfo(d), b"")
        for name, data in items:
            zf.writestr(*change(name, data))


def workbook_elsewhere(name, data):
    """The workbook part at xl/book.xml, every relationship target absolute."""
    moves = {"xl/workbook.xml": "xl/book.xml", "xl/_rels/workbook.xml.rels":
             "xl/_rels/book.xml.rels"}
    data = (data.replace(b'Target="worksheets/', b'Target="/xl/worksheets/')
            .replace(b'Target="styles.xml', b'Target="/xl/styles.xml')
            .replace(b'Target="xl/workbook.xml', b'Target="/xl/book.xml')
            .replace(b'"/xl/workbook.xml"', b'"/xl/book.xml"'))
    return moves.get(name, name), data


def pretty_with_bom(name, data):
    """Parts indented with CR LF and starting with a byte-order mark, as some exporters
    write them."""
    if name.endswith(".xml"):
        data = b"\xef\xbb\xbf" + data.replace(b"><", b">\r\n  <")
    return name, data


def strict(name, data):
    """The Strict OOXML namespaces and relationship types (Excel's "Strict Open XML
    Spreadsheet")."""
    data = data.replace(b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                        b"http://purl.oclc.org/ooxml/spreadsheetml/main").replace(
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        b"http://purl.oclc.org/ooxml/officeDocument/relationships")
    if name == "xl/workbook.xml":
        data = data.replace(b"<workbook ", b'<workbook conformance="strict" ')
    return name, data


REPACKED = {"the workbook part elsewhere, absolute targets": (workbook_elsewhere, False),
            "zip entries for folders": (lambda name, data: (name, data), True),
            "indented parts with a byte-order mark": (pretty_with_bom, False)}
WORKBOOKS.update({name: dict(sheet_xml=sheet(ROWS), repack=how)
                  for name, how in REPACKED.items()})
WORKBOOKS["Strict OOXML, with the office's styles, rules and filter"] = dict(
    sheet_xml=sheet(ROWS, after='<autoFilter ref="A2:C7"/>' + CF_OFFICE),
    styles_xml=DUPLICATE_STYLES, repack=(strict, False), wb_after=(
        '<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" '
        'hidden="1">台账!$A$2:$C$7</definedName></definedNames>'))


WORKBOOKS["merged cells over the header row reaching right of the data"] = dict(
    sheet_xml=sheet(ROWS, after='<mergeCells count="2"><mergeCell ref="C2:F2"/>'
                    '<mergeCell ref="A1:J1"/></mergeCells>'))


def test_officebot_columns_go_right_of_merged_cells_over_the_header(results):
    """A merge over the header row (C2:F2) would hide officebot's headers: its columns go
    right of it; a merged title above the header (A1:J1) does not push them."""
    runs = results("merged cells over the header row reaching right of the data")
    sheet_part = wc.layout_of(runs.second).sheets["台账"]
    from officebot.fields import STATUS_COLUMNS
    ours = {zh for _, zh, _ in STATUS_COLUMNS}
    columns = sorted(c for text, (_, c) in wc.status_headers(runs.second[sheet_part]).items()
                     if text in ours)
    assert len(columns) == len(ours) and columns[0] == 7  # G, right of F


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """name -> the workbook run twice, made on first use (one case failing fails alone)."""
    folder = tmp_path_factory.mktemp("structures")
    done = {}

    def get(name):
        if name not in done:
            i = list(WORKBOOKS).index(name)
            (folder / f"w{i}").mkdir(exist_ok=True)
            options = dict(WORKBOOKS[name])
            repack = options.pop("repack", None)
            path = package(folder / f"w{i}" / f"structure{i}.xlsx", **options)
            if repack:
                repacked(path, *repack)
            done[name] = wc.run_twice(path, "台账")
        return done[name]
    return get


@pytest.mark.parametrize("name", list(WORKBOOKS))
def test_nothing_lost(results, name):
    wc.check_all(results(name))


def test_libreoffice_opens_every_result(results, tmp_path):
    wc.libreoffice_opens(need_tool("soffice"), [results(n).path for n in WORKBOOKS], tmp_path)


def test_a_register_whose_header_is_declared_in_the_settings(tmp_path):
    """Headers officebot does not know, named in an officebot.toml beside the workbook (how
    the office runs officebot on an exported register)."""
    rows = ROWS.replace(">编号<", ">受理单号<").replace(">受理时间<", ">收件时间<")
    path = package(tmp_path / "exported.xlsx", sheet(rows), strings=None)
    wc.write_settings(tmp_path, sheet="台账", header_row=2,
                      columns={"case_id": "受理单号", "received_at": "收件时间"})
    wc.check_all(wc.run_twice(path, "台账"))


@pytest.mark.parametrize("far", ['<c r="XFD4" t="inlineStr"><is><t>stray</t></is></c>',
                                 '<c r="XFC2" s="0"><v>1</v></c>'])
def test_no_room_right_of_the_register_is_one_sentence_and_the_file_stays(tmp_path, far):
    """A cell near column XFD (Excel's last) leaves no room for the status columns: the run
    stops with one sentence and writes nothing, rather than cells Excel cannot hold."""
    path = package(tmp_path / "far.xlsx", sheet(register_rows(extra={4: [far]})))
    before = path.read_bytes()
    result = CliRunner().invoke(cli, ["run", str(path), "--as-of", "2026-03-10 12:00",
                                      "--no-letters"])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "XFD" in result.output, result.output
    assert path.read_bytes() == before


def test_officebot_writes_strict_parts_into_a_strict_workbook(results):
    """Its summary sheets, drawings and charts take Strict's namespaces, as the rest does."""
    runs = results("Strict OOXML, with the office's styles, rules and filter")
    added = [name for name in runs.second if name not in runs.before]
    assert any("sheet_ob" in name for name in added)
    for name in added:
        assert b"schemas.openxmlformats.org/spreadsheetml" not in runs.second[name], name
        assert b"schemas.openxmlformats.org/drawingml" not in runs.second[name], name
        assert b"schemas.openxmlformats.org/officeDocument" not in runs.second[name], name
