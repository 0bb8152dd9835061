"""Workbooks no library writes (hand-written XML): two runs with the same --as-of keep every
office cell's value and style, show officebot's due times as dates and its highlights in its
colours, change nothing the second time, and give files LibreOffice opens."""

import datetime as dt
import io
import re
import zipfile

import pytest

import writer_check as wc
from conftest import need_tool
from officebot.batch import run_batch
from officebot.settings import load_settings

AS_OF = dt.datetime(2026, 3, 10, 12, 0)
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET = "xl/worksheets/sheet1.xml"
STYLES = "xl/styles.xml"
# Serial numbers of 2026-03-01 09:00 and 2026-03-09 09:00 (receipt times, as typed numbers).
T0, T1 = "46082.375", "46090.375"

PLAIN_STYLES = (
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '</cellXfs>')
# Every list holds the same entry twice; xf 3 is white text, dxf 0 white on white, and the
# number formats 0.0 % and #,##0.000 sit where a careless append would point.
DUPLICATE_STYLES = (
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="0.0%"/>'
    '<numFmt numFmtId="165" formatCode="#,##0.000"/></numFmts>'
    '<fonts count="3"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><sz val="11"/><name val="Calibri"/></font>'
    '<font><color rgb="FFFFFFFF"/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="4"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/></patternFill></fill>'
    '</fills>'
    '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/>'
    '<diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="1" fillId="3" borderId="1" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="2" fillId="3" borderId="1" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="3" borderId="1" xfId="0" applyFill="1" '
    'applyBorder="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '<dxfs count="3"><dxf><font><color rgb="FFFFFFFF"/></font><fill><patternFill>'
    '<bgColor rgb="FFFFFFFF"/></patternFill></fill></dxf>'
    '<dxf><font><color rgb="FFFFFFFF"/></font><fill><patternFill><bgColor rgb="FFFFFFFF"/>'
    '</patternFill></fill></dxf></dxfs>')


def cell(ref, value, s=None, p=""):
    """A cell: numbers as <v>, text as an inline string; ref None = no reference."""
    r = f' r="{ref}"' if ref else ""
    st = f' s="{s}"' if s is not None else ""
    if value is None:
        return f"<{p}c{r}{st}/>"
    if isinstance(value, str) and not re.fullmatch(r"[\d.]+", value):
        return (f'<{p}c{r}{st} t="inlineStr"><{p}is><{p}t>{value}</{p}t></{p}is></{p}c>')
    return f"<{p}c{r}{st}><{p}v>{value}</{p}v></{p}c>"


def register_rows(p="", refs=True, extra=None):
    """Title, header and five cases (one with a blank case number) in columns A-C."""
    data = [
        (1, ["2026 登记", None, None]),
        (2, ["编号", "受理时间", "投诉内容"]),
        (3, ["C-001", T0, "overdue"]),
        (4, ["C-002", T1, "due soon"]),
        (5, ["", T0, "no case number"]),
        (6, ["C-004", T1, "fine"]),
        (7, ["C-005", T0, "old"]),
    ]
    rows = []
    for n, values in data:
        cells = []
        for i, v in enumerate(values):
            if v is None or v == "":
                continue
            ref = f"{'ABC'[i]}{n}" if refs else None
            if not refs and i and (values[i - 1] is None or values[i - 1] == ""):
                ref = f"{'ABC'[i]}{n}"  # a gap must be referenced
            cells.append(cell(ref, v, p=p))
        cells.extend((extra or {}).get(n, []))
        r = f' r="{n}"' if refs else ""
        rows.append(f"<{p}row{r}>{''.join(cells)}</{p}row>")
    return "".join(rows)


def sheet(rows, before="", after="", p="", dimension='<dimension ref="A1:C7"/>'):
    decl = f'xmlns:{p[:-1]}="{NS}"' if p else f'xmlns="{NS}"'
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<{p}worksheet {decl} xmlns:r="{NS_R}">{dimension}{before}'
            f"<{p}sheetData>{rows}</{p}sheetData>{after}</{p}worksheet>")


CT = "application/vnd.openxmlformats-officedocument.spreadsheetml."
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def package(path, sheet_xml, styles_xml=PLAIN_STYLES, styles_prefix="", strings=None,
            p="", wb_before="", wb_after="", extra=None):
    """A minimal xlsx: one sheet 台账, with styles.xml unless ``styles_xml`` is None, a
    shared-strings part of the <si> bodies ``strings`` if given; workbook.xml and the
    shared strings with tags prefixed by ``p``, ``wb_before``/``wb_after`` around its
    <sheets>; ``extra`` parts (name -> bytes, or (bytes, content type)) added as they are."""
    overrides = [("workbook.xml", "sheet.main+xml"), ("worksheets/sheet1.xml", "worksheet+xml")]
    rels = [("worksheet", "worksheets/sheet1.xml")]
    if styles_xml is not None:
        overrides.append(("styles.xml", "styles+xml"))
        rels.append(("styles", "styles.xml"))
    for name, data in (extra or {}).items():
        if isinstance(data, tuple):  # (bytes, content type after spreadsheetml.)
            overrides.append((name[len("xl/"):], data[1]))
    if strings is not None:
        overrides.append(("sharedStrings.xml", "sharedStrings+xml"))
        rels.append(("sharedStrings", "sharedStrings.xml"))
    ct = ('<?xml version="1.0" encoding="UTF-8"?>'
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
          'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
          + "".join(f'<Override PartName="/xl/{name}" ContentType="{CT}{kind}"/>'
                    for name, kind in overrides) + "</Types>")
    root_rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                 'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
                 f'Type="{REL}officeDocument" Target="xl/workbook.xml"/></Relationships>')
    decl = f'xmlns:{p[:-1]}="{NS}"' if p else f'xmlns="{NS}"'
    wb = (f'<?xml version="1.0" encoding="UTF-8"?><{p}workbook {decl} xmlns:r="{NS_R}">'
          f'{wb_before}<{p}sheets><{p}sheet name="台账" sheetId="1" r:id="rId1"/></{p}sheets>'
          f"{wb_after}</{p}workbook>")
    wb_rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
               'openxmlformats.org/package/2006/relationships">'
               + "".join(f'<Relationship Id="rId{i}" Type="{REL}{kind}" Target="{target}"/>'
                         for i, (kind, target) in enumerate(rels, start=1))
               + "</Relationships>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", ct)
        zf.writestr("_rels/.rels", root_rels)
        zf.writestr("xl/workbook.xml", wb)
        zf.writestr("xl/_rels/workbook.xml.rels", wb_rels)
        zf.writestr(SHEET, sheet_xml)
        if styles_xml is not None:
            sp = styles_prefix
            sdecl = f'xmlns:{sp[:-1]}="{NS}"' if sp else f'xmlns="{NS}"'
            styles_xml = re.sub(r"<(/?)(?=\w)", rf"<\1{sp}", styles_xml)  # every tag prefixed
            zf.writestr(STYLES, f'<?xml version="1.0" encoding="UTF-8"?><{sp}styleSheet {sdecl}>'
                        f"{styles_xml}</{sp}styleSheet>")
        if strings is not None:
            items = "".join(f"<{p}si>{x}</{p}si>" for x in strings)
            zf.writestr("xl/sharedStrings.xml", (
                f'<?xml version="1.0" encoding="UTF-8"?><{p}sst {decl} count="{len(strings)}" '
                f'uniqueCount="{len(strings)}">{items}</{p}sst>'))
        for name, data in (extra or {}).items():
            zf.writestr(name, data[0] if isinstance(data, tuple) else data)
    return path


CF_OFFICE = ('<conditionalFormatting sqref="C3:C100"><cfRule type="cellIs" dxfId="0" '
             'priority="1" operator="equal"><formula>"overdue"</formula></cfRule>'
             '</conditionalFormatting><conditionalFormatting sqref="B3:B100">'
             '<cfRule type="cellIs" dxfId="1" priority="2" operator="between">'
             '<formula>1</formula><formula>5</formula></cfRule></conditionalFormatting>')
TAIL_ELEMENTS = ('<dataValidations count="1"><dataValidation type="list" sqref="C3:C9">'
                 '<formula1>"a,b"</formula1></dataValidation></dataValidations>'
                 '<printOptions gridLines="1"/>'
                 '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
                 'footer="0.3"/><pageSetup orientation="landscape"/>')
X14 = ('<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" '
       'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
       '<x14:conditionalFormattings><x14:conditionalFormatting '
       'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><x14:cfRule '
       'type="dataBar" id="{00000000-0000-0000-0000-000000000001}"><x14:dataBar minLength="0" '
       'maxLength="100"><x14:cfvo type="autoMin"/><x14:cfvo type="autoMax"/></x14:dataBar>'
       '</x14:cfRule><xm:sqref>B3:B7</xm:sqref></x14:conditionalFormatting>'
       '</x14:conditionalFormattings></ext></extLst>')

# Each: (sheet XML, styles.xml content or None, styles prefix)
WORKBOOKS = {
    "prefixed tags": (sheet(register_rows(p="x:"), p="x:",
                            dimension='<x:dimension ref="A1:C7"/>'), PLAIN_STYLES, "x:"),
    "rows and cells without references": (sheet(register_rows(refs=False)), PLAIN_STYLES, ""),
    "missing dimension": (sheet(register_rows(extra={4: [cell("F4", "office note")]}),
                                dimension=""), PLAIN_STYLES, ""),
    "dimension claims A1": (sheet(register_rows(extra={6: [cell("H6", "far right")]}),
                                  dimension='<dimension ref="A1"/>'), PLAIN_STYLES, ""),
    "shared and array formulas": (sheet(register_rows(extra={
        3: ['<c r="D3"><f t="shared" ref="D3:D4" si="0">B3*2</f><v>92164.75</v></c>'],
        4: ['<c r="D4"><f t="shared" si="0"/><v>92180.75</v></c>',
            '<c r="E4"><f t="array" ref="E4:E5">B3:B4*1</f><v>46082.375</v></c>'],
        5: ['<c r="E5"><v>46090.375</v></c>']})), PLAIN_STYLES, ""),
    "rich text and phonetic runs": (sheet(register_rows(extra={
        3: ['<c r="D3" t="inlineStr"><is><r><rPr><b/><color rgb="FFFF0000"/></rPr><t>red</t>'
            '</r><r><t xml:space="preserve"> part</t></r><rPh sb="0" eb="1"><t>x</t></rPh>'
            "</is></c>"]})), PLAIN_STYLES, ""),
    "extLst, cellIs rules and what follows them": (sheet(
        register_rows(), after=CF_OFFICE + TAIL_ELEMENTS + X14), DUPLICATE_STYLES, ""),
    "duplicate styles": (sheet(register_rows(extra={3: [cell("D3", "5", s=2)],
                                                    4: [cell("D4", "7", s=3)]})),
                         DUPLICATE_STYLES, ""),
    "empty styles": (sheet(register_rows()), "", ""),
    "no styles part": (sheet(register_rows()), None, ""),
    "blank cells with the office's borders": (sheet(register_rows(extra={
        n: [cell(f"{c}{n}", None, s=4) for c in "DEFG"] for n in range(2, 8)})),
        DUPLICATE_STYLES, ""),
    "autoFilter with criteria": (sheet(register_rows(), after=(
        '<autoFilter ref="A2:C7"><filterColumn colId="2"><filters><filter val="overdue"/>'
        '<filter val="old"/></filters></filterColumn></autoFilter>')), PLAIN_STYLES, ""),
}


cells_of, parts = wc.cells_of, wc.parts


def run(path):
    return run_batch(path, load_settings(), AS_OF, letters=False)


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """Each workbook before, after one `officebot run` and after a second one with the same
    --as-of."""
    folder = tmp_path_factory.mktemp("odd")
    out = {}
    for i, (name, (sheet_xml, styles_xml, sp)) in enumerate(WORKBOOKS.items()):
        path = package(folder / f"odd{i}.xlsx", sheet_xml, styles_xml, sp)
        out[name] = wc.run_twice(path, "台账")
    return out


NAMES = list(WORKBOOKS)


def header_columns(sheet_xml: bytes):
    cells = cells_of(sheet_xml)
    found = {}
    for (r, c), (_, t, body) in cells.items():
        if r == 2:
            m = re.search(rb"<(?:x:)?t[^>]*>([^<]*)</(?:x:)?t>", body)
            if m:
                found[m.group(1).decode()] = c
    return found


@pytest.mark.parametrize("name", NAMES)
def test_office_cells_keep_value_and_style(results, name):
    wc.check_cells(results[name])
    wc.check_styles_appended(results[name])


@pytest.mark.parametrize("name", NAMES)
def test_officebot_columns_go_right_of_every_used_cell(results, name):
    before, first = results[name].before, results[name].first
    used = [c for (r, c), (s, _, body) in cells_of(before[SHEET]).items()
            if body or s not in ("0", "")]
    headers = header_columns(first[SHEET])
    assert min(headers["答复期限"], headers["officebot备注"]) > max(used)


@pytest.mark.parametrize("name", NAMES)
def test_second_run_changes_neither_sheet_nor_styles(results, name):
    wc.check_stable(results[name])


@pytest.mark.parametrize("name", NAMES)
def test_due_cells_are_dates_and_highlights_carry_officebot_colours(results, name):
    wc.check_status_cells(results[name])


@pytest.mark.parametrize("name", NAMES)
def test_nothing_else_in_the_package_is_lost(results, name):
    wc.check_parts(results[name])


@pytest.mark.parametrize("name", NAMES)
def test_the_problem_row_is_marked(results, name):
    second = results[name].second
    cells = cells_of(second[SHEET])
    note = header_columns(second[SHEET])["officebot备注"]
    style, _, body = cells[(5, note)]
    assert "编号为空".encode() in body and style != "0"


def test_office_cells_right_of_officebot_columns_survive_later_runs(tmp_path):
    path = package(tmp_path / "r.xlsx", sheet(register_rows()))
    run(path)
    xml = parts(path)[SHEET].decode()
    note = header_columns(xml.encode())["officebot备注"]
    right = "".join(chr(64 + (note + 2 - 1) // 26) if note + 2 > 26 else "" for _ in [0])
    right += chr(64 + (note + 2 - 1) % 26 + 1)
    # the office adds a column of its own right of officebot's, with a value in row 3
    xml = xml.replace("</row>", f'<c r="{right}3" t="inlineStr"><is><t>mine</t></is></c></row>',
                      3).replace(f'<c r="{right}3" t="inlineStr"><is><t>mine</t></is></c></row>',
                                 "</row>", 2)
    with zipfile.ZipFile(path) as zf:
        items = {n: zf.read(n) for n in zf.namelist()}
    items[SHEET] = xml.encode()
    with zipfile.ZipFile(path, "w") as zf:
        for n, data in items.items():
            zf.writestr(n, data)
    run(path)
    cells = cells_of(parts(path)[SHEET])
    assert b"mine" in cells[(3, note + 2)][2]
    assert header_columns(parts(path)[SHEET])["officebot备注"] == note


def test_the_office_filter_covers_officebot_columns_and_keeps_its_criteria(results):
    first = results["autoFilter with criteria"].first
    xml = first[SHEET]
    last = max(header_columns(xml).values())
    ref = re.search(rb'<autoFilter ref="A2:([A-Z]+)7">', xml).group(1).decode()
    assert ref == chr(64 + last) if last <= 26 else True
    assert b'<filterColumn colId="2"><filters><filter val="overdue"/>' in xml


def test_rules_sit_in_schema_order(results):
    first = results["extLst, cellIs rules and what follows them"].first
    xml = first[SHEET]
    ours = xml.index(b'N("officebot")')
    assert xml.rindex(b'operator="between"') < ours < xml.index(b"<dataValidations")
    assert xml.index(b"</sheetData>") < ours < xml.index(b"<extLst>")
    priorities = re.findall(rb'priority="(\d+)"', xml)
    assert len(priorities) == len(set(priorities))


def test_libreoffice_opens_every_result(results, tmp_path):
    wc.libreoffice_opens(need_tool("soffice"), [r.path for r in results.values()], tmp_path)


# --- OLE compound files: password-protected workbooks and old .xls ---------------------------
def _compound_file(names, filler_sectors: int) -> bytes:
    """An OLE compound file (512-byte sectors) whose directory, listing ``names``, lies
    after ``filler_sectors`` sectors of other data, as Excel's encrypted files may have it."""
    import struct
    end, fat_mark, free = 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    n_fat = (filler_sectors + 200) // 128 + 1
    directory = n_fat + filler_sectors
    fat = [fat_mark] * n_fat + [free] * filler_sectors + [end]
    fat += [free] * (n_fat * 128 - len(fat))
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
                         b"\0" * 16, 0x3E, 3, 0xFFFE, 9, 6, b"\0" * 6, 0, n_fat, directory,
                         0, 0x1000, end, 0, end, 0)
    header += struct.pack("<109I", *(list(range(n_fat)) + [free] * (109 - n_fat)))
    entries = b""
    for name in ["Root Entry"] + list(names):
        raw = (name + "\0").encode("utf-16-le")
        entries += raw.ljust(64, b"\0") + struct.pack("<H", len(raw)) + b"\0" * 62
    entries = entries.ljust(512, b"\0")
    body = struct.pack(f"<{len(fat)}I", *fat) + b"\x55" * (512 * filler_sectors)
    return header + body + entries


@pytest.mark.parametrize("names,filler,expected", [
    (["EncryptionInfo", "EncryptedPackage"], 2200, "设有密码"),   # directory past 1 MiB
    (["EncryptionInfo", "EncryptedPackage"], 4, "设有密码"),
    (["Workbook", "SummaryInformation"], 2200, "旧的 .xls"),
])
def test_compound_files_are_named_for_what_they_are(tmp_path, names, filler, expected):
    from click.testing import CliRunner
    from officebot.cli import cli
    path = tmp_path / "台账.xlsx"
    path.write_bytes(_compound_file(names, filler))
    assert (path.stat().st_size > 1 << 20) == (filler > 2048)
    result = CliRunner().invoke(cli, ["check", str(path), "--as-of", "2026-03-10 12:00"])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.stderr


def test_a_damaged_compound_file_reads_as_no_directory(tmp_path):
    from officebot.package import compound_names
    data = _compound_file(["EncryptionInfo"], 3)
    for cut in (100, 600, len(data) - 300):
        with pytest.raises(ValueError):
            compound_names(io.BytesIO(data[:cut]))
    assert "EncryptionInfo" in compound_names(io.BytesIO(data))
