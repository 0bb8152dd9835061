"""Safety: workbook open in Excel/WPS, side copies, backups, and kills at any moment."""

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import AS_OF, row
from officebot.batch import run_batch
from officebot.errors import WorkbookLockedError
from officebot.settings import load_settings
from officebot.workbook import safety

T0 = dt.datetime(2026, 3, 1, 9, 0)


def rows(n=5):
    return [row(f"C-{i:03d}", T0 + dt.timedelta(hours=i), customer=f"客户{i}",
                phone=f"1380000{i:04d}", category="服务") for i in range(n)]


def run(path, **kw):
    return run_batch(path, load_settings(), AS_OF, letters=False, **kw)


def test_owner_file_means_open_in_excel_and_nothing_is_written(register):
    path = register(rows())
    before = path.read_bytes()
    owner = path.with_name("~$" + path.name)
    owner.write_bytes(bytes([4]) + b"wang" + bytes(49) + b"\x04\x00" + "王小明".encode("utf-16-le"))
    with pytest.raises(WorkbookLockedError, match="open") as info:
        run(path)
    assert owner.name in str(info.value)
    assert path.read_bytes() == before
    assert not (path.parent / "backups").exists()


def test_libreoffice_lock_file_is_recognised(register):
    path = register(rows())
    path.with_name(f".~lock.{path.name}#").write_text(",李四,host,01.01.2026 10:00,", "utf-8")
    reason = safety.lock_reason(path)
    assert reason and "李四" in reason


@pytest.mark.parametrize("text, user", [
    ("王芳,wangf,PC-7,07.12.2026 10:00,file:///home/wangf;", "王芳"),   # the name first
    (",wangf,PC-7,07.12.2026 10:00,file:///home/wangf;", "wangf"),     # else the login
    ("", "")])
def test_a_libreoffice_lock_names_its_user_as_the_lock_holder_does(register, text, user):
    from officebot.lock_holder import lock_holder
    path = register(rows())
    owner = path.with_name(f".~lock.{path.name}#")
    owner.write_text(text, "utf-8")
    assert safety.owner_name(owner) == user
    assert lock_holder(path).user == user


def test_side_copy_when_open(register):
    path = register(rows())
    before = path.read_bytes()
    path.with_name("~$" + path.name).write_bytes(b"\x01x")
    out = run(path, side_copy=True)
    assert out.side_copy and out.written_to == path.with_name(f"{path.stem} (officebot).xlsx")
    assert path.read_bytes() == before
    assert out.backup is None
    ws = openpyxl.load_workbook(out.written_to)["台账"]
    assert ws.cell(2, 19).value == "答复状态"


def test_wait_gives_up_after_the_limit_with_one_sentence(register):
    path = register(rows())
    path.with_name("~$" + path.name).write_bytes(b"\x01x")
    calls = []
    with pytest.raises(WorkbookLockedError, match="waited"):
        safety.ensure_unlocked(path, wait_minutes=0.002, poll_seconds=0.01,
                               sleep=lambda s: (calls.append(s), time.sleep(s)))
    assert calls


def test_wait_succeeds_when_the_workbook_is_closed_meanwhile(register):
    path = register(rows())
    owner = path.with_name("~$" + path.name)
    owner.write_bytes(b"\x01x")
    waits = []

    def excel_closes(seconds):
        waits.append(seconds)
        owner.unlink()
    safety.ensure_unlocked(path, wait_minutes=1, poll_seconds=0.01, sleep=excel_closes)
    assert waits == [0.01] and not owner.exists()  # waited once, then went on


def test_backups_are_made_and_pruned(register, tmp_path):
    path = register(rows())
    original = path.read_bytes()
    made = [safety.make_backup(path, keep=3, now=dt.datetime(2026, 3, 1, 9, 0, i))
            for i in range(5)]
    left = safety.backups_of(path)
    assert len(left) == 3 and left[-1] == made[-1]
    assert made[-1].read_bytes() == original
    out = run(path)
    assert out.backup is not None and out.backup.read_bytes() == original


def test_no_temporary_file_is_left_behind(register):
    path = register(rows())
    run(path)
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_failed_verification_leaves_the_register_alone(register, monkeypatch):
    path = register(rows())
    before = path.read_bytes()

    def broken(tmp, part, count, checked=None):
        raise safety.OfficebotError("the new workbook did not read back correctly")
    monkeypatch.setattr(safety, "verify_package", broken)
    with pytest.raises(safety.OfficebotError):
        run(path)
    assert path.read_bytes() == before
    assert not any(p.name.endswith(".tmp") for p in path.parent.iterdir())


def test_a_malformed_rewrite_is_caught_while_written_and_nothing_changes(register,
                                                                          monkeypatch):
    """The register sheet is parsed as it streams out (in a second process); a rewrite that
    breaks the XML stops the run before the register is touched."""
    from officebot.workbook import columns
    path = register(rows())
    before = path.read_bytes()
    real = columns.StatusWriter.__call__

    def breaks_xml(self, src, dst):
        real(self, src, dst)
        dst.write(b"<row>")  # after the end of the document
    monkeypatch.setattr(columns.StatusWriter, "__call__", breaks_xml)
    with pytest.raises(safety.OfficebotError, match="did not read back correctly"):
        run(path)
    assert path.read_bytes() == before
    assert not any(p.name.endswith(".tmp") for p in path.parent.iterdir())


def test_a_save_by_someone_else_after_the_reading_pass_is_not_overwritten(register,
                                                                          monkeypatch):
    """What was read (cases, the column plan) belongs to the file as it was; a save between
    the reading pass and the write stops the run and keeps the other person's save."""
    from officebot import batch
    path = register(rows())
    other = register(rows(8), name="other.xlsx")
    real = batch.check_register
    saved = other.read_bytes()

    def read_then_someone_saves(*args, **kwargs):
        result = real(*args, **kwargs)
        os.replace(other, path)  # Excel saves by writing a new file in its place
        return result
    monkeypatch.setattr(batch, "check_register", read_then_someone_saves)
    with pytest.raises(WorkbookLockedError, match="saved by someone else"):
        run(path)
    assert path.read_bytes() == saved


def test_verify_package_rejects_a_cut_file(register, tmp_path):
    path = register(rows())
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(path.read_bytes()[:-200])
    with pytest.raises(safety.OfficebotError):
        safety.verify_package(cut, "xl/worksheets/sheet1.xml", 1)


def test_dry_run_writes_nothing(register):
    path = register(rows())
    before = path.read_bytes()
    out = run(path, dry_run=True)
    assert path.read_bytes() == before
    assert out.written_to is None and out.dry_run_changes
    assert any("新增状态列" in line for line in out.dry_run_changes)


KILL_SCRIPT = textwrap.dedent("""
    import sys, datetime as dt
    from officebot.batch import run_batch
    from officebot.settings import load_settings
    run_batch(sys.argv[1], load_settings(), dt.datetime(2026, 3, 10, 12, 0), letters=False)
""")


def _complete(path: Path, expect_status: bool) -> bool:
    wb = openpyxl.load_workbook(path, read_only=True)
    ws = wb["台账"]
    header = [c.value for c in next(ws.iter_rows(min_row=2, max_row=2))]
    has_status = "答复状态" in header
    count = sum(1 for _ in ws.iter_rows(min_row=3, values_only=True))
    wb.close()
    return count == 3000 and (has_status == expect_status)


def test_kill_at_random_moments_leaves_old_or_new_workbook(register, tmp_path):
    base = register(rows(3000), name="base.xlsx")
    original = base.read_bytes()
    script = tmp_path / "kill_me.py"
    script.write_text(KILL_SCRIPT, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    # How long a full run takes here, to spread the kills over it.
    work = tmp_path / "timing.xlsx"
    work.write_bytes(original)
    started = time.monotonic()
    subprocess.run([sys.executable, str(script), str(work)], env=env, check=True)
    full = time.monotonic() - started
    rng = random.Random(3)
    delays = sorted(rng.uniform(0.05, full * 1.1) for _ in range(15))
    outcomes = []
    for i, delay in enumerate(delays):
        target = tmp_path / f"k{i}" / "台账.xlsx"
        target.parent.mkdir()
        target.write_bytes(original)
        proc = subprocess.Popen([sys.executable, str(script), str(target)], env=env)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        data = target.read_bytes()
        if data == original:
            outcomes.append("old")
            continue
        with zipfile.ZipFile(target) as zf:
            assert zf.testzip() is None
        assert _complete(target, expect_status=True), f"kill after {delay:.2f}s broke it"
        outcomes.append("new")
    print("kill outcomes:", outcomes)
    assert "old" in outcomes  # every one was either the old or a complete new workbook
