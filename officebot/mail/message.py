"""Letters -> one e-mail: subject and body from the office's mail templates, the letters'
own text as the body (plain text and a simple HTML part), the letters attached; every header
encoded by the standard library (RFC 2047 names and subjects, RFC 2231 file names, UTF-8
bodies), and the attachment's name also in Content-Type as Thunderbird writes it.

The mail templates are small text files in the working folder's ``templates/``
(``mail_zh.txt``, ``mail_en.txt``): the first line is the subject (after ``主题：`` or
``Subject:``), the rest the body, which normally holds the letter itself
(``{{ 函件正文 }}`` / ``{{ letter_text }}``). They use the letters' placeholder names.
"""

import base64
import datetime as dt
import html
import re
import unicodedata
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple

from jinja2 import TemplateError as JinjaError, meta
from jinja2.sandbox import SandboxedEnvironment

from ..errors import TemplateError
from ..messages import pair
from ..letters import format_date
from .addresses import header_text
from .status import KIND_NAMES

DATA_TEMPLATES = Path(__file__).resolve().parent.parent / "data" / "templates"
# The placeholders a mail template may use (the letters' names, English and Chinese).
MAIL_PLACEHOLDERS = {"case_id": "投诉编号", "customer": "客户姓名", "letter": "函件名称",
                     "company": "公司名称", "hotline": "客服热线", "company_email": "公司邮箱",
                     "address": "公司地址", "letter_date": "函件日期", "received": "受理日期",
                     "category": "投诉类别", "department": "责任部门", "handler": "处理人",
                     "letter_text": "函件正文", "attachments": "附件"}
_SUBJECT = re.compile(r"^\s*(?:主题|subject)\s*[:：]\s*(.*)$", re.I)
_ENV = SandboxedEnvironment(autoescape=False, keep_trailing_newline=False)


class MailTemplate:
    """A mail template, checked once: ``render(values) -> (subject, body)``."""

    def __init__(self, path: Path):
        self.path = path
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise TemplateError(*pair("mail.template_unreadable", path=path, exc=exc)) from None
        lines = text.replace("\r\n", "\n").split("\n")
        first = next((i for i, line in enumerate(lines)
                      if line.strip() and not line.strip().startswith("{#")), None)
        m = _SUBJECT.match(lines[first]) if first is not None else None
        if m is None:
            raise TemplateError(*pair("mail.template_no_subject", path=path))
        body = "\n".join(lines[first + 1:]).strip("\n") + "\n"
        known = set(MAIL_PLACEHOLDERS) | set(MAIL_PLACEHOLDERS.values())
        try:
            for source in (m.group(1), body):
                unknown = meta.find_undeclared_variables(_ENV.parse(source)) - known
                if unknown:
                    raise TemplateError(*pair(
                        "mail.template_unknown", path=path, name=sorted(unknown)[0],
                        known=", ".join(f"{k}/{z}" for k, z in MAIL_PLACEHOLDERS.items())))
            self.shows_letter = bool({"letter_text", "函件正文"}
                                     & meta.find_undeclared_variables(_ENV.parse(body)))
            self._subject = _ENV.from_string(m.group(1))
            self._body = _ENV.from_string(body)
        except JinjaError as exc:
            raise TemplateError(*pair("mail.template_bad", path=path, exc=exc)) from None

    def render(self, values: Dict[str, str]) -> Tuple[str, str]:
        """The subject (one line) and body for ``values``."""
        subject = " ".join(self._subject.render(values).split())
        body = re.sub(r"\n{3,}", "\n\n", self._body.render(values))  # a {% if %} line left blank
        return subject, body


def mail_template_path(folder: Path, lang: str) -> Path:
    """The office's templates/mail_<lang>.txt, else the packaged default."""
    own = Path(folder) / "templates" / f"mail_{lang}.txt"
    return own if own.is_file() else DATA_TEMPLATES / f"mail_{lang}.txt"


def _date(value: Optional[dt.datetime], lang: str) -> str:
    return format_date(value, lang) if value else ""


def mail_values(case, kind: str, lang: str, letters_table: dict, as_of: dt.datetime, *,
                title: str = "", letter_text: str = "", attachments: str = ""
                ) -> Dict[str, str]:
    """The placeholders' values for one message, under both names; blank = ''. ``title``
    is the letter's own title (else the kind's name)."""
    plain = {
        "case_id": header_text(case.case_id), "customer": header_text(case.customer),
        "letter": title or KIND_NAMES[lang][kind],
        "company": str(letters_table.get(f"company_{lang}") or ""),
        "hotline": str(letters_table.get("hotline") or ""),
        "company_email": str(letters_table.get("email") or ""),
        "address": str(letters_table.get(f"address_{lang}") or ""),
        "letter_date": _date(as_of, lang), "received": _date(case.received_at, lang),
        "category": case.category or "", "department": case.department or "",
        "handler": case.handler or "", "letter_text": letter_text, "attachments": attachments,
    }
    values = dict(plain)
    values.update({MAIL_PLACEHOLDERS[k]: v for k, v in plain.items()})
    return values


FILE_TITLE_LIMIT = 24  # a longer title (an English subject line) is not used as a file name
_NOT_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
NAME_BYTES = 150


def _file_part(text: str) -> str:
    """Text that may stand in a file name on every system (what the customer sees)."""
    part = _NOT_IN_NAMES.sub("_", unicodedata.normalize("NFC", header_text(text)))
    return part.encode("utf-8")[:NAME_BYTES].decode("utf-8", "ignore").strip(" .")


def attachment_name(case_id: str, kind: str, lang: str, suffix: str, title: str = "") -> str:
    """The file name the customer sees, e.g. 致歉函-TS2026-0001.pdf (the letter's own title
    when it is a short one, else the kind's name)."""
    name = title if title and len(title) <= FILE_TITLE_LIMIT and ":" not in title \
        and "：" not in title else KIND_NAMES[lang][kind]
    if lang != "zh":
        name = name[:1].upper() + name[1:]
    return f"{_file_part(name)}-{_file_part(case_id) or '_'}{suffix}"


class Attachment(NamedTuple):
    """One file attached: what the customer sees it called, and its bytes."""

    filename: str
    data: bytes


_TYPES = {".pdf": ("application", "pdf"),
          ".docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")}


def encoded_words(text: str, limit: int = 45) -> str:
    """``text`` as RFC 2047 encoded words (UTF-8, base64), whole characters in each."""
    chunks, cur = [], b""
    for ch in text:
        b = ch.encode("utf-8")
        if cur and len(cur) + len(b) > limit:
            chunks.append(cur)
            cur = b""
        cur += b
    chunks.append(cur)
    return "\r\n ".join(f"=?UTF-8?B?{base64.b64encode(c).decode('ascii')}?=" for c in chunks)


def _name_param(part, maintype: str, subtype: str, filename: str) -> None:
    """Content-Type first and with the file's name too, as Thunderbird writes it: ASCII as
    it is, anything else in encoded words (some phone clients read only this parameter)."""
    if filename.isascii():
        value = f'{maintype}/{subtype}; name="{filename}"'
    else:
        value = f'{maintype}/{subtype};\r\n name="{encoded_words(filename)}"'
    others = [(k, v) for k, v in part.items() if k.lower() != "content-type"]
    for key in {k for k, _ in part.items()}:
        del part[key]
    part.set_raw("Content-Type", value)
    for key, old in others:
        part.set_raw(key, old)


def html_body(text: str) -> str:
    """The plain body as a small HTML page: one paragraph per line, readable on a phone."""
    paras = "\n".join(f"<p>{html.escape(line)}</p>" if line.strip() else "<p>&nbsp;</p>"
                      for line in text.splitlines())
    return ('<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<style>p{margin:0 0 .5em}</style></head>\n"
            '<body style="font-size:16px;line-height:1.6;margin:0 8px">\n'
            f"{paras}\n</body></html>\n")


def build_message(*, subject: str, body: str, sender: str, to: List[Tuple[str, str]],
                  cc: List[str], reply_to: str, attachments: Sequence[Attachment],
                  draft: bool = False, html_part: bool = True) -> EmailMessage:
    """A complete message; ``to`` holds (display name, address) pairs (a name with a line
    break is written on one line). Drafts carry X-Unsent: 1 (Outlook then opens them as
    unsent)."""
    msg = EmailMessage(policy=policy.SMTP)
    msg["Subject"] = header_text(subject)
    if sender:
        msg["From"] = sender
    msg["To"] = [Address(display_name=header_text(name), addr_spec=addr) for name, addr in to]
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
    if html_part:
        msg.add_alternative(html_body(body), subtype="html", charset="utf-8")
    for att in attachments:
        maintype, subtype = _TYPES.get(Path(att.filename).suffix.lower(),
                                       ("application", "octet-stream"))
        msg.add_attachment(att.data, maintype=maintype, subtype=subtype,
                           filename=att.filename)
        _name_param(list(msg.iter_attachments())[-1], maintype, subtype, att.filename)
    return msg
