"""Data flows one way: the register is read once (reader -> rules -> writers), through one
package object per run that the workbook editor then writes from; nothing opens it again.
Between the two the run lets go of the file, and a save by anyone meanwhile stops the write."""

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
    assert opened == [str(path)]  # one package: the reading pass, then the editor
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
    assert passes == [path] and opened == [str(path)]


def _save_by_someone(path):
    """What Excel does on save: a new file put in the register's place."""
    import openpyxl
    wb = openpyxl.load_workbook(path)
    wb.active["A2"] = "C0-改"
    wb.save(str(path) + ".tmp")
    import os
    os.replace(str(path) + ".tmp", path)
    return path.read_bytes()


@pytest.mark.parametrize("letters", [False, True])
def test_a_save_while_the_run_drafts_stops_the_write(register, letters, monkeypatch):
    """The register saved by someone between the reading pass and the write (while
    letters and mail are done, or just after the reading): the run writes nothing (their
    save stays as it is) and says so in one sentence."""
    import officebot.batch
    from officebot.errors import WorkbookLockedError
    path = _register(register)
    saved = []
    real = officebot.batch._mail_view

    def then_save(*args):
        saved.append(_save_by_someone(path))
        return real(*args)
    if not letters:  # no mail step without letters: the save comes right after the reading
        monkeypatch.setattr(officebot.batch, "_mail_view", then_save)
    with pytest.raises(WorkbookLockedError) as err:
        run_batch(path, load_settings(), dt.datetime(2026, 3, 20, 9), letters=letters,
                  mail_step=lambda result, folder: saved.append(_save_by_someone(path)))
    assert saved and path.read_bytes() == saved[0]
    assert "被他人保存" in err.value.text("zh") and "saved by someone else" in str(err.value)
    assert not (path.parent / "backups").exists() or not any((path.parent / "backups").iterdir())


def test_a_file_put_back_as_it_was_still_counts_as_saved(register):
    """Only the same file is the file that was read: the same bytes written anew (a save
    without a change) stop the write too, since the run cannot tell what changed."""
    from officebot.errors import WorkbookLockedError
    path = _register(register)
    data = path.read_bytes()

    def rewrite(result, folder):
        path.with_suffix(".tmp").write_bytes(data)
        import os
        os.replace(path.with_suffix(".tmp"), path)
    with pytest.raises(WorkbookLockedError):
        run_batch(path, load_settings(), dt.datetime(2026, 3, 20, 9), letters=True,
                  mail_step=rewrite)
    assert path.read_bytes() == data
