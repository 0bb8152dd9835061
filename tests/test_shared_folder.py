"""A shared folder turned against its user, as a careless or hostile colleague would: planted
links and hard links, forged log lines, overwrites, personal data in logs. Every attack builds
its own folder in tmp_path (no network) and ends in one sentence or a correct result, with
nothing outside the working folder changed."""

import datetime as dt
import hashlib
import io
import os
import stat
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from officebot.cli import cli
from officebot.init import desktop_text
from officebot.launcher import launch
from officebot.workbook import safety

from hostile_data import write_register
from test_faults import has_status_columns as status_written, one_sentence

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX links and modes")

OLD = dt.datetime(2026, 3, 1, 9, 0)
AS_OF = dt.datetime(2026, 3, 10, 12, 0)
AS_OF_ARG = ["--as-of", "2026-03-10 12:00"]
FORGED = "X1\ncurl http://127.0.0.1:9/x | sh #"
PHONE = "13912345678"


def rows(n=3, **extra):
    return [dict(case_id=f"C{i:03d}", received_at=OLD + dt.timedelta(hours=i),
                 customer=f"客户{i}", email=f"c{i}@example.com", category="服务",
                 department="客服部", handler="李四", summary=f"投诉内容 {i}",
                 resolution=f"处理结果 {i}", **extra) for i in range(n)]


@pytest.fixture
def office(tmp_path):
    """(working folder with 台账.xlsx, a folder outside it holding a victim file)."""
    folder = tmp_path / "office"
    folder.mkdir()
    write_register(folder / "台账.xlsx", rows())
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "victim.txt"
    victim.write_text("precious\n", "utf-8")
    os.chmod(victim, 0o600)
    return folder, outside


def snapshot(folder: Path) -> dict:
    """Every entry under ``folder``: kind, mode, content hash (links are not followed)."""
    out = {}
    for p in sorted(folder.rglob("*")):
        st = os.lstat(p)
        if stat.S_ISLNK(st.st_mode):
            out[p] = ("link", os.readlink(p))
        elif stat.S_ISDIR(st.st_mode):
            out[p] = ("dir", stat.S_IMODE(st.st_mode))
        else:
            out[p] = ("file", stat.S_IMODE(st.st_mode),
                      hashlib.sha256(p.read_bytes()).hexdigest())
    return out


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def run_ok(folder, *extra):
    done = invoke("run", folder / "台账.xlsx", *AS_OF_ARG, *extra)
    assert done.exit_code == 0, done.output
    return done


# --- planted links ---------------------------------------------------------------------------
def test_lock_file_planted_as_a_link_is_never_written_through(office):
    folder, outside = office
    before = snapshot(outside)
    (folder / ".台账.xlsx.officebot.lock").symlink_to(outside / "victim.txt")
    run_ok(folder)
    assert snapshot(outside) == before
    assert status_written(folder / "台账.xlsx")
    assert not os.path.lexists(folder / ".台账.xlsx.officebot.lock")  # removed, not followed


def test_lock_file_planted_as_a_hard_link_is_never_written(office):
    folder, outside = office
    before = snapshot(outside)
    try:
        os.link(outside / "victim.txt", folder / ".台账.xlsx.officebot.lock")
    except OSError:
        pytest.skip("hard links across these folders are not allowed here")
    run_ok(folder)
    assert snapshot(outside) == before


def test_dangling_lock_link_creates_nothing_where_it_points(office):
    folder, outside = office
    (folder / ".台账.xlsx.officebot.lock").symlink_to(outside / "made-by-officebot")
    run_ok(folder)
    assert not (outside / "made-by-officebot").exists()


def test_links_planted_at_every_guessable_temporary_name_are_not_followed(office):
    folder, outside = office
    before = snapshot(outside)
    pid = os.getpid()
    for n in range(pid - 5, pid + 50):  # the names the earlier versions used
        (folder / f".台账.xlsx.officebot-{n}.tmp").symlink_to(outside / "victim.txt")
    now = dt.datetime.now()
    (folder / "backups").mkdir()
    for s in range(0, 120):
        stamp = (now + dt.timedelta(seconds=s)).strftime("%Y%m%d-%H%M%S")
        (folder / "backups" / f".台账-{stamp}.xlsx.part").symlink_to(outside / "victim.txt")
    run_ok(folder)
    assert snapshot(outside) == before
    assert status_written(folder / "台账.xlsx")
    assert not list(folder.glob(".*.tmp")) and not list(folder.glob("backups/.*"))


def test_temporary_files_have_unguessable_names_in_the_target_folder(tmp_path):
    seen = []

    def write(fh):
        seen.extend(p for p in tmp_path.iterdir() if p.name != "a.xlsx")
        fh.write(b"x")

    for _ in range(2):
        safety.atomic_write(tmp_path / "a.xlsx", write)
    assert len(seen) == 2 and seen[0] != seen[1]
    assert all(p.name.startswith(".a.xlsx.") and p.name.endswith(".officebot.tmp") for p in seen)
    assert (tmp_path / "a.xlsx").read_bytes() == b"x"


def test_stale_temporary_files_of_a_killed_run_are_cleaned_by_the_next(office):
    folder, _ = office
    stale = [folder / ".台账.xlsx.k1ll3d.officebot.tmp", folder / ".台账.xlsx.officebot-1.tmp"]
    (folder / "backups").mkdir()
    stale.append(folder / "backups" / ".台账-20260101-000000.xlsx.zz9.officebot.tmp")
    for p in stale:
        p.write_bytes(b"")  # what a run killed just after making them leaves
    run_ok(folder, "--no-letters")
    assert not any(os.path.lexists(p) for p in stale)
    assert [p.name for p in folder.rglob("*") if p.name.endswith(".tmp")] == []


def test_letters_record_planted_as_a_link_keeps_its_target_and_mode(office):
    folder, outside = office
    before = snapshot(outside)
    (folder / "letters").mkdir()
    (folder / "letters" / "officebot-letters.json").symlink_to(outside / "victim.txt")
    done = invoke("run", folder / "台账.xlsx", *AS_OF_ARG)
    assert done.exit_code == 0, done.output
    assert snapshot(outside) == before


def test_letters_journal_and_month_log_are_not_appended_through_links(office):
    folder, outside = office
    before = snapshot(outside)
    (folder / "letters").mkdir()
    (folder / "logs").mkdir()
    (folder / "letters" / ".officebot-letters.journal").symlink_to(outside / "victim.txt")
    (folder / "logs" / f"officebot-{dt.datetime.now():%Y-%m}.log").symlink_to(
        outside / "bashrc")  # dangling: must not be made
    out = io.StringIO()
    code = launch(folder, as_of=AS_OF, out=out, progress=False)
    assert snapshot(outside) == before and not (outside / "bashrc").exists()
    # the letters were not drafted through the link: one problem said, the register written
    assert code == 0, out.getvalue()
    assert status_written(folder / "台账.xlsx")


def test_a_letter_replaced_by_a_link_is_replaced_not_written_through(office):
    folder, outside = office
    run_ok(folder)
    letter = next((folder / "letters").rglob("C000_response.docx"))
    letter.unlink()
    letter.symlink_to(outside / "victim.txt")
    before = snapshot(outside)
    done = invoke("letters", folder / "台账.xlsx", *AS_OF_ARG, "--redo", "--case", "C000")
    assert done.exit_code == 0, done.output
    assert snapshot(outside) == before


@pytest.mark.parametrize("sub", ["letters", "logs", "backups", "outbox"])
def test_sub_folder_linked_out_of_the_working_folder_is_refused_with_one_sentence(office, sub):
    folder, outside = office
    (outside / sub).mkdir()
    (folder / sub).symlink_to(outside / sub, target_is_directory=True)
    register = folder / "台账.xlsx"
    before, register_before = snapshot(outside), register.read_bytes()
    if sub == "outbox":
        done = invoke("mail", register, *AS_OF_ARG)
        text = done.output
    elif sub == "logs":
        out = io.StringIO()
        assert launch(folder, as_of=AS_OF, out=out, progress=False) == 1
        text = out.getvalue()
        assert register.read_bytes() == register_before
    else:
        done = invoke("run", register, *AS_OF_ARG)
        assert done.exit_code == 1, done.output
        text = done.output
        assert register.read_bytes() == register_before
    sentence = one_sentence(text) if sub != "outbox" else text.strip().splitlines()[-1]
    assert f"{sub}/" in sentence and "outside" in sentence, text
    assert snapshot(outside) == before


def test_sub_folder_linked_inside_the_working_folder_is_used(office):
    folder, _ = office
    (folder / "archive").mkdir()
    (folder / "backups").symlink_to(folder / "archive", target_is_directory=True)
    run_ok(folder, "--no-letters")
    assert len(list((folder / "archive").glob("台账-*.xlsx"))) == 1


# --- a register that is a link ---------------------------------------------------------------
def test_linked_register_inside_the_folder_is_written_through(office):
    folder, _ = office
    real = folder / "2026" / "台账2026.xlsx"
    real.parent.mkdir()
    (folder / "台账.xlsx").rename(real)
    (folder / "台账.xlsx").symlink_to(Path("2026") / "台账2026.xlsx")
    os.chmod(real, 0o600)
    run_ok(folder, "--no-letters")
    assert (folder / "台账.xlsx").is_symlink()  # the link stays a link
    assert status_written(real) and stat.S_IMODE(os.stat(real).st_mode) == 0o600
    assert list((real.parent / "backups").glob("台账2026-*.xlsx"))


def test_linked_register_outside_the_folder_is_refused_with_one_sentence(office):
    folder, outside = office
    (folder / "台账.xlsx").rename(outside / "elsewhere.xlsx")
    (folder / "台账.xlsx").symlink_to(outside / "elsewhere.xlsx")
    before = snapshot(outside)
    done = invoke("run", folder / "台账.xlsx", *AS_OF_ARG)
    assert done.exit_code == 1
    assert "outside its folder" in one_sentence(done.output)
    assert snapshot(outside) == before


def test_register_mode_is_never_widened(office):
    folder, _ = office
    register = folder / "台账.xlsx"
    os.chmod(register, 0o600)
    old = os.umask(0)
    try:
        run_ok(folder)
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(register).st_mode) == 0o600
    for p in [*folder.rglob("*.xlsx"), *folder.rglob("*.docx"), *folder.rglob("*.json")]:
        assert stat.S_IMODE(os.lstat(p).st_mode) & 0o022 == 0, p  # a lax umask widens nothing


# --- one line per value ----------------------------------------------------------------------
def forged_register(folder):
    write_register(folder / "台账.xlsx", [
        dict(case_id=FORGED, received_at=OLD, customer="李\n四", category="服务"),
        dict(case_id="X2", received_at="bad\ntime\x1b[2J", customer="王五", category="服务"),
        dict(case_id=FORGED, received_at=OLD, customer="李四", category="服务")])


def no_forged_line(text):
    for line in text.splitlines():
        assert not line.lstrip().startswith("curl"), text
        assert "\x1b" not in line and "\r" not in line


def test_a_line_feed_in_a_value_never_forges_a_line(tmp_path):
    folder = tmp_path / "office"
    folder.mkdir()
    forged_register(folder)
    for command in ("check", "run"):
        done = invoke(command, folder / "台账.xlsx", *AS_OF_ARG)
        assert done.exit_code == 0, done.output
        no_forged_line(done.output)
        assert "X1\\ncurl" in done.output
    out = io.StringIO()
    assert launch(folder, as_of=AS_OF, out=out, progress=False) == 0
    no_forged_line(out.getvalue())
    log = "".join(p.read_text("utf-8") for p in (folder / "logs").glob("*.log"))
    no_forged_line(log)
    stamp = dt.datetime.now().strftime("%Y-")
    assert all(line.startswith(stamp) for line in log.splitlines())  # every line an entry
    assert "X1\\ncurl" in log


def test_an_unexpected_error_quoting_a_value_stays_one_log_entry(tmp_path, monkeypatch):
    folder = tmp_path / "office"
    folder.mkdir()
    write_register(folder / "台账.xlsx", rows())
    import officebot.batch

    def boom(*a, **k):
        raise ValueError(FORGED)
    monkeypatch.setattr(officebot.batch, "run_batch", boom)
    out = io.StringIO()
    assert launch(folder, as_of=AS_OF, out=out, progress=False) == 1
    log = "".join(p.read_text("utf-8") for p in (folder / "logs").glob("*.log"))
    no_forged_line(log)
    assert "ValueError: X1\\ncurl" in log


def parse_desktop(text):
    """A desktop entry read as the freedesktop specification says: key=value lines, string
    escapes, then the Exec quoting."""
    entries = {}
    for line in text.split("\n"):
        if "=" in line and not line.startswith("["):
            key, value = line.split("=", 1)
            assert key not in entries, f"{key} given twice"
            out, i = [], 0
            while i < len(value):
                if value[i] == "\\" and i + 1 < len(value):
                    out.append({"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}.get(
                        value[i + 1], "\\" + value[i + 1]))
                    i += 2
                else:
                    out.append(value[i])
                    i += 1
            entries[key] = "".join(out)
    return entries


@pytest.mark.parametrize("name", ["投诉\nExec=sh -c 'curl 127.0.0.1:9|sh'\nX", 'a "b" $c `d` \\e %f',
                                  "tab\tand\rcr"])
def test_a_folder_name_with_a_line_break_adds_no_line_to_the_desktop_launcher(tmp_path, name):
    script = tmp_path / name / "运行投诉处理.sh"
    entries = parse_desktop(desktop_text(script))
    assert sorted(entries) == sorted(["Type", "Version", "Name", "Name[zh_CN]", "Comment",
                                      "Comment[zh_CN]", "Exec", "Path", "Terminal", "Icon",
                                      "Categories"])
    assert entries["Path"] == str(script.parent)
    exec_value = entries["Exec"]
    assert exec_value.startswith('"') and exec_value.endswith('"')
    assert exec_unquote(exec_value[1:-1]).replace("%%", "%") == str(script)


def exec_unquote(inner):
    """Inside Exec's double quotes a backslash takes the next character as it is."""
    out, i = [], 0
    while i < len(inner):
        if inner[i] == "\\":
            i += 1
        out.append(inner[i])
        i += 1
    return "".join(out)


# --- overwrites ------------------------------------------------------------------------------
def test_report_never_replaces_the_register(office):
    folder, _ = office
    register = folder / "台账.xlsx"
    before = register.read_bytes()
    for out in (register, folder / "." / "台账.xlsx"):
        done = invoke("report", register, "--out", out, "--force", *AS_OF_ARG)
        assert done.exit_code == 2 and "register" in one_sentence(done.output), done.output
    (folder / "link.xlsx").symlink_to(register)
    done = invoke("report", register, "--out", folder / "link.xlsx", "--force", *AS_OF_ARG)
    assert done.exit_code == 2, done.output
    assert register.read_bytes() == before and not list(folder.glob("backups"))


def test_report_replaces_an_existing_file_only_with_force(office):
    folder, outside = office
    target = folder / "月报.xlsx"
    target.write_bytes(b"someone's workbook")
    done = invoke("report", folder / "台账.xlsx", "--out", target, *AS_OF_ARG)
    assert done.exit_code == 2 and "--force" in one_sentence(done.output)
    assert target.read_bytes() == b"someone's workbook"
    done = invoke("report", folder / "台账.xlsx", "--out", target, "--force", *AS_OF_ARG)
    assert done.exit_code == 0, done.output
    assert zipfile.is_zipfile(target)
    # a link at the --out name is replaced by the report, its target left alone
    before = snapshot(outside)
    (folder / "链接.xlsx").symlink_to(outside / "victim.txt")
    done = invoke("report", folder / "台账.xlsx", "--out", folder / "链接.xlsx", "--force",
                  *AS_OF_ARG)
    assert done.exit_code == 0, done.output
    assert snapshot(outside) == before and not (folder / "链接.xlsx").is_symlink()


# --- privacy ---------------------------------------------------------------------------------
PERSONAL = ["１３９１２３４５６７８", "139.1234.5606", "张伟@例子.中国", "110101199003071234"]


def test_personal_data_in_every_form_is_masked_in_check_run_and_logs(tmp_path):
    folder = tmp_path / "office"
    folder.mkdir()
    write_register(folder / "台账.xlsx", [
        dict(case_id="P1", received_at="来电１３９１２３４５６７８", customer="张伟", category="服务"),
        dict(case_id="P2", received_at="回拨139.1234.5606", customer="张伟", category="服务"),
        dict(case_id="P3", received_at="邮件张伟@例子.中国", customer="张伟", category="服务"),
        dict(case_id="P4", received_at="身份证110101199003071234", customer="张伟",
             category="服务"),
        dict(case_id=PHONE, received_at="回电" + PHONE, customer="张伟", category="服务")])
    texts = []
    for command in ("check", "run"):
        done = invoke(command, folder / "台账.xlsx", *AS_OF_ARG)
        assert done.exit_code == 0, done.output
        texts.append(done.output)
    assert launch(folder, as_of=AS_OF, out=io.StringIO(), progress=False) == 0
    texts += [p.read_text("utf-8") for p in (folder / "logs").glob("*.log")]
    for text in texts:
        for value in PERSONAL + [PHONE]:
            assert value not in text, (value, text)
    assert "１３９****５６７８" in texts[0] and "110***********1234" in texts[0]


def test_mail_log_masks_case_ids_and_outbox_paths(tmp_path):
    folder = tmp_path / "office"
    folder.mkdir()
    write_register(folder / "台账.xlsx", [dict(
        case_id=PHONE, received_at=OLD, customer="张伟", email="zhang@example.com",
        category="服务", department="客服部", handler="李四", resolution="已处理")])
    done = invoke("mail", folder / "台账.xlsx", *AS_OF_ARG)
    assert done.exit_code == 0, done.output
    assert list((folder / "outbox").rglob(f"{PHONE}_*.eml"))  # the draft itself keeps it
    log = (folder / "logs" / "mail.log").read_text("utf-8")
    assert "draft" in log and "139****5678" in log
    assert PHONE not in log and "zhang@example.com" not in log


def test_register_named_like_an_owner_file_gets_a_readable_sentence(tmp_path):
    path = write_register(tmp_path / "~$台账.xlsx", rows())
    for command in ("check", "run"):
        done = invoke(command, path, *AS_OF_ARG)
        assert all(line.isprintable() for line in done.output.splitlines()), done.output
        assert "\ufffd" not in done.output and "PK" not in done.output, done.output


def test_run_command_refuses_logs_linked_out_of_the_folder(office):
    folder, outside = office
    (outside / "logs").mkdir()
    (folder / "logs").symlink_to(outside / "logs", target_is_directory=True)
    before = (folder / "台账.xlsx").read_bytes()
    done = invoke("run", folder / "台账.xlsx", *AS_OF_ARG)
    assert done.exit_code == 1 and "logs/" in one_sentence(done.output)
    assert (folder / "台账.xlsx").read_bytes() == before and not list((outside / "logs").iterdir())


def test_side_copy_and_report_are_no_more_readable_than_the_register(office):
    folder, _ = office
    register = folder / "台账.xlsx"
    os.chmod(folder, 0o777)
    os.chmod(register, 0o640)
    (folder / "~$台账.xlsx").write_bytes(b"\x05Alice")  # open in Excel
    run_ok(folder, "--side-copy", "--no-letters")
    assert stat.S_IMODE(os.stat(folder / "台账 (officebot).xlsx").st_mode) == 0o640
    done = invoke("report", register, "--out", folder / "月报.xlsx", *AS_OF_ARG)
    assert done.exit_code == 0, done.output
    assert stat.S_IMODE(os.stat(folder / "月报.xlsx").st_mode) == 0o640


@pytest.mark.parametrize("planted", ["letters/.officebot-letters.lock", "logs/.officebot-mail.lock",
                                     "logs/mail.log", "logs/mail-ledger.jsonl"])
def test_letters_and_mail_files_planted_as_links_are_not_written_through(office, planted):
    folder, outside = office
    before = snapshot(outside)
    (folder / planted).parent.mkdir()
    (folder / planted).symlink_to(outside / "victim.txt")
    done = invoke("mail", folder / "台账.xlsx", *AS_OF_ARG)
    assert "Traceback" not in done.output
    assert snapshot(outside) == before
    if planted.endswith(".lock"):  # a lock's planted link is removed and the work is done
        assert done.exit_code == 0, done.output
        assert list((folder / "outbox").rglob("*.eml"))
    else:  # a journal is not written through a link: one sentence, nothing mailed
        assert done.exit_code == 1 and "symbolic link" in one_sentence(done.output)
        assert not list(folder.glob("outbox/*/*.eml"))


def test_file_lock_is_exclusive_and_never_writes_a_planted_link(tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("keep")
    lock_path = tmp_path / ".x.lock"
    lock_path.symlink_to(victim)
    first, second = safety.FileLock(lock_path), safety.FileLock(lock_path)
    assert first.acquire() and not second.acquire()
    assert victim.read_text() == "keep" and not lock_path.is_symlink()
    assert first.holder()[0] == str(os.getpid())
    first.release()
    assert not lock_path.exists() and second.acquire()
    second.release()


def test_owner_file_planted_as_a_link_to_an_endless_device_does_not_hang(office):
    import subprocess
    import sys
    folder, _ = office
    (folder / "~$台账.xlsx").symlink_to("/dev/zero")
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    done = subprocess.run([sys.executable, "-m", "officebot", "run", "台账.xlsx", *AS_OF_ARG],
                          cwd=folder, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "~$台账.xlsx" in one_sentence(done.stderr + done.stdout)


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP"])
def test_a_terminated_run_removes_its_temporary_file(tmp_path, signame):
    import signal
    import subprocess
    import sys
    code = ("import sys, time\n"
            "from officebot.workbook import safety\n"
            "safety.end_cleanly_on_signals()\n"
            "def write(fh):\n"
            "    fh.write(b'x'); fh.flush(); print('writing', flush=True); time.sleep(60)\n"
            "safety.atomic_write(sys.argv[1], write)\n")
    target = tmp_path / "台账.xlsx"
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    proc = subprocess.Popen([sys.executable, "-c", code, str(target)], env=env,
                            stdout=subprocess.PIPE)
    assert proc.stdout.readline().strip() == b"writing"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".officebot.tmp")]
    proc.send_signal(getattr(signal, signame))
    assert proc.wait(30) == 128 + getattr(signal, signame)
    assert list(tmp_path.iterdir()) == []  # no temporary file, and no half register


@pytest.mark.parametrize("owner", ["~$台账.xlsx", ".~lock.台账.xlsx#"])
def test_the_launcher_names_a_planted_owner_link_without_hanging(office, owner):
    import subprocess
    import sys
    folder, _ = office
    (folder / owner).symlink_to("/dev/zero")
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    done = subprocess.run([sys.executable, "-m", "officebot", "launch", str(folder),
                           "--as-of", "2026-03-10 12:00"], env=env, capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr


@pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="POSIX links")
def test_init_replaces_links_planted_at_its_names_and_writes_nothing_through_them(tmp_path):
    folder, outside = tmp_path / "office", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    victim = outside / "victim.sh"
    victim.write_text("echo mine\n")
    victim.chmod(0o600)
    planted = {"运行投诉处理.sh": victim, "投诉登记台账.xlsx": outside / "made.xlsx",
               "officebot.toml": outside / "made.toml", "运行投诉处理.bat": outside / "made.bat"}
    for name, target in planted.items():
        (folder / name).symlink_to(target)
    done = CliRunner().invoke(cli, ["init", str(folder)])
    assert done.exit_code == 0, done.output
    assert victim.read_text() == "echo mine\n" and stat.S_IMODE(victim.stat().st_mode) == 0o600
    assert sorted(p.name for p in outside.iterdir()) == ["victim.sh"]
    for name in planted:
        assert not (folder / name).is_symlink() and (folder / name).is_file(), name
    assert os.access(folder / "运行投诉处理.sh", os.X_OK)
