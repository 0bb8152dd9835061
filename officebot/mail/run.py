"""``officebot mail``: the drafted letters to the customers, as drafts or sent, exactly once.

``mail_letters`` runs the batch it is given (judging the register and drafting the letters
still missing, as ``officebot letters`` does), then, before the register is written back:

- brings the journal up to the register's 函件发送 cells (a lost or damaged journal is
  rebuilt from them), so that either record alone keeps a letter from going out twice;
- drafts again every letter about to go out that is out of date (the case changed, its date
  is old, or it promises a date already past) and holds back one a later letter supersedes;
- mails the rest, one message per customer with the letters' text as the body and the
  letters attached: by default as drafts for a person to check (``outbox/YYYY-MM-DD/*.eml``
  with ``X-Unsent: 1``, or the mailbox's Drafts folder over IMAP); with ``send`` through the
  office's SMTP server, after a person confirmed the list.

Every step is in the mail journal (mail.ledger) first, so a batch cut short anywhere resumes
without sending anything twice; the register's 函件发送 column and the 函件登记 sheet are
written from the journal in the same run (or the next, when the register was open).
"""

import dataclasses
import datetime as dt
import email.errors
import errno
import os
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path
from typing import Callable, Dict, Iterable, List, NamedTuple, Optional, Tuple

from lxml import etree

from ..check import ReadOptions, check_register
from ..errors import OfficebotError, SettingsError, WorkbookLockedError
from ..filenames import safe_file_stem
from ..letters import draft_letters, letter_settings, missing_sender_details
from ..messages import answers, msg, pair
from ..pdf import convert_to_pdf
from .. import files
from ..privacy import lines_for_terminal, masking
from ..settings import MailConf
from .addresses import header_text
from .ledger import MailLedger, boot_id, fold
from .letter_text import plain_body, read_letter
from .message import (MAIL_PLACEHOLDERS, Attachment, MailTemplate, attachment_name,
                      build_message, mail_template_path, mail_values)
from .plan import Item, Plan, customer_groups, plan_letters, stale_reason
from .post import print_post
from .recovery import missing_from, reconcile, register_events, set_aside
from .report import console_lines, detail_lines
from .status import KIND_NAMES, read_manifest
from .transport import (IMAP_PASSWORD_ENV, ImapDrafts, MailServerError, SmtpSender,
                        is_loopback, password)

try:  # the letters' facts fingerprint (newer letters); without it letters are judged by date
    from ..letters import facts_fingerprint
except ImportError:  # pragma: no cover - until the letters module has it
    facts_fingerprint = None


# --- settings ----------------------------------------------------------------------------------
def mail_settings(settings, overrides: Optional[dict] = None) -> MailConf:
    """The [mail] table as checked at load, with the command line's overrides (host, port,
    security, from: click has checked them)."""
    given = {("from_" if k == "from" else k): v for k, v in (overrides or {}).items()
             if v is not None}
    return dataclasses.replace(settings.conf.mail, **given)


def plaintext_refused(host: str, security: str, user: str, allowed: bool,
                      key: str = "security") -> Optional[SettingsError]:
    """The error for a password that would cross the network in clear, or None."""
    if security != "none" or not user or allowed or is_loopback(host):
        return None
    return SettingsError(*pair("mail.plaintext_refused", key=key, user=user, host=host))


# --- the result --------------------------------------------------------------------------------
class Outgoing(NamedTuple):
    """One message ready to go: the letters it carries, its bytes, Message-ID and recipients."""

    items: List[Item]
    data: bytes
    message_id: str
    to: List[str]


@dataclass
class MailResult:
    """What one ``officebot mail`` did."""

    mode: str                                   # draft | send | dry-run
    plan: Plan = field(default_factory=Plan)
    sent: List[Tuple[Item, str]] = field(default_factory=list)        # (item, Message-ID)
    refused: List[Tuple[Item, str]] = field(default_factory=list)     # (item, server's answer)
    deferred: List[Tuple[Item, str]] = field(default_factory=list)
    unknown_now: List[Item] = field(default_factory=list)
    drafts: List[Tuple[Item, str]] = field(default_factory=list)      # (item, where)
    drafts_where: str = ""
    messages: int = 0                           # messages sent or drafted
    redrafted: int = 0
    post_pdf: Optional[Path] = None
    problems: List[str] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)   # said once (a journal rebuilt)
    error: Optional[OfficebotError] = None       # the one sentence that stopped the batch
    confirmed: bool = True
    sender_missing: List[str] = field(default_factory=list)
    register_note: Optional[OfficebotError] = None
    batch: object = None
    folder: Optional[Path] = None
    language: str = "zh"
    mask: bool = True

    @property
    def to_check(self) -> List[Item]:
        """Letters due to go out that wait for a person."""
        return self.unknown_now + self.plan.to_check

    @property
    def ok(self) -> bool:
        """False whenever a letter due to go out did not (the exit code is then 1); one to
        post is on its way, one with neither address nor e-mail is not."""
        if self.error is not None or not self.confirmed or self.to_check or self.plan.nowhere:
            return False
        if self.mode == "send":
            return not (self.refused or self.deferred or self.plan.refused)
        return True


# --- the run -----------------------------------------------------------------------------------
class MessageSetup(NamedTuple):
    """What every message of a run is made with."""

    folder: Path
    conf: MailConf
    letters_table: dict
    as_of: dt.datetime
    language: str
    templates: Callable[[str], MailTemplate]
    pdfs: Dict[str, Path]          # letter (relative path) -> its PDF for this run


def mail_letters(register: Path, settings, as_of: Optional[dt.datetime] = None, *,
                 run_batch: Callable, send: bool = False,
                 confirm: Optional[Callable[[List[str]], bool]] = None,
                 case_ids: Optional[List[str]] = None, kinds: Optional[List[str]] = None,
                 print_post: bool = False, dry_run: bool = False,
                 overrides: Optional[dict] = None, resend: Iterable[str] = (),
                 retry_refused: bool = False, progress=None) -> MailResult:
    """Draft or send the letters of ``register``'s working folder; see the module docstring.
    ``run_batch`` is officebot.batch.run_batch (passed in: the batch stands above mail);
    ``confirm(lines)`` is shown the list before sending and says whether to go on."""
    conf = mail_settings(settings, overrides)
    register = Path(register)
    folder = register.resolve().parent
    mode = "dry-run" if dry_run else "send" if send else "draft"
    out = MailResult(mode, folder=folder, language=settings.language, mask=masking(settings))
    resend = [str(c).strip() for c in resend]
    wanted = (list(case_ids or []) + resend) or None
    letters_table = letter_settings(settings)
    if not dry_run:
        _check_servers(conf, send)
    ledger = MailLedger(folder / "logs", mask=out.mask)
    plan_args = dict(send=send, case_ids=wanted, kinds=kinds, resend=resend,
                     retry_refused=retry_refused)
    if dry_run:
        result = check_register(register, settings, as_of, ReadOptions(cases="full"))
        events = ledger.events()  # and what the register alone knows of: it is not resent
        states = fold(events + missing_from(fold(events), register_events(result)), boot_id())
        out.plan = plan_letters(result, folder, states, read_manifest(folder), **plan_args)
        return out

    def step(result, folder_: Path) -> Dict[int, List[str]]:
        read = ledger.read() + (not ledger.path.exists(),)
        if read[1]:
            set_aside(ledger.path)
        files: Dict[int, List[str]] = {}
        with ledger, tempfile.TemporaryDirectory(prefix="officebot-mail-") as tmp:
            taken, why = reconcile(ledger, result, read)
            if why == "damaged" or (why and taken):
                out.notes.append(msg(out.language, f"mail.rebuilt_{why}", n=taken))
            out.plan = plan_letters(result, folder, ledger.states(), read_manifest(folder),
                                    **plan_args)
            try:
                files = _redraft(out, result, settings, conf, ledger, plan_args, print_post)
                for item, by in out.plan.superseded:
                    ledger.record("superseded", item.case.case_id, item.kind, sync=False,
                                  by=by)
                ctx = MessageSetup(folder, conf, letters_table, result.as_of, out.language,
                               _templates(folder), {})
                _refuse_planted(out, print_post)
                _pdfs(out, ctx, Path(tmp))
                if send:
                    _send(out, ctx, ledger, confirm)
                else:
                    _drafts(out, ctx, ledger)
                if print_post and out.plan.post:
                    _print_post(out, letters_table, ledger, result)
            except OfficebotError as exc:
                out.error = exc
            ledger.note(detail_lines(out))
        return files

    try:
        out.batch = run_batch(register, settings, as_of, letter_options=dict(
            case_ids=list(case_ids) if case_ids else None,
            kinds=list(kinds) if kinds else None), mail_step=step, progress=progress)
    except WorkbookLockedError as exc:
        if out.plan.mail or out.sent or out.drafts:
            out.register_note = exc  # mailed already: the journal holds it for the next run
        else:
            raise
    return out


def _check_servers(conf: MailConf, send: bool) -> None:
    """Stop before anything happens when the settings cannot serve this run."""
    if send and not str(conf.from_).strip():
        raise SettingsError(*pair("mail.no_sender"))
    if send and not str(conf.host).strip():
        raise SettingsError(*pair("mail.no_host"))
    if send:
        refused = plaintext_refused(str(conf.host).strip(), conf.security,
                                    str(conf.user).strip(), conf.allow_plaintext)
    elif str(conf.imap_host).strip():  # an IMAP login always sends the password
        refused = plaintext_refused(str(conf.imap_host).strip(), conf.imap_security,
                                    str(conf.imap_user or conf.user).strip() or "-",
                                    conf.allow_plaintext, "imap_security")
    else:
        refused = None
    if refused is not None:
        raise refused


def _facts(settings) -> Optional[Callable[[Item], Optional[str]]]:
    if facts_fingerprint is None:
        return None

    def facts(item: Item) -> Optional[str]:
        try:
            return facts_fingerprint(item.case, item.judgement, item.lang, settings)
        except (TypeError, ValueError, KeyError, AttributeError):
            return None  # an entry officebot cannot judge is judged by its date
    return facts


def _redraft(out: MailResult, result, settings, conf, ledger: MailLedger, plan_args: dict,
             post: bool = False) -> Dict[int, List[str]]:
    """Draft again the letters about to go out (with ``post``, those to post too) that are
    out of date; those still out of date afterwards wait for a person. Returns the letters
    column's new values by row."""
    facts = _facts(settings)
    max_age = dt.timedelta(hours=conf.redraft_after_hours)

    def why(item: Item, posted: bool) -> str:
        reason = stale_reason(item, result.as_of, max_age, facts)
        if not reason and posted and not _shows_address(item, out.folder):
            reason = "facts"  # drafted before the address was typed: a name alone on paper
        return reason

    stale = [i for i, posted in _going(out.plan, post) if why(i, posted)]
    files: Dict[int, List[str]] = {}
    if not stale:
        return files
    for kind in sorted({i.kind for i in stale}):
        ids = sorted({i.case.case_id for i in stale if i.kind == kind})
        drafted = draft_letters(result, settings, out.folder, case_ids=ids, kinds=[kind],
                                redo=True)
        out.redrafted += len(drafted.drafted)
        out.problems.extend(drafted.problems)
        files.update({row: names for row, names in drafted.files_by_row.items()
                      if row in {i.case.row for i in stale}})
    out.plan = plan_letters(result, out.folder, ledger.states(), read_manifest(out.folder),
                            **plan_args)
    for item, posted in _going(out.plan, post):
        reason = why(item, posted)
        item.reason = reason
        if reason:
            _take_out(out.plan, item, posted, out.plan.stale, reason)
    return files


def _shows_address(item: Item, folder: Path) -> bool:
    """Whether a letter to post holds its case's postal address (its recipient block)."""
    address = "".join(header_text(getattr(item.case, "address", "")).split())
    try:
        text = "".join("".join(read_letter(folder / item.docx).lines).split())
    except (OSError, zipfile.BadZipFile, etree.XMLSyntaxError, KeyError):
        return True  # a letter that cannot be read is the printing's problem, said there
    return not address or address in text


def _templates(folder: Path):
    cache: Dict[str, MailTemplate] = {}

    def get(lang: str) -> MailTemplate:
        if lang not in cache:
            cache[lang] = MailTemplate(mail_template_path(folder, lang))
        return cache[lang]
    return get


def _reason(exc: BaseException, language: str) -> str:
    """Why a letter cannot go into a message, one line: a link planted at its name in words,
    anything else as the error says it."""
    if isinstance(exc, OSError) and exc.errno == errno.ELOOP:
        return msg(language, "mail.letter_link")
    return " ".join(str(exc).split()) or type(exc).__name__


def _going(plan: Plan, post: bool) -> List[Tuple[Item, bool]]:
    """(letter, whether it is posted) for each letter going out: mailed, and posted if
    ``post``."""
    return [(i, False) for i in plan.mail] + [(i, True) for i in plan.post if post]


def _take_out(plan: Plan, item: Item, posted: bool, into: List[Item], reason: str) -> None:
    """Take a letter out of those going (mailed or posted) into ``into``, saying why."""
    item.reason = reason
    (plan.post if posted else plan.mail).remove(item)
    into.append(item)


def _cannot_go(out: MailResult, item: Item, reason: str, posted: bool = False) -> None:
    _take_out(out.plan, item, posted, out.plan.unsendable, reason)


def _refuse_planted(out: MailResult, post: bool) -> None:
    """A letter whose name holds a link (or anything but a plain file) is never read, mailed
    or printed: someone planted it there, and what it points at may be anyone's file. It is
    listed with the reason; the letters are read without following links afterwards too."""
    for item, posted in _going(out.plan, post):
        if not files.is_plain_file(out.folder / item.docx):
            _cannot_go(out, item, msg(out.language, "mail.letter_link"), posted)


def _pdfs(out: MailResult, ctx: MessageSetup, tmp: Path) -> None:
    """The PDF of every letter going out when [mail] attach wants one: the letter's own PDF
    when it is as new as the letter (and no link), else one made now in a private folder."""
    if ctx.conf.attach == "docx" or not out.plan.mail:
        return
    wanted: List[Tuple[str, Path]] = []
    for item in list(out.plan.mail):
        docx = ctx.folder / item.docx
        own = docx.with_suffix(".pdf")
        try:
            if files.is_plain_file(own) and os.lstat(own).st_mtime >= os.lstat(docx).st_mtime:
                ctx.pdfs[item.docx] = own
                continue
        except OSError:
            pass
        copy = tmp / f"{len(wanted):05d}.docx"
        try:
            copy.write_bytes(files.read_plain(docx))
        except OSError as exc:
            _cannot_go(out, item, _reason(exc, ctx.language))
            continue
        wanted.append((item.docx, copy))
    if not wanted:
        return
    made, problem = convert_to_pdf([copy for _, copy in wanted],
                                   timeout=ctx.letters_table["pdf_timeout_seconds"],
                                   fonts=ctx.letters_table["pdf_fonts"],
                                   language=out.language)
    made = set(made)
    for rel, copy in wanted:
        if copy.with_suffix(".pdf") in made:
            ctx.pdfs[rel] = copy.with_suffix(".pdf")
    if problem:
        out.problems.append(msg(out.language, "mail.no_pdf", why=problem))


def _attachments(item: Item, ctx: MessageSetup, title: str) -> List[Attachment]:
    paths = []
    pdf = ctx.pdfs.get(item.docx)
    if ctx.conf.attach in ("pdf", "both") and pdf is not None:
        paths.append(pdf)
    if ctx.conf.attach in ("docx", "both") or pdf is None:
        paths.append(ctx.folder / item.docx)
    return [Attachment(attachment_name(header_text(item.case.case_id), item.kind, item.lang,
                                       path.suffix, title), files.read_plain(path))
            for path in paths]


def _message(group: List[Item], ctx: MessageSetup, draft: bool):
    """One customer's message carrying every letter of ``group``."""
    first = group[0]
    lang = first.lang
    company = str(ctx.letters_table.get(f"company_{lang}") or "")
    texts = [read_letter(ctx.folder / item.docx, company) for item in group]
    titles = [t.title or KIND_NAMES[lang][i.kind] for t, i in zip(texts, group)]
    attachments = [a for item, title in zip(group, titles)
                   for a in _attachments(item, ctx, title)]
    sep = msg(lang, "mail.sep_ids")
    body_text = plain_body(texts, msg(lang, "mail.reply_hint"))
    values = mail_values(first.case, first.kind, lang, ctx.letters_table, ctx.as_of,
                         title=sep.join(dict.fromkeys(titles)), letter_text=body_text,
                         attachments=sep.join(a.filename for a in attachments))
    ids = sep.join(dict.fromkeys(header_text(i.case.case_id) for i in group))
    values["case_id"] = values[MAIL_PLACEHOLDERS["case_id"]] = ids
    template = ctx.templates(lang)
    subject, body = template.render(values)
    if not template.shows_letter:  # an office's older template: the letter follows it
        body = body.rstrip("\n") + "\n\n" + body_text
    to = list(dict.fromkeys(addr for item in group for addr in item.to))
    return build_message(subject=subject, body=body, sender=str(ctx.conf.from_).strip(),
                         to=[(first.case.customer, addr) for addr in to],
                         cc=list(ctx.conf.cc), reply_to=str(ctx.conf.reply_to).strip(),
                         attachments=attachments, draft=draft, html_part=ctx.conf.html)


# What a value no message can carry raises (an Alt+Enter in a name is cleaned before).
_UNSENDABLE = (ValueError, TypeError, UnicodeError, email.errors.MessageError, OSError,
               KeyError, zipfile.BadZipFile, etree.XMLSyntaxError)


def _prepare(out: MailResult, ctx: MessageSetup, draft: bool) -> List[Outgoing]:
    """Every message of the run, built before anything goes (a broken template stops the run
    before the first message); a letter that cannot go into one is listed with the reason."""
    ready = []
    for group in customer_groups(out.plan.mail):
        try:
            message = _message(group, ctx, draft)
            data = message.as_bytes()
        except OfficebotError:
            raise
        except _UNSENDABLE as exc:
            reason = _reason(exc, ctx.language)
            for item in group:
                item.reason = reason
            out.plan.unsendable.extend(group)
            continue
        to = list(dict.fromkeys(addr for item in group for addr in item.to))
        ready.append(Outgoing(group, data, str(message["Message-ID"]), to))
    sent_now = {id(i) for o in ready for i in o.items}
    out.plan.mail = [i for i in out.plan.mail if id(i) in sent_now]
    return ready


def send_list(groups: List[List[Item]], language: str) -> List[str]:
    """The lines a person reviews before sending: cases, customer, address, letters."""
    sep = msg(language, "mail.sep_ids")
    return [msg(language, "mail.line", case=sep.join(dict.fromkeys(i.case.case_id for i in g)),
                customer=header_text(g[0].case.customer) or "-",
                to=", ".join(dict.fromkeys(a for i in g for a in i.to)),
                letter=sep.join(i.docx for i in g)) for g in groups]


def _send(out: MailResult, ctx: MessageSetup, ledger: MailLedger, confirm) -> None:
    if not out.plan.mail:
        return
    missing = missing_sender_details(ctx.letters_table, sorted({i.lang for i in out.plan.mail}))
    if missing:
        raise SettingsError(*(msg(lang, "mail.no_sender_details", keys=msg(lang, "list_sep").join(
            f"[letters] {k}" for k in missing)) for lang in ("en", "zh")))
    if confirm is not None and not confirm(send_list(customer_groups(out.plan.mail),
                                                     out.language)):
        out.confirmed = False
        return
    ready = _prepare(out, ctx, draft=False)
    if not ready:
        return
    conf = ctx.conf
    user = str(conf.user).strip()
    smtp = SmtpSender(str(conf.host).strip(), conf.port, conf.security, user,
                      password(user), conf.timeout_seconds or None)
    try:
        deliver(out, smtp, ready, ledger, bare_address(str(conf.from_)),
                [bare_address(a) for a in conf.cc], conf.per_minute)
    finally:
        smtp.close()


def deliver(out: MailResult, smtp: SmtpSender, ready: List[Outgoing], ledger: MailLedger,
            sender: str, cc: List[str], per_minute: float = 0) -> None:
    """Send each message over one connection, the journal's intent on disk before its body
    goes (synced while the envelope is sent) and its result after the answer;
    ``per_minute`` 0 = as fast as the server takes them."""
    gap = 60.0 / per_minute if per_minute else 0.0
    last = None
    boot = boot_id()
    for o in ready:
        if gap:
            if last is not None:
                time.sleep(max(0.0, gap - (time.monotonic() - last)))
            last = time.monotonic()
        to = ", ".join(o.to)
        synced: List[Callable[[], None]] = []

        def envelope(o=o, to=to):  # the sync to disk runs while the envelope is talked over
            synced.append(ledger.append_soon([_event(
                "intent", i, message_id=o.message_id, to=to, file=i.docx, boot=boot)
                for i in o.items]))

        def body(o=o):
            synced[-1]()  # the intent is on disk before the body may go
            ledger.append_events([_event("body", i) for i in o.items], sync=False)
        outcome = smtp.send(o.data, sender, o.to, cc, body, before_envelope=envelope)
        if outcome.unknown:
            out.unknown_now.extend(o.items)
            ids = " ".join(dict.fromkeys(i.case.case_id for i in o.items))
            label = ", ".join(i.label for i in o.items)
            raise MailServerError(*pair("mail.unknown_outcome", label=label, reply=outcome.reply,
                                        to=to, ids=ids))
        reply = f"{outcome.code} {outcome.reply}".strip()
        # the result need not be synced: lost in a power cut, the letter shows as one to check
        ledger.append_events([_event(outcome.result, i, message_id=o.message_id, to=to,
                                     reply=reply) for i in o.items], sync=False)
        if outcome.result == "sent":
            out.sent.extend((i, o.message_id) for i in o.items)
            out.messages += 1
        elif outcome.result == "refused":
            out.refused.extend((i, reply) for i in o.items)
        else:
            out.deferred.extend((i, reply) for i in o.items)


def _event(event: str, item: Item, **details) -> dict:
    return {"event": event, "case": item.case.case_id, "kind": item.kind,
            "at": dt.datetime.now().isoformat(timespec="seconds"), **details}


def bare_address(address: str) -> str:
    """The address part of "Name <a@b.cn>"."""
    return parseaddr(address)[1] or address.strip()


def _drafts(out: MailResult, ctx: MessageSetup, ledger: MailLedger) -> None:
    if not out.plan.mail:
        return
    out.sender_missing = missing_sender_details(ctx.letters_table,
                                                sorted({i.lang for i in out.plan.mail}))
    if out.sender_missing:  # drafts are read by a person first; sending them would be refused
        out.problems.append(msg(out.language, "mail.sender_missing", keys=", ".join(
            f"[letters] {k}" for k in out.sender_missing)))
    conf = ctx.conf
    if str(conf.imap_host).strip():
        ready = _prepare(out, ctx, draft=False)
        user = str(conf.imap_user or conf.user).strip()
        imap = ImapDrafts(str(conf.imap_host).strip(), conf.imap_port,
                          conf.imap_security, user, password(user, IMAP_PASSWORD_ENV),
                          str(conf.drafts_folder).strip(), conf.timeout_seconds or None)
        try:
            for o in ready:
                where = "IMAP " + imap.append(o.data)
                ledger.append_events([_event("draft", i, where=where, message_id=o.message_id)
                                      for i in o.items])
                out.drafts.extend((i, where) for i in o.items)
                out.messages += 1
                out.drafts_where = where
        finally:
            imap.close()
        return
    ready = _prepare(out, ctx, draft=True)
    day = files.ensure_subfolder(out.folder, "outbox", f"{dt.datetime.now():%Y-%m-%d}")
    for o in ready:
        name = "+".join(f"{safe_file_stem(i.case.case_id)}_{i.kind}" for i in o.items)
        path = day / f"{name}.eml"
        # a draft holds customer data: no wider access than its folder; a link planted at
        # its name is replaced, never written through
        files.write_bytes(path, o.data)
        rel = path.relative_to(out.folder).as_posix()
        ledger.append_events([_event("draft", i, where=rel, message_id=o.message_id)
                              for i in o.items])
        out.drafts.extend((i, rel) for i in o.items)
        out.messages += 1
    out.drafts_where = day.relative_to(out.folder).as_posix() + "/"


def _print_post(out: MailResult, letters_table, ledger: MailLedger, result) -> None:
    language = result.language if result.language in ("zh", "en") else "zh"
    timeout = letters_table["pdf_timeout_seconds"]
    path, problem = print_post(out.plan.post, out.folder, language, timeout,
                               fonts=letters_table["pdf_fonts"])
    if problem:
        out.problems.append(problem)
    if path is not None:
        out.post_pdf = path
        ledger.append_events([_event("printed", item, where=path.relative_to(
            out.folder).as_posix()) for item in out.plan.post])


# --- the 发送函件 launcher ---------------------------------------------------------------------
def launcher_run(register: Path, settings, as_of, progress, stdin, out, log, run_batch):
    """What ``officebot launch --mail`` runs: mail in the mode [mail] mode sets, asking the
    person at the keyboard before sending; returns (sentence, exit code, batch). The
    summary goes to ``out``; every letter's line to ``log``."""
    conf = mail_settings(settings)
    language = settings.language

    def confirm(lines: List[str]) -> bool:
        if progress is not None:
            progress.close()
        # the addresses in full, each line one line
        out.write(lines_for_terminal(lines, enabled=False) + "\n")
        try:
            at_keyboard = stdin is not None and stdin.isatty()
        except (ValueError, OSError):
            at_keyboard = False
        if not at_keyboard:
            return not conf.confirm
        out.write(msg(language, "mail.ask", n=len(lines)) + " [y/N] ")
        out.flush()
        return stdin.readline().strip().lower() in answers("answer.yes")

    result = mail_letters(register, settings, as_of, run_batch=run_batch,
                          send=conf.mode == "send", confirm=confirm,
                          print_post=conf.print_post, progress=progress)
    if progress is not None:
        progress.close()
    for line in detail_lines(result):
        log(line)
    lines = console_lines(result)
    for line in lines[:-1]:
        out.write(line + "\n")
    return lines[-1], (0 if result.ok else 1), result.batch
