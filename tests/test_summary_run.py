"""Summary sheets through the real writer: `run` (in the register) and `report` (apart)."""

import zipfile

import openpyxl
import pytest

from conftest import AS_OF
from officebot.batch import run_batch, write_report
from officebot.settings import load_settings
from officebot.workbook.summary import SHEETS
from test_summary import ROWS, by_header, libreoffice_recalculated, rate_cells

ZH_NAMES = [zh for zh, _ in SHEETS.values()]


def sheet_xml_by_name(path):
    """{sheet name: worksheet XML bytes} of a workbook."""
    wb = openpyxl.load_workbook(path, read_only=True)
    names = wb.sheetnames
    wb.close()
    from officebot.workbook.package import Package
    with Package(path) as pkg:
        return {e.name: pkg.read(e.part) for e in pkg.sheets() if e.name in names}


def test_run_adds_the_summary_after_the_register_and_replaces_it(register):
    path = register(ROWS)
    settings = load_settings()
    first = run_batch(path, settings, AS_OF, letters=False)
    assert first.summary_sheets == ZH_NAMES
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["台账"] + ZH_NAMES
    before = sheet_xml_by_name(path)
    second = run_batch(path, settings, AS_OF, letters=False)
    assert second.summary_sheets == ZH_NAMES
    after = sheet_xml_by_name(path)
    assert openpyxl.load_workbook(path).sheetnames == ["台账"] + ZH_NAMES
    changed = [name for name in before if before[name] != after[name]]
    assert changed == ["运行记录"]          # same as-of: only the run log changes
    log = by_header(openpyxl.load_workbook(path)["运行记录"])
    assert len(log) == 2
    assert log[0]["新增逾期编号"] and log[1]["新增逾期数"] == 0
    assert [r["截至时间"] for r in log] == [AS_OF, AS_OF]
    with zipfile.ZipFile(path) as zf:   # the old charts went with the old sheets
        assert len([n for n in zf.namelist() if n.startswith("xl/charts/")]) == 2


def test_report_writes_the_summary_as_a_separate_workbook(register, tmp_path):
    path = register(ROWS)
    out = tmp_path / "report.xlsx"
    result = write_report(path, load_settings(), out, AS_OF)
    assert result.written_to == out
    wb = openpyxl.load_workbook(out, data_only=True)
    assert wb.sheetnames == ZH_NAMES
    kpis = {r["指标"]: (r["分子"], r["分母"], r["数值"]) for r in by_header(wb["概览"])}
    assert kpis["回复率"] == (3, 4, 0.75)
    assert len(wb["概览"]._charts) == 2
    assert openpyxl.load_workbook(path).sheetnames == ["台账"]   # the register is untouched


def test_libreoffice_agrees_with_the_run_output(register, tmp_path):
    path = register(ROWS)
    run_batch(path, load_settings(), AS_OF, letters=False)
    outdir = tmp_path / "lo"
    outdir.mkdir()
    converted = libreoffice_recalculated(path, outdir)
    ours, theirs = rate_cells(path, True), rate_cells(converted, True)
    assert len(ours) > 20
    for key, value in ours.items():
        if value in (None, ""):
            assert theirs.get(key) in (None, ""), key
        else:
            assert theirs.get(key) == pytest.approx(value, rel=1e-12), key
    wb = openpyxl.load_workbook(converted)
    assert wb.sheetnames == ["台账"] + ZH_NAMES
    assert len(wb["概览"]._charts) == 2


def test_lists_show_the_complaint_with_or_without_letters(register):
    """A run without letters reads the register's long texts only for the listed cases."""
    path = register(ROWS)
    settings = load_settings()
    run_batch(path, settings, AS_OF, letters=False)
    overdue = {r["编号"]: r for r in by_header(openpyxl.load_workbook(path)["逾期清单"])}
    assert overdue["A3"]["投诉内容"].startswith("漏水")
    before = sheet_xml_by_name(path)["逾期清单"]
    run_batch(path, settings, AS_OF, letters=True)
    assert sheet_xml_by_name(path)["逾期清单"] == before
