"""Hostile values and a register writer that can hold them (XlsxWriter: control characters
become _xHHHH_ escapes, as Excel writes them; every text is written as text)."""

import datetime as dt
import zipfile
from pathlib import Path

import xlsxwriter

from conftest import KEYS, ZH_HEADERS

FORMULAS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0",
            '=HYPERLINK("http://evil.example","点我")', "=DDE(\"cmd\";\"/C calc\";\"A0\")",
            "-2+3", "=", "＝1+1"]
TEMPLATE_SYNTAX = ["{{ 7*7 }}", "{% for x in range(3) %}X{% endfor %}", "{{ config }}",
                   "{# c #}", "{{ ''.__class__.__mro__ }}"]
CONTROL = ["a\x07b", "\x00nul", "esc\x1b[31mred", "bs\x08", "vt\x0bff\x0c", "\x1f"]
RARE = ["𠀀𠀁𪚥 (Ext B)", "👍🏽 emoji 😀 👨‍👩‍👧", "﨑 ñ é", "\u202eevil\u202c", "x" * 32767]
BAD_IDS = ["../../x", "..", ".", "CON", "con.txt", "a/b", "a\\b", 'q:*?"<>|', "dots...",
           "trail ", " lead", "NUL", "COM1", "a_b", "AB", "ab", "𠀀", "=cmd|' /C calc'!A0",
           "~$x", ".hidden", "x" * 300]


def write_register(path, rows, headers=ZH_HEADERS):
    """A register with a title row and ZH headers; rows are dicts of field key -> value."""
    path = Path(path)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                          "strings_to_numbers": False, "strings_to_urls": False})
    ws = wb.add_worksheet("台账")
    when = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    ws.write_string(0, 0, "投诉登记台账")
    for c, h in enumerate(headers):
        ws.write_string(1, c, h)
    key_of = dict(zip(ZH_HEADERS, KEYS))
    for r, values in enumerate(rows, start=2):
        for c, h in enumerate(headers):
            value = values.get(key_of.get(h, h))
            if value is None:
                continue
            if isinstance(value, dt.datetime):
                ws.write_datetime(r, c, value, when)
            elif isinstance(value, (int, float)):
                ws.write_number(r, c, value)
            else:
                ws.write_string(r, c, str(value))
    wb.close()
    return path


def sheet_xml(path):
    """{part name: XML text} of every worksheet in the package."""
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n).decode("utf-8") for n in zf.namelist()
                if n.startswith("xl/worksheets/sheet")}
