"""``officebot mail``: the drafted letters to the customers, as drafts or sent, exactly once.

``mail_letters`` runs the batch (judging the register and drafting the letters still
missing, as ``officebot letters`` does), then, before the register is written back, mails
every drafted letter not yet mailed to the cases with an e-mail address:

- by default as drafts for a person to check: one ``.eml`` per message in
  ``outbox/YYYY-MM-DD/`` (``X-Unsent: 1``), or the mailbox's Drafts folder over IMAP;
- with ``send``, through the office's SMTP server, after a person confirmed the list.

Every step is in the mail journal (mail_ledger) first, so a batch cut short anywhere resumes
without sending anything twice; the register's 函件发送 column and the 函件登记 sheet are
written from the journal in the same run (or the next, when the register was open).
"""

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Tuple

from .errors import OfficebotError, SettingsError, WorkbookLockedError
from .mail_ledger import LetterMail, MailLedger
from .mail_message import (MailTemplate, attachment_name, build_message, mail_template_path,
                           mail_values, parse_addresses)
from .mail_status import KIND_ORDER, read_manifest
from .mail_transport import (IMAP_PASSWORD_ENV, SECURITY, ImapDrafts, MailServerError,
                             SmtpSender, password)
from .messages import msg

MODES = ("draft", "send")
POST_LINES = 20   # letters to post listed one by one; the rest are counted
SENDER_KEYS = ("company_{lang}", "address_{lang}", "hotline", "email")
# Values that only stand in for a sender detail nobody filled in yet.
_DUMMY = {"400-000-0000", "service@example.com", "客户服务中心", "Customer Service Centre"}


# --- settings ----------------------------------------------------------------------------------
def mail_settings(settings, overrides: Optional[dict] = None) -> dict:
    """The [mail] table with the command line's overrides, checked (SettingsError names the
    key that is wrong)."""
    table = dict(settings.section("mail"))
    table.update({k: v for k, v in (overrides or {}).items() if v is not None})
    source = getattr(settings, "source", "settings")

    def bad(key, what):
        raise SettingsError(f"{source}: 'mail.{key}' {what}",
                            zh=f"设置 mail.{key} 有误（{what}）；请改正 officebot.toml")

    if table["mode"] not in MODES:
        bad("mode", 'must be "draft" or "send"')
    for key in ("security", "imap_security"):
        if table[key] not in SECURITY:
            bad(key, 'must be "ssl", "starttls" or "none"')
    for key in ("port", "imap_port"):
        if isinstance(table[key], bool) or not isinstance(table[key], int) \
                or not 0 < table[key] < 65536:
            bad(key, "must be a port number (1-65535)")
    for key in ("per_minute", "timeout_seconds"):
        if isinstance(table[key], bool) or table[key] < 0:
            bad(key, "must be a number, 0 or more")
    if not all(isinstance(a, str) for a in table["cc"]):
        bad("cc", 'must be a list of addresses, like ["boss@example.cn"]')
    for key in ("cc",):
        _, wrong = parse_addresses(" ".join(table[key]))
        if wrong:
            bad(key, f"holds {wrong[0]!r}, which is not an e-mail address")
    return table


def missing_sender_keys(letters_table: dict, languages: Iterable[str]) -> List[str]:
    """The [letters] sender details a letter in ``languages`` needs that are not set."""
    missing = []
    for lang in sorted(set(languages)):
        for pattern in SENDER_KEYS:
            key = pattern.format(lang=lang)
            value = str(letters_table.get(key) or "").strip()
            if (not value or value in _DUMMY or "officebot.toml" in value) and key not in missing:
                missing.append(key)
    return missing


# --- what goes out -----------------------------------------------------------------------------
@dataclass
class Item:
    """One drafted letter and where it goes."""

    case: object
    kind: str
    lang: str
    docx: str                 # the letter, relative to the folder
    attach: str               # what is attached: its PDF when drafted, else the .docx
    to: List[str]
    bad: List[str]
    state: LetterMail

    @property
    def label(self) -> str:
        return f"{self.case.case_id} {self.kind}"


@dataclass
class Plan:
    """The letters of one run, sorted by what happens to them."""

    mail: List[Item] = field(default_factory=list)      # to draft or send now
    post: List[Item] = field(default_factory=list)      # no e-mail address
    held: List[Item] = field(default_factory=list)
    invalid: List[Item] = field(default_factory=list)   # an address that is none
    unknown: List[Item] = field(default_factory=list)   # fate unknown: a person checks
    refused: List[Item] = field(default_factory=list)   # refused before, not retried
    done: int = 0                                       # sent (or drafted) before


def plan_letters(result, folder: Path, states: Dict, *, send: bool,
                 case_ids: Optional[Iterable[str]] = None, kinds: Optional[Iterable[str]] = None,
                 resend: Iterable[str] = (), retry_refused: bool = False) -> Plan:
    """Sort every drafted letter of the register's cases (pure but for file existence)."""
    manifest = read_manifest(folder) or {}
    wanted = set(case_ids) if case_ids else None
    kinds = set(kinds) if kinds else None
    resend = set(resend)
    plan = Plan()
    for case in result.cases:
        if wanted is not None and case.case_id not in wanted:
            continue
        entries = manifest.get(case.case_id) or {}
        for kind in sorted(entries, key=lambda k: KIND_ORDER.index(k) if k in KIND_ORDER else 9):
            if kinds is not None and kind not in kinds:
                continue
            rel = str(entries[kind].get("path", ""))
            if not rel or not (folder / rel).is_file():
                continue
            pdf = rel[:-len(".docx")] + ".pdf"
            attach = pdf if (folder / pdf).is_file() else rel
            template = str(entries[kind].get("template", ""))
            lang = "en" if template.endswith("_en.docx") else "zh"
            to, bad = parse_addresses(case.email or "")
            state = states.get((case.case_id, kind)) or LetterMail()
            item = Item(case, kind, lang, rel, attach, to, bad, state)
            asked = case.case_id in resend
            if (case.hold or "").strip() and not asked:
                plan.held.append(item)
            elif not to and not bad:
                if state.status != "printed" or wanted is not None:
                    plan.post.append(item)
            elif bad:
                plan.invalid.append(item)
            elif asked:
                plan.mail.append(item)
            elif state.status == "unknown":
                plan.unknown.append(item)
            elif state.status == "sent":
                plan.done += 1
            elif state.status == "refused" and not retry_refused:
                plan.refused.append(item)
            elif state.status == "draft_written" and not send:
                plan.done += 1
            else:
                plan.mail.append(item)
    return plan


# --- the result --------------------------------------------------------------------------------
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
    post_pdf: Optional[Path] = None
    problems: List[str] = field(default_factory=list)
    error: Optional[OfficebotError] = None       # the one sentence that stopped the batch
    confirmed: bool = True
    register_note: Optional[OfficebotError] = None
    batch: object = None
    folder: Optional[Path] = None
    language: str = "zh"

    @property
    def ok(self) -> bool:
        """False when anything that should have gone did not (the exit code is then 1)."""
        if self.error is not None or not self.confirmed:
            return False
        if self.mode == "send":
            return not (self.refused or self.deferred or self.unknown_now or self.plan.unknown
                        or self.plan.invalid)
        return True


# --- the run -----------------------------------------------------------------------------------
def mail_letters(register: Path, settings, as_of: Optional[dt.datetime] = None, *,
                 send: bool = False, confirm: Optional[Callable[[List[str]], bool]] = None,
                 case_ids: Optional[List[str]] = None, kinds: Optional[List[str]] = None,
                 print_post: bool = False, dry_run: bool = False,
                 overrides: Optional[dict] = None, resend: Iterable[str] = (),
                 retry_refused: bool = False, progress=None) -> MailResult:
    """Draft or send the letters of ``register``'s working folder; see the module docstring.
    ``confirm(lines)`` is shown the list before sending and says whether to go on."""
    conf = mail_settings(settings, overrides)
    register = Path(register)
    folder = register.resolve().parent
    mode = "dry-run" if dry_run else "send" if send else "draft"
    out = MailResult(mode, folder=folder, language=settings.language)
    resend = [str(c).strip() for c in resend]
    wanted = (list(case_ids or []) + resend) or None
    from .letters import letter_settings
    letters_table = letter_settings(settings)
    if send and not str(conf["from"]).strip():
        raise SettingsError("Sending needs a sender address: set [mail] from in officebot.toml "
                            "or give --from", zh="发送函件需要发件人地址：请在 officebot.toml 的 "
                            "[mail] from 中填写，或使用 --from")
    if send and not dry_run and not str(conf["host"]).strip():
        raise SettingsError("Sending needs the mail server: set [mail] host in officebot.toml "
                            "or give --smtp-host", zh="发送函件需要邮件服务器：请在 officebot.toml 的 "
                            "[mail] host 中填写，或使用 --smtp-host")

    from .privacy import masking
    ledger = MailLedger(folder / "logs", mask=masking(settings))
    if dry_run:
        from .check import check_register
        result = check_register(register, settings, as_of, text_fields=True)
        out.plan = plan_letters(result, folder, ledger.states(), send=send, case_ids=wanted,
                                kinds=kinds, resend=resend, retry_refused=retry_refused)
        return out

    def step(result, folder_: Path) -> None:
        with ledger:
            out.plan = plan_letters(result, folder, ledger.states(), send=send,
                                    case_ids=wanted, kinds=kinds, resend=resend,
                                    retry_refused=retry_refused)
            try:
                if send:
                    _send(out, conf, letters_table, ledger, result.as_of, confirm)
                else:
                    _drafts(out, conf, letters_table, ledger, result.as_of)
                if print_post and out.plan.post:
                    _print_post(out, letters_table, ledger, result, settings)
            except OfficebotError as exc:
                out.error = exc

    try:
        out.batch = run_mail_batch(register, settings, as_of, case_ids, kinds, step, progress)
    except WorkbookLockedError as exc:
        if out.plan.mail or out.sent or out.drafts:
            out.register_note = exc  # mailed already: the journal holds it for the next run
        else:
            raise
    return out


def run_mail_batch(register, settings, as_of, case_ids, kinds, step, progress):
    """The batch with letters drafted for the cases asked for, and ``step`` before the write."""
    from .batch import run_batch
    options = dict(case_ids=list(case_ids) if case_ids else None,
                   kinds=list(kinds) if kinds else None)
    return run_batch(register, settings, as_of, letter_options=options, mail_step=step,
                     progress=progress)


def _templates(folder: Path):
    cache: Dict[str, MailTemplate] = {}

    def get(lang: str) -> MailTemplate:
        if lang not in cache:
            cache[lang] = MailTemplate(mail_template_path(folder, lang))
        return cache[lang]
    return get


def _message(item: Item, folder: Path, conf: dict, letters_table: dict, as_of, template,
             draft: bool):
    subject, body = template(item.lang).render(
        mail_values(item.case, item.kind, item.lang, letters_table, as_of))
    data = (folder / item.attach).read_bytes()
    name = attachment_name(item.case.case_id, item.kind, item.lang, Path(item.attach).suffix)
    return build_message(subject=subject, body=body, sender=str(conf["from"]).strip(),
                         to=[(item.case.customer, addr) for addr in item.to],
                         cc=list(conf["cc"]), reply_to=str(conf["reply_to"]).strip(),
                         attachment=data, filename=name, draft=draft)


def send_list(items: List[Item], language: str) -> List[str]:
    """The lines a person reviews before sending: case, customer, address, letter."""
    return [msg(language, "mail.line", case=i.case.case_id, customer=i.case.customer or "-",
                to=", ".join(i.to), letter=i.attach) for i in items]


def _send(out: MailResult, conf, letters_table, ledger: MailLedger, as_of, confirm) -> None:
    items = out.plan.mail
    if not items:
        return
    missing = missing_sender_keys(letters_table, {i.lang for i in items})
    if missing:
        raise SettingsError(
            "Letters are never sent without the sender's details; fill in "
            + ", ".join(f"[letters] {k}" for k in missing) + " in officebot.toml and run again",
            zh="未填写寄件人信息的函件不会发出；请在 officebot.toml 中填写 "
               + "、".join(f"[letters] {k}" for k in missing) + " 后再运行")
    if confirm is not None and not confirm(send_list(items, out.language)):
        out.confirmed = False
        return
    template = _templates(out.folder)
    prepared = []
    for item in items:  # build every message first: a broken template stops before sending
        prepared.append((item, _message(item, out.folder, conf, letters_table, as_of,
                                        template, draft=False)))
    sender_addr = _bare(str(conf["from"]))
    cc = [_bare(a) for a in conf["cc"]]
    smtp = SmtpSender(str(conf["host"]).strip(), conf["port"], conf["security"],
                      str(conf["user"]).strip(), password(str(conf["user"]).strip()),
                      conf["timeout_seconds"] or None)
    gap = 60.0 / conf["per_minute"] if conf["per_minute"] else 0.0
    last = None
    try:
        for item, message in prepared:
            if last is not None and gap:
                time.sleep(max(0.0, gap - (time.monotonic() - last)))
            last = time.monotonic()
            mid = message["Message-ID"]
            to = ", ".join(item.to)
            outcome = smtp.send(message, sender_addr, item.to, cc, lambda: ledger.record(
                "intent", item.case.case_id, item.kind, message_id=mid, to=to, file=item.attach))
            if outcome.unknown:
                out.unknown_now.append(item)
                raise MailServerError(
                    f"The connection to the mail server broke just after letter {item.label} "
                    f"was handed over ({outcome.reply}); it may have reached {to}: check with "
                    f"the customer or the sent folder, then send it again with --resend "
                    f"{item.case.case_id} if it did not",
                    zh=f"函件 {item.label} 交给邮件服务器后连接中断（{outcome.reply}），可能已送达 {to}："
                       f"请核实，如未送达再用 --resend {item.case.case_id} 重新发送")
            ledger.record(outcome.result, item.case.case_id, item.kind, message_id=mid, to=to,
                          reply=f"{outcome.code} {outcome.reply}".strip())
            if outcome.result == "sent":
                out.sent.append((item, mid))
            elif outcome.result == "refused":
                out.refused.append((item, f"{outcome.code} {outcome.reply}"))
            else:
                out.deferred.append((item, f"{outcome.code} {outcome.reply}"))
    finally:
        smtp.close()


def _bare(address: str) -> str:
    """The address part of "Name <a@b.cn>"."""
    from email.utils import parseaddr
    return parseaddr(address)[1] or address.strip()


def _drafts(out: MailResult, conf, letters_table, ledger: MailLedger, as_of) -> None:
    items = out.plan.mail
    if not items:
        return
    missing = missing_sender_keys(letters_table, {i.lang for i in items})
    if missing:  # drafts are read by a person first; sending them would be refused
        out.problems.append(msg(out.language, "mail.sender_missing", keys=", ".join(
            f"[letters] {k}" for k in missing)))
    template = _templates(out.folder)
    if str(conf["imap_host"]).strip():
        user = str(conf["imap_user"] or conf["user"]).strip()
        imap = ImapDrafts(str(conf["imap_host"]).strip(), conf["imap_port"],
                          conf["imap_security"], user, password(user, IMAP_PASSWORD_ENV),
                          str(conf["drafts_folder"]).strip(), conf["timeout_seconds"] or None)
        try:
            for item in items:
                message = _message(item, out.folder, conf, letters_table, as_of, template,
                                   draft=False)
                where = "IMAP " + imap.append(message)
                ledger.record("draft", item.case.case_id, item.kind, where=where,
                              message_id=message["Message-ID"])
                out.drafts.append((item, where))
            out.drafts_where = where
        finally:
            imap.close()
        return
    from .filenames import safe_file_stem
    from .workbook import safety
    day = safety.ensure_subfolder(out.folder, "outbox", f"{dt.datetime.now():%Y-%m-%d}")
    for item in items:
        message = _message(item, out.folder, conf, letters_table, as_of, template, draft=True)
        path = day / f"{safe_file_stem(item.case.case_id)}_{item.kind}.eml"
        # a draft holds customer data: no wider access than its folder
        safety.write_bytes(path, message.as_bytes())
        rel = path.relative_to(out.folder).as_posix()
        ledger.record("draft", item.case.case_id, item.kind, where=rel,
                      message_id=message["Message-ID"])
        out.drafts.append((item, rel))
    out.drafts_where = day.relative_to(out.folder).as_posix() + "/"


def _print_post(out: MailResult, letters_table, ledger: MailLedger, result, settings) -> None:
    from .post import print_post
    language = result.language if result.language in ("zh", "en") else "zh"
    timeout = letters_table.get("pdf_timeout_seconds", 600)
    path, problem = print_post(out.plan.post, out.folder, language, timeout)
    if problem:
        out.problems.append(problem)
    if path is not None:
        out.post_pdf = path
        for item in out.plan.post:
            ledger.record("printed", item.case.case_id, item.kind,
                          where=path.relative_to(out.folder).as_posix())


# --- what the clerk reads ----------------------------------------------------------------------
def _shown(path: Path, folder: Path) -> str:
    try:
        return Path(path).relative_to(folder).as_posix()
    except ValueError:
        return str(path)


def detail_lines(out: MailResult, language: str) -> List[str]:
    """What happened to each letter that needs a person's eye."""
    w = lambda key, **v: msg(language, "mail." + key, **v)  # noqa: E731
    lines = []
    for item, mid in out.sent:
        lines.append(w("sent_line", case=item.case.case_id, kind=item.kind, to=", ".join(item.to),
                       mid=mid))
    for item, where in out.drafts:
        lines.append(w("draft_line", case=item.case.case_id, kind=item.kind, where=where))
    for item, reply in out.refused:
        lines.append(w("refused_line", case=item.case.case_id, to=", ".join(item.to),
                       reply=reply))
    for item, reply in out.deferred:
        lines.append(w("deferred_line", case=item.case.case_id, to=", ".join(item.to),
                       reply=reply))
    for item in out.plan.invalid:
        lines.append(w("invalid_line", case=item.case.case_id, bad=", ".join(item.bad)))
    for item in out.unknown_now + out.plan.unknown:
        lines.append(w("unknown_line", case=item.case.case_id, kind=item.kind,
                       to=item.state.to or ", ".join(item.to), at=item.state.at or "-"))
    for item in out.plan.held:
        lines.append(w("held_line", case=item.case.case_id, kind=item.kind))
    for item in out.plan.post[:POST_LINES]:
        lines.append(w("post_line", case=item.case.case_id, customer=item.case.customer or "-",
                       letter=item.docx))
    if len(out.plan.post) > POST_LINES:
        lines.append(w("more_post", n=len(out.plan.post) - POST_LINES))
    lines.extend(w("problem", p=p) for p in out.problems)
    lines.extend(w("problem", p=p) for p in getattr(out.batch, "letter_problems", None) or [])
    return lines


def result_sentence(out: MailResult, language: str) -> str:
    """One plain sentence, e.g. "18 letters mailed, 2 refused — see 函件登记; 5 letters to
    post in outbox/2026-03-20/待邮寄.pdf"."""
    w = lambda key, **v: msg(language, "mail." + key, **v)  # noqa: E731
    parts = []
    if out.mode == "dry-run":
        parts.append(w("dry", n=len(out.plan.mail)))
    elif out.mode == "send":
        if not out.confirmed:
            parts.append(w("not_confirmed"))
        first = [w("sent", n=len(out.sent))]
        if out.refused:
            first.append(w("refused", n=len(out.refused)))
        if out.deferred:
            first.append(w("deferred", n=len(out.deferred)))
        parts.append(w("comma").join(first) + w("see"))
    else:
        if out.drafts:
            parts.append(w("drafts", n=len(out.drafts), where=out.drafts_where))
        else:
            parts.append(w("no_drafts"))
    unknown = out.unknown_now + out.plan.unknown
    if unknown:
        parts.append(w("unknown", n=len(unknown),
                       ids=w("sep_ids").join(i.case.case_id for i in unknown[:10])))
    if out.plan.invalid:
        parts.append(w("invalid", n=len(out.plan.invalid)))
    if out.plan.held:
        parts.append(w("held", n=len(out.plan.held)))
    if out.post_pdf is not None:
        parts.append(w("post_pdf", n=len(out.plan.post), path=_shown(out.post_pdf, out.folder)))
    elif out.plan.post:
        parts.append(w("post", n=len(out.plan.post)))
    if out.error is not None:
        parts.append(out.error.text(language) if language != "zh" else
                     (out.error.zh or out.error.text(language)))
    if out.register_note is not None:
        parts.append(w("register_later"))
    return w("sep").join(parts) + w("end")


# --- the 发送函件 launcher ---------------------------------------------------------------------
def launcher_run(register: Path, settings, as_of, progress, stdin, out, log):
    """What ``officebot launch --mail`` runs: mail in the mode [mail] mode sets, asking the
    person at the keyboard before sending; returns (sentence, exit code, batch)."""
    conf = mail_settings(settings)
    language = settings.language

    def confirm(lines: List[str]) -> bool:
        if progress is not None:
            progress.close()
        from .privacy import lines_for_terminal  # addresses in full, each value one line
        out.write(lines_for_terminal(lines, enabled=False) + "\n")
        try:
            at_keyboard = stdin is not None and stdin.isatty()
        except (ValueError, OSError):
            at_keyboard = False
        if not at_keyboard:
            return not conf["confirm"]
        out.write(msg(language, "mail.ask", n=len(lines)) + " [y/N] ")
        out.flush()
        return stdin.readline().strip().lower() in ("y", "yes", "是", "好", "确认", "发送")

    result = mail_letters(register, settings, as_of, send=conf["mode"] == "send",
                          confirm=confirm, print_post=conf["print_post"], progress=progress)
    if progress is not None:
        progress.close()
    for line in detail_lines(result, language):
        log(line)
    return result_sentence(result, language), (0 if result.ok else 1), result.batch
