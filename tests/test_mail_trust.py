"""officebot mail that staff can trust: exactly once without logs/, one bad cell never stops
the rest, current letters only, one message per customer, readable on a phone, plain-text
passwords refused. Against a real SMTP server (aiosmtpd) on loopback."""

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from conftest import row
from mailfixtures import (ADDR_HEADERS, AS_OF, SETTINGS, case_of, cases, folder_with, invoke,
                          ledger_events, letters_sheet, mailed_column, send_args,
                          smtp)  # noqa: F401 - smtp is a fixture
from officebot.mail.addresses import case_key, header_text, phone_as_written
from officebot.mail.plan import Item, stale_reason
from officebot.mail.ledger import LetterMail
from officebot.mail.status import parse_status_cell


def _set_cell(path, case_id, header, value):
    """Change one cell of the register as a clerk would in Excel (openpyxl keeps the rest)."""
    wb = openpyxl.load_workbook(path)
    ws = wb["台账"]
    col = [c.value for c in ws[2]].index(header) + 1
    for r in range(3, ws.max_row + 1):
        if ws.cell(r, 1).value == case_id:
            ws.cell(r, col).value = value
    wb.save(path)


# --- 1. exactly once, even without logs/ --------------------------------------------------------
@pytest.mark.parametrize("lose", ["delete logs", "rename journal", "damage journal"])
def test_a_lost_or_damaged_journal_is_rebuilt_from_the_register(tmp_path, smtp, lose):
    reg = folder_with(tmp_path, cases(3))
    handler, port = smtp()
    assert invoke(*send_args(reg, port)).exit_code == 0
    mids = {case_of(m): m["Message-ID"] for _, m, _ in handler.messages}
    column = mailed_column(reg)
    assert all(mids[c] in column[c] for c in mids)        # the register names each Message-ID
    journal = tmp_path / "logs" / "mail-ledger.jsonl"
    if lose == "delete logs":
        shutil.rmtree(tmp_path / "logs")
    elif lose == "rename journal":
        journal.rename(journal.with_name("old-ledger.jsonl"))
    else:
        lines = journal.read_text("utf-8").splitlines()
        journal.write_text("\n".join(lines[:2] + ["{garbage", "\x00\x01"] + lines[2:]) + "\n",
                           encoding="utf-8")
    res = invoke(*send_args(reg, port, "--dry-run"))
    assert "将发送 0 封" in res.output and "kehu1@example.cn" not in res.output
    res = invoke(*send_args(reg, port))
    assert res.exit_code == 0, res.output
    assert len(handler.messages) == 3                      # nothing sent again
    note = [line for line in res.output.splitlines() if "重建" in line]
    assert len(note) == 1 and "logs/mail-ledger.jsonl" in note[0]
    sent = {e["case"] for e in ledger_events(tmp_path) if e["event"] == "sent"}
    assert sent == {"TS-001", "TS-002", "TS-003"}
    assert {e["message_id"] for e in ledger_events(tmp_path) if e["event"] == "sent"} \
        == set(mids.values())
    if lose == "damage journal":
        assert list((tmp_path / "logs").glob("mail-ledger.damaged-*.jsonl"))
    res = invoke(*send_args(reg, port))                   # and said once only
    assert "重建" not in res.output and len(handler.messages) == 3


def test_either_record_alone_refuses_a_resend(tmp_path, smtp):
    """The register says sent, the journal (a fresh one) does not know: nothing goes."""
    reg = folder_with(tmp_path, cases(2))
    handler, port = smtp()
    assert invoke(*send_args(reg, port)).exit_code == 0
    journal = tmp_path / "logs" / "mail-ledger.jsonl"
    events = [json.loads(line) for line in journal.read_text("utf-8").splitlines()]
    keep = [e for e in events if e["case"] != "TS-002"]
    journal.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in keep), "utf-8")
    res = invoke(*send_args(reg, port))
    assert res.exit_code == 0, res.output
    assert len(handler.messages) == 2


def test_a_zero_width_space_in_a_case_id_does_not_resend(tmp_path, smtp):
    reg = folder_with(tmp_path, cases(2))
    handler, port = smtp()
    assert invoke(*send_args(reg, port)).exit_code == 0
    _set_cell(reg, "TS-001", "编号", "TS-001\u200b ")       # invisible in Excel
    res = invoke(*send_args(reg, port))
    assert res.exit_code == 0, res.output
    assert len(handler.messages) == 2


@pytest.mark.parametrize("typed, key", [
    ("TS-001", "TS-001"), (" TS-001 ", "TS-001"), ("TS-001\u200b", "TS-001"),
    ("\ufeffTS-001", "TS-001"), ("ＴＳ－００１", "TS-001"), ("TS\u2060-001", "TS-001"),
    ("TS-001\u00a0", "TS-001"), ("ts-001", "ts-001")])
def test_case_ids_compare_as_excel_shows_them(typed, key):
    assert case_key(typed) == key


def test_the_register_cell_reads_back():
    text = ("致歉函 已发送 2026-03-10 12:00 a@b.cn <1.2@b.cn>; 回访函 待核实（可能已发出） "
            "2026-03-11 09:30 c@d.cn, e@f.cn <x@d.cn>; 投诉处理情况的函 已起草")
    assert parse_status_cell(text) == [
        ("apology", "sent", "2026-03-10T12:00:00", "a@b.cn", "<1.2@b.cn>"),
        ("followup", "unknown", "2026-03-11T09:30:00", "c@d.cn, e@f.cn", "<x@d.cn>")]
    assert parse_status_cell("letter of apology sent 2026-03-10 12:00 a@b.cn") == [
        ("apology", "sent", "2026-03-10T12:00:00", "a@b.cn", "")]
    assert parse_status_cell("") == [] and parse_status_cell(None) == []


# --- 2. one bad cell never stops all mail ------------------------------------------------------
def test_a_name_typed_with_alt_enter_is_cleaned_and_everything_goes(tmp_path, smtp):
    rows = cases(3, extra={2: {"customer": "王\n芳"}, 3: {"customer": "李\r\n四\u2028"}})
    reg = folder_with(tmp_path, rows)
    handler, port = smtp()
    res = invoke(*send_args(reg, port))
    assert res.exit_code == 0, res.output
    assert "Traceback" not in res.output
    names = {case_of(m): m["To"].addresses[0].display_name for _, m, _ in handler.messages}
    assert names == {"TS-001": "张四", "TS-002": "王 芳", "TS-003": "李 四"}


def test_a_letter_that_cannot_go_into_a_message_is_listed_and_the_rest_go(tmp_path, smtp,
                                                                         monkeypatch):
    import officebot.mail.run as run
    reg = folder_with(tmp_path, cases(3))
    real = run.read_letter

    def read_letter(path, sender=""):
        if "TS-002" in Path(path).name:
            raise ValueError("a value that cannot go into a message\nsecond line")
        return real(path, sender)
    monkeypatch.setattr(run, "read_letter", read_letter)
    handler, port = smtp()
    res = invoke(*send_args(reg, port, "--verbose"))
    assert res.exit_code == 1                               # one letter did not go
    assert sorted(case_of(m) for _, m, _ in handler.messages) == ["TS-001", "TS-003"]
    assert "无法发送 TS-002 apology：a value that cannot go into a message second line" \
        in res.output and "Traceback" not in res.output
    assert "待核实 1" in res.output.splitlines()[-2]
    assert "TS-002" in res.output.splitlines()[-1]


@pytest.mark.parametrize("value, text", [("王\n芳", "王 芳"), (" a\tb ", "a b"),
                                         ("x\x00y", "x y"), (None, "")])
def test_header_text(value, text):
    assert header_text(value) == text


@pytest.mark.parametrize("typed, shown", [
    ("1.9322921132E+10", "19322921132"), ("19322921132.0", "19322921132"),
    ("13800138000", "13800138000"), ("+86 138-0013-8000", "+86 138-0013-8000"),
    ("1.5E-3", "1.5E-3"), ("", "")])
def test_phones_as_people_write_them(typed, shown):
    assert phone_as_written(typed) == shown


# --- 3. current letters only ----------------------------------------------------------------------
def _item(entry):
    return Item(None, None, "apology", "zh", "x.docx", entry, [], [], LetterMail())


AT = dt.datetime(2026, 3, 10, 12, 0)


@pytest.mark.parametrize("entry, facts_now, why", [
    ({"drafted_at": "2026-03-10T08:00:00"}, None, ""),
    ({"drafted_at": "2026-03-09T11:00:00"}, None, "old"),
    ({"drafted_at": "2026-03-09T13:00:00"}, None, ""),
    ({"drafted_at": "2026-03-10T08:00:00", "promised": "2026-03-09"}, None, "promise"),
    ({"drafted_at": "2026-03-10T08:00:00", "promised": "2026-03-10"}, None, ""),
    ({"drafted_at": "2026-03-10T08:00:00", "facts": "a"}, "a", ""),
    ({"drafted_at": "2026-03-10T08:00:00", "facts": "a"}, "b", "facts"),
    ({"drafted_at": "2026-03-10T08:00:00"}, "b", ""),          # an entry without facts
    ({}, None, ""), ({"drafted_at": "garbage", "promised": "soon"}, None, ""),
])
def test_stale_reason(entry, facts_now, why):
    facts = (lambda item: facts_now) if facts_now is not None else None
    assert stale_reason(_item(entry), AT, dt.timedelta(hours=24), facts) == why


def _manifest(folder):
    return json.loads((Path(folder) / "letters" / "officebot-letters.json")
                      .read_text("utf-8"))["letters"]


def test_an_old_letter_is_drafted_again_before_it_goes(tmp_path, smtp):
    reg = folder_with(tmp_path, cases(1))
    assert invoke("letters", str(reg), "--as-of", "2026-03-08 12:00").exit_code == 0
    handler, port = smtp()
    res = invoke(*send_args(reg, port))                     # AS_OF: two days later
    assert res.exit_code == 0, res.output
    assert "发送前重新起草 1" in res.output
    (m,) = [m for _, m, _ in handler.messages]
    body = m.get_body(("plain",)).get_content()
    assert "2026年3月10日" in body and "2026年3月8日\n" not in body
    assert _manifest(tmp_path)["TS-001"]["apology"]["drafted_at"] == "2026-03-10T12:00:00"


def test_a_letter_promising_a_past_date_is_drafted_again(tmp_path, smtp):
    reg = folder_with(tmp_path, cases(1))
    assert invoke("letters", str(reg), "--as-of", AS_OF).exit_code == 0
    path = tmp_path / "letters" / "officebot-letters.json"
    doc = json.loads(path.read_text("utf-8"))
    doc["letters"]["TS-001"]["apology"]["promised"] = "2026-03-09"
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    handler, port = smtp()
    res = invoke(*send_args(reg, port, "--as-of", "2026-03-10 18:00"))
    assert "发送前重新起草 1" in res.output
    promised = _manifest(tmp_path)["TS-001"]["apology"].get("promised")
    if promised is not None and promised < "2026-03-10":   # still past: it waits for a person
        assert res.exit_code == 1 and not handler.messages
    else:
        assert res.exit_code == 0, res.output
        assert len(handler.messages) == 1


def test_a_superseded_apology_is_not_sent_and_one_customer_gets_one_message(tmp_path, smtp):
    same = {"phone": "13900139000", "email": "wang@example.cn", "customer": "王芳"}
    rows = [row("TS-001", dt.datetime(2026, 3, 6, 9, 0), category="服务", summary="漏水",
                handler="李明", department="客服部", **same),
            row("TS-002", dt.datetime(2026, 2, 1, 9, 0), category="产品质量", summary="门锁坏",
                handler="李明", department="客服部", replied_at=dt.datetime(2026, 2, 2, 9, 0),
                closed_at=dt.datetime(2026, 3, 9, 9, 0), resolution="已更换门锁", **same)]
    reg = folder_with(tmp_path, rows)
    assert invoke("letters", str(reg), "--as-of", AS_OF).exit_code == 0
    assert set(_manifest(tmp_path)) == {"TS-001", "TS-002"}
    # TS-001 is then answered and closed the same day: its response supersedes the apology
    _set_cell(reg, "TS-001", "答复时间", dt.datetime(2026, 3, 10, 14, 0))
    _set_cell(reg, "TS-001", "结案时间", dt.datetime(2026, 3, 10, 15, 0))
    _set_cell(reg, "TS-001", "处理结果", "已修好水管")
    handler, port = smtp()
    res = invoke(*send_args(reg, port, "--as-of", "2026-03-10 18:00", "--verbose"))
    assert res.exit_code == 0, res.output
    assert len(handler.messages) == 1                       # one customer, one message
    (rcpt, m, _) = handler.messages[0]
    names = sorted(a.get_filename() for a in m.iter_attachments())
    kinds = {k for k in _manifest(tmp_path)["TS-001"]}
    assert "response" in kinds
    assert names == sorted(["投诉处理情况的函-TS-001.docx", "投诉处理情况的函-TS-002.docx"]) \
        or names == sorted(["关于投诉处理情况的函-TS-001.docx", "关于投诉处理情况的函-TS-002.docx"])
    assert "TS-001" in m["Subject"] and "TS-002" in m["Subject"]
    assert "不再发送 TS-001 apology" in res.output
    body = m.get_body(("plain",)).get_content()
    assert "已修好水管" in body and "已更换门锁" in body     # both letters in full
    status = {(r["编号"], r["函件"]): r["状态"] for r in letters_sheet(reg)}
    assert status[("TS-001", "致歉函")] == "已由后函取代"
    assert status[("TS-001", "投诉处理情况的函")] == "已发送"
    res = invoke(*send_args(reg, port, "--as-of", "2026-03-10 18:30"))
    assert res.exit_code == 0 and len(handler.messages) == 1   # and never later


# --- 4. readable on a phone ----------------------------------------------------------------------
def test_the_message_carries_the_letter_and_its_pdf_named_as_thunderbird_writes_it(tmp_path,
                                                                                    smtp):
    from conftest import need_tool
    need_tool("soffice")
    settings = SETTINGS.replace('attach = "docx"\n', "")      # the default: a PDF
    reg = folder_with(tmp_path, cases(1), settings=settings)
    handler, port = smtp()
    res = invoke(*send_args(reg, port))
    assert res.exit_code == 0, res.output
    (_, m, raw) = handler.messages[0]
    (att,) = list(m.iter_attachments())
    assert att.get_content_type() == "application/pdf"
    assert att.get_filename() == "致歉函-TS-001.pdf"
    assert att.get_content().startswith(b"%PDF")
    head = raw.split(b"%PDF")[0] if b"%PDF" in raw else raw
    part = raw[raw.index(b"Content-Type: application/pdf"):][:400].decode("ascii")
    assert re.search(r'name="=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=', part)     # RFC 2047 name
    assert "filename*=utf-8''%E8%87%B4%E6%AD%89%E5%87%BD-TS-001.pdf" in part   # RFC 2231
    assert head
    html = m.get_body(("html",)).get_content()
    plain = m.get_body(("plain",)).get_content()
    assert "尊敬的张四客户：" in html and "尊敬的张四客户：" in plain
    assert "viewport" in html
    assert not list(tmp_path.glob("letters/*/*.pdf"))        # made privately for the message


def test_a_follow_up_asks_its_questions_in_the_mail(tmp_path, smtp):
    rows = [row("TS-001", dt.datetime(2026, 2, 20, 9, 0), customer="王芳", phone="13900139000",
                email="wang@example.cn", category="服务", summary="漏水", handler="李明",
                department="客服部", replied_at=dt.datetime(2026, 2, 21, 9, 0),
                closed_at=dt.datetime(2026, 3, 2, 9, 0), resolution="已更换水管")]
    reg = folder_with(tmp_path, rows)
    assert invoke("letters", str(reg), "--as-of", "2026-03-02 12:00", "--kind",
                  "response").exit_code == 0
    handler, port = smtp()
    assert invoke(*send_args(reg, port, "--as-of", "2026-03-02 12:30")).exit_code == 0
    res = invoke(*send_args(reg, port, "--as-of", "2026-03-10 12:00"))
    assert res.exit_code == 0, res.output
    followups = [m for _, m, _ in handler.messages if "回访" in str(m["Subject"])]
    assert len(followups) == 1, [str(m["Subject"]) for _, m, _ in handler.messages]
    body = followups[0].get_body(("plain",)).get_content()
    assert "□" not in body and "____" not in body
    lines = body.splitlines()
    asked = lines.index("非常满意 / 满意 / 基本满意 / 不满意")
    assert lines[asked + 1].startswith("问题是否已彻底解决：是 / 否")
    assert "回复本邮件" in lines[asked + 2]                 # answerable right there, by reply


def test_english_subject_and_body_say_each_thing_once(tmp_path, smtp):
    from conftest import ZH_HEADERS
    rows = cases(1, extra={1: {"语言": "English", "customer": "Ann Lee"}})
    reg = folder_with(tmp_path, rows, headers=ZH_HEADERS + ["语言"])
    handler, port = smtp()
    assert invoke(*send_args(reg, port)).exit_code == 0, "sent"
    (_, m, _) = handler.messages[0]
    subject = str(m["Subject"])
    body = m.get_body(("plain",)).get_content()
    assert subject.count("complaint") <= 1 and "our letter on your complaint" not in subject
    assert "TS-001" in subject and "Dear Ann Lee," in body
    assert "about your complaint about" not in body
    (att,) = list(m.iter_attachments())
    assert att.get_filename() == "Letter of apology-TS-001.docx"


# --- 5. what the console says ----------------------------------------------------------------
def test_the_console_shows_counts_then_one_sentence_and_keeps_message_ids_whole(tmp_path,
                                                                                 smtp):
    rows = cases(25, email_of=lambda i: f"k{i}@example.cn" if i <= 2 else "",
                 extra={i: {"phone": f"139{i:08d}", **({"地址": f"杭州市{i}号"} if 3 <= i < 25
                                                       else {})} for i in range(1, 26)})
    reg = folder_with(tmp_path, rows, headers=ADDR_HEADERS)
    handler, port = smtp()
    res = invoke(*send_args(reg, port))
    assert res.exit_code == 1, res.output                  # TS-025 has nowhere to go
    lines = res.output.strip().splitlines()
    assert lines[-2] == ("函件：已发送 2 封，暂未发出 0，被拒收 0，待核实 0，需邮寄 22，无法投递 1")
    assert "TS-025" in lines[-1]
    assert not [line for line in lines if line.startswith("需邮寄 TS")]   # details: the log
    log = (tmp_path / "logs" / "mail.log").read_text("utf-8")
    assert "需邮寄 TS-024" in log
    res = invoke(*send_args(reg, port, "--verbose", "--resend", "TS-001"))
    mid = next(m["Message-ID"] for _, m, _ in handler.messages[2:])
    assert mid in res.output and "k***@example.cn" in res.output   # addresses masked, IDs whole


def test_english_summary_has_no_broken_plural(tmp_path, smtp):
    settings = SETTINGS.replace('language = "zh"', 'language = "en"')
    reg = folder_with(tmp_path, cases(1), settings=settings)
    handler, port = smtp()
    res = invoke(*send_args(reg, port))
    assert res.exit_code == 0, res.output
    assert "letters — sent: 1, deferred: 0, refused: 0, to check: 0, to post: 0, " \
           "not deliverable: 0" in res.output
    assert "1 letters" not in res.output


# --- 7. plain-text passwords ------------------------------------------------------------------
def test_a_password_in_clear_is_refused_unless_loopback_or_allowed(tmp_path, smtp,
                                                                  monkeypatch):
    monkeypatch.setenv("OFFICEBOT_SMTP_PASSWORD", "geheim")
    reg = folder_with(tmp_path, cases(1), settings=SETTINGS + 'user = "kefu"\n')
    args = [a if a != "127.0.0.1" else "192.0.2.1" for a in send_args(reg, 25)]
    res = invoke(*args)
    assert res.exit_code == 1
    assert "明文" in res.output and "allow_plaintext" in res.output
    assert not ledger_events(tmp_path)
    handler, port = smtp()                       # loopback: no refusal (the login then fails)
    res = invoke(*send_args(reg, port))
    assert "明文" not in res.output
    quick = SETTINGS.replace("timeout_seconds = 10", "timeout_seconds = 1")
    folder_with(tmp_path, cases(1), settings=quick + 'user = "kefu"\nallow_plaintext = true\n')
    res = invoke(*args)
    assert "明文" not in res.output and "192.0.2.1" in res.output


# --- 8. IMAP folder names ---------------------------------------------------------------------
@pytest.mark.parametrize("name, wire", [
    ("Drafts", "Drafts"), ("草稿箱", "&g0l6P3ux-"), ("A&B", "A&-B"),
    ("Entwürfe", "Entw&APw-rfe"), ("~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-"),
    ("草稿 & Drafts", "&g0l6Pw- &- Drafts"), ("😀", "&2D3eAA-")])
def test_imap_folder_names_in_modified_utf7(name, wire):
    from officebot.mail.transport import imap_utf7, imap_utf7_decode
    assert imap_utf7(name) == wire
    assert imap_utf7_decode(wire) == name


def test_a_letter_whose_case_changed_is_drafted_again(tmp_path, smtp):
    reg = folder_with(tmp_path, cases(1))
    assert invoke("letters", str(reg), "--as-of", AS_OF).exit_code == 0
    records_facts = "facts" in _manifest(tmp_path)["TS-001"]["apology"]
    _set_cell(reg, "TS-001", "投诉内容", "维修人员两次未按约定时间上门，家中漏水无人处理")
    handler, port = smtp()
    res = invoke(*send_args(reg, port, "--as-of", "2026-03-10 13:00"))
    assert res.exit_code == 0, res.output
    body = handler.messages[0][1].get_body(("plain",)).get_content()
    if records_facts:   # the letters record what each letter stands on: the new facts go out
        assert "发送前重新起草 1" in res.output and "家中漏水无人处理" in body
    else:               # only its date can tell, and it is current
        assert "重新起草" not in res.output and "家中漏水无人处理" not in body


def _ev(event, **more):
    return {"event": event, "case": "TS-001", "kind": "apology", **more}


@pytest.mark.parametrize("events, status", [
    ([_ev("intent", boot="pc:1")], "retry"),                        # killed before the body
    ([_ev("intent", boot="pc:1"), _ev("body")], "unknown"),          # the body may have gone
    ([_ev("intent", boot="pc:0")], "unknown"),                       # restarted since
    ([_ev("intent", boot="other:1")], "unknown"),                    # another computer
    ([_ev("intent")], "unknown"),                                    # an older journal
    ([_ev("intent", boot="pc:1"), _ev("body"), _ev("sent")], "sent"),
    ([_ev("intent", boot="pc:1"), _ev("refused")], "refused"),
    ([_ev("intent", boot="pc:1"), _ev("body"), _ev("deferred"), _ev("intent", boot="pc:1")],
     "retry"),
])
def test_an_interrupted_message_is_unknown_only_when_its_body_may_have_gone(events, status):
    from officebot.mail.ledger import fold
    assert fold(events, "pc:1")[("TS-001", "apology")].status == status


def test_a_letter_drafted_before_the_address_was_typed_is_drafted_again_for_post(tmp_path):
    from conftest import need_tool
    need_tool("soffice")
    need_tool("pdftotext")
    import subprocess
    reg = folder_with(tmp_path, cases(1, email_of=lambda i: "", extra={1: {"地址": ""}}),
                      headers=ADDR_HEADERS)
    assert invoke("letters", str(reg), "--as-of", AS_OF).exit_code == 0
    _set_cell(reg, "TS-001", "地址", "杭州市西湖区文二路 8 号")
    res = invoke("mail", str(reg), "--as-of", "2026-03-10 13:00", "--print")
    assert res.exit_code == 0, res.output
    assert "发送前重新起草 1" in res.output
    (pdf,) = tmp_path.glob("outbox/*/待邮寄.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    letter = [page for page in text.split("\f") if "尊敬的" in page]
    assert len(letter) == 1 and "文二路 8 号" in letter[0]
