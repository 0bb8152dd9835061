"""Faults a shared drive brings: the register open or locked elsewhere, read-only folders, a
full disk, runs killed at random moments, two runs at once, the clock going back, a typo in
the settings. Each ends in the old or the new complete workbook and at most one sentence."""

import datetime as dt
import errno
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from officebot.cli import cli
from officebot.workbook import safety

from conftest import need_tool
from hostile_data import write_register

REPO = Path(__file__).resolve().parents[1]
OLD = dt.datetime(2026, 3, 1, 9, 0)
AS_OF_ARG = ["--as-of", "2026-03-10 12:00"]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def sha(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def rows(n=40):
    """Cases that need an apology and a response each; every fifth a repeat."""
    out = []
    for i in range(n):
        out.append(dict(case_id=f"C{i:03d}", received_at=OLD + dt.timedelta(hours=i),
                        customer=f"客户{i % 7}", phone=f"1380013{i % 7:04d}",
                        category="服务" if i % 5 else "账单", department="客服部",
                        handler="李四", summary=f"投诉内容 {i}", resolution=f"处理结果 {i}"))
    return out


def complete_workbook(path):
    """The workbook opens with openpyxl, every part's CRC checks, the register sheet is there."""
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return "台账" in wb.sheetnames
    finally:
        wb.close()


def has_status_columns(path):
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        head = [c.value for c in next(wb["台账"].iter_rows(min_row=2, max_row=2))]
        return "答复状态" in head
    finally:
        wb.close()


def one_sentence(text):
    lines = [line for line in text.strip().splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in text, text
    return lines[0]


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


# --- open in Excel / WPS, locked, read-only ---------------------------------------------------
@pytest.mark.parametrize("owner", ["~$台账.xlsx", ".~lock.台账.xlsx#"])
def test_open_in_excel_wps_or_libreoffice_stops_with_one_sentence(tmp_path, owner):
    path = write_register(tmp_path / "台账.xlsx", rows(3))
    before = sha(path)
    (tmp_path / owner).write_bytes(b"\x05Alice" + b"\x00" * 60)
    done = invoke("run", path, *AS_OF_ARG)
    assert done.exit_code == 1
    assert owner in one_sentence(done.output)
    assert sha(path) == before and not (tmp_path / "backups").exists()
    assert not (tmp_path / "letters").exists()


def _hold_lock(path, kind, ready, release):
    import fcntl
    with open(path, "r+b") as fh:
        (fcntl.lockf if kind == "lockf" else fcntl.flock)(fh.fileno(), fcntl.LOCK_EX)
        ready.set()
        release.wait(30)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file locks")
@pytest.mark.parametrize("kind", ["lockf", "flock"])
def test_register_locked_by_another_process(tmp_path, kind):
    path = write_register(tmp_path / "台账.xlsx", rows(3))
    before = sha(path)
    code = ("import fcntl, sys, time\n"
            f"fh = open({str(path)!r}, 'r+b')\n"
            f"fcntl.{kind}(fh.fileno(), fcntl.LOCK_EX)\n"
            "print('locked', flush=True)\n"
            "time.sleep(30)\n")
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == b"locked"
        done = invoke("run", path, *AS_OF_ARG)
        assert done.exit_code == 1
        assert "locked by another program" in one_sentence(done.output)
        assert sha(path) == before
        side = invoke("run", path, *AS_OF_ARG, "--side-copy")
        assert side.exit_code == 0, side.output
        assert sha(path) == before and has_status_columns(tmp_path / "台账 (officebot).xlsx")
    finally:
        holder.kill()
        holder.wait()
    assert invoke("run", path, *AS_OF_ARG).exit_code == 0


def run_unprivileged(args, cwd):
    """officebot in a subprocess that must respect file permissions: as root, without the
    capabilities that let root ignore them (setpriv from util-linux)."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    prefix = []
    if IS_ROOT:
        prefix = [need_tool("setpriv"), "--bounding-set=-dac_override,-dac_read_search,-fowner"]
    return subprocess.run([*prefix, sys.executable, "-m", "officebot", *map(str, args)],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def open_folder(tmp_path):
    folder = tmp_path / "office"
    folder.mkdir()
    yield folder
    for p in [folder, *folder.rglob("*")]:
        os.chmod(p, 0o777)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_read_only_register_file_stops_with_one_sentence(open_folder):
    path = write_register(open_folder / "台账.xlsx", rows(3))
    os.chmod(path, 0o444)
    before = sha(path)
    done = run_unprivileged(["run", path, *AS_OF_ARG, "--no-letters"], open_folder)
    assert done.returncode == 1, done.stderr
    assert "台账.xlsx" in one_sentence(done.stderr) and done.stdout == ""
    assert sha(path) == before


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_run_lock_left_by_a_colleagues_killed_run_does_not_block(open_folder):
    path = write_register(open_folder / "台账.xlsx", rows(3))
    lock = safety.run_lock_path(path)
    lock.write_text("4242 2026-03-01 09:00:00 colleague\n", "utf-8")
    os.chmod(lock, 0o444)  # another user's file: we may lock it, not write it
    done = run_unprivileged(["run", path, *AS_OF_ARG, "--no-letters"], open_folder)
    assert done.returncode == 0, done.stderr
    assert has_status_columns(path) and not lock.exists()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("locked", [".", "backups", "letters"])
def test_read_only_folder_stops_with_one_sentence_and_changes_nothing(open_folder, locked):
    path = write_register(open_folder / "台账.xlsx", rows(3))
    os.chmod(path, 0o666)
    for sub in ("backups", "letters"):
        (open_folder / sub).mkdir(mode=0o777)
        os.chmod(open_folder / sub, 0o777)
    os.chmod(open_folder / locked, 0o555)
    before = sha(path)
    done = run_unprivileged(["run", path, *AS_OF_ARG], open_folder)
    if locked == "letters":  # letters cannot be drafted: said so, the register is still updated
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stdout + done.stderr
        assert has_status_columns(path)
        return
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    one_sentence(done.stderr)
    assert sha(path) == before
    assert not list((open_folder / "letters").rglob("*.docx"))


# --- a full disk -------------------------------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path):
    """A small tmpfs to fill up (root only), else None."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if not IS_ROOT or not shutil.which("mount"):
        yield None
        return
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)],
                          capture_output=True)
    if done.returncode:
        yield None
        return
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill(folder, leave):
    """Fill the file system of ``folder`` until only about ``leave`` bytes are free."""
    filler = folder / "filler.bin"
    filler.unlink(missing_ok=True)
    free = shutil.disk_usage(folder).free
    with open(filler, "wb") as fh:
        try:
            fh.write(b"\0" * max(0, free - leave))
        except OSError:
            pass


def test_disk_full_at_every_stage_keeps_the_old_workbook(small_disk, tmp_path):
    source = write_register(tmp_path / "src.xlsx", rows(60))
    size = source.stat().st_size
    if small_disk is None:
        pytest.skip("no tmpfs here (needs root); the injected ENOSPC test covers this")
    outcomes = set()
    mb = 1 << 20
    for leave in (0, 4096, size // 2, size, int(size * 1.5), size * 2, size * 3, 10 * size,
                  mb, 3 * mb, 6 * mb, 12 * mb):
        for p in small_disk.iterdir():
            shutil.rmtree(p) if p.is_dir() else p.unlink()
        path = small_disk / "台账.xlsx"
        shutil.copy(source, path)
        fill(small_disk, leave)
        before = sha(path)
        done = invoke("run", path, *AS_OF_ARG)
        assert done.exception is None or isinstance(done.exception, SystemExit), done.output
        assert "Traceback" not in done.output
        assert complete_workbook(path)
        if done.exit_code:
            assert sha(path) == before, leave
            assert "could not be written" in done.output or "无法" in done.output, done.output
            outcomes.add("refused")
        else:
            outcomes.add("written")
        assert not list(small_disk.glob(".*.tmp"))  # no temporary file left behind
        for backup in (small_disk / "backups").glob("*.xlsx"):
            assert complete_workbook(backup)
        for letter in (small_disk / "letters").rglob("*.docx"):
            with zipfile.ZipFile(letter) as zf:  # a cut letter is redrafted; none is kept half
                pass
    assert outcomes == {"refused", "written"}


def test_injected_enospc_while_writing_keeps_the_old_workbook(tmp_path, monkeypatch):
    path = write_register(tmp_path / "台账.xlsx", rows(10))
    before = sha(path)
    real_fsync = os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(safety.os, "fsync", full)
    done = invoke("run", path, *AS_OF_ARG, "--no-letters")
    assert done.exit_code == 1
    assert "No space left on device" in one_sentence(done.output)
    assert sha(path) == before and not list(tmp_path.glob(".*.tmp"))
    monkeypatch.setattr(safety.os, "fsync", real_fsync)
    assert invoke("run", path, *AS_OF_ARG, "--no-letters").exit_code == 0


# --- killed at random moments ----------------------------------------------------------------
KILLS = int(os.environ.get("KILL_REPEATS", "6"))


def run_cli(folder, *args):
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.Popen([sys.executable, "-m", "officebot", *args], cwd=folder, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)


def letter_files(folder):
    return {p.relative_to(folder).as_posix(): sha(p) for p in (folder / "letters").rglob("*")
            if p.is_file() and p.suffix == ".docx"}


def valid_docx(path):
    try:
        with zipfile.ZipFile(path) as zf:
            return zf.testzip() is None
    except (zipfile.BadZipFile, OSError):
        return False


def test_killed_at_random_moments_leaves_old_or_new_workbook(tmp_path):
    source = write_register(tmp_path / "src.xlsx", rows(40))
    rng = random.Random(int(os.environ.get("KILL_SEED", "13")))
    # how long one whole run takes here, to spread the kills over all its stages
    probe = tmp_path / "probe"
    probe.mkdir()
    shutil.copy(source, probe / "台账.xlsx")
    # every kind a case is due, each on its own ([letters] combine = false): 80 letters to kill
    every_kind = "[letters]\ncombine = false\n"
    (probe / "officebot.toml").write_text(every_kind, "utf-8")
    started = time.monotonic()
    assert run_cli(probe, "run", "台账.xlsx", *AS_OF_ARG).wait(120) == 0
    whole = time.monotonic() - started
    expected_letters = letter_files(probe).keys()
    assert len(expected_letters) == 80
    budget = time.monotonic() + max(45.0, 4 * whole * KILLS)
    for attempt in range(KILLS):
        if time.monotonic() > budget:
            break
        folder = tmp_path / f"k{attempt}"
        folder.mkdir()
        path = folder / "台账.xlsx"
        shutil.copy(source, path)
        (folder / "officebot.toml").write_text(every_kind, "utf-8")
        old = sha(path)
        proc = run_cli(folder, "run", "台账.xlsx", *AS_OF_ARG)
        time.sleep(rng.uniform(0.05, whole))
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(30)
        # the register: the old file, or the complete new one
        assert complete_workbook(path), attempt
        assert sha(path) == old or has_status_columns(path), attempt
        for backup in (folder / "backups").glob("*.xlsx"):
            assert complete_workbook(backup) and sha(backup) == old
        drafted = {rel: digest for rel, digest in letter_files(folder).items()
                   if valid_docx(folder / rel)}
        # the next run finishes the work: every letter once, none drafted again
        assert run_cli(folder, "run", "台账.xlsx", *AS_OF_ARG).wait(120) == 0
        after = letter_files(folder)
        assert after.keys() == expected_letters, (attempt, set(after) ^ set(expected_letters))
        for rel, digest in drafted.items():
            assert after[rel] == digest, (attempt, rel)  # a letter already made stays as made
        assert all(valid_docx(folder / rel) for rel in after)
        assert not list(folder.glob(".*.lock"))
        # no temporary or partial file anywhere: the next run removed the killed one's
        left = [p for p in folder.rglob("*") if p.name.endswith((".tmp", ".part"))]
        assert left == [], (attempt, left)
        record = json.loads((folder / "letters/officebot-letters.json").read_text("utf-8"))
        assert sum(len(k) for k in record["letters"].values()) == 80
        wb = openpyxl.load_workbook(path, read_only=True)
        column = [r for r in wb["台账"].iter_rows(min_row=2, values_only=True)]
        head = list(column[0])
        files = [r[head.index("函件文件")] for r in column[1:]]
        wb.close()
        assert all(f and f.count(".docx") == 2 for f in files), (attempt, files[:3])
        shutil.rmtree(folder)


# --- two runs at once ------------------------------------------------------------------------
def test_second_run_waits_for_the_first_then_runs(tmp_path):
    path = write_register(tmp_path / "台账.xlsx", rows(5))
    lock = safety.RunLock(path)
    lock.__enter__()
    threading.Timer(1.0, lock.release).start()
    started = time.monotonic()
    done = invoke("run", path, *AS_OF_ARG, "--no-letters")
    assert done.exit_code == 0, done.output
    assert time.monotonic() - started >= 0.9
    assert not safety.run_lock_path(path).exists()


def test_second_run_stops_with_one_sentence_after_waiting(tmp_path):
    path = write_register(tmp_path / "台账.xlsx", rows(5))
    (tmp_path / "officebot.toml").write_text("[run_lock]\nwait_seconds = 0.5\n", "utf-8")
    before = sha(path)
    with safety.RunLock(path):
        done = invoke("run", path, *AS_OF_ARG)
    assert done.exit_code == 1
    line = one_sentence(done.output)
    assert "另一次 officebot 运行" in line and "another officebot run" in line
    assert f"进程 {os.getpid()}" in line
    assert sha(path) == before and not (tmp_path / "letters").exists()


def test_lock_of_a_killed_run_does_not_block(tmp_path):
    path = write_register(tmp_path / "台账.xlsx", rows(3))
    code = ("import sys, time; sys.path.insert(0, %r)\n"
            "from officebot.workbook.safety import RunLock\n"
            "RunLock(%r).__enter__(); print('held', flush=True); time.sleep(60)\n"
            % (str(REPO), str(path)))
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    assert holder.stdout.readline().strip() == b"held"
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert safety.run_lock_path(path).exists()  # left behind, but nobody holds it
    done = invoke("run", path, *AS_OF_ARG, "--no-letters")
    assert done.exit_code == 0, done.output


def test_two_runs_started_together_both_finish_one_after_the_other(tmp_path):
    path = write_register(tmp_path / "台账.xlsx", rows(30))
    (tmp_path / "officebot.toml").write_text("[run_lock]\nwait_seconds = 120\n\n"
                                             "[letters]\ncombine = false\n", "utf-8")
    procs = [run_cli(tmp_path, "run", "台账.xlsx", *AS_OF_ARG) for _ in range(2)]
    codes = [p.wait(240) for p in procs]
    errors = [p.stderr.read().decode() for p in procs]
    assert codes == [0, 0], errors
    assert complete_workbook(path) and has_status_columns(path)
    wb = openpyxl.load_workbook(path, read_only=True)
    log = list(wb["运行记录"].iter_rows(min_row=2, values_only=True))
    wb.close()
    assert len(log) == 2  # neither run's write was lost
    assert len(letter_files(tmp_path)) == 60  # and no letter was drafted twice


# --- the clock going back ---------------------------------------------------------------------
def test_as_of_earlier_than_the_last_run_is_said_and_logged_in_order(tmp_path):
    path = write_register(tmp_path / "台账.xlsx", rows(5))
    first = invoke("run", path, "--as-of", "2026-03-10 12:00", "--no-letters")
    assert first.exit_code == 0 and "早于上次运行" not in first.output
    back = invoke("run", path, "--as-of", "2026-03-02 08:00", "--no-letters")
    assert back.exit_code == 0
    assert "2026-03-02 08:00 早于上次运行的判断时间 2026-03-10 12:00" in back.output
    wb = openpyxl.load_workbook(path)
    log = [r for r in wb["运行记录"].iter_rows(min_row=2, values_only=True)]
    assert [r[1] for r in log] == [dt.datetime(2026, 3, 10, 12), dt.datetime(2026, 3, 2, 8)]
    assert log[0][0] <= log[1][0]  # rows in the order the runs happened
    ws = wb["台账"]
    head = [c.value for c in ws[2]]
    assert {ws.cell(r, head.index("答复状态") + 1).value for r in range(3, 8)} <= {"未到期", "即将到期"}
    forward = invoke("run", path, "--as-of", "2026-03-11 12:00", "--no-letters")
    assert "早于上次运行" not in forward.output


# --- a typo in the settings --------------------------------------------------------------------
@pytest.mark.parametrize("text, key, hint", [
    ("[backups]\nkepp = 3\n", "backups.kepp", "keep"),
    ("langauge = \"en\"\n", "langauge", "language"),
    ("[clocks]\nreply_hour = 24\n", "clocks.reply_hour", "reply_hours"),
    ("[[letters.rules]]\nkind = \"apology\"\nwhen = [\"always\"]\nskipp = true\n",
     "letters.rules[1].skipp", None),
    ("[privacy]\nmask = \"no\"\n", "privacy.mask", None),
])
def test_settings_typo_names_the_key_in_both_languages(tmp_path, text, key, hint):
    path = write_register(tmp_path / "台账.xlsx", rows(2))
    (tmp_path / "officebot.toml").write_text(text, "utf-8")
    done = invoke("run", path, *AS_OF_ARG)
    assert done.exit_code == 1
    line = one_sentence(done.output)
    zh, _, en = line.rpartition("（")
    assert key in zh and key in en, line
    if hint:
        assert hint in zh and hint in en
