"""The officebot command line. Commands only parse options and call the library."""

import gc
import gettext
import importlib
import sys
import unicodedata
from pathlib import Path

import click

from . import __version__
from .errors import OfficebotError
from .messages import CATALOGS, CLICK_ZH, both, msg
from .privacy import for_terminal, lines_for_terminal, masking
from .settings import load_settings


class OfficebotFailure(click.ClickException):
    """A library error (or a file the system refused) as one line on stderr, in the office's
    language, with its exit code (1 a failed run, 2 bad arguments)."""

    def __init__(self, exc: Exception, language: str = "zh", mask: bool = True):
        if isinstance(exc, OSError):  # disk full, no permission: said as the library says it
            from .workbook.safety import write_failed
            exc = write_failed(Path(exc.filename) if exc.filename else None, exc)
        super().__init__(exc.text(language))
        self.exit_code = exc.exit_code
        self.mask = mask

    def show(self, file=None) -> None:
        click.echo(for_terminal(f"officebot: {self.message}", enabled=self.mask), err=True)


class BadOption(click.BadParameter):
    """A wrong option value: one line and exit 2; the sentence says what to write, so no
    usage block."""

    def show(self, file=None) -> None:
        click.echo(for_terminal(f"officebot: {self.message}", enabled=_office()["mask"]),
                   err=True)


def _office() -> dict:
    """This invocation's language and masking: Chinese and masked until its settings are read
    (kept on the click context, so nothing carries over from one invocation to the next)."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return {"language": "zh", "mask": True}
    return ctx.find_root().meta.setdefault("officebot", {"language": "zh", "mask": True})


def parse_as_of(ctx, param, value):
    """Click callback: --as-of in any form the register accepts -> datetime (None = now)."""
    if value is None:
        return None
    from .values import Unreadable, parse_time
    try:
        when = parse_time(value.strip())
    except Unreadable:
        when = None
    if when is None:  # before any settings are read: Chinese with the English alongside
        raise BadOption(both(_office()["language"], "bad_as_of", value=value), ctx, param)
    import datetime as dt
    from .rules import calendar_room
    # the rules add their clocks to the as-of time too; Excel's calendar starts in 1900
    last = dt.datetime.max - calendar_room(load_settings())
    if not dt.datetime(1900, 1, 1) <= when <= last:
        raise BadOption(both(_office()["language"], "as_of_beyond", value=value,
                             last=f"{last:%Y-%m-%d}"), ctx, param)
    return when


as_of_option = click.option("--as-of", callback=parse_as_of, metavar='"YYYY-MM-DD HH:MM"',
                            help="Judge as at this local time instead of now (also "
                                 '"2026/11/22 09:00" or "2026年11月22日 9:00").')
settings_option = click.option("--settings", "settings_path", type=click.Path(dir_okay=False),
                               help="Settings file (default: officebot.toml next to the register).")


def settings_for(register: Path, settings_path):
    """Settings from --settings, else officebot.toml beside the register, else the cwd's."""
    if settings_path:
        settings = load_settings(Path(settings_path))
    else:
        folder = Path(register).resolve().parent
        if (folder / "officebot.toml").is_file():
            settings = load_settings(folder=folder)
        else:
            settings = load_settings(folder=Path.cwd())
    _office().update(language=settings.language, mask=masking(settings))
    return settings


def letter_options(settings, **options) -> dict:
    """Options for draft_letters, with the question asked before drafting many letters
    (asked only when someone is at the terminal; otherwise said, and the run goes on)."""
    ask = (lambda question: click.confirm(question, default=True)) if _interactive() else None

    def confirm(count: int, limit: int) -> bool:
        from .letters import confirm_many  # the letter machinery loads only when drafting
        return confirm_many(settings.language, say, ask)(count, limit)
    return dict(options, confirm=confirm)


def _interactive() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def say(text) -> None:
    """Print ``text`` (one line, or a list of lines) for a person: phones, ID-card numbers and
    e-mail addresses masked, each line one line whatever values it quotes."""
    click.echo(lines_for_terminal(text, enabled=_office()["mask"]))


def fail(exc):
    """Raise a library error (or a file the system refused) as an OfficebotFailure."""
    raise OfficebotFailure(exc, **_office()) from exc


def _folder_language() -> str:
    """The office's language as the current folder's settings say it (Chinese, the default,
    when there are none or they cannot be read)."""
    try:
        return load_settings(folder=Path.cwd()).language
    except (OfficebotError, OSError):
        return "zh"


def _help_language(ctx: click.Context) -> str:
    """The office's language for --help (read once per invocation)."""
    meta = ctx.find_root().meta
    if "officebot.help_language" not in meta:
        meta["officebot.help_language"] = _folder_language()
    return meta["officebot.help_language"]


class _ClickWords(gettext.NullTranslations):
    """A gettext translation of click's own words from messages.CLICK_ZH (empty: English)."""

    def __init__(self, table: dict):
        super().__init__()
        self._table = table

    def gettext(self, message: str) -> str:
        return self._table.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        hit = self._table.get(singular)
        return hit if hit is not None else singular if n == 1 else plural


# click's modules take gettext's functions as module names (_ and ngettext) when imported
_CLICK_MODULES = ("core", "exceptions", "parser", "types", "formatting", "decorators",
                  "termui", "utils")


def speak_click(language: str) -> None:
    """Make click say its own words (Error:, Try ... for help, No such option ...) in
    ``language``: Chinese from messages.CLICK_ZH, else click's English."""
    words = _ClickWords(CLICK_ZH if language == "zh" else {})
    for name in _CLICK_MODULES:
        module = importlib.import_module("click." + name)
        if hasattr(module, "_"):
            module._ = words.gettext
        if hasattr(module, "ngettext"):
            module.ngettext = words.ngettext


class _OfficeHelp:
    """--help in the office's language: the Chinese texts come from the messages catalog
    (help.<command>, help.<command>.<option> or help.option.<option>); the English ones are
    the docstrings and option helps, as click writes them."""

    def _zh(self, ctx: click.Context, *keys: str):
        if _help_language(ctx) != "zh":
            return None
        return next((CATALOGS["zh"][k] for k in keys if k in CATALOGS["zh"]), None)

    def _word(self, ctx: click.Context, key: str) -> str:
        return msg(_help_language(ctx), key)

    def format_usage(self, ctx, formatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)),
                              prefix=self._word(ctx, "help.usage"))

    def format_help_text(self, ctx, formatter) -> None:
        text = self._zh(ctx, f"help.{self.name}")
        if text is None:
            return super().format_help_text(ctx, formatter)
        formatter.write_paragraph()
        with formatter.indentation():
            for i, paragraph in enumerate(text.split("\n\n")):
                if i:
                    formatter.write_paragraph()
                formatter.write_text(paragraph)

    def format_options(self, ctx, formatter) -> None:
        rows = []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is not None:
                zh = self._zh(ctx, f"help.{self.name}.{param.name}", f"help.option.{param.name}")
                rows.append((record[0], zh or record[1]))
        if rows:
            with formatter.section(self._word(ctx, "help.options")):
                formatter.write_dl(rows)

    def get_short_help_str(self, limit: int = 45) -> str:
        ctx = click.get_current_context(silent=True)
        text = self._zh(ctx, f"help.{self.name}") if ctx is not None else None
        if text is None:
            return super().get_short_help_str(limit)
        first, width = text.split("\n")[0].split("。")[0], 0
        for i, char in enumerate(first):  # a Chinese character takes two columns
            width += 2 if unicodedata.east_asian_width(char) in "WF" else 1
            if width > limit - 1:
                return first[:i] + "…"
        return first


class OfficeCommand(_OfficeHelp, click.Command):
    """A command whose --help is in the office's language."""


class OfficeGroup(_OfficeHelp, click.Group):
    """The officebot group: its commands' --help, and click's own words, in the office's
    language too."""

    command_class = OfficeCommand

    def main(self, *args, **kwargs):
        speak_click(_folder_language())  # before parsing: its errors are click's sentences
        return super().main(*args, **kwargs)

    def format_options(self, ctx, formatter) -> None:
        _OfficeHelp.format_options(self, ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx, formatter) -> None:
        rows = [(name, self.get_command(ctx, name)) for name in self.list_commands(ctx)]
        rows = [(name, cmd) for name, cmd in rows if cmd is not None and not cmd.hidden]
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _ in rows)
            with formatter.section(self._word(ctx, "help.commands")):
                formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in rows])


@click.group(cls=OfficeGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="officebot")
def cli():
    """officebot: judge the complaint register, write status back, draft letters."""
    from .workbook.safety import end_cleanly_on_signals
    end_cleanly_on_signals()  # a terminated run removes its temporary file


@cli.command()
@click.argument("register", type=click.Path(dir_okay=False))
@as_of_option
@click.option("--json", "as_json", is_flag=True, help="Print the JSON document for tools.")
@settings_option
def check(register, as_of, as_json, settings_path):
    """Read REGISTER and judge every case; print a report (or --json). Writes nothing.

    Example: officebot check 投诉登记台账.xlsx --as-of "2026-03-05 14:20"
    """
    from .check import ReadOptions, check_register
    from .report_text import render_lines, write_json
    try:
        settings = settings_for(register, settings_path)
        result = check_register(Path(register), settings, as_of, ReadOptions(cases="none"))
    except (OfficebotError, OSError) as exc:
        fail(exc)
    if as_json:
        stream = click.get_text_stream("stdout", encoding="utf-8")
        write_json(result, stream)
        stream.flush()
    else:
        say(render_lines(result, settings))


@cli.command()
@click.argument("register", type=click.Path(dir_okay=False))
@as_of_option
@click.option("--dry-run", is_flag=True, help="Print what would change; write nothing.")
@click.option("--no-letters", is_flag=True, help="Do not draft letters in this run.")
@click.option("--wait", "wait_minutes", type=click.FloatRange(min=0), default=0,
              metavar="MINUTES", help="If the workbook is open in Excel/WPS, retry for up to "
                                      "this many minutes.")
@click.option("--side-copy", is_flag=True, help='If the workbook is open, write '
                                                '"NAME (officebot).xlsx" next to it instead.')
@settings_option
def run(register, as_of, dry_run, no_letters, wait_minutes, side_copy, settings_path):
    """Judge REGISTER, draft letters, write status columns and summary sheets back into it.

    Example: officebot run 投诉登记台账.xlsx --as-of "2026-03-05 14:20" --dry-run
    """
    from .batch import run_batch, summary_lines
    from .runlog import RunLog
    folder = Path(register).resolve().parent
    # A failed run leaves no new file behind: its failure goes only into an existing logs/.
    log = RunLog(folder, create=False)
    if log.refused is not None:  # logs/ leads out of the folder
        fail(log.refused)
    started = f"officebot run {register} as_of={as_of or 'now'}" + (" dry-run" if dry_run else "")
    log.write(started)
    try:
        settings = settings_for(register, settings_path)
        outcome = run_batch(Path(register), settings, as_of, dry_run=dry_run,
                            letters=not no_letters, wait_minutes=wait_minutes,
                            side_copy=side_copy, letter_options=letter_options(settings))
    except (OfficebotError, OSError) as exc:
        log.write(f"failed: {exc}")
        fail(exc)
    if log.path is None:
        log = RunLog(folder)
        log.write(started)
    log.mask = masking(settings)
    lines = summary_lines(outcome, settings.language)
    log.write(lines)
    log.details(outcome)
    say(lines)


@cli.command()
@click.argument("register", type=click.Path(dir_okay=False))
@as_of_option
@click.option("--case", "case_ids", multiple=True, metavar="ID",
              help="Only this case; repeat for several (default: every case).")
@click.option("--kind", "kinds", multiple=True,
              type=click.Choice(["apology", "response", "followup"]),
              help="Only this kind of letter; repeat for several (default: all kinds).")
@click.option("--redo", is_flag=True, help="Draft again letters drafted before (never one "
                                           "edited by hand).")
@click.option("--pdf", is_flag=True, help="Also make PDFs with LibreOffice.")
@settings_option
def letters(register, as_of, case_ids, kinds, redo, pdf, settings_path):
    """Draft the letters REGISTER's cases need into letters/YYYY-MM/ and note them in the
    register's letter column.

    Example: officebot letters 投诉登记台账.xlsx --case TS-2026-031 --pdf
    """
    from .batch import run_batch, summary_lines
    try:
        settings = settings_for(register, settings_path)
        options = letter_options(settings, case_ids=list(case_ids) or None,
                                 kinds=list(kinds) or None, redo=redo, pdf=pdf)
        outcome = run_batch(Path(register), settings, as_of, letter_options=options)
    except (OfficebotError, OSError) as exc:
        fail(exc)
    say(summary_lines(outcome, settings.language))
    if not (outcome.letters_drafted or outcome.letter_problems or outcome.letters_declined):
        click.echo(msg(settings.language, "letters_none_drafted"))


@cli.command()
@click.argument("register", type=click.Path(dir_okay=False))
@click.option("--send", is_flag=True, help="Send through the SMTP server (default: write "
                                           "drafts for a person to check).")
@click.option("--yes", is_flag=True, help="With --send: do not ask before sending (scheduler).")
@click.option("--case", "case_ids", multiple=True, metavar="ID",
              help="Only this case; repeat for several.")
@click.option("--kind", "kinds", multiple=True,
              type=click.Choice(["apology", "response", "followup"]),
              help="Only this kind of letter; repeat for several.")
@click.option("--print", "print_post", is_flag=True,
              help="Put the letters to post (a postal address, no e-mail) into one PDF in "
                   "outbox/.")
@click.option("--dry-run", is_flag=True, help="List what would be mailed; write and send nothing.")
@click.option("--resend", multiple=True, metavar="ID",
              help="Mail this case's letters again (after checking one whose fate is unknown).")
@click.option("--retry-refused", is_flag=True, help="Try again letters the server refused.")
@click.option("--smtp-host", help="SMTP server (overrides [mail] host).")
@click.option("--smtp-port", type=click.IntRange(1, 65535), help="SMTP port ([mail] port).")
@click.option("--smtp-security", type=click.Choice(["ssl", "starttls", "none"]),
              help="ssl, starttls or none ([mail] security).")
@click.option("--from", "sender", metavar="ADDRESS", help="Sender address ([mail] from).")
@click.option("--verbose", is_flag=True, help="Also print each letter's line (always in "
                                              "logs/mail.log).")
@as_of_option
@settings_option
def mail(register, send, yes, case_ids, kinds, print_post, dry_run, resend, retry_refused,
         smtp_host, smtp_port, smtp_security, sender, verbose, as_of, settings_path):
    """Mail REGISTER's drafted letters: .eml drafts in outbox/ (or IMAP Drafts), or --send.

    Letters not drafted yet are drafted first; out-of-date ones are drafted again. Example:
    officebot mail 投诉登记台账.xlsx --send
    """
    from .batch import run_batch
    from .mail.plan import customer_groups
    from .mail.report import console_lines
    from .mail.run import mail_letters, send_list

    def confirm(lines):  # shown in full: the person checks the addresses before sending
        click.echo(lines_for_terminal(lines, enabled=False))
        return yes or (sys.stdin is not None and sys.stdin.isatty() and click.confirm(
            msg(_office()["language"], "mail.ask", n=len(lines)), default=False))

    overrides = {"host": smtp_host, "port": smtp_port, "security": smtp_security,
                 "from": sender}
    try:
        settings = settings_for(register, settings_path)
        out = mail_letters(Path(register), settings, as_of, run_batch=run_batch, send=send,
                           confirm=confirm, case_ids=list(case_ids), kinds=list(kinds),
                           print_post=print_post, dry_run=dry_run, overrides=overrides,
                           resend=resend, retry_refused=retry_refused)
    except OfficebotError as exc:
        fail(exc)
    if out.mode == "dry-run" and out.plan.mail:  # a review too: the addresses in full
        click.echo(lines_for_terminal([
            msg(settings.language, "mail.would") + line
            for line in send_list(customer_groups(out.plan.mail), settings.language)],
            enabled=False))
    # masked as [privacy] says by the mail report itself (a Message-ID is no address); each
    # of its lines one line
    click.echo(lines_for_terminal(console_lines(out, verbose), enabled=False))
    sys.exit(0 if out.ok else 1)


@cli.command()
@click.argument("register", type=click.Path(dir_okay=False))
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False),
              help="The new workbook to write (.xlsx); never the register.")
@click.option("--force", is_flag=True, help="Replace the --out file if it exists.")
@as_of_option
@settings_option
def report(register, out_path, force, as_of, settings_path):
    """Write REGISTER's summary sheets (KPIs, lists, charts) to a separate new workbook.

    Example: officebot report 投诉登记台账.xlsx --out 月报.xlsx
    """
    from .batch import summary_lines, write_report
    if Path(out_path).suffix.lower() not in (".xlsx", ".xlsm"):
        raise BadOption(both(_office()["language"], "report_not_xlsx", name=out_path))
    try:
        settings = settings_for(register, settings_path)
        outcome = write_report(Path(register), settings, Path(out_path), as_of, force=force)
    except (OfficebotError, OSError) as exc:
        fail(exc)
    say(summary_lines(outcome, settings.language))


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--language", type=click.Choice(["zh", "en"]), default=None,
              help="Language of messages and reports in this folder (default zh; an existing "
                   "settings file keeps its own).")
@click.option("--company", help="Sender's name in Chinese letters ([letters] company_zh).")
@click.option("--company-en", help="Sender's name in English letters ([letters] company_en).")
@click.option("--address", help="Sender's address in Chinese letters ([letters] address_zh).")
@click.option("--address-en", help="Sender's address in English letters ([letters] "
                                   "address_en).")
@click.option("--hotline", help="Service hotline shown in the letters ([letters] hotline).")
@click.option("--email", help="Service email shown in the letters ([letters] email).")
def init(folder, language, company, company_en, address, address_en, hotline, email):
    """Make FOLDER a ready working folder: settings, templates, example register, launchers.

    Never overwrites settings, templates or a register already there; the sender options
    set those details in its settings. At a terminal, init asks for the sender details
    that are still blank (Enter leaves one blank: it is then left out of the letters).

    Example: officebot init 投诉处理 --language zh --company "某某物业服务中心" --hotline 0571-88886666
    """
    from .folder import layout
    from .init import SENDER_ASKED, init_folder, sender_details, summary, write_sender
    from .letters import SENDER_LABELS
    given = {key: value for key, value in (
        ("company_zh", company), ("company_en", company_en), ("address_zh", address),
        ("address_en", address_en), ("hotline", hotline), ("email", email))
        if value is not None}
    try:
        result = init_folder(Path(folder), language, sender=given)
        if _interactive():
            now = sender_details(layout(result.folder).settings)
            i = 0 if result.language == "zh" else 1
            asked = {key: click.prompt(SENDER_LABELS[key][i], default="", show_default=False)
                     for key in SENDER_ASKED[result.language] if not now[key]}
            if any(asked.values()):
                write_sender(layout(result.folder).settings,
                             {k: v for k, v in asked.items() if v.strip()})
    except (OfficebotError, OSError) as exc:
        fail(exc)
    for path in result.created:
        click.echo(f"  + {path.relative_to(result.folder)}")
    for path in result.kept:
        click.echo(f"  = {path.relative_to(result.folder)}")
    click.echo(for_terminal(summary(result), enabled=False))  # a folder name: one line


@cli.command()
@click.argument("folder", required=False, type=click.Path(file_okay=False))
@as_of_option
@click.option("--pause/--no-pause", default=None,
              help="Wait for Enter before the window closes (default: on Windows only; never "
                   "when no one is at the keyboard).")
@click.option("--mail", is_flag=True, help="Mail the drafted letters (officebot mail, in the "
                                           "mode [mail] mode sets) instead of the daily run.")
def launch(folder, as_of, pause, mail):
    """What the launchers run: process FOLDER's register (default: the current folder).

    Shows progress, one plain result sentence, logs to FOLDER/logs/.

    Example: officebot launch "D:/投诉 办公室"
    """
    from .launcher import launch as launch_folder
    sys.exit(launch_folder(Path(folder) if folder else None, as_of=as_of, pause=pause,
                           mail=mail))


@cli.command()
@click.argument("folder", required=False, type=click.Path(file_okay=False))
@click.option("--at", "times", multiple=True, metavar="HH:MM",
              help="Run at this time of day; repeat for several (default: settings "
                   "[schedule] times).")
def schedule(folder, times):
    """Run the batch on FOLDER every working day at set times, until Ctrl+C.

    Example: officebot schedule --at 08:30 --at 16:00 "D:/投诉 办公室"
    """
    from .scheduler import run_schedule
    folder = Path(folder) if folder else Path.cwd()
    try:
        settings = load_settings(folder=folder)
        code = run_schedule(folder, settings, times or None)
    except (OfficebotError, OSError) as exc:
        fail(exc)
    sys.exit(code)


@cli.command()
@click.argument("folder", required=False, type=click.Path(file_okay=False))
def doctor(folder):
    """Check what is installed and whether FOLDER is ready to run (exit 1 if not).

    Example: officebot doctor "D:/投诉 办公室"
    """
    from .doctor import run_doctor
    report = run_doctor(Path(folder) if folder else Path.cwd())
    click.echo(report.text())
    sys.exit(0 if report.ready else 1)


def main() -> None:
    """The officebot program (``python -m officebot``, the ``officebot`` command)."""
    try:
        cli()
    finally:
        # The process ends here: what is left need not be scanned for cycles once more on
        # the way out (the interpreter's last collection: 50 ms after a 100k-row check).
        gc.freeze()
