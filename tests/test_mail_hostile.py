"""officebot mail with hostile customer values: path-like case ids, formula and template text,
emoji and rare characters. Drafts stay inside outbox/ with Windows-valid, distinct names; no
customer text is evaluated as a template; every hostile id is sent exactly once with its own
letter attached."""

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from officebot.cli import cli
from officebot.mail.status import read_manifest
from conftest import row
from mailfixtures import (AS_OF, SETTINGS, Recorder, cases, folder_with, parse, send_args,
                          start_smtp)

pytest.importorskip("aiosmtpd")

IDS = ["../../x", "CON", "a/b", "..", 'a:b*?"<>|', "trailing. "]
TEXTS = ["=cmd|' /C calc'!A0", "{{ 7*7 }}", "{% if true %}X{% endif %}", "👍🏽 王😀", "𠀀先生"]
WINDOWS_FORBIDDEN = set('\\/:*?"<>|') | {chr(i) for i in range(32)}
RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[1-9¹²³]|LPT[1-9¹²³])(\..*)?$", re.I)
RECEIVED = dt.datetime(2026, 3, 6, 9, 0)   # 4 days before AS_OF, no reply: an apology


def invoke(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def id_rows():
    return [row(cid, RECEIVED, customer=f"客户{i}", phone=f"1380013800{i}",
                email=f"id{i}@example.cn", category="服务", summary="维修人员未按约定时间上门",
                handler="李明", department="客服部") for i, cid in enumerate(IDS)]


def text_rows():
    return [row(f"TX-{i:03d}", RECEIVED, customer=text, phone=f"1390013900{i}",
                email=f"tx{i}@example.cn", category=text, summary=text, handler=text,
                department=text) for i, text in enumerate(TEXTS)]


def assert_windows_name(name):
    assert not set(name) & WINDOWS_FORBIDDEN, name
    assert not name.endswith((".", " ")), name
    assert not RESERVED.match(name.split(".")[0] + ".x"), name
    assert name not in (".", "..")


def by_address(messages):
    return {m["To"].addresses[0].addr_spec: m for m in messages}


def attached_letter(folder, case_id):
    """The bytes of the file mail attaches for ``case_id``'s apology (its PDF, else .docx)."""
    entries = {k.strip(): v for k, v in read_manifest(folder).items()}
    rel = entries[case_id.strip()]["apology"]["path"]
    pdf = Path(folder, rel[:-len(".docx")] + ".pdf")
    return (pdf if pdf.is_file() else Path(folder, rel)).read_bytes()


# --- 1. draft files ---------------------------------------------------------------------------
def test_hostile_ids_give_distinct_windows_valid_drafts_inside_outbox(tmp_path):
    work = tmp_path / "work"   # the working folder, one level down: escapes would show
    reg = folder_with(work, id_rows())
    res = invoke("mail", str(reg), "--as-of", AS_OF)
    assert res.exit_code == 0, res.output
    outbox = (work / "outbox").resolve()
    written = [p for p in tmp_path.rglob("*")
               if p.is_file() and (p.suffix == ".eml" or p.name.endswith(".tmp"))]
    emls = [p for p in written if p.suffix == ".eml"]
    assert len(emls) == len(IDS), sorted(map(str, written))
    assert not [p for p in written if p.name.endswith(".tmp")]
    for p in emls:
        real = p.resolve()
        assert real.is_relative_to(outbox), real
        assert real.parent.parent == outbox          # outbox/YYYY-MM-DD/<name>.eml
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", real.parent.name)
        assert_windows_name(real.name)
    assert len({p.name.lower() for p in emls}) == len(IDS)   # distinct, even ignoring case
    got = by_address(parse(p.read_bytes()) for p in emls)
    assert set(got) == {f"id{i}@example.cn" for i in range(len(IDS))}
    for i, cid in enumerate(IDS):
        m = got[f"id{i}@example.cn"]
        assert m["X-Unsent"] == "1"
        assert cid.strip() in str(m["Subject"])       # the id as typed, not its file name
        (att,) = list(m.iter_attachments())
        assert_windows_name(att.get_filename())
        assert att.get_content() == attached_letter(work, cid)


# --- 2. hostile text --------------------------------------------------------------------------
def test_hostile_text_is_never_evaluated_and_names_decode_exactly(tmp_path):
    reg = folder_with(tmp_path, text_rows())
    res = invoke("mail", str(reg), "--as-of", AS_OF)
    assert res.exit_code == 0, res.output
    emls = sorted(tmp_path.glob("outbox/*/*.eml"))
    assert len(emls) == len(TEXTS)
    got = by_address(parse(p.read_bytes()) for p in emls)
    for i, text in enumerate(TEXTS):
        m = got[f"tx{i}@example.cn"]
        assert not m.defects, m.defects
        subject = str(m["Subject"])
        body = m.get_body(("plain",)).get_content()
        assert m["To"].addresses[0].display_name == text     # the exact name, decoded
        assert text in body                                   # the default template greets by name
        for shown in (subject, body):
            if text == "{{ 7*7 }}":
                assert "49" not in shown, shown
            if text.startswith("{%"):
                rest = shown.replace(text, "").replace(f"TX-{i:03d}", "")
                assert "X" not in rest, shown   # never rendered to "X"
        (att,) = list(m.iter_attachments())
        assert att.get_content() == attached_letter(tmp_path, f"TX-{i:03d}")


# --- 3. sending -------------------------------------------------------------------------------
@pytest.fixture
def smtp():
    handler = Recorder()
    controller = start_smtp(handler)
    yield handler, controller.port
    controller.stop()


def test_hostile_ids_are_sent_once_each_with_their_own_letter(tmp_path, smtp):
    handler, port = smtp
    reg = folder_with(tmp_path, id_rows() + text_rows())
    res = invoke(*send_args(reg, port))
    assert res.exit_code == 0, res.output
    everyone = IDS + [f"TX-{i:03d}" for i in range(len(TEXTS))]
    assert len(handler.messages) == len(everyone)
    rcpts = [tuple(r) for r, _, _ in handler.messages]
    assert len(set(rcpts)) == len(rcpts)                     # once each
    got = by_address(m for _, m, _ in handler.messages)
    addresses = [f"id{i}@example.cn" for i in range(len(IDS))] + \
                [f"tx{i}@example.cn" for i in range(len(TEXTS))]
    for cid, addr in zip(everyone, addresses):
        m = got[addr]
        assert "X-Unsent" not in m
        (att,) = list(m.iter_attachments())
        assert att.get_content() == attached_letter(tmp_path, cid), cid
        if addr.startswith("tx"):
            text = TEXTS[int(addr[2])]
            assert m["To"].addresses[0].display_name == text
            assert "49" not in str(m["Subject"]) + m.get_body(("plain",)).get_content()
    res = invoke(*send_args(reg, port))                       # a second run sends nothing
    assert res.exit_code == 0, res.output
    assert len(handler.messages) == len(everyone)


# --- 4. a link planted at a letter's name -----------------------------------------------------
SECRET = "SECRET-4711 工资表"
SETTINGS_PDF = SETTINGS.replace('attach = "docx"', 'attach = "pdf"')


def _secret_docx(path, more=""):
    """A valid Word file outside the working folder, someone's, holding SECRET."""
    from docx import Document
    doc = Document()
    doc.add_paragraph(SECRET + more)
    doc.save(str(path))
    return path.read_bytes()


def _plant(work, case_id, target, suffix=".docx"):
    (letter,) = sorted((work / "letters").glob(f"*/{case_id}_apology.docx"))
    planted = letter.with_suffix(suffix)
    planted.unlink(missing_ok=True)
    planted.symlink_to(target)
    return planted


def _secret_in(raw: bytes, secret: bytes) -> bool:
    m = parse(raw)
    texts = [m.get_body(("plain",)).get_content()] + [p.get_content() for p in m.walk()
                                                       if p.get_content_maintype() == "text"]
    return any(SECRET in t for t in texts) or any(
        a.get_content() == secret for a in m.iter_attachments())


@pytest.mark.parametrize("mode", ["draft", "send"])
def test_a_link_planted_at_a_letter_is_never_read_and_the_run_says_so(tmp_path, smtp, mode):
    work = tmp_path / "work"
    reg = folder_with(work, [row(f"TS-00{i}", RECEIVED, customer=f"客户{i}",
                                 phone=f"1380013800{i}", email=f"k{i}@example.cn",
                                 category="服务", summary="维修人员未按约定时间上门",
                                 handler="李明", department="客服部") for i in (1, 2)])
    assert invoke("letters", str(reg), "--as-of", AS_OF).exit_code == 0
    secret = _secret_docx(tmp_path / "secret.docx")
    _plant(work, "TS-002", tmp_path / "secret.docx")
    handler, port = smtp
    args = send_args(reg, port) if mode == "send" else ["mail", str(reg), "--as-of", AS_OF]
    res = CliRunner().invoke(cli, args + ["--verbose"])
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert res.exit_code == 1, res.output                     # one letter did not go
    assert "Traceback" not in res.output
    assert "TS-002" in res.output and "链接" in res.output     # the run says why
    raws = ([raw for _, _, raw in handler.messages] if mode == "send"
            else [p.read_bytes() for p in work.glob("outbox/*/*.eml")])
    assert len(raws) == 1                                     # TS-001 still goes
    assert "k1@example.cn" in parse(raws[0])["To"]
    assert not [raw for raw in raws if _secret_in(raw, secret)]


def test_a_link_planted_at_a_letters_pdf_is_never_attached(tmp_path, smtp):
    import os
    work = tmp_path / "work"
    reg = folder_with(work, cases(1), settings=SETTINGS_PDF)
    assert invoke("letters", str(reg), "--as-of", AS_OF).exit_code == 0
    secret_pdf = tmp_path / "secret.pdf"
    secret_pdf.write_bytes(b"%PDF-1.4\n% SECRET-4711\n%%EOF\n")
    future = dt.datetime(2030, 1, 1).timestamp()
    os.utime(secret_pdf, (future, future))                    # "newer" than the letter
    _plant(work, "TS-001", secret_pdf, ".pdf")
    handler, port = smtp
    res = invoke(*send_args(reg, port))
    assert "Traceback" not in res.output
    for _, m, _ in handler.messages:
        assert all(a.get_content() != secret_pdf.read_bytes() for a in m.iter_attachments())


def test_a_link_planted_at_a_letter_to_post_is_never_printed(tmp_path):
    from conftest import need_tool
    from mailfixtures import ADDR_HEADERS
    need_tool("soffice")
    work = tmp_path / "work"
    reg = folder_with(work, cases(2, email_of=lambda i: "", extra={
        1: {"地址": "杭州市西湖区文二路 8 号"}, 2: {"地址": "杭州市西湖区文二路 9 号"}}),
        headers=ADDR_HEADERS)
    assert invoke("letters", str(reg), "--as-of", AS_OF).exit_code == 0
    _secret_docx(tmp_path / "secret.docx", " 杭州市西湖区文二路 9 号")  # as if its address
    _plant(work, "TS-002", tmp_path / "secret.docx")
    res = CliRunner().invoke(cli, ["mail", str(reg), "--as-of", AS_OF, "--print", "--verbose"])
    assert "Traceback" not in res.output and res.exit_code == 1, res.output
    assert "TS-002" in res.output and "链接" in res.output
    (pdf,) = work.glob("outbox/*/待邮寄.pdf")
    from pypdf import PdfReader
    text = "".join(page.extract_text() or "" for page in PdfReader(str(pdf)).pages)
    assert "SECRET-4711" not in text and "文二路 8 号" in text
