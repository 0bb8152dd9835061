"""officebot mail: drafts and sending, against a real SMTP server (aiosmtpd) on loopback."""

import re

import pytest
from click.testing import CliRunner

from officebot.cli import cli
from mailfixtures import (AS_OF, SETTINGS, Recorder, case_of, cases, folder_with, free_port,
                          invoke, ledger_events, letter_bytes, letters_sheet, mailed_column,
                          parse, send_args, smtp)  # noqa: F401 - smtp is a fixture

pytest.importorskip("aiosmtpd")


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
    assert "致歉函" in m["Subject"] and "TS-001" in m["Subject"]   # the letter's own title
    assert "明川置业客户服务中心" in m["Subject"]
    assert m["From"].addresses[0].display_name == "客服中心"
    assert m["Message-ID"] and m["Date"]
    assert "X-Unsent" not in m
    body = m.get_body(("plain",)).get_content()
    assert "尊敬的张四客户：" in body and "0571-8888 6666" in body   # the letter's greeting
    assert "我们将在2026年3月13日前办结本案" in body and "经办人：李明" in body  # its full text
    assert "致歉函-TS-001.docx" in body
    (att,) = list(m.iter_attachments())
    assert att.get_filename() == "致歉函-TS-001.docx"
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
    res = invoke(*send_args(reg, port, "--verbose"))
    assert res.exit_code == 1
    assert [r for r, _, _ in handler.messages] == [["ok@example.cn"]]
    # addresses are masked on screen ([privacy] mask)
    assert "p***@example.cn" in res.output and "550" in res.output
    assert "t***@example.cn" in res.output and "451" in res.output
    status = {r["编号"]: r["状态"] for r in letters_sheet(reg)}
    assert status == {"TS-001": "待重试", "TS-002": "被拒收", "TS-003": "已发送"}
    res = invoke(*send_args(reg, port, "--verbose"))
    assert "t***@example.cn" in res.output and "p***@example.cn" in res.output
    assert "此前被拒" in res.output and res.exit_code == 1   # still outstanding
    assert len(handler.messages) == 1
    res = invoke(*send_args(reg, port, "--retry-refused", "--verbose"))
    assert "p***@example.cn" in res.output
    assert len(handler.messages) == 1


def test_invalid_address_reported_without_contacting_the_server(tmp_path, smtp):
    reg = folder_with(tmp_path, cases(1, email_of=lambda i: "kehu at example"))
    handler, port = smtp()
    res = invoke(*send_args(reg, port))
    assert res.exit_code == 1
    assert "待核实 1" in res.output and "邮箱无效" in res.output and "TS-001" in res.output
    res = invoke(*send_args(reg, port, "--verbose"))
    assert "邮箱无效 TS-001" in res.output and "kehu" in res.output
    assert handler.sessions == 0 and not handler.messages


def test_no_letter_is_sent_without_the_sender_details(tmp_path, smtp):
    # a blank detail is left out of the letter itself, and no letter is sent without it
    settings = SETTINGS.replace('hotline = "0571-8888 6666"', 'hotline = ""')
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
    res = invoke(*send_args(reg, port, "--verbose"))
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


def test_post_needs_an_address_and_a_case_with_neither_is_not_deliverable(tmp_path):
    from mailfixtures import ADDR_HEADERS
    rows = cases(3, email_of=lambda i: f"k{i}@example.cn" if i == 1 else "",
                 extra={2: {"地址": "杭州市西湖区文二路 8 号"}})
    reg = folder_with(tmp_path, rows, headers=ADDR_HEADERS)
    res = invoke("mail", str(reg), "--as-of", AS_OF)
    assert res.exit_code == 1, res.output                # a letter with nowhere to go
    assert "需邮寄 1" in res.output and "无法投递 1" in res.output   # the summary counts them
    assert "无法投递" in res.output.splitlines()[-1] and "TS-003" in res.output.splitlines()[-1]
    res = invoke("mail", str(reg), "--as-of", AS_OF, "--verbose")
    assert "需邮寄 TS-002" in res.output and "无法投递 TS-003" in res.output
    sheet = {r["编号"]: r for r in letters_sheet(reg)}
    assert sheet["TS-002"]["方式"] == "邮寄" and sheet["TS-001"]["方式"] == "电子邮件"
    assert sheet["TS-003"]["方式"] == "无法投递" and sheet["TS-003"]["状态"] == "无地址无邮箱"


def test_print_puts_the_post_into_one_a4_pdf(tmp_path):
    from conftest import need_tool
    from mailfixtures import ADDR_HEADERS
    need_tool("soffice")
    need_tool("pdftotext")
    import subprocess
    from pypdf import PdfReader
    rows = cases(3, email_of=lambda i: "", extra={
        1: {"地址": "杭州市西湖区文二路 8 号"},
        2: {"地址": "宁波市海曙区中山西路 1 号", "phone": "1.9322921132E+10"}})
    reg = folder_with(tmp_path, rows, headers=ADDR_HEADERS)
    res = invoke("mail", str(reg), "--as-of", AS_OF, "--print")
    assert res.exit_code == 1, res.output       # TS-003 has nowhere to go
    (pdf,) = list(tmp_path.glob("outbox/*/待邮寄.pdf"))
    assert str(pdf.relative_to(tmp_path).as_posix()) in res.output
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True).stdout
    assert text.index("TS-001") < text.index("TS-002")
    assert "待邮寄函件清单" in text and "13800138001" in text
    assert "19322921132" in text and "E+10" not in text          # as people write phones
    assert "文二路 8 号" in text
    assert "TS-003" not in text.split("待邮寄函件清单")[1].split("致歉函")[0]  # no address: not posted
    first = PdfReader(str(pdf)).pages[0].mediabox
    assert (round(float(first.width) / 72 * 25.4), round(float(first.height) / 72 * 25.4)) \
        == (210, 297)                                              # A4, not US Letter
    letters = [page for page in text.split("\f") if "尊敬的" in page]
    assert len(letters) == 2   # each letter's recipient block holds the address, not only a name
    assert all(re.search(r"收件人：张.\s+地\W*址：\S+市", page) for page in letters), letters
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
    from mailfixtures import ADDR_HEADERS
    reg = folder_with(tmp_path, cases(3, email_of=lambda i: "" if i == 3 else f"k{i}@example.cn",
                                      extra={3: {"地址": "杭州市西湖区文二路 8 号"}}),
                      headers=ADDR_HEADERS)
    (tmp_path / "officebot.toml").write_text(settings, encoding="utf-8")
    out = io.StringIO()
    code = launch(tmp_path, as_of=__import__("datetime").datetime(2026, 3, 10, 12, 0),
                  out=out, stdin=io.StringIO(""), mail=True, progress=False)
    lines = out.getvalue().strip().splitlines()
    assert code == 0, out.getvalue()
    assert len(handler.messages) == 2
    assert lines[-2].startswith("函件：已发送 2 封") and "需邮寄 1" in lines[-2]
    log = next((tmp_path / "logs").glob("officebot-*.log")).read_text("utf-8")
    assert "已发送" in log
    from conftest import need_tool
    need_tool("soffice")  # the post's PDF needs LibreOffice: said as a skip, not dropped
    assert lines[-1].startswith("1 封待邮寄，见 outbox/") and lines[-1].endswith("待邮寄.pdf。")


@pytest.mark.parametrize("language, expected", [
    ("zh", "这台电脑没有安装 pypdf，因此待邮寄的函件没有合成一个 PDF；请用以下命令安装："
           "python -m pip install pypdf"),
    ("en", "pypdf is not installed, so the letters to post were not put into one PDF; "
           "install it with: python -m pip install pypdf")])
def test_the_post_without_pypdf_says_how_to_install_it(tmp_path, monkeypatch, language,
                                                       expected):
    import sys
    from officebot.mail.post import print_post
    monkeypatch.setitem(sys.modules, "pypdf", None)  # import pypdf then fails
    assert print_post([], tmp_path, language) == (None, expected)
    assert not (tmp_path / "outbox").exists()
