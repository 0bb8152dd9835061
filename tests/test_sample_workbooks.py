"""The bundled sample register, the large-register generator, and checking the sample."""

import collections
import datetime as dt
import importlib.util
import json
import re
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from officebot.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_workbooks" / "投诉登记台账.xlsx"
AS_OF = "2026-11-22 09:00"


def load_script(name):
    """Import a script from sample_workbooks/ (not a package) as a module."""
    spec = importlib.util.spec_from_file_location(f"sample_{name}",
                                                  ROOT / "sample_workbooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_sample = load_script("make_sample")
generate = load_script("generate")


@pytest.fixture(scope="module")
def sheet():
    """The committed sample's register sheet (openpyxl, normal mode)."""
    return openpyxl.load_workbook(SAMPLE)["投诉登记台账"]


def values(path, name):
    """All cell values of one sheet, row by row."""
    return list(openpyxl.load_workbook(path)[name].iter_rows(values_only=True))


def test_sample_exists_and_is_small():
    assert SAMPLE.is_file()
    assert SAMPLE.stat().st_size < 1_000_000


def test_sample_is_what_make_sample_writes(tmp_path):
    built = make_sample.build(tmp_path / "sample.xlsx")
    for name in ("填表说明", "投诉登记台账", "图表"):
        assert values(built, name) == values(SAMPLE, name), name


def test_sheets_title_and_header_on_row_3(sheet):
    wb = openpyxl.load_workbook(SAMPLE)
    assert wb.sheetnames == ["填表说明", "投诉登记台账", "图表"]
    assert wb.sheetnames.index(sheet.title) == 1
    assert "2026年客户投诉登记台账" in sheet["A1"].value
    assert "A1:R1" in {str(r) for r in sheet.merged_cells.ranges}
    assert [c.value for c in sheet[3]] == make_sample.HEADERS
    assert {"投诉编号", "受理时间", "备注", "录入人"} <= set(make_sample.HEADERS)
    assert sheet.freeze_panes == "A4"
    assert sheet.auto_filter.ref.startswith("A3:R")
    assert 250 <= sheet.max_row - 3 <= 400
    # the instructions sheet has no header row officebot could take for the register
    for row in wb["填表说明"].iter_rows(values_only=True):
        assert not {"投诉编号", "受理时间"} <= set(row)


def test_sample_holds_charts_and_dropdowns(sheet):
    with zipfile.ZipFile(SAMPLE) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 2
        assert "图表" in z.read(charts[0]).decode("utf-8")
    formulas = [row[1] for row in values(SAMPLE, "图表") if isinstance(row[1], str)]
    assert any(f.startswith("=COUNTIF('投诉登记台账'!") for f in formulas)
    lists = {str(dv.sqref): dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert lists["H4:H1000"] == '"一般,严重,危机"'
    assert lists["C4:C1000"] == '"来电,来访,来函,电子邮件,网络,回访"'


def column(sheet, header):
    """The data cells (row 4 on) of the column with this header."""
    index = [c.value for c in sheet[3]].index(header) + 1
    return [sheet.cell(r, index) for r in range(4, sheet.max_row + 1)]


def test_sample_is_messy(sheet):
    received = [c.value for c in column(sheet, "受理时间")]
    kinds = collections.Counter(type(v).__name__ for v in received)
    assert kinds["datetime"] > 100 and kinds["float"] >= 5 and kinds["str"] >= 10
    texts = [v for v in received if isinstance(v, str)]
    for form in (r"^\d{4}-\d\d-\d\d \d\d:\d\d$", r"^\d{4}/\d{1,2}/\d{1,2}$",
                 r"^\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d$"):
        assert any(re.match(form, t) for t in texts), form
    assert any(c.number_format == "yyyy-mm-dd" for c in column(sheet, "受理时间"))
    assert "待补录" in texts
    phones = [v for v in (c.value for c in column(sheet, "联系电话")) if v is not None]
    assert any(isinstance(p, int) for p in phones)
    for mark in ("+86 ", "0086", "-", "E+10"):
        assert any(isinstance(p, str) and mark in p for p in phones), mark
    categories = {c.value for c in column(sheet, "投诉类别")}
    assert {"产品质量", "产品质量类", "用户问题"} <= categories
    assert {None, "一般", "严重", "危机"} <= {c.value for c in column(sheet, "投诉等级")}
    summaries = column(sheet, "投诉内容")
    formula_like = [c for c in summaries if isinstance(c.value, str) and c.value.startswith("=")]
    assert formula_like and all(c.data_type == "s" for c in formula_like)
    assert any("\n" in (c.value or "") for c in summaries)
    assert any("😡" in (c.value or "") for c in summaries)
    answers = [c.value for c in column(sheet, "客户满意度")]
    assert any(isinstance(a, int) for a in answers) and "满意" in answers
    ids = [c.value for c in column(sheet, "投诉编号")]
    assert [i for i, n in collections.Counter(ids).items() if i and n > 1]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert sum(1 for r in rows if not any(v is not None for v in r)) >= 3
    assert any(r[0] is None and any(r[1:]) for r in rows)


def test_generate_writes_a_valid_register_quickly(tmp_path):
    started = time.perf_counter()
    path = generate.generate(tmp_path / "big.xlsx", 2000, seed=3)
    assert time.perf_counter() - started < 30
    wb = openpyxl.load_workbook(path, read_only=True)
    ws = wb["投诉登记台账"]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == generate.HEADERS
    assert ws.max_row == 2001
    data = [r for r in rows[1:] if any(v is not None for v in r)]
    assert 1990 <= len(data) <= 2000
    assert len({r[8] for r in data}) > 0.99 * len(data)  # summaries are (nearly) all different
    kinds = {type(r[1]).__name__ for r in data}
    assert {"datetime", "str", "float"} <= kinds
    with zipfile.ZipFile(path) as z:
        sst = z.read("xl/sharedStrings.xml").decode("utf-8")
        assert 'uniqueCount="' in sst
        assert "inlineStr" not in z.read("xl/worksheets/sheet1.xml").decode()


def test_generate_is_deterministic(tmp_path):
    first = generate.generate(tmp_path / "a.xlsx", 300, seed=7)
    second = generate.generate(tmp_path / "b.xlsx", 300, seed=7)
    assert values(first, "投诉登记台账") == values(second, "投诉登记台账")


@pytest.mark.parametrize("rows", [0, generate.MAX_ROWS + 1])
def test_generate_refuses_impossible_sizes(tmp_path, rows):
    with pytest.raises(ValueError, match="rows must be between"):
        generate.generate(tmp_path / "x.xlsx", rows)


def test_generate_command_line_reports_time(tmp_path, capsys):
    generate.main(["--rows", "50", str(tmp_path / "small.xlsx")])
    assert re.search(r"50 rows, .* s$", capsys.readouterr().out.strip())


def planted_rows(sheet):
    """Worksheet rows of the planted problems: (duplicate id, blank id, 待补录, unreadable reply)."""
    seen, duplicate, blank, pending, reply = set(), None, None, None, None
    for cell in column(sheet, "投诉编号"):
        r = cell.row
        row = [c.value for c in sheet[r]]
        if cell.value is None:
            if any(v is not None for v in row):
                blank = r
            continue
        if cell.value in seen:
            duplicate = r
        seen.add(cell.value)
        if row[1] == "待补录":
            pending = r
        if row[12] == "已电话答复":
            reply = r
    return duplicate, blank, pending, reply


def test_checking_the_sample(tmp_path, monkeypatch, sheet):
    register = tmp_path / "投诉登记台账.xlsx"
    register.write_bytes(SAMPLE.read_bytes())
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", str(register), "--json", "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    problems = {(p["row"], p["column"]) for p in doc["problems"]}
    duplicate, blank, pending, reply = planted_rows(sheet)
    assert {(duplicate, "投诉编号"), (blank, "投诉编号"), (pending, "受理时间"),
            (reply, "答复时间")} <= problems
    rows = {c["row"] for c in doc["cases"]}
    assert not rows & {duplicate, blank, pending, reply}
    assert 250 <= len(doc["cases"]) == doc["kpis"]["total"]
    repeats = collections.Counter(c["repeat_of"] for c in doc["cases"] if c["repeat_of"])
    assert sum(repeats.values()) >= 10
    assert max(repeats.values()) >= 2  # a chain of three: two cases lead back to one original
    statuses = {c["reply_status"] for c in doc["cases"]} | {c["close_status"] for c in doc["cases"]}
    assert {"on_time", "late", "overdue", "due_soon", "pending"} <= statuses
    assert {c["escalation"] for c in doc["cases"]} >= {0, 2, 4}
    assert register.read_bytes() == SAMPLE.read_bytes()  # check writes nothing


def test_checking_the_sample_as_text(tmp_path, monkeypatch, sheet):
    register = tmp_path / "投诉登记台账.xlsx"
    register.write_bytes(SAMPLE.read_bytes())
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", str(register), "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    pending = planted_rows(sheet)[2]
    assert "待补录" in result.output or f"B{pending}" in result.output


def test_sample_snapshot_is_before_the_benchmark_time(sheet):
    latest = max(c.value for c in column(sheet, "受理时间") if isinstance(c.value, dt.datetime))
    assert latest <= dt.datetime(2026, 11, 22, 9, 0)


def check_json(path):
    """`officebot check --json` of a register, parsed."""
    result = CliRunner().invoke(cli, ["check", str(path), "--json", "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_generated_register_checks_the_same_with_title_rows_and_1904_dates(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    plain = check_json(generate.generate(tmp_path / "plain.xlsx", 400, seed=5))
    other = check_json(generate.generate(tmp_path / "titled.xlsx", 400, seed=5, title=True,
                                         date1904=True))
    wb = openpyxl.load_workbook(tmp_path / "titled.xlsx", read_only=True)
    assert next(wb.active.iter_rows(min_row=3, max_row=3, values_only=True))[:2] == ("投诉编号", "受理时间")
    assert wb.epoch == openpyxl.utils.datetime.CALENDAR_MAC_1904
    shifted = [dict(c, row=c["row"] - 2) for c in other["cases"]]
    assert len(plain["cases"]) > 390
    assert shifted == plain["cases"]
    assert other["kpis"] == plain["kpis"]
    assert [p["row"] - 2 for p in other["problems"]] == [p["row"] for p in plain["problems"]]
    assert any(c["repeat_of"] for c in plain["cases"])


def test_benchmark_script_runs_on_a_small_register(capsys):
    spec = importlib.util.spec_from_file_location("bench_check",
                                                  ROOT / "benchmarks" / "bench_check.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    bench.main(["--rows", "300"])
    out = capsys.readouterr().out
    for label in ("officebot check --json", "openpyxl.load_workbook", "ratio check/openpyxl"):
        line = next(x for x in out.splitlines() if x.startswith(label))
        wall, peak = (float(x) for x in line.split()[-2:])
        assert wall > 0 and peak > 0
