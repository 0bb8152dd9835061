"""officebot launch and the launchers: one plain sentence, a log, never a traceback."""

import datetime as dt
import io
import socket
import os
import subprocess
import sys
import types
import zipfile
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from click.testing import CliRunner

from officebot.cli import cli
from officebot.errors import RegisterError, WorkbookLockedError
from officebot.fields import STATUS_HEADERS
from officebot.folder import find_register, register_candidates
from officebot.demo import NAMES as DEMO_NAMES
from officebot.init import SAMPLE_NAME, init_folder
from officebot.launcher import TextProgress, launch, result_sentence
from officebot.messages import msg
from officebot.settings import load_settings

from conftest import row

ODD_NAME = "投诉 办公室 2026"


class FakeTTY(io.StringIO):
    def isatty(self):
        return True


def patch_batch(monkeypatch, run_batch):
    """Replace officebot.batch.run_batch (the module may not exist yet in a partial tree)."""
    try:
        import officebot.batch as module
    except ImportError:
        module = types.ModuleType("officebot.batch")
        monkeypatch.setitem(sys.modules, "officebot.batch", module)
    monkeypatch.setattr(module, "run_batch", run_batch, raising=False)


def fake_batch(**fields):
    base = dict(result=SimpleNamespace(problems=[]), written_to=Path("x.xlsx"),
                backup=Path("backups/x.xlsx"), side_copy=False, newly_overdue=["A1"],
                newly_escalated=[], overdue=12, due_soon=0, repeats=0,
                escalated={3: 3}, problems=0, letters_drafted=15, letters_folder=None,
                letter_problems=[])
    base.update(fields)
    return SimpleNamespace(**base)


@pytest.fixture
def office(tmp_path, register):
    """A working folder with settings and a small register of its own."""
    folder = tmp_path / ODD_NAME
    folder.mkdir()
    register([row("TS-1", dt.datetime(2026, 3, 1, 9, 0), customer="张三")],
             name=f"{ODD_NAME}/台账.xlsx")
    (folder / "officebot.toml").write_text('language = "en"\n', encoding="utf-8")
    return folder


def log_text(folder):
    return "".join(p.read_text("utf-8") for p in (folder / "logs").glob("officebot-*.log"))


def test_result_sentence_english(tmp_path):
    batch = fake_batch(letters_folder=tmp_path / "letters" / "2026-03")
    text = result_sentence(batch, "en", tmp_path)
    assert text == ("12 overdue, 3 escalated to the department head; 15 letters drafted in "
                    "letters/2026-03; the register was updated; backup saved.")


def test_result_sentence_english_says_one_of_each_in_the_singular(tmp_path):
    one = fake_batch(letters_folder=tmp_path / "letters" / "2026-03", letters_drafted=1,
                     problems=1, letter_problems=["x"], repeats=1, overdue=1, escalated={})
    text = result_sentence(one, "en", tmp_path)
    assert text == ("1 overdue, 1 repeat complaint; 1 letter drafted in letters/2026-03; 1 "
                    "letter could not be drafted (see the log); 1 row has mistakes; check the "
                    "row marked in the register; the register was updated; backup saved.")
    declined = result_sentence(fake_batch(letters_drafted=0, letters_declined=1), "en", tmp_path)
    assert "as you chose, the letter of this run was not drafted (answer yes next time to " \
           "draft it)" in declined
    zh = result_sentence(one, "zh", tmp_path)
    assert "1 封信函未能起草（见日志）" in zh and "1 行登记有误，请核对台账中标出的行" in zh


def test_result_sentence_chinese(tmp_path):
    batch = fake_batch(letters_folder=tmp_path / "letters" / "2026-03", due_soon=2,
                       escalated={1: 2, 5: 1}, repeats=4, problems=3)
    text = result_sentence(batch, "zh", tmp_path)
    assert text == ("12 件逾期，2 件即将到期，3 件需上报领导（公司总经理 1 件、班组长 2 件），4 件重复投诉；"
                    "已在 letters/2026-03 起草 15 封信函；3 行登记有误，请核对台账中标出的行；"
                    "台账已更新；已保存备份。")


def test_result_sentence_several_levels_english(tmp_path):
    batch = fake_batch(escalated={1: 2, 3: 1, 0: 7}, letters_drafted=0, backup=None)
    assert result_sentence(batch, "en", tmp_path) == (
        "12 overdue, 3 escalated (1 to the department head, 2 to the team lead); "
        "the register was updated.")


def test_result_sentence_side_copy_and_dry_run(tmp_path):
    side = fake_batch(overdue=0, escalated={}, letters_drafted=0, side_copy=True,
                      written_to=tmp_path / "台账 (officebot).xlsx", backup=None)
    assert result_sentence(side, "en", tmp_path) == (
        "No case overdue; the register was open elsewhere, so the result was saved as "
        "台账 (officebot).xlsx.")
    dry = fake_batch(written_to=None, backup=None, letters_drafted=0, escalated={})
    assert result_sentence(dry, "en", tmp_path).endswith("the register was not changed (dry run).")


def test_launch_prints_the_result_and_logs_it(office, monkeypatch):
    seen = {}

    def run_batch(register, settings, as_of=None, progress=None, **options):
        seen.update(register=register, as_of=as_of, language=settings.language)
        progress("judge", 1, 2)
        progress("judge", 2, 2)
        return fake_batch(newly_overdue=["TS-1"])

    patch_batch(monkeypatch, run_batch)
    out = io.StringIO()
    as_of = dt.datetime(2026, 3, 10, 12, 0)
    assert launch(office, as_of=as_of, out=out, stdin=io.StringIO()) == 0
    assert seen == dict(register=office / "台账.xlsx", as_of=as_of, language="en")
    lines = out.getvalue().splitlines()
    assert lines == ["Processing the register 台账.xlsx …",
                     "12 overdue, 3 escalated to the department head; 15 letters drafted in "
                     "letters/; the register was updated; backup saved."]
    log = log_text(office)
    assert "12 overdue" in log and "newly_overdue: TS-1" in log and "2026-03-10 12:00" in log


def test_progress_bars_only_on_a_terminal(office, monkeypatch):
    def run_batch(register, settings, as_of=None, progress=None, **options):
        for i in range(3):
            progress("write", i + 1, 3)
        progress("letters", 5, None)
        return fake_batch()

    patch_batch(monkeypatch, run_batch)
    tty = FakeTTY()
    launch(office, out=tty, stdin=io.StringIO())
    assert "\rWriting the register [" in tty.getvalue()
    assert "] 3/3\n" in tty.getvalue()
    assert "\rDrafting letters … 5\rDrafting letters … done\n" in tty.getvalue()
    plain = io.StringIO()
    launch(office, out=plain, stdin=io.StringIO())
    assert "\r" not in plain.getvalue() and "[" not in plain.getvalue()


def test_text_progress_draws_a_bar():
    out = io.StringIO()
    bar = TextProgress(out, "zh", True)
    bar("read", 0, 10)
    bar("read", 10, 10)
    bar.close()
    assert out.getvalue().endswith("\r读取台账 [" + "#" * 30 + "] 10/10\n")


def test_a_stage_is_shown_finished_when_the_next_starts_but_not_after_a_failure():
    out = io.StringIO()
    bar = TextProgress(out, "en", True)
    bar("letters", 0, 4)
    bar("write", 0, None)
    assert "\rDrafting letters [" + "#" * 30 + "] 4/4\n\rWriting the register …" == \
        out.getvalue().split("\r", 2)[0] + "\r" + out.getvalue().split("\r", 2)[2]
    bar.fail()
    assert out.getvalue().endswith("\rWriting the register …\n")


def test_register_open_in_excel_is_one_sentence(office, monkeypatch):
    def run_batch(*args, **kwargs):
        raise WorkbookLockedError("台账.xlsx is locked by ~$台账.xlsx")

    patch_batch(monkeypatch, run_batch)
    out = io.StringIO()
    assert launch(office, out=out, stdin=io.StringIO()) == 1
    assert out.getvalue().splitlines()[-1] == msg("en", "lock.unknown")
    assert "another computer" not in msg("en", "lock.unknown").split("(")[0]
    assert "locked by" in log_text(office)


def _locked_run(office, monkeypatch):
    def run_batch(*args, **kwargs):
        raise WorkbookLockedError("locked")

    patch_batch(monkeypatch, run_batch)
    out = io.StringIO()
    assert launch(office, out=out, stdin=io.StringIO()) == 1
    return out.getvalue().splitlines()[-1]


@pytest.mark.parametrize("computer,where", [(socket.gethostname(), "on this computer"),
                                            ("FRONT-DESK-PC", "on another computer")])
def test_libreoffice_lock_names_libreoffice_and_the_computer(office, monkeypatch, computer,
                                                               where):
    lock = office / ".~lock.台账.xlsx#"
    lock.write_text(f"王芳,wangfang,{computer},03.12.2026 09:12,file:///home/wf/.config;",
                    encoding="utf-8")
    sentence = _locked_run(office, monkeypatch)
    assert "LibreOffice" in sentence and where in sentence and "王芳" in sentence
    assert "Excel" not in sentence
    if where == "on another computer":
        assert "FRONT-DESK-PC" in sentence and ".~lock" not in sentence
    else:
        assert ".~lock.台账.xlsx#" in sentence, "a lock left by a crash can be deleted"


def test_excel_owner_file_does_not_claim_a_computer(office, monkeypatch):
    (office / "~$台账.xlsx").write_bytes(b"\x05Li Ming" + b" " * 60)
    sentence = _locked_run(office, monkeypatch)
    assert "Excel or WPS" in sentence and "~$台账.xlsx" in sentence
    assert "another computer" not in sentence and "this computer" not in sentence


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs Linux /proc/locks")
def test_a_system_lock_on_this_computer_names_the_program(office, monkeypatch):
    """A program of this computer holding a POSIX lock (as LibreOffice does) is named."""
    register = office / "台账.xlsx"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl,sys,time; f=open(sys.argv[1],'r+b'); "
         "fcntl.lockf(f, fcntl.LOCK_EX); print('ok', flush=True); time.sleep(60)",
         str(register)], stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == b"ok"
        from officebot.lock_holder import lock_holder
        found = lock_holder(register)
        assert found.this_computer is True and found.pid == holder.pid
        assert found.program.startswith("python")
        sentence = _locked_run(office, monkeypatch)
        assert "on this computer" in sentence and found.program in sentence
    finally:
        holder.kill()
        holder.wait()


def test_an_old_xls_gets_the_save_as_advice(tmp_path):
    (tmp_path / "officebot.toml").write_text('language = "zh"\n', encoding="utf-8")
    (tmp_path / "2026台账.xls").write_bytes(b"\xd0\xcf\x11\xe0old")
    out = io.StringIO()
    assert launch(tmp_path, out=out, stdin=io.StringIO()) == 1
    last = out.getvalue().splitlines()[-1]
    assert "2026台账.xls" in last and "另存为 .xlsx" in last
    assert "没有台账" not in last


def test_declining_the_letters_is_said_truly(office, monkeypatch):
    """Answering n: the sentence says how many letters were not drafted, by choice, and no
    letter is said to have failed."""
    def run_batch(register, settings, as_of=None, progress=None, letter_options=None, **kw):
        assert letter_options["confirm"](71, 50) is False
        return fake_batch(letters_drafted=0, letters_declined=71, letter_problems=[])

    patch_batch(monkeypatch, run_batch)
    out = io.StringIO()
    assert launch(office, out=out, stdin=io.StringIO("n\n"), interactive=True) == 0
    last = out.getvalue().splitlines()[-1]
    assert "as you chose, the 71 letters of this run were not drafted" in last
    assert "could not be drafted" not in last


def test_the_letters_bar_counts_letters_not_cases(tmp_path):
    """A real run on the demo: the letters stage is never drawn as n/number-of-cases."""
    folder = init_folder(tmp_path / "f", "en").folder
    out = FakeTTY()
    assert launch(folder, out=out, stdin=io.StringIO(), progress=True,
                  interactive=False) == 0, out.getvalue()
    cases = len(load_checked(folder / DEMO_NAMES["en"]).judgements)
    drawn = [part for part in out.getvalue().split("\r") if part.startswith("Drafting")]
    assert drawn and not any(f"/{cases}]" in d or d.rstrip().endswith(f"/{cases}")
                             for d in drawn), drawn


def load_checked(path):
    from officebot.check import check_register
    return check_register(path, load_settings(folder=path.parent))


HOTLINE = ["工单编号", "反映时间", "工单来源", "来电人", "来电号码", "诉求类型", "诉求内容", "承办单位",
           "办理结果"]
ENGLISH = ["Complaint ID", "Received date", "Channel", "Customer", "Phone"]


@pytest.mark.parametrize("headers", [HOTLINE, ENGLISH, ["Ticket No.", "Date received"]])
def test_common_header_forms_are_recognised(tmp_path, headers):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(headers)
    ws.append(["A-1", dt.datetime(2026, 3, 1, 9, 0)] + ["x"] * (len(headers) - 2))
    wb.save(tmp_path / "r.xlsx")
    result = load_checked(tmp_path / "r.xlsx")
    assert [j.case_id for j in result.judgements] == ["A-1"]
    assert len(result.columns) == len(headers), result.columns


def _register_with_header_on(path, row_no):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    for _ in range(row_no - 1):
        ws.append(["说明：本表由客服中心填写"])
    ws.append(["编号", "受理时间", "客户姓名"])
    ws.append(["TS-1", dt.datetime(2026, 3, 1, 9, 0), "张三"])
    wb.save(path)


def test_header_not_found_says_what_it_saw_and_names_header_row(tmp_path):
    (tmp_path / "officebot.toml").write_text('language = "zh"\n', encoding="utf-8")
    _register_with_header_on(tmp_path / "台账.xlsx", 35)
    out = io.StringIO()
    assert launch(tmp_path, out=out, stdin=io.StringIO()) == 1
    last = out.getvalue().splitlines()[-1]
    assert "前 30 行" in last and "header_row" in last and "[register]" in last
    assert "第 1 行" in last and "说明：本表由客服中心填写" in last   # what it saw
    (tmp_path / "officebot.toml").write_text('language = "zh"\n[register]\nheader_row = 35\n',
                                             encoding="utf-8")
    assert [j.case_id for j in load_checked(tmp_path / "台账.xlsx").judgements] == ["TS-1"]


def test_unexpected_error_logs_the_traceback_and_says_where(office, monkeypatch):
    def run_batch(*args, **kwargs):
        raise ZeroDivisionError("boom")

    patch_batch(monkeypatch, run_batch)
    out = io.StringIO()
    assert launch(office, out=out, stdin=io.StringIO()) == 1
    last = out.getvalue().splitlines()[-1]
    month = dt.datetime.now().strftime("%Y-%m")
    assert last == (f"Something unexpected went wrong; the details are in "
                    f"logs/officebot-{month}.log: send that file to whoever maintains officebot.")
    assert "Traceback" not in out.getvalue()
    log = log_text(office)
    assert "Traceback (most recent call last)" in log and "ZeroDivisionError: boom" in log


def test_broken_settings_are_one_sentence_in_the_settings_language(office):
    (office / "officebot.toml").write_text('language = "zh"\n[clocks]\nreply_hours = "x"\n',
                                           encoding="utf-8")
    out = io.StringIO()
    assert launch(office, out=out, stdin=io.StringIO()) == 1
    text = out.getvalue()
    assert len(text.splitlines()) == 1
    assert text.startswith("未能完成：") and "clocks.reply_hours" in text


def test_missing_folder_is_one_sentence(tmp_path):
    out = io.StringIO()
    assert launch(tmp_path / "nowhere", out=out, stdin=io.StringIO()) == 1
    assert "nowhere" in out.getvalue() and len(out.getvalue().splitlines()) == 1


@pytest.mark.parametrize("names, expected", [
    ([], "no register"),
    (["a.xlsx", "b.xlsm"], "several Excel files (a.xlsx, b.xlsm)"),
])
def test_no_or_several_registers_say_what_to_do(tmp_path, names, expected):
    for name in names:
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "officebot.toml").write_text('language = "en"\n', encoding="utf-8")
    out = io.StringIO()
    assert launch(tmp_path, out=out, stdin=io.StringIO()) == 1
    assert expected in out.getvalue()
    assert "[register] file" in out.getvalue()


def test_owner_files_and_side_copies_are_not_registers(tmp_path):
    for name in ("台账.xlsx", "~$台账.xlsx", ".hidden.xlsx", "notes.docx", "台账 (officebot).xlsx",
                 ".~lock.台账.xlsx#", ".台账.xlsx.officebot-12.tmp"):
        (tmp_path / name).write_bytes(b"")
    assert [p.name for p in register_candidates(tmp_path)] == ["台账.xlsx"]


def test_register_named_in_settings_wins(tmp_path):
    for name in ("a.xlsx", "b.xlsx"):
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "officebot.toml").write_text('[register]\nfile = "b.xlsx"\n', encoding="utf-8")
    settings = load_settings(folder=tmp_path)
    assert find_register(tmp_path, settings) == tmp_path / "b.xlsx"
    (tmp_path / "officebot.toml").write_text('[register]\nfile = "c.xlsx"\n', encoding="utf-8")
    with pytest.raises(RegisterError, match="c.xlsx"):
        find_register(tmp_path, load_settings(folder=tmp_path))


def test_pause_waits_only_when_someone_is_at_the_keyboard(office, monkeypatch):
    patch_batch(monkeypatch, lambda *a, **k: fake_batch())

    class KeyboardStdin(io.StringIO):
        def isatty(self):
            return True

    stdin = KeyboardStdin("\n")
    out = io.StringIO()
    launch(office, out=out, stdin=stdin, pause=True)
    assert out.getvalue().endswith("Press Enter to close this window…")
    assert stdin.tell() == 1
    out = io.StringIO()
    launch(office, out=out, stdin=io.StringIO("\n"), pause=True)   # not a TTY: no wait
    assert "Press Enter" not in out.getvalue()


def test_cli_launch_exit_code(office, monkeypatch):
    patch_batch(monkeypatch, lambda *a, **k: fake_batch())
    result = CliRunner().invoke(cli, ["launch", str(office), "--as-of", "2026-03-10 12:00",
                                      "--no-pause"])
    assert result.exit_code == 0, result.output
    assert "the register was updated" in result.output


# --- the real launcher, with no terminal attached ------------------------------------------
def run_launcher(folder, name="运行投诉处理.sh"):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "TERM", "PYTHONPATH")}
    return subprocess.run(["/bin/sh", str(folder / name)], cwd="/",
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, start_new_session=True, env=env,
                          timeout=600)


def status_headers(path):
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        from officebot.check import check_register
        sheet = check_register(path, load_settings()).sheet
        ws = wb[sheet]
        return {c.value for r in ws.iter_rows(max_row=40) for c in r if c.value}
    finally:
        wb.close()


@pytest.mark.skipif(sys.platform.startswith("win"), reason="the .sh launcher is for Linux/macOS")
def test_linux_launcher_updates_the_register_and_writes_the_log(tmp_path):
    folder = init_folder(tmp_path / ODD_NAME, "en").folder
    register = folder / DEMO_NAMES["en"]
    before = register.read_bytes()
    done = run_launcher(folder, "Run officebot.sh")
    text = done.stdout.decode("utf-8")
    assert done.returncode == 0, text + log_text(folder)[-3000:]
    assert "Traceback" not in text
    assert "the register was updated" in text
    assert register.read_bytes() != before
    headers = status_headers(register)
    assert headers & STATUS_HEADERS, headers
    log = log_text(folder)
    assert "start officebot" in log and "done:" in log
    assert list((folder / "backups").iterdir())


def broken_part(sample: bytes, part: str) -> bytes:
    """The sample workbook with one XML part replaced by a broken one."""
    source = zipfile.ZipFile(io.BytesIO(sample))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            target.writestr(name, b"<broken" if name == part else source.read(name))
    return out.getvalue()


@pytest.mark.skipif(sys.platform.startswith("win"), reason="the .sh launcher is for Linux/macOS")
@pytest.mark.parametrize("damage", ["not a zip", "xl/styles.xml", "xl/worksheets/sheet1.xml",
                                    "[Content_Types].xml", "xl/_rels/workbook.xml.rels",
                                    "xl/sharedStrings.xml"])
def test_corrupt_register_one_sentence_no_traceback_file_untouched(tmp_path, damage):
    folder = init_folder(tmp_path / ODD_NAME).folder
    register = folder / SAMPLE_NAME
    # the committed sample, as Excel stores a register (shared strings, a chart sheet)
    register.write_bytes((Path(__file__).parent.parent / "sample_workbooks" / SAMPLE_NAME)
                         .read_bytes())
    if damage == "not a zip":
        garbage = b"PK\x03\x04 this is not really a workbook \x00\xff" * 50
    else:
        garbage = broken_part(register.read_bytes(), damage)
    register.write_bytes(garbage)
    done = run_launcher(folder)
    text = done.stdout.decode("utf-8")
    assert done.returncode == 1
    assert "Traceback" not in text
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 2 and lines[0].startswith("正在处理台账"), text   # start + one sentence
    # a damaged workbook is the user's to restore: the sentence names it and the fix
    assert lines[1].startswith("未能完成：") and "投诉登记台账.xlsx" in lines[1], text
    assert "已损坏" in lines[1] and "backups" in lines[1], text
    assert register.read_bytes() == garbage
    assert "failed:" in log_text(folder) or "unexpected error" in log_text(folder)
    assert not list((folder / "backups").iterdir())
