"""Fuzzing the register reader and the status rewrite with generated sheets (hypothesis).

Every generated workbook must either be judged — and then written back completely, with the
office's cells as they were and a second run changing nothing — or be refused with one of
the documented one-sentence errors (OfficebotError). Anything else is a crash.

CI runs a short round; a longer one: FUZZ_EXAMPLES=5000 python -m pytest tests/test_fuzz.py
"""

import datetime as dt
import os
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings as hsettings, strategies as st

from officebot.batch import run_batch
from officebot.check import check_register
from officebot.errors import OfficebotError
from officebot.settings import load_settings
from officebot.xlsx import Workbook

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
PROFILE = hsettings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get(
    "FUZZ_RANDOM"), suppress_health_check=list(HealthCheck))
AS_OF = dt.datetime(2026, 3, 10, 12, 0)
HEADERS = ["编号", "受理时间", "客户姓名", "联系电话", "投诉类别", "投诉等级", "答复时间", "结案时间"]
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SETTINGS = load_settings()


def esc(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def x_escape(text):
    """Control characters as Excel writes them (_xHHHH_); other text XML-escaped."""
    return "".join(f"_x{ord(c):04X}_" if ord(c) < 32 and c not in "\t\n\r" else c
                   for c in esc(text))


texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
times = st.sampled_from(["2026-03-05 14:20", "2026/3/5", "2026年3月5日 下午2:20", "3/5/2026",
                         "2026-02-30", "待补录", "", " ", "2026-03-05T14:20:00", "46086.5",
                         "0", "-1", "99999999", "2026年13月1日", "25:61"])
numbers = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                    st.integers(min_value=-10**20, max_value=10**20),
                    st.floats(min_value=40000, max_value=50000))


@st.composite
def cells(draw):
    """(type attribute, inner XML) of one cell, of every kind other writers produce."""
    kind = draw(st.sampled_from(["inline", "shared", "number", "bool", "error", "str",
                                 "date", "formula", "empty", "time_text", "raw_text"]))
    if kind == "inline":
        return ' t="inlineStr"', f"<is><t>{x_escape(draw(texts))}</t></is>"
    if kind == "shared":
        return ' t="s"', f"<v>{draw(st.integers(min_value=-1, max_value=12))}</v>"
    if kind == "number":
        return "", f"<v>{draw(numbers)!r}</v>".replace("'", "")
    if kind == "bool":
        return ' t="b"', f"<v>{draw(st.sampled_from(['0', '1', '2', 'x']))}</v>"
    if kind == "error":
        return ' t="e"', f"<v>{draw(st.sampled_from(['#N/A', '#DIV/0!', '#REF!']))}</v>"
    if kind == "str":
        return ' t="str"', f"<f>A1&amp;\"x\"</f><v>{x_escape(draw(texts))}</v>"
    if kind == "date":
        return ' t="d"', f"<v>{draw(st.sampled_from(['2026-03-05T14:20:00', 'x', '']))}</v>"
    if kind == "formula":
        return "", f"<f>{esc(draw(texts))}</f><v>{draw(numbers)!r}</v>".replace("'", "")
    if kind == "time_text":
        return ' t="inlineStr"', f"<is><t>{esc(draw(times))}</t></is>"
    if kind == "raw_text":  # control characters raw: not well-formed XML
        return ' t="inlineStr"', f"<is><t>{draw(st.sampled_from(['a', 'b']))}\x01</t></is>"
    return "", ""


@st.composite
def sheets(draw):
    """Sheet XML: a header row, then rows of fuzzed cells; r attributes kept, dropped or
    wrong, rows in any order."""
    rows = ['<row r="1">' + "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>'
        for i, h in enumerate(HEADERS)) + "</row>"]
    n = draw(st.integers(min_value=0, max_value=8))
    for i in range(n):
        row_no = draw(st.sampled_from([i + 2, i + 2, i + 2, 1, 1048576, None]))
        cells_xml = []
        for col in range(len(HEADERS)):
            if col == 0 and draw(st.booleans()):
                t, inner = ' t="inlineStr"', f"<is><t>C{draw(st.integers(0, 5))}</t></is>"
            elif col == 1 and draw(st.booleans()):
                t, inner = "", f"<v>{draw(st.floats(min_value=46000, max_value=46100))}</v>"
            else:
                t, inner = draw(cells())
            ref = draw(st.sampled_from(["keep", "keep", "drop", "wrong"]))
            r = {"keep": f' r="{chr(65 + col)}{row_no}"' if row_no else "", "drop": "",
                 "wrong": ' r="ZZZ0"'}[ref]
            cells_xml.append(f"<c{r}{t}>{inner}</c>")
        attr = f' r="{row_no}"' if row_no else ""
        rows.append(f"<row{attr}>{''.join(cells_xml)}</row>")
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}"><sheetData>'
            + "".join(rows) + "</sheetData></worksheet>")


def package(path, sheet_xml, strings=("张三", "=cmd|' /C calc'!A0", "服务", "13800138000")):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.'
            'org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
            '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
            '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings'
            '.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
            'sharedStrings+xml"/></Types>'))
        zf.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'))
        zf.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" xmlns:r="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet '
            'name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        zf.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target='
            '"worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats'
            '.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            '</Relationships>'))
        zf.writestr("xl/sharedStrings.xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}">'
            + "".join(f"<si><t>{esc(s)}</t></si>" for s in strings) + "</sst>"))
        zf.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return path


def office_cells(path, sheet):
    """Every cell of the first eight columns, as officebot's reader sees it."""
    with Workbook(path) as book:
        info = book.sheet(sheet)
        return [(r, {c: v for c, v in values.items() if c <= len(HEADERS)})
                for r, values in book.rows(info)]


def judge_and_write(sheet_xml):
    with tempfile.TemporaryDirectory() as folder:
        path = package(Path(folder) / "台账.xlsx", sheet_xml)
        try:
            result = check_register(path, SETTINGS, AS_OF)
        except OfficebotError as exc:
            assert "\n" not in str(exc) and exc.text("zh")
            return "refused"
        before = office_cells(path, result.sheet)
        try:
            run_batch(path, SETTINGS, AS_OF, letters=False)
        except OfficebotError as exc:
            assert "\n" not in str(exc)
            return "refused on writing"
        with zipfile.ZipFile(path) as zf:
            assert zf.testzip() is None
        again = check_register(path, SETTINGS, AS_OF)
        assert [j.case_id for j in again.judgements] == [j.case_id for j in result.judgements]
        assert again.judgements == result.judgements
        assert office_cells(path, result.sheet) == before  # the office's cells untouched
        second = run_batch(path, SETTINGS, AS_OF, letters=False)
        assert second.cells_changed == 0  # the same as-of changes nothing but the run log
        return "written"


@PROFILE
@given(sheets())
@example('<?xml version="1.0"?><worksheet xmlns="%s"><sheetData/></worksheet>' % NS)
def test_fuzzed_sheets_are_judged_and_written_or_refused_in_one_sentence(sheet_xml):
    judge_and_write(sheet_xml)


@PROFILE
@given(sheets(), st.data())
def test_damaged_sheet_xml_is_refused_in_one_sentence(sheet_xml, data):
    """Bytes of the sheet XML changed, cut or repeated."""
    raw = sheet_xml.encode("utf-8")
    at = data.draw(st.integers(min_value=0, max_value=len(raw) - 1))
    how = data.draw(st.sampled_from(["flip", "cut", "repeat", "insert"]))
    if how == "flip":
        raw = raw[:at] + bytes([raw[at] ^ data.draw(st.integers(1, 255))]) + raw[at + 1:]
    elif how == "cut":
        raw = raw[:at]
    elif how == "repeat":
        raw = raw[:at] + raw[at:at + 200] * 3 + raw[at:]
    else:
        raw = raw[:at] + data.draw(st.sampled_from([b"<", b"&", b"]]>", b"<!ENTITY x 'y'>",
                                                    b"\xff\xfe", b"<row>", b"</c>"])) + raw[at:]
    judge_and_write(raw.decode("utf-8", "replace"))
