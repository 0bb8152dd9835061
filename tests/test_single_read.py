"""Data flows one way: the register is read once (reader -> rules -> writers); the workbook
editor opens the package once to rewrite it, and nothing opens it again."""

import datetime as dt

import pytest

import officebot.package
from officebot.batch import run_batch, write_report
from officebot.settings import load_settings

from conftest import row


@pytest.fixture
def opened(monkeypatch):
    """The sources every package was opened from, in order."""
    seen = []
    real = officebot.package.Zip.__init__

    def spy(self, source, *args, **kwargs):
        seen.append(str(source))
        real(self, source, *args, **kwargs)

    monkeypatch.setattr(officebot.package.Zip, "__init__", spy)
    return seen


def _register(register):
    rows = [row(f"C{i}", dt.datetime(2026, 3, 1, 9) + dt.timedelta(hours=i), customer=f"客户{i}",
                phone=f"1380013800{i}", summary=f"投诉内容{i}", category="服务")
            for i in range(6)]
    return register(rows)


def test_a_run_reads_the_register_once_and_lists_every_field(register, opened):
    path = _register(register)
    out = run_batch(path, load_settings(), dt.datetime(2026, 3, 20, 9), letters=False)
    assert out.overdue == 6
    assert opened == [str(path), str(path)]  # the reading pass, then the editor
    import openpyxl
    wb = openpyxl.load_workbook(path, read_only=True)
    lists = [ws for ws in wb.worksheets if ws.title in ("逾期清单", "Overdue")]
    assert lists, wb.sheetnames
    cells = [c for r in lists[0].iter_rows(values_only=True) for c in r if c]
    assert "客户3" in cells and "投诉内容3" in cells  # fields the lean read left out
    wb.close()


def test_a_report_reads_the_register_once(register, opened, tmp_path):
    path = _register(register)
    write_report(path, load_settings(), tmp_path / "report.xlsx", dt.datetime(2026, 3, 20, 9))
    assert [p for p in opened if p == str(path)] == [str(path)]  # read and written through one


def test_a_run_with_letters_takes_the_same_path(register, opened, monkeypatch):
    """With letters the run still reads the register once and the summary lists every field
    from that pass (one data path, with or without letters)."""
    import officebot.check
    import officebot.register
    passes = []
    real = officebot.register.read_cases

    def counting(*args, **kwargs):
        passes.append(args[0])
        return real(*args, **kwargs)
    monkeypatch.setattr(officebot.check, "read_cases", counting)
    path = _register(register)
    out = run_batch(path, load_settings(), dt.datetime(2026, 3, 20, 9), letters=True)
    assert out.overdue == 6 and out.summary_sheets
    assert passes == [path] and opened.count(str(path)) == 2
