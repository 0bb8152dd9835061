"""Helpers for the mail tests: a working folder with cases that get letters, a real SMTP server
(aiosmtpd) on loopback, and reading what arrived."""

import datetime as dt
import email
import json
import socket
import textwrap
from email import policy
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import ZH_HEADERS, row, write_register
from officebot.cli import cli

AS_OF = "2026-03-10 12:00"
SETTINGS = textwrap.dedent("""\
    language = "zh"
    [letters]
    company_zh = "明川置业客户服务中心"
    company_en = "Mingchuan Customer Service"
    address_zh = "杭州市西湖区文三路 100 号"
    address_en = "100 Wensan Road, Hangzhou"
    hotline = "0571-8888 6666"
    email = "kefu@mingchuan.cn"
    [mail]
    per_minute = 0
    timeout_seconds = 10
    attach = "docx"
    """)


ADDR_HEADERS = ZH_HEADERS + ["地址"]


def cases(n=3, email_of=None, extra=None):
    """n cases received 4 days before the as-of time with no reply: each gets an apology."""
    out = []
    for i in range(1, n + 1):
        mail = (email_of or (lambda i: f"kehu{i}@example.cn"))(i)
        fields = dict(customer=f"张{'三四五六七八九十'[i % 8]}", phone=f"1380013800{i % 10}",
                      email=mail, category="服务", summary="维修人员未按约定时间上门",
                      handler="李明", department="客服部")
        fields.update((extra or {}).get(i, {}))
        out.append(row(f"TS-{i:03d}", dt.datetime(2026, 3, 6, 9, 0), **fields))
    return out


def folder_with(tmp_path, rows, settings=SETTINGS, headers=None):
    """A working folder: officebot.toml and a register holding ``rows``."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "officebot.toml").write_text(settings, encoding="utf-8")
    kwargs = {"headers": headers} if headers else {}
    return write_register(tmp_path / "台账.xlsx", rows, **kwargs)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Recorder:
    """aiosmtpd handler keeping every message it accepts."""

    def __init__(self):
        self.messages = []      # (envelope recipients, parsed message, raw bytes)
        self.sessions = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        self.messages.append((list(envelope.rcpt_tos), parse(raw), raw))
        return "250 Message accepted for delivery"


def parse(raw: bytes):
    return email.message_from_bytes(raw, policy=policy.default)


def start_smtp(handler):
    """A real SMTP server on 127.0.0.1 (stop it with .stop())."""
    from aiosmtpd.controller import Controller
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller


def send_args(register, port, *more):
    return ["mail", str(register), "--send", "--yes", "--smtp-host", "127.0.0.1",
            "--smtp-port", str(port), "--smtp-security", "none",
            "--from", "客服中心 <kefu@mingchuan.cn>", "--as-of", AS_OF, *more]


def case_of(message) -> str:
    """The case id in a received message's subject."""
    import re
    return re.search(r"TS-\d+", str(message["Subject"])).group(0)


def letter_bytes(folder: Path, case_id: str, kind: str = "apology") -> bytes:
    found = sorted(Path(folder, "letters").glob(f"*/{case_id}_{kind}.docx"))
    assert found, f"no {kind} letter for {case_id}"
    return found[0].read_bytes()


@pytest.fixture
def smtp():
    """Factory: smtp(handler=None) -> (handler, port) of a running server, stopped after."""
    pytest.importorskip("aiosmtpd")
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
    """{case id: the 函件发送 cell} of a register written by write_register."""
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
