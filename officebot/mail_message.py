"""One letter -> one e-mail: subject and body from the office's mail templates, the letter
attached, every header encoded by the standard library (RFC 2047 names and subjects, RFC 2231
file names, UTF-8 bodies).

The mail templates are small text files in the working folder's ``templates/``
(``mail_zh.txt``, ``mail_en.txt``): the first line is the subject (after ``主题：`` or
``Subject:``), the rest the body. They use the letters' placeholder names.
"""

import datetime as dt
import re
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from jinja2 import TemplateError as JinjaError, meta
from jinja2.sandbox import SandboxedEnvironment

from .errors import TemplateError
from .mail_status import KIND_NAMES

DATA_TEMPLATES = Path(__file__).with_name("data") / "templates"
# The placeholders a mail template may use (the letters' names, English and Chinese).
MAIL_PLACEHOLDERS = {"case_id": "投诉编号", "customer": "客户姓名", "letter": "函件名称",
                     "company": "公司名称", "hotline": "客服热线", "company_email": "公司邮箱",
                     "address": "公司地址", "letter_date": "函件日期", "received": "受理日期",
                     "category": "投诉类别", "department": "责任部门", "handler": "处理人"}
_SUBJECT = re.compile(r"^\s*(?:主题|subject)\s*[:：]\s*(.*)$", re.I)
_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*"
                      r"[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
_SPLIT = re.compile(r"[;,，；、\s]+")
_ENV = SandboxedEnvironment(autoescape=False, keep_trailing_newline=False)


def parse_addresses(text: str) -> Tuple[List[str], List[str]]:
    """(valid addresses, invalid pieces) of a register's e-mail cell; several may be given,
    separated by ; , or spaces."""
    good, bad = [], []
    for piece in _SPLIT.split((text or "").strip()):
        piece = piece.strip().strip("<>")
        if not piece:
            continue
        (good if _ADDRESS.match(piece) and ".." not in piece else bad).append(piece)
    return good, bad


class MailTemplate:
    """A mail template, checked once: ``render(values) -> (subject, body)``."""

    def __init__(self, path: Path):
        self.path = path
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise TemplateError(f"Mail template {path} cannot be read ({exc}); save it as UTF-8 "
                                "text", zh=f"邮件模板 {path} 无法读取；请存为 UTF-8 文本") from None
        lines = text.replace("\r\n", "\n").split("\n")
        first = next((i for i, line in enumerate(lines)
                      if line.strip() and not line.strip().startswith("{#")), None)
        m = _SUBJECT.match(lines[first]) if first is not None else None
        if m is None:
            raise TemplateError(f"Mail template {path} must start with a subject line like "
                                "\"Subject: ...\" or \"主题：...\"",
                                zh=f"邮件模板 {path} 的第一行应是“主题：……”")
        body = "\n".join(lines[first + 1:]).strip("\n") + "\n"
        known = set(MAIL_PLACEHOLDERS) | set(MAIL_PLACEHOLDERS.values())
        try:
            for source in (m.group(1), body):
                unknown = meta.find_undeclared_variables(_ENV.parse(source)) - known
                if unknown:
                    raise TemplateError(
                        f"Mail template {path} uses {{{{ {sorted(unknown)[0]} }}}}, which is "
                        "not a mail placeholder; use one of " + ", ".join(
                            f"{k}/{z}" for k, z in MAIL_PLACEHOLDERS.items()),
                        zh=f"邮件模板 {path} 中的 {{{{ {sorted(unknown)[0]} }}}} 不是可用的占位符")
            self._subject = _ENV.from_string(m.group(1))
            self._body = _ENV.from_string(body)
        except JinjaError as exc:
            raise TemplateError(f"Mail template {path} cannot be read as a template ({exc}); "
                                "check its {{ }} placeholders",
                                zh=f"邮件模板 {path} 的占位符有误") from None

    def render(self, values: Dict[str, str]) -> Tuple[str, str]:
        """The subject (one line) and body for ``values``."""
        subject = " ".join(self._subject.render(values).split())
        return subject, self._body.render(values)


def mail_template_path(folder: Path, lang: str) -> Path:
    """The office's templates/mail_<lang>.txt, else the packaged default."""
    own = Path(folder) / "templates" / f"mail_{lang}.txt"
    return own if own.is_file() else DATA_TEMPLATES / f"mail_{lang}.txt"


def _date(value: Optional[dt.datetime], lang: str) -> str:
    from .letters import format_date
    return format_date(value, lang) if value else ""


def mail_values(case, kind: str, lang: str, letters_table: dict,
                as_of: dt.datetime) -> Dict[str, str]:
    """The placeholders' values for one letter's message, under both names; blank = ''."""
    plain = {
        "case_id": case.case_id, "customer": case.customer or "",
        "letter": KIND_NAMES[lang][kind],
        "company": str(letters_table.get(f"company_{lang}") or ""),
        "hotline": str(letters_table.get("hotline") or ""),
        "company_email": str(letters_table.get("email") or ""),
        "address": str(letters_table.get(f"address_{lang}") or ""),
        "letter_date": _date(as_of, lang), "received": _date(case.received_at, lang),
        "category": case.category or "", "department": case.department or "",
        "handler": case.handler or "",
    }
    values = dict(plain)
    values.update({MAIL_PLACEHOLDERS[k]: v for k, v in plain.items()})
    return values


def attachment_name(case_id: str, kind: str, lang: str, suffix: str) -> str:
    """The file name the customer sees, e.g. 致歉信-TS2026-0001.pdf."""
    from .filenames import safe_file_stem
    name = KIND_NAMES[lang][kind] if lang == "zh" else kind
    return f"{name}-{safe_file_stem(case_id)}{suffix}"


def build_message(*, subject: str, body: str, sender: str, to: List[Tuple[str, str]],
                  cc: List[str], reply_to: str, attachment: bytes, filename: str,
                  draft: bool = False) -> EmailMessage:
    """A complete message; ``to`` holds (display name, address) pairs. Drafts carry
    X-Unsent: 1 (Outlook then opens them as unsent)."""
    msg = EmailMessage(policy=policy.SMTP)
    msg["Subject"] = subject
    if sender:
        msg["From"] = sender
    msg["To"] = [Address(display_name=name or "", addr_spec=addr) for name, addr in to]
    if cc:
        msg["Cc"] = ", ".join(cc)
    if reply_to:
        msg["Reply-To"] = reply_to
    msg["Date"] = formatdate(localtime=True)
    domain = sender.rpartition("@")[2].strip("> ") if "@" in sender else None
    msg["Message-ID"] = make_msgid(domain=domain or "officebot.local")
    if draft:
        msg["X-Unsent"] = "1"
    msg.set_content(body, charset="utf-8")
    maintype, subtype = (("application", "pdf") if filename.lower().endswith(".pdf") else
                         ("application", "vnd.openxmlformats-officedocument."
                          "wordprocessingml.document"))
    msg.add_attachment(attachment, maintype=maintype, subtype=subtype, filename=filename)
    return msg
