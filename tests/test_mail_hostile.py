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
from mailfixtures import AS_OF, Recorder, folder_with, parse, send_args, start_smtp

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
