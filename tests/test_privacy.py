"""Customers' data: masked in logs and on the terminal, files no more readable than their
folder, control characters in values never reach a terminal raw."""

import datetime as dt
import os
import stat

import pytest
from click.testing import CliRunner
from hypothesis import given, settings as hsettings, strategies as st

from officebot.cli import cli
from officebot.launcher import launch
from officebot.privacy import (follow_folder, for_terminal, lines_for_terminal, mask,
                               one_line)

from hostile_data import write_register

OLD = dt.datetime(2026, 3, 1, 9, 0)
AS_OF = ["--as-of", "2026-03-10 12:00"]
PHONE, EMAIL, NAME = "13912345678", "zhang.san@example.com", "张三丰"


@pytest.mark.parametrize("text, expected", [
    ("电话13800138000", "电话138****8000"),
    ("+86 138 0013 8000 回电", "138****8000 回电"),
    ("0086-13800138000", "138****8000"),
    ("座机 010-12345678", "座机 010****5678"),
    ("(0755)1234567", "075****4567"),
    ("邮箱a@b.cn，", "邮箱a***@b.cn，"),
    ("zhang.san+x@example.com.cn", "z***@example.com.cn"),
    ("+44 20 7946 0958", "442*****0958"),
    # what must stay: dates, times, case ids, amounts, row numbers, backup names
    ("2026-03-05 14:20", "2026-03-05 14:20"), ("TS-2026-031", "TS-2026-031"),
    ("C13800138000", "C13800138000"), ("1,234.00 元", "1,234.00 元"),
    ("第 13 行", "第 13 行"), ("台账-20260310-120000.xlsx", "台账-20260310-120000.xlsx"),
    ("20260310-120000", "20260310-120000"), ("3.5 小时", "3.5 小时"),
    # typed with a Chinese input method, or with other separators
    ("电话１３９１２３４５６７８", "电话１３９****５６７８"), ("139.1234.5606", "139****5606"),
    ("＋８６ １３９ １２３４ ５６７８", "１３９****５６７８"), ("（０１０）１２３４５６７８", "０１０****５６７８"),
    # internationalised addresses, ID-card numbers (18 digits, or ending in X; the old 15)
    ("张伟@例子.中国", "张***@例子.中国"), ("邮箱：张伟@例子.中国。", "邮箱：张***@例子.中国。"),
    ("li@例子.公司", "l***@例子.公司"), ("zhang＠example.com", "z***@example.com"),
    ("身份证110101199003071234", "身份证110***********1234"),
    ("11010119900307123X 号", "110***********123X 号"), ("110101900307123", "110********7123"),
    ("１１０１０１１９９００３０７１２３４", "１１０***********１２３４"),
    # a phone used as a case id in a draft's file name
    ("outbox/2026-03-10/13912345678_response.eml", "outbox/2026-03-10/139****5678_response.eml"),
])
def test_mask(text, expected):
    assert mask(text) == expected


def test_for_terminal_shows_controls_and_can_leave_values():
    assert for_terminal("a\x1b[2Jb\r\x07\x7f") == "a\\x1b[2Jb\\r\\x07\\x7f"
    assert for_terminal("tab\tline\n") == "tab\\tline\\n"
    assert for_terminal(f"x {PHONE}", enabled=False) == f"x {PHONE}"


@pytest.mark.parametrize("value, shown", [
    ("X1\ncurl http://127.0.0.1:9/x | sh #", "X1\\ncurl http://127.0.0.1:9/x | sh #"),
    ("a\r\nb", "a\\r\\nb"), ("\x1b]0;t\x07", "\\x1b]0;t\\x07"), ("\x9b2J", "\\x9b2J"),
    ("a\u2028b\u2029c\x85", "a\\u2028b\\u2029c\\x85"), ("\u202eevil", "\\u202eevil"),
    ("台账\\n（普通）", "台账\\n（普通）"), ("", ""), (None, ""), (13, "13"),
])
def test_one_line_escapes_every_line_break_and_control(value, shown):
    assert one_line(value) == shown
    assert len(one_line(value).splitlines()) <= 1


def test_lines_for_terminal_keeps_officebot_lines_and_no_others():
    text = lines_for_terminal(["第一行", "编号 X1\nforged", f"电话 {PHONE}"])
    assert text.split("\n") == ["第一行", "编号 X1\\nforged", "电话 139****5678"]


def register_with_personal_data(folder):
    rows = [dict(case_id="P1", received_at=f"来电{PHONE}", customer=NAME, phone=PHONE,
                 email=EMAIL, category="服务"),
            dict(case_id="P2", received_at=OLD, customer=NAME, phone=PHONE, email=EMAIL,
                 category="服务", summary=f"请打 {PHONE} 或写信到 {EMAIL}",
                 resolution=f"已致电 {PHONE}"),
            dict(case_id="P3", received_at=OLD, customer=NAME, email=EMAIL, category="服务",
                 replied_at=f"邮件{EMAIL}")]
    return write_register(folder / "台账.xlsx", rows)


def assert_no_personal_data(text):
    assert PHONE not in text and EMAIL not in text and NAME not in text, text


def test_check_run_and_letters_print_no_personal_data(tmp_path):
    path = register_with_personal_data(tmp_path)
    runner = CliRunner()
    for command in ("check", "run", "letters"):
        done = runner.invoke(cli, [command, str(path), *AS_OF])
        assert done.exit_code == 0, done.output
        assert_no_personal_data(done.output)
    shown = runner.invoke(cli, ["check", str(path), *AS_OF]).output
    assert "来电139****5678" in shown  # the problem row still says what was typed, masked
    # the letters themselves keep the full values: they are for the customer
    from docx import Document
    letter = next((tmp_path / "letters").rglob("P2_response.docx"))
    assert PHONE in "\n".join(p.text for p in Document(str(letter)).paragraphs)


def test_masking_can_be_turned_off(tmp_path):
    path = register_with_personal_data(tmp_path)
    (tmp_path / "officebot.toml").write_text("[privacy]\nmask = false\n", "utf-8")
    done = CliRunner().invoke(cli, ["check", str(path), *AS_OF])
    assert f"来电{PHONE}" in done.output


def test_error_sentences_mask_values(tmp_path):
    path = register_with_personal_data(tmp_path)
    (tmp_path / "officebot.toml").write_text(f'language = "{PHONE}"\n', "utf-8")
    done = CliRunner().invoke(cli, ["run", str(path), *AS_OF])
    assert done.exit_code == 1
    assert_no_personal_data(done.output)


def test_launcher_log_and_sentence_hold_no_personal_data(tmp_path):
    folder = tmp_path / "office"
    folder.mkdir()
    register_with_personal_data(folder)
    import io
    out = io.StringIO()
    code = launch(folder, as_of=dt.datetime(2026, 3, 10, 12), out=out, progress=False)
    assert code == 0, out.getvalue()
    assert_no_personal_data(out.getvalue())
    log = "".join(p.read_text("utf-8") for p in (folder / "logs").glob("*.log"))
    assert "problem row" in log and "139****5678" in log
    assert_no_personal_data(log)


def test_case_ids_with_terminal_escapes_are_shown_not_obeyed(tmp_path):
    rows = [dict(case_id="X\x1b]0;pwned\x07\x1b[2J", received_at=OLD, customer="李四",
                 category="服务")]
    path = write_register(tmp_path / "台账.xlsx", rows)
    done = CliRunner().invoke(cli, ["check", str(path), *AS_OF])
    assert "\x1b" not in done.output and "\x07" not in done.output
    assert "X\\x1b]0;pwned\\x07\\x1b[2J" in done.output


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_backups_letters_and_logs_are_no_more_readable_than_their_folder(tmp_path):
    folder = tmp_path / "office"
    folder.mkdir()
    path = register_with_personal_data(folder)
    os.chmod(folder, 0o750)
    os.chmod(path, 0o640)
    old_umask = os.umask(0o002)  # a lax umask: files would be made readable by everyone
    try:
        import io
        code = launch(folder, as_of=dt.datetime(2026, 3, 10, 12), out=io.StringIO(),
                      progress=False)
    finally:
        os.umask(old_umask)
    assert code == 0
    assert mode(path) == 0o640  # the register keeps its own permissions
    made = [p for sub in ("backups", "letters", "logs") for p in (folder / sub).rglob("*")]
    made += [folder / sub for sub in ("backups", "letters", "logs")]
    assert any(p.suffix == ".docx" for p in made) and any(p.suffix == ".xlsx" for p in made)
    for p in made:
        assert mode(p) & 0o007 == 0, (p, oct(mode(p)))  # nothing for others
    backup = next((folder / "backups").glob("*.xlsx"))
    assert mode(backup) == 0o640


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_follow_folder(tmp_path):
    private = tmp_path / "p"
    private.mkdir(mode=0o700)
    os.chmod(private, 0o700)
    f = private / "x"
    f.write_text("x")
    os.chmod(f, 0o666)
    follow_folder(f)
    assert mode(f) == 0o600
    shared = tmp_path / "s"
    shared.mkdir()
    os.chmod(shared, 0o775)
    g = shared / "y"
    g.write_text("y")
    like = shared / "like"
    like.write_text("")
    os.chmod(like, 0o640)
    follow_folder(g, like=like)
    assert mode(g) == 0o640


@hsettings(max_examples=300, deadline=None)
@given(st.text())
def test_one_line_of_any_text_is_one_line_with_no_control_character(text):
    import unicodedata
    shown = for_terminal(text)
    assert len(shown.splitlines()) <= 1
    assert not any(unicodedata.category(ch) == "Cc" for ch in shown)
    assert one_line(shown) == shown  # escaping twice changes nothing
    printable = "".join(ch for ch in text if ch.isprintable() and ch not in "\u202a\u202b\u202c"
                        "\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\ufeff")
    assert one_line(printable) == printable  # text without controls is left as it is


@pytest.mark.parametrize("cell", ["张" * 32766 + "@", "a" * 32766 + "@", ("x" * 50 + "@") * 640,
                                  "a@" + "b" * 32765, "1 " * 16383, "１" * 32767, "1." * 16383])
def test_masking_a_full_cell_takes_linear_time(cell):
    import time
    started = time.perf_counter()
    mask(cell)
    assert time.perf_counter() - started < 1.0  # quadratic scanning took minutes
