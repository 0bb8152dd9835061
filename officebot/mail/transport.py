"""Talking to the office's mail servers: SMTP to send, IMAP to put drafts in a Drafts folder.

The SMTP conversation is taken one command at a time so that officebot knows, for every
message, whether the server can have taken it: only between the end of the message body and
the server's answer is the fate of a message unknown, and ``send`` calls ``before_body`` just
before that window opens (the journal records the intent there).
"""

import base64
import imaplib
import ipaddress
import os
import re
import smtplib
import socket
import ssl
import time
from typing import Callable, List, NamedTuple, Optional

from ..errors import OfficebotError
from ..messages import pair

SECURITY = ("ssl", "starttls", "none")
PASSWORD_ENV = "OFFICEBOT_SMTP_PASSWORD"
IMAP_PASSWORD_ENV = "OFFICEBOT_IMAP_PASSWORD"
KEYRING_SERVICE = "officebot"


class MailServerError(OfficebotError):
    """The mail server cannot be reached or refuses us: the batch stops, nothing is marked."""

    default_key = "error.mail_server"


class Outcome(NamedTuple):
    """What the server said to one message."""

    result: str      # sent | refused (5xx, permanent) | deferred (4xx or not taken)
    code: int
    reply: str
    unknown: bool = False  # the connection broke after the body: nobody knows


def password(user: str, env: str = PASSWORD_ENV) -> Optional[str]:
    """The password (授权码) from the environment, else the system keyring, else None."""
    value = os.environ.get(env) or (os.environ.get(PASSWORD_ENV) if env != PASSWORD_ENV
                                    else None)
    if value:
        return value
    try:
        import keyring
    except ImportError:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, user)
    except Exception:  # a keyring without a backend must not stop the run   # noqa: BLE001
        return None


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine (a password sent in clear then never leaves it)."""
    host = host.strip().strip("[]").lower()
    if host in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def imap_utf7(name: str) -> str:
    """A mailbox name in IMAP's modified UTF-7 (RFC 3501 5.1.3): 草稿箱 -> &g0l6Pw-."""
    out, run = [], []

    def flush():
        if run:
            data = "".join(run).encode("utf-16-be")
            out.append("&" + base64.b64encode(data).decode("ascii").rstrip("=")
                       .replace("/", ",") + "-")
            run.clear()
    for ch in name:
        if 0x20 <= ord(ch) <= 0x7e:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            run.append(ch)
    flush()
    return "".join(out)


def imap_utf7_decode(name: str) -> str:
    """The mailbox name a modified UTF-7 one stands for (the inverse of imap_utf7)."""
    def piece(m: "re.Match") -> str:
        body = m.group(1)
        if not body:
            return "&"
        data = body.replace(",", "/")
        return base64.b64decode(data + "=" * (-len(data) % 4)).decode("utf-16-be")
    return re.sub(r"&([A-Za-z0-9+,]*)-", piece, name)


def _where(host: str, port: int) -> str:
    return f"{host}:{port}"


class SmtpSender:
    """One SMTP connection for a batch; ``send`` each message, then ``close``."""

    def __init__(self, host: str, port: int, security: str, user: str = "",
                 secret: Optional[str] = None, timeout: float = 60):
        where = _where(host, port)
        try:
            if security == "ssl":
                self.smtp = smtplib.SMTP_SSL(host, port, timeout=timeout,
                                             context=ssl.create_default_context())
            else:
                self.smtp = smtplib.SMTP(host, port, timeout=timeout)
                self.smtp.ehlo()
                if security == "starttls":
                    self.smtp.starttls(context=ssl.create_default_context())
                    self.smtp.ehlo()
        except (OSError, smtplib.SMTPException) as exc:
            raise MailServerError(*pair("mail.smtp_unreachable", where=where,
                                        why=_reason(exc))) from None
        if user:
            if not secret:
                self.close()
                raise MailServerError(*pair("mail.smtp_no_password", user=user, env=PASSWORD_ENV,
                                            service=KEYRING_SERVICE))
            try:
                self.smtp.login(user, secret)
            except smtplib.SMTPAuthenticationError as exc:
                self.close()
                raise MailServerError(*pair("mail.smtp_login_refused", where=where,
                                            user=user, why=_reason(exc))) from None
            except (OSError, smtplib.SMTPException) as exc:
                self.close()
                raise MailServerError(*pair("mail.smtp_login_failed", where=where,
                                            why=_reason(exc))) from None

    def send(self, msg, sender: str, to: List[str], cc: List[str],
             before_body: Callable[[], None],
             before_envelope: Optional[Callable[[], None]] = None) -> Outcome:
        """Send one message; raises MailServerError when the connection is lost before the
        body (nothing taken) and returns unknown=True when it is lost after it. A refused
        To address refuses the message; a refused Cc address is only left out."""
        smtp = self.smtp
        if before_envelope is not None:
            before_envelope()
        try:
            code, reply = smtp.mail(sender)
            if code >= 400:
                self._reset()
                if code >= 500:
                    raise MailServerError(*pair("mail.sender_refused", sender=sender, code=code,
                                                reply=_text(reply)))
                return Outcome("deferred", code, _text(reply))
            refusal = None
            for rcpt in to:
                code, reply = smtp.rcpt(rcpt)
                if code >= 400 and (refusal is None or code >= 500):
                    refusal = Outcome("refused" if code >= 500 else "deferred", code,
                                      f"{rcpt}: {code} {_text(reply)}")
            if refusal is not None:
                self._reset()
                return refusal
            for rcpt in cc:
                smtp.rcpt(rcpt)
            code, reply = smtp.docmd("DATA")
            if code != 354:
                self._reset()
                return Outcome("refused" if code >= 500 else "deferred", code, _text(reply))
        except (OSError, smtplib.SMTPServerDisconnected) as exc:
            raise MailServerError(*pair("mail.smtp_disconnected", why=_reason(exc))) from None
        before_body()
        try:
            data = msg if isinstance(msg, bytes) else msg.as_bytes()
            if b"\n." in data or data.startswith(b"."):
                data = re.sub(rb"(?m)^\.", b"..", data)
            if not data.endswith(b"\r\n"):
                data += b"\r\n"
            smtp.send(data + b".\r\n")
            code, reply = smtp.getreply()
        except (OSError, smtplib.SMTPServerDisconnected) as exc:
            return Outcome("deferred", 0, _reason(exc), unknown=True)
        if code == 250:
            return Outcome("sent", code, _text(reply))
        return Outcome("refused" if code >= 500 else "deferred", code, _text(reply))

    def _reset(self) -> None:
        try:
            self.smtp.rset()
        except (OSError, smtplib.SMTPException):
            pass

    def close(self) -> None:
        """Say goodbye (politely when the server is still there)."""
        try:
            self.smtp.quit()
        except (OSError, smtplib.SMTPException):
            try:
                self.smtp.close()
            except OSError:
                pass


def _text(reply) -> str:
    if isinstance(reply, bytes):
        reply = reply.decode("utf-8", "replace")
    return " ".join(str(reply).split())


def _reason(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout):
        return "timed out"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


# --- IMAP drafts -------------------------------------------------------------------------------
_LIST_LINE = re.compile(rb'^\((?P<flags>[^)]*)\) (?P<sep>"[^"]*"|NIL) (?P<name>.+)$')


class ImapDrafts:
    """Puts messages into the mailbox's Drafts folder (IMAP APPEND with the \\Draft flag)."""

    def __init__(self, host: str, port: int, security: str, user: str, secret: Optional[str],
                 folder: str = "", timeout: float = 60):
        where = _where(host, port)
        try:
            if security == "ssl":
                self.imap = imaplib.IMAP4_SSL(host, port, ssl_context=ssl.create_default_context(),
                                              timeout=timeout)
            else:
                self.imap = imaplib.IMAP4(host, port, timeout=timeout)
                if security == "starttls":
                    self.imap.starttls(ssl_context=ssl.create_default_context())
        except (OSError, imaplib.IMAP4.error) as exc:
            raise MailServerError(*pair("mail.imap_unreachable", where=where,
                                        why=_reason(exc))) from None
        try:
            self.imap.login(user, secret or "")
        except (OSError, imaplib.IMAP4.error) as exc:
            self.close()
            raise MailServerError(*pair("mail.imap_login_refused", where=where,
                                        user=user, why=_reason(exc),
                                        imap_env=IMAP_PASSWORD_ENV, env=PASSWORD_ENV)) from None
        self.folder = folder or self._drafts_folder()

    def _drafts_folder(self) -> str:
        """The folder flagged \\Drafts (RFC 6154), else "Drafts"."""
        try:
            typ, lines = self.imap.list()
        except (OSError, imaplib.IMAP4.error):
            return "Drafts"
        for line in lines or []:
            m = _LIST_LINE.match(line or b"")
            if m and b"\\drafts" in m.group("flags").lower():
                return imap_utf7_decode(m.group("name").decode("utf-8", "replace").strip('"'))
        return "Drafts"

    def append(self, msg) -> str:
        """Store one draft (a message or its bytes); returns the folder it went to."""
        data = msg if isinstance(msg, bytes) else msg.as_bytes()
        when = imaplib.Time2Internaldate(time.time())
        quoted = '"%s"' % imap_utf7(self.folder).replace("\\", "\\\\").replace('"', '\\"')
        try:
            typ, reply = self.imap.append(quoted, r"(\Draft)", when, data)
            if typ != "OK":
                self.imap.create(quoted)  # TRYCREATE: a new mailbox has no Drafts yet
                typ, reply = self.imap.append(quoted, r"(\Draft)", when, data)
        except (OSError, imaplib.IMAP4.error) as exc:
            raise MailServerError(*pair("mail.imap_append_failed", folder=self.folder,
                                        why=_reason(exc))) from None
        if typ != "OK":
            raise MailServerError(*pair("mail.imap_append_failed", folder=self.folder,
                                        why=_text(reply[0] if reply else '')))
        return self.folder

    def close(self) -> None:
        """Log out."""
        try:
            self.imap.logout()
        except (OSError, imaplib.IMAP4.error):
            pass
