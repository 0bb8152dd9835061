"""officebot mail: drafts and sending, against a real SMTP server (aiosmtpd) on loopback."""

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from officebot.cli import cli
from mailfixtures import (AS_OF, SETTINGS, Recorder, case_of, cases, folder_with, free_port,
                          letter_bytes, parse, send_args, start_smtp)

pytest.importorskip("aiosmtpd")


@pytest.fixture
def smtp():
    """Factory: smtp(handler=None) -> (handler, port) of a running server, stopped after."""
    running = []

    def start(handler=None):
        handler = handler or Recorder()
        controller = start_smtp(handler)
        running.append(controller)
        return handler, controller.port

    yield start
    for controller in running:
        controller.stop()


def invoke(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def register_rows(path, sheet="台账"):
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = list(wb[sheet].iter_rows(values_only=True))
    wb.close()
    return rows


def mailed_column(path):
    rows = register_rows(path)
    header = rows[1]
    col = header.index("函件发送")
    return {r[0]: r[col] for r in rows[2:] if r[0]}


def letters_sheet(path):
    rows = register_rows(path, "函件登记")
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def ledger_events(folder):
    path = Path(folder) / "logs" / "mail-ledger.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


# --- sending ----------------------------------------------------------------------------------
def test_send_delivers_each_letter_with_its_attachment_and_chinese_headers(tmp_path, smtp):
    reg = folder_with(tmp_path, cases(3))
    handler, port = smtp()
    res = invoke(*send_args(reg, port))
    assert res.exit_code == 0, res.output
    assert len(handler.messages) == 3
    by_case = {case_of(m): (rcpt, m) for rcpt, m, _ in handler.messages}
    rcpt, m = by_case["TS-001"]
    assert rcpt == ["kehu1@example.cn"]
    assert m["To"].addresses[0].display_name == "张四"
    assert m["To"].addresses[0].addr_spec == "kehu1@example.cn"
    assert "致歉信" in m["Subject"] and "TS-001" in m["Subject"]
    assert "明川置业客户服务中心" in m["Subject"]
    assert m["From"].addresses[0].display_name == "客服中心"
    assert m["Message-ID"] and m["Date"]
    assert "X-Unsent" not in m
    body = m.get_body(("plain",)).get_content()
    assert "张四" in body and "0571-8888 6666" in body
    (att,) = list(m.iter_attachments())
    assert att.get_filename() == "致歉信-TS-001.docx"
    assert att.get_content() == letter_bytes(tmp_path, "TS-001")
    assert "3" in res.output and "函件登记" in res.output
    # recorded at once: the register's column, the letters sheet, the journal
    column = mailed_column(reg)
    assert "已发送" in column["TS-001"] and "kehu1@example.cn" in column["TS-001"]
    sheet = {r["编号"]: r for r in letters_sheet(reg)}
    assert sheet["TS-002"]["状态"] == "已发送" and sheet["TS-002"]["收件人"] == "kehu2@example.cn"
    assert sheet["TS-002"]["Message-ID"] == by_case["TS-002"][1]["Message-ID"]
    log = (tmp_path / "logs" / "mail.log").read_text("utf-8")
    assert by_case["TS-003"][1]["Message-ID"] in log
    # a second run sends nothing again
    res = invoke(*send_args(reg, port))
    assert res.exit_code == 0, res.output
    assert len(handler.messages) == 3


class DropAfter(Recorder):
    """Accepts ``n`` messages, then drops the connection at the next MAIL FROM."""

    def __init__(self, n):
        super().__init__()
        self.n = n

    async def handle_MAIL(self, server, session, envelope, address, options):
        if len(self.messages) >= self.n:
            server.transport.close()
            return "421 closing"
        envelope.mail_from = address
        return "250 OK"


def test_dropped_connection_resumes_and_every_letter_arrives_once(tmp_path, smtp):
    reg = folder_with(tmp_path, cases(5))
    dropping, port = smtp(DropAfter(2))
    res = invoke(*send_args(reg, port))
    assert res.exit_code == 1
    assert len(dropping.messages) == 2
    assert "断开" in res.output
    first = {case_of(m) for _, m, _ in dropping.messages}
    assert sum("已发送" in (v or "") for v in mailed_column(reg).values()) == 2
    handler, port2 = smtp()
    res = invoke(*send_args(reg, port2))
    assert res.exit_code == 0, res.output
    second = [case_of(m) for _, m, _ in handler.messages]
    assert len(second) == 3 and not first & set(second)
    assert first | set(second) == {f"TS-{i:03d}" for i in range(1, 6)}


class VanishAfterBody(Recorder):
    """Takes message ``n`` and closes the connection before answering: its fate is unknown."""

    def __init__(self, n):
        super().__init__()
        self.n = n

    async def handle_DATA(self, server, session, envelope):
        await super().handle_DATA(server, session, envelope)
        if len(self.messages) == self.n:
            server.transport.close()
        return "250 OK"


def test_a_message_of_unknown_fate_is_listed_and_not_sent_again(tmp_path, smtp):
    reg = folder_with(tmp_path, cases(3))
    vanishing, port = smtp(VanishAfterBody(2))
    res = invoke(*send_args(reg, port))
    assert res.exit_code == 1
    unknown = case_of(vanishing.messages[1][1])
    assert f"--resend {unknown}" in res.output
    handler, port2 = smtp()
    res = invoke(*send_args(reg, port2))
    assert res.exit_code == 1                      # something still needs a person's check
    assert unknown in res.output and "待核实" in res.output
    received = [case_of(m) for _, m, _ in vanishing.messages + handler.messages]
    assert sorted(received) == ["TS-001", "TS-002", "TS-003"]
    assert {r["编号"]: r["状态"] for r in letters_sheet(reg)}[unknown].startswith("待核实")
    # after checking, the clerk sends it again on purpose
    res = invoke(*send_args(reg, port2, "--resend", unknown))
    assert res.exit_code == 0, res.output
    assert [case_of(m) for _, m, _ in handler.messages].count(unknown) == 1


def test_server_down_one_sentence_nothing_marked_sent(tmp_path):
    reg = folder_with(tmp_path, cases(2))
    res = invoke(*send_args(reg, free_port()))
    assert res.exit_code == 1
    assert "无法连接邮件服务器 127.0.0.1" in res.output
    assert "Traceback" not in res.output
    assert not [e for e in ledger_events(tmp_path) if e["event"] in ("intent", "sent")]
    assert not any(mailed_column(reg).values())
    assert {r["状态"] for r in letters_sheet(reg)} == {"已起草"}


class Refusing(Recorder):
    async def handle_RCPT(self, server, session, envelope, address, options):
        if address.startswith("temp"):
            return "451 4.7.1 try again later"
        if address.startswith("perm"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_refusals_temporary_retried_permanent_marked(tmp_path, smtp):
    addresses = {1: "temp@example.cn", 2: "perm@example.cn", 3: "ok@example.cn"}
    reg = folder_with(tmp_path, cases(3, email_of=addresses.get))
    handler, port = smtp(Refusing())
    res = invoke(*send_args(reg, port))
    assert res.exit_code == 1
    assert [r for r, _, _ in handler.messages] == [["ok@example.cn"]]
    # addresses are masked on screen ([privacy] mask)
    assert "p***@example.cn" in res.output and "550" in res.output
    assert "t***@example.cn" in res.output and "451" in res.output
    status = {r["编号"]: r["状态"] for r in letters_sheet(reg)}
    assert status == {"TS-001": "待重试", "TS-002": "被拒收", "TS-003": "已发送"}
    res = invoke(*send_args(reg, port))
    assert "t***@example.cn" in res.output and "p***@example.cn" not in res.output
    res = invoke(*send_args(reg, port, "--retry-refused"))
    assert "p***@example.cn" in res.output
    assert len(handler.messages) == 1


def test_invalid_address_reported_without_contacting_the_server(tmp_path, smtp):
    reg = folder_with(tmp_path, cases(1, email_of=lambda i: "kehu at example"))
    handler, port = smtp()
    res = invoke(*send_args(reg, port))
    assert res.exit_code == 1
    assert "邮箱无效 TS-001" in res.output and "kehu" in res.output
    assert handler.sessions == 0 and not handler.messages


def test_no_letter_is_sent_without_the_sender_details(tmp_path, smtp):
    # the shipped stand-in counts as not set (a blank one is left out of the letter itself)
    settings = SETTINGS.replace('hotline = "0571-8888 6666"', 'hotline = "400-000-0000"')
    reg = folder_with(tmp_path, cases(2), settings=settings)
    handler, port = smtp()
    res = invoke(*send_args(reg, port))
    assert res.exit_code == 1
    assert "[letters] hotline" in res.output
    assert not handler.messages and handler.sessions == 0
    res = invoke("mail", str(reg), "--as-of", AS_OF)   # drafts are written, with a warning
    assert res.exit_code == 0 and "[letters] hotline" in res.output
    assert len(list(tmp_path.glob("outbox/*/*.eml"))) == 2


def test_held_letter_stays_back(tmp_path, smtp):
    from conftest import ZH_HEADERS
    rows = cases(2, extra={2: {"暂缓发送": "客户要求暂缓"}})
    reg = folder_with(tmp_path, rows, headers=ZH_HEADERS + ["暂缓发送"])
    handler, port = smtp()
    res = invoke(*send_args(reg, port))
    assert res.exit_code == 0, res.output
    assert [case_of(m) for _, m, _ in handler.messages] == ["TS-001"]
    assert "暂缓 TS-002" in res.output
    assert {r["编号"]: r["状态"] for r in letters_sheet(reg)}["TS-002"] == "暂缓"


def test_send_asks_before_sending(tmp_path, smtp):
    reg = folder_with(tmp_path, cases(2))
    handler, port = smtp()
    args = [a for a in send_args(reg, port) if a != "--yes"]
    res = CliRunner().invoke(cli, args, input="n\n")
    assert "TS-001" in res.output and "kehu1@example.cn" in res.output   # the list
    assert res.exit_code == 1 and not handler.messages


# --- drafts and dry runs --------------------------------------------------------------------
def test_drafts_are_eml_files_with_x_unsent_and_the_letter(tmp_path):
    reg = folder_with(tmp_path, cases(2) + cases(1, email_of=lambda i: "")[:0])
    res = invoke("mail", str(reg), "--as-of", AS_OF)
    assert res.exit_code == 0, res.output
    emls = sorted(tmp_path.glob("outbox/*/*.eml"))
    assert [p.name for p in emls] == ["TS-001_apology.eml", "TS-002_apology.eml"]
    m = parse(emls[0].read_bytes())
    assert m["X-Unsent"] == "1"
    assert m["To"].addresses[0].addr_spec == "kehu1@example.cn"
    (att,) = list(m.iter_attachments())
    assert att.get_content() == letter_bytes(tmp_path, "TS-001")
    assert {r["状态"] for r in letters_sheet(reg)} == {"已存草稿"}
    res = invoke("mail", str(reg), "--as-of", AS_OF)   # drafts are written once
    assert len(list(tmp_path.glob("outbox/*/*.eml"))) == 2


def test_dry_run_writes_and_sends_nothing(tmp_path, smtp):
    reg = folder_with(tmp_path, cases(2))
    invoke("letters", str(reg), "--as-of", AS_OF)
    before = reg.read_bytes()
    handler, port = smtp()
    res = invoke(*send_args(reg, port, "--dry-run"))
    assert res.exit_code == 0, res.output
    assert "TS-001" in res.output and "kehu1@example.cn" in res.output
    assert reg.read_bytes() == before
    assert not list(tmp_path.glob("outbox/**/*.eml"))
    assert not (tmp_path / "logs" / "mail-ledger.jsonl").exists()
    assert handler.sessions == 0


def test_cases_without_email_are_listed_for_post(tmp_path):
    reg = folder_with(tmp_path, cases(2, email_of=lambda i: "" if i == 2 else f"k{i}@example.cn"))
    res = invoke("mail", str(reg), "--as-of", AS_OF)
    assert res.exit_code == 0, res.output
    assert "需邮寄 TS-002" in res.output
    sheet = {r["编号"]: r for r in letters_sheet(reg)}
    assert sheet["TS-002"]["方式"] == "邮寄" and sheet["TS-001"]["方式"] == "电子邮件"


def test_print_puts_the_post_into_one_pdf(tmp_path):
    from conftest import need_tool
    need_tool("soffice")
    need_tool("pdftotext")
    import subprocess
    reg = folder_with(tmp_path, cases(2, email_of=lambda i: ""))
    res = invoke("mail", str(reg), "--as-of", AS_OF, "--print")
    assert res.exit_code == 0, res.output
    (pdf,) = list(tmp_path.glob("outbox/*/待邮寄.pdf"))
    assert str(pdf.relative_to(tmp_path).as_posix()) in res.output
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert text.index("TS-001") < text.index("TS-002")
    assert "待邮寄函件清单" in text and "13800138001" in text
    assert not list(tmp_path.glob("letters/*/*.pdf"))  # the letters folder gets no PDFs


# --- the launcher -----------------------------------------------------------------------------
def test_init_writes_the_mail_launcher_pair_and_the_mail_templates(tmp_path):
    from officebot.init import MAIL_BAT_NAMES, init_folder
    folder = init_folder(tmp_path / "投诉 办公室").folder
    for name in MAIL_BAT_NAMES:
        text = (folder / name).read_bytes().decode("utf-8")
        assert '-m officebot launch "%~dp0." --mail --no-pause' in text
        assert text.endswith("pause\r\n")
    sh = (folder / "发送函件.sh").read_text("utf-8")
    assert 'launch "$HERE" --mail --pause' in sh
    assert (folder / "templates" / "mail_zh.txt").is_file()
    assert (folder / "templates" / "mail_en.txt").is_file()


def test_launcher_sends_in_send_mode_and_ends_with_one_sentence(tmp_path, smtp):
    import io
    from officebot.launcher import launch
    handler, port = smtp()
    settings = SETTINGS + (f'mode = "send"\nhost = "127.0.0.1"\nport = {port}\n'
                           'security = "none"\nfrom = "kefu@mingchuan.cn"\nconfirm = false\n')
    reg = folder_with(tmp_path, cases(3, email_of=lambda i: "" if i == 3 else f"k{i}@example.cn"))
    (tmp_path / "officebot.toml").write_text(settings, encoding="utf-8")
    out = io.StringIO()
    code = launch(tmp_path, as_of=__import__("datetime").datetime(2026, 3, 10, 12, 0),
                  out=out, stdin=io.StringIO(""), mail=True, progress=False)
    last = out.getvalue().strip().splitlines()[-1]
    assert code == 0, out.getvalue()
    assert len(handler.messages) == 2
    assert last.startswith("已发送 2 封函件") and "函件登记" in last
    log = next((tmp_path / "logs").glob("officebot-*.log")).read_text("utf-8")
    assert "已发送" in log
    from conftest import need_tool
    need_tool("soffice")  # the post's PDF needs LibreOffice: said as a skip, not dropped
    assert "1 封待邮寄，见 outbox/" in last and last.endswith("待邮寄.pdf。")
