"""Hostile values in the register: formula-looking text, path-like case ids, template syntax,
control characters, very long texts and rare characters. None may become a formula, a file
outside letters/, an evaluated template or a lost character."""

import datetime as dt
import json
import os
import re
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from officebot.batch import run_batch, write_report
from officebot.check import ReadOptions, check_register
from officebot.cli import cli
from officebot.filenames import safe_file_stem
from officebot.settings import load_settings

from conftest import AS_OF
from hostile_data import (BAD_IDS, CONTROL, FORMULAS, RARE, TEMPLATE_SYNTAX, sheet_xml,
                          write_register)

OLD = dt.datetime(2026, 3, 1, 9, 0)   # reply overdue at AS_OF: every case gets an apology
WINDOWS_FORBIDDEN = set('\\/:*?"<>|') | {chr(i) for i in range(32)}
RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[1-9¹²³]|LPT[1-9¹²³])(\..*)?$", re.I)


def letter_text(path):
    d = docx.Document(str(path))
    return "\n".join(p.text for p in d.paragraphs)


def letter_xml(path):
    with zipfile.ZipFile(path) as zf:
        return zf.read("word/document.xml").decode("utf-8")


def run(path, **kw):
    return run_batch(path, load_settings(), AS_OF, **kw)


def formulas_in(path):
    """(sheet, cell, formula) of every formula cell in the workbook."""
    wb = openpyxl.load_workbook(path)
    return [(ws.title, c.coordinate, c.value) for ws in wb for r in ws.iter_rows() for c in r
            if c.data_type == "f"]


def test_formula_text_never_becomes_a_formula(tmp_path):
    rows = []
    for i, text in enumerate(FORMULAS):
        rows.append(dict(case_id=f"=F{i}+1" if i % 2 else f"C{i:03d}", received_at=OLD,
                         customer=text, phone=f"1380013{i:04d}", category=text,
                         department=text, handler=text, summary=text, resolution=text,
                         channel=text, satisfaction=text))
    # a repeat of a case whose id is a DDE payload: "repeat of" shows the payload as text
    rows.append(dict(case_id="=cmd|' /C calc'!A0", received_at=OLD - dt.timedelta(days=1),
                     customer="王五", phone="13900139000", category="服务"))
    rows.append(dict(case_id="R2", received_at=OLD, customer="王五", phone="13900139000",
                     category="服务"))
    path = write_register(tmp_path / "台账.xlsx", rows)
    before = openpyxl.load_workbook(path)["台账"]
    typed = [before.cell(r, 4).value for r in range(3, 3 + len(FORMULAS))]
    out = run(path)
    assert out.letters_drafted >= len(FORMULAS)

    for sheet, ref, formula in formulas_in(path):
        assert sheet != "台账" and formula.startswith("=IF("), (sheet, ref, formula)
    for part, xml in sheet_xml(path).items():
        for f in re.findall(r"<f>(.*?)</f>", xml):
            assert "cmd" not in f and "HYPERLINK" not in f and "SUM" not in f, (part, f)
    wb = openpyxl.load_workbook(path)
    ws = wb["台账"]
    headers = {c.value: c.column for c in ws[2] if c.value}
    texts = [ws.cell(r, headers["客户姓名"]).value for r in range(3, 3 + len(FORMULAS))]
    assert texts == typed  # the office's cells are untouched
    repeat_col = headers["重复投诉原件"]
    assert ws.cell(ws.max_row, repeat_col).value == "=cmd|' /C calc'!A0"
    assert ws.cell(ws.max_row, repeat_col).data_type == "s"
    listed = {c.value for ws2 in wb if ws2.title != "台账" for r in ws2.iter_rows() for c in r}
    assert "=cmd|' /C calc'!A0" in listed and '=HYPERLINK("http://evil.example","点我")' in listed

    letters = sorted((tmp_path / "letters").rglob("*.docx"))
    assert letters
    for letter in letters:
        xml = letter_xml(letter)
        assert "instrText" not in xml and "fldSimple" not in xml and "fldChar" not in xml
    text = "\n".join(letter_text(p) for p in letters)
    assert "=cmd|' /C calc'!A0" in text and "@SUM(A1)" in text

    report = tmp_path / "月报.xlsx"
    write_report(path, load_settings(), report, AS_OF)
    assert all(f.startswith("=IF(") for _, _, f in formulas_in(report))


def test_check_text_and_json_show_formula_text_as_typed(tmp_path):
    rows = [dict(case_id=text, received_at=OLD, customer="张三", category="服务")
            for text in ["=cmd|' /C calc'!A0", "+1+1", "@SUM(A1)"]]
    path = write_register(tmp_path / "台账.xlsx", rows)
    runner = CliRunner()
    done = runner.invoke(cli, ["check", str(path), "--as-of", "2026-03-10 12:00", "--json"])
    assert done.exit_code == 0, done.output
    ids = [c["case_id"] for c in json.loads(done.output)["cases"]]
    assert ids == ["=cmd|' /C calc'!A0", "+1+1", "@SUM(A1)"]
    done = runner.invoke(cli, ["check", str(path), "--as-of", "2026-03-10 12:00"])
    assert "=cmd|' /C calc'!A0" in done.output


def windows_valid(name):
    return (not set(name) & WINDOWS_FORBIDDEN and not name.endswith((".", " "))
            and not RESERVED.match(name.split(".")[0] if "." in name else name)
            and not RESERVED.match(name.partition(".")[0]) and len(name.encode()) <= 255
            and name not in (".", ".."))


@pytest.mark.parametrize("case_id", BAD_IDS + ["a" * 5000, "\x00", "\u202e", "中文/../.."])
def test_safe_file_stem_is_a_valid_name_everywhere(case_id):
    stem = safe_file_stem(case_id)
    assert windows_valid(stem) and windows_valid(stem + "_followup.docx")
    assert not stem.startswith((".", "~$")) and "/" not in stem
    target = (Path("/w/letters/2026-03") / f"{stem}_apology.docx").resolve()
    assert target.parent == Path("/w/letters/2026-03")


def test_safe_file_stems_are_distinct_also_where_case_and_accents_fold():
    ids = BAD_IDS + ["é", "e\u0301", "É", "E\u0301", "Straße", "STRASSE", "strasse", "ǅ", "ǆ"]
    stems = [safe_file_stem(i) for i in ids]
    folded = {__import__("unicodedata").normalize("NFD", s).casefold() for s in stems}
    assert len(folded) == len(set(ids))
    assert safe_file_stem("TS-2026-031") == "TS-2026-031" and safe_file_stem("投诉001") == "投诉001"


def test_hostile_case_ids_write_only_inside_letters(tmp_path):
    folder = tmp_path / "office"
    folder.mkdir()
    rows = [dict(case_id=i, received_at=OLD, customer=f"张三{n}", category="服务")
            for n, i in enumerate(BAD_IDS)]   # one customer each: one letter per case
    path = write_register(folder / "台账.xlsx", rows)
    before = set(tmp_path.rglob("*"))
    out = run(path)
    result = check_register(path, load_settings(), AS_OF)
    ids = [c.case_id for c in result.cases]
    assert len(ids) == len(set(ids)) >= len(BAD_IDS) - 2  # ids the reader strips may meet
    made = set(tmp_path.rglob("*")) - before
    letters = folder / "letters"
    for p in made:
        rel = p.resolve().relative_to(folder.resolve())  # nothing outside the folder
        assert rel.parts[0] in ("letters", "backups") or p.name.startswith("."), rel
    docs = [p for p in made if p.suffix == ".docx"]
    assert len(docs) == out.letters_drafted == len(ids)  # one file per id, none shared
    assert len({p.name.casefold() for p in docs}) == len(docs)
    for p in docs:
        assert p.resolve().parent.parent == letters.resolve()
        assert windows_valid(p.name), p.name
    # the letter column names each case's own letter, and a second run drafts none again
    again = run(path)
    assert again.letters_drafted == 0
    assert len([p for p in letters.rglob("*.docx")]) == len(ids)


def test_template_syntax_in_customer_text_is_not_evaluated(tmp_path):
    rows = [dict(case_id=f"T{i}", received_at=OLD, customer=text, category="服务", summary=text,
                 resolution=text) for i, text in enumerate(TEMPLATE_SYNTAX)]
    path = write_register(tmp_path / "台账.xlsx", rows)
    run(path)
    for i, text in enumerate(TEMPLATE_SYNTAX):
        body = "\n".join(letter_text(p) for p in (tmp_path / "letters").rglob(f"T{i}_*.docx"))
        assert text in body, (text, body[:300])
    every = "\n".join(letter_text(p) for p in (tmp_path / "letters").rglob("*.docx"))
    assert "49" not in every and "XXX" not in every and "class" in every


def test_control_characters_are_shown_not_dropped(tmp_path):
    rows = [dict(case_id=f"K{i}", received_at=OLD, customer=f"张三{i}", category="服务",
                 summary=text, resolution=text) for i, text in enumerate(CONTROL)]
    path = write_register(tmp_path / "台账.xlsx", rows)
    run(path)
    result = check_register(path, load_settings(), AS_OF, ReadOptions(cases="full"))
    assert [c.summary for c in result.cases] == CONTROL  # read exactly as written
    xml = "\n".join(sheet_xml(path).values())
    assert "a_x0007_b" in xml and "esc_x001B_[31mred" in xml  # lists keep them as escapes
    assert "\ufffd" not in xml
    body = letter_text(next((tmp_path / "letters").rglob("K0_response.docx")))
    assert "a\u2407b" in body  # ␇, visible
    body = letter_text(next((tmp_path / "letters").rglob("K2_response.docx")))
    assert "esc\u241b[31mred" in body
    done = CliRunner().invoke(cli, ["letters", str(path), "--as-of", "2026-03-10 12:00"])
    assert "\x1b" not in done.output and "\x07" not in done.output


def test_long_texts_emoji_and_rare_cjk_come_back_unchanged(tmp_path):
    rows = [dict(case_id=f"U{i}", received_at=OLD, customer=RARE[i % 3], category="服务",
                 summary=text, resolution=text) for i, text in enumerate(RARE)]
    rows.append(dict(case_id="𠀀👍", received_at=OLD, customer="𪚥", category="服务"))
    path = write_register(tmp_path / "台账.xlsx", rows)
    run(path)
    result = check_register(path, load_settings(), AS_OF, ReadOptions(cases="full"))
    assert [c.summary for c in result.cases[:len(RARE)]] == RARE
    assert result.cases[-1].case_id == "𠀀👍"
    wb = openpyxl.load_workbook(path)
    values = [c.value for ws in wb if ws.title != "台账" for r in ws.iter_rows() for c in r]
    assert "x" * 32767 in values and "𠀀𠀁𪚥 (Ext B)" in values and "𠀀👍" in values
    assert "👍🏽 emoji 😀 👨‍👩‍👧" in values
    ws = wb["台账"]
    assert [ws.cell(r, 9).value for r in range(3, 3 + len(RARE))] == RARE
    docs = {p.name: letter_text(p) for p in (tmp_path / "letters").rglob("*.docx")}
    assert any("𠀀𠀁𪚥 (Ext B)" in t for t in docs.values())
    assert any("x" * 32767 in t for t in docs.values())
    assert any(n.startswith("𠀀👍") for n in docs)
    runner = CliRunner()
    done = runner.invoke(cli, ["check", str(path), "--as-of", "2026-03-10 12:00", "--json"])
    assert json.loads(done.output)["cases"][-1]["case_id"] == "𠀀👍"


def test_surrogate_pair_escapes_read_as_one_character(tmp_path):
    """Some writers escape an emoji as two _xD83D__xDE00_ halves; it reads as one 😀."""
    from officebot.xlsx import item_text
    assert item_text(b"<t>a_xD83D__xDE00_b</t>") == "a😀b"
    assert item_text(b"<t>_xD800_</t>") == "\ufffd"


def test_manifest_paths_outside_letters_are_not_trusted(tmp_path):
    """A letters record edited to point elsewhere is not followed."""
    rows = [dict(case_id="M1", received_at=OLD, customer="张三", category="服务")]
    path = write_register(tmp_path / "台账.xlsx", rows)
    (tmp_path / "letters").mkdir()
    record = {"version": 1, "letters": {"M1": {"apology": {
        "path": "../outside_apology.docx", "fingerprint": "x", "template": "apology_zh.docx",
        "drafted_at": "2026-03-01T00:00:00"}}}}
    (tmp_path / "letters" / "officebot-letters.json").write_text(json.dumps(record), "utf-8")
    run(path)
    assert not (tmp_path.parent / "outside_apology.docx").exists()
    assert not (tmp_path / "outside_apology.docx").exists()
    assert os.listdir(tmp_path / "letters" / "2026-03")


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_a_link_in_letters_pointing_outside_is_not_followed(tmp_path):
    rows = [dict(case_id="L1", received_at=OLD, customer="张三", category="服务")]
    folder = tmp_path / "office"
    folder.mkdir()
    path = write_register(folder / "台账.xlsx", rows)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (folder / "letters").mkdir()
    (folder / "letters" / "2026-03").symlink_to(outside)
    out = run(path)
    assert not list(outside.iterdir())
    assert out.letters_drafted == 0
    assert any("中有一个链接指向该文件夹之外" in p for p in out.letter_problems)  # in Chinese


def test_every_part_written_is_well_formed_with_markup_in_values(tmp_path):
    """Markup characters and control characters in every grouped and listed field: each XML
    part of the workbook (sheets, charts, drawings) and of each letter still parses."""
    from lxml import etree
    nasty = ['A&B <注意> "q" \'s\'', "]]><x/>", "\x07\x1b", "&amp;", "<![CDATA[x]]>"]
    rows = [dict(case_id=f"N{i}", received_at=OLD - dt.timedelta(days=40 * (i % 3)),
                 customer=t, category=t, department=t, handler=t, channel=t, summary=t,
                 resolution=t) for i, t in enumerate(nasty)]
    path = write_register(tmp_path / "台账.xlsx", rows)
    run(path)
    report = tmp_path / "月报.xlsx"
    write_report(path, load_settings(), report, AS_OF)
    packages = [path, report, *sorted((tmp_path / "letters").rglob("*.docx"))]
    assert len(packages) > 3
    for package in packages:
        with zipfile.ZipFile(package) as zf:
            for name in zf.namelist():
                if name.endswith((".xml", ".rels")):
                    etree.fromstring(zf.read(name))  # raises on a malformed part
    wb = openpyxl.load_workbook(path)
    values = {c.value for ws in wb if ws.title != "台账" for r in ws.iter_rows() for c in r}
    assert 'A&B <注意> "q" \'s\'' in values and "]]><x/>" in values


# --- times at the calendar's ends -------------------------------------------------------------
_EXTRA = ["约定答复时间", "延期至", "回访时间"]
BEYOND = [  # (column, value): each must make its row a problem row, never an OverflowError
    ("received_at", "9999-12-31 20:00"),
    ("received_at", "9999年12月31日 下午11:59"),
    ("received_at", dt.datetime(9999, 12, 31, 20, 0)),   # a date cell (an Excel serial)
    ("received_at", "9999-12-20 08:00"),                  # its close-by time is past 9999
    ("received_at", "0001-01-01 00:00"),
    ("closed_at", "9999-12-31 10:00"),                    # the follow-up would be past 9999
    ("约定答复时间", "0001-01-01 00:00"),                   # due-soon is counted back from it
    ("延期至", "9999-12-31 23:59"),
]


def _beyond_register(tmp_path, column, value):
    from conftest import ZH_HEADERS, write_register as write_plain
    bad = dict(case_id="TS-1", received_at="2026-03-01 09:00", customer="张三", category="服务")
    bad[column] = value
    good = dict(case_id="TS-2", received_at="2026-03-05 09:00", customer="李四", category="服务")
    return write_plain(tmp_path / "台账.xlsx", [bad, good], headers=ZH_HEADERS + _EXTRA)


@pytest.mark.parametrize("mode", ["calendar", "working"])
@pytest.mark.parametrize("column,value", BEYOND)
def test_a_time_at_the_calendars_end_is_a_problem_row(tmp_path, column, value, mode):
    from test_rules import settings as make_settings
    path = _beyond_register(tmp_path, column, value)
    settings = make_settings(clocks__mode=mode)
    result = check_register(path, settings, AS_OF)
    assert [j.case_id for j in result.judgements] == ["TS-2"]
    assert [(p.row, p.kind) for p in result.problems] == [(3, "bad_time")]
    assert "9999-12-31" in result.problems[0].message
    shown = value if isinstance(value, dt.datetime) else None
    if shown is not None:  # a date cell is named as a date, not as its serial number
        assert f"{shown:%Y-%m-%d %H:%M}" in result.problems[0].message
    out = run_batch(path, settings, AS_OF)
    assert out.problems == 1
    assert openpyxl.load_workbook(path)["台账"].max_row == 4  # written back, title row too


@pytest.mark.parametrize("column,value", BEYOND[:2])
def test_commands_end_well_on_a_time_at_the_calendars_end(tmp_path, column, value):
    path = _beyond_register(tmp_path, column, value)
    for command in ("check", "run", "letters"):
        result = CliRunner().invoke(cli, [command, str(path), "--as-of", f"{AS_OF:%Y-%m-%d %H:%M}"])
        assert result.exit_code == 0, (command, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit)
    result = CliRunner().invoke(cli, ["report", str(path), "--out", str(tmp_path / "r.xlsx"),
                                      "--as-of", f"{AS_OF:%Y-%m-%d %H:%M}"])
    assert result.exit_code == 0, result.output


def test_times_far_from_the_ends_are_judged(tmp_path):
    """The guard only takes the clocks' room: a time years before 9999 is judged."""
    path = _beyond_register(tmp_path, "received_at", "9990-01-01 09:00")
    result = check_register(path, load_settings(), AS_OF)
    assert [j.case_id for j in result.judgements] == ["TS-1", "TS-2"] and not result.problems


@pytest.mark.parametrize("serial,date1904,expected", [
    (2958465.5, False, dt.datetime(9999, 12, 31, 12, 0)),
    (2958465.99999999, False, None),       # rounds into year 10000
    (2958465.5 - 1462, True, dt.datetime(9999, 12, 31, 12, 0)),
    (2958465, True, None),                 # past 9999 when counted from 1904
    (1e300, False, None),
])
def test_serials_at_the_calendars_end(serial, date1904, expected):
    from officebot.values import Unreadable, serial_to_datetime
    if expected is None:
        with pytest.raises(Unreadable):
            serial_to_datetime(serial, date1904)
    else:
        assert serial_to_datetime(serial, date1904) == expected


# --- cells past Excel's 32,767 characters ------------------------------------------------------
def _replace_text(path: Path, old: str, new: str) -> None:
    """Put ``new`` where the workbook has ``old`` (openpyxl cuts text at 32,767 characters)."""
    with zipfile.ZipFile(path) as zf:
        parts = [(i, zf.read(i)) for i in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in parts:
            zf.writestr(info, data.replace(old.encode(), new.encode()))


@pytest.mark.parametrize("column", ["case_id", "category", "handler", "summary", "customer"])
def test_a_cell_past_excels_limit_is_a_problem_row(tmp_path, column):
    huge = "HUGE-CELL"
    rows = [dict(case_id="TS-1", received_at=OLD, customer="张三", category="服务",
                 handler="王五", summary="短", phone="13800138000"),
            dict(case_id="TS-2", received_at=OLD, customer="李四", category="服务",
                 summary="x" * 32767, phone="13800138001")]  # exactly the limit: fine
    rows[0][column] = huge
    path = write_register(tmp_path / "台账.xlsx", rows)
    _replace_text(path, huge, "长" * 32768)
    for lean in (True, False):  # as `check` reads, and as `run` reads to draft letters
        result = check_register(path, load_settings(), AS_OF,
                                ReadOptions(cases="rules" if lean else "full"))
        if column in ("summary", "customer") and lean:
            # `check` never decodes these texts (nor writes them): the row is judged
            assert len(result.judgements) == 2
            continue
        assert [j.case_id for j in result.judgements] == ["TS-2"]
        assert [(p.row, p.kind) for p in result.problems] == [(3, "too_long")]
        assert "32,768" in result.problems[0].message and len(result.problems[0].value) < 50
    out = run(path)
    assert out.problems == 1
    wb = openpyxl.load_workbook(path)
    longest = max(len(str(c.value)) for ws in wb for r in ws.iter_rows() for c in r
                  if c.value is not None and ws.title != "台账")
    assert longest <= 32767


@pytest.mark.parametrize("as_of", ["0001-01-01 00:00", "1899-12-31 23:59", "9999-12-31 23:00"])
def test_an_as_of_outside_the_calendar_is_one_sentence(tmp_path, as_of):
    path = _beyond_register(tmp_path, "closed_at", "2026-03-02 09:00")
    for command in ("check", "run", "letters"):
        result = CliRunner().invoke(cli, [command, str(path), "--as-of", as_of])
        assert result.exit_code == 2, (command, result.output)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "1900-01-01" in lines[0], result.stderr
