"""The batch a clerk runs: judge the register, draft letters, write the result back safely.

``run_batch`` is the one function every front end calls (the `run` command, the clerk's
launcher, the scheduler, `letters`). The register is never loaded and re-saved by a
spreadsheet library: the package editor stream-rewrites the register sheet and replaces
officebot's own summary sheets, and every other part is copied byte for byte.
"""

import datetime as dt
import io
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional

from .check import CheckResult, ReadOptions, check_register, now
from .errors import OfficebotError
from .kpis import GroupCounter
from .messages import msg, pair
from .package import Limits, Zip, saved_meanwhile
from .rules import Tally, tally
from .workbook import safety, summary
from .workbook.columns import StatusChanges, StatusWriter, column_settings
from .workbook.package import Package, minimal_package
from .xlsx import open_package

Progress = Optional[Callable[[str, int, Optional[int]], None]]


@dataclass
class BatchResult:
    """What one run did (or, with dry_run, would do). A run lets ``result.judgements`` go
    once the status writer has what it writes of them (``tallied`` counts them)."""

    result: CheckResult
    written_to: Optional[Path] = None
    backup: Optional[Path] = None
    side_copy: bool = False
    dry_run: bool = False
    dry_run_changes: List[str] = field(default_factory=list)
    newly_overdue: List[str] = field(default_factory=list)
    newly_escalated: List[str] = field(default_factory=list)
    overdue: int = 0
    due_soon: int = 0
    repeats: int = 0
    escalated: Dict[int, int] = field(default_factory=dict)   # level -> cases
    problems: int = 0
    followup: Dict[str, int] = field(default_factory=dict)   # follow-up status -> cases
    people_set: bool = True   # [escalation.people] names someone
    letters_drafted: int = 0
    letters_folder: Optional[Path] = None
    letter_problems: List[str] = field(default_factory=list)
    letters_declined: int = 0   # letters the clerk chose not to draft (LettersResult.declined)
    letters_missing_sender: List[str] = field(default_factory=list)  # blank [letters] keys
    summary_sheets: List[str] = field(default_factory=list)
    cells_changed: int = 0
    seconds: float = 0.0
    later_as_of: Optional[dt.datetime] = None  # an earlier run's as-of, when later than this one
    tallied: Optional[Tally] = None   # rules.tally of the judgements


class _NullSink:
    def write(self, data: bytes) -> int:
        return len(data)


def _counts(out: BatchResult) -> None:
    t = out.tallied = tally(out.result.judgements)
    out.overdue, out.due_soon, out.repeats = t.overdue, t.due_soon, t.repeats
    out.escalated = t.by_level
    out.followup = t.followup
    out.problems = len(out.result.problems)


def own_sheet_names(pkg: Package) -> set:
    """Names of officebot's own sheets in the package (recognised by name and marker)."""
    marker = summary.OWNER_NAME[0]
    entries = pkg.sheets()
    marked = set()
    dn = pkg.wb_root.find(f"{{{pkg.ns}}}definedNames")
    if dn is not None:
        for el in dn:
            local = el.get("localSheetId")
            if el.get("name") == marker and local is not None and local.isdigit():
                if int(local) < len(entries):
                    marked.add(entries[int(local)].name)
    # An office sheet that merely has one of officebot's names is never removed: without the
    # marker replace_sheets refuses to overwrite it and asks for it to be renamed.
    return {e.name for e in entries if e.name in summary.OWN_SHEET_NAMES and e.name in marked}


def _refuse_name_clash(pkg: Package, own: set, language: str) -> None:
    """Fail before anything is written when an office sheet has a summary sheet's name."""
    wanted = {pair[0] if language == "zh" else pair[1] for pair in summary.SHEETS.values()}
    for entry in pkg.sheets():
        if entry.name in wanted and entry.name not in own:
            en, zh = pair("run.sheet_name_taken", label=pkg.label, sheet=entry.name)
            raise OfficebotError(en, zh=zh)


def _summary_sheets(pkg: Package, result: CheckResult, settings, run_info: dict,
                    previous_log: list, groups: Optional[dict] = None, picked=None,
                    listed: Optional[dict] = None, links: bool = True,
                    tallied: Optional[Tally] = None):
    return summary.build_summary_sheets(result, settings, pkg.styles(), result.language,
                                        run_info, previous_log, groups, picked, listed,
                                        links_to_register=links, tallied=tallied)


def _draft(result, settings, folder: Path, options: Optional[dict], out: BatchResult,
           progress: Progress = None):
    from . import letters  # Word and Jinja are loaded only when letters are drafted
    options = dict(options or {})
    if progress is not None:
        options.setdefault("progress", lambda done, total: progress("letters", done, total))
    had_letters = (folder / "letters").is_dir()
    try:
        drafted = letters.draft_letters(result, settings, folder, **options)
    except OSError as exc:  # letters/ read-only or the disk full: the register is still updated
        out.letter_problems.append(msg(settings.language, "run.letters_folder_failed",
                                       folder=folder / "letters", why=exc.strerror or exc))
        return {}
    _follow_folders(folder, drafted, had_letters)
    out.letters_drafted = len(drafted.drafted)
    out.letters_folder = getattr(drafted, "out_dir", None)
    out.letter_problems = list(drafted.problems)
    out.letters_declined = drafted.declined
    if drafted.drafted:  # said once per run, and only when letters went out without them
        out.letters_missing_sender = list(getattr(drafted, "missing_sender", []))
    return drafted.files_by_row


def _mail_view(result, folder: Path):
    """The mail journal as status values per row and the letters sheet's records."""
    from .mail.ledger import ledger_states
    from .mail.status import letter_records, status_by_row
    states = ledger_states(folder)
    return (status_by_row(result, folder, result.language, states),
            letter_records(result, folder, states))


def _follow_folders(folder: Path, drafted, had_letters: bool) -> None:
    """Letters, their PDFs, month folders and the letters record get their folder's
    permissions (a new letters/ gets the working folder's)."""
    from .privacy import follow_folder
    if not had_letters:
        follow_folder(folder / "letters")
    made = [folder / letter.path for letter in drafted.drafted]
    made += [folder / rel for rel in getattr(drafted, "pdfs", [])]
    for month in {p.parent for p in made}:
        follow_folder(month)
    for path in made + [folder / "letters" / "officebot-letters.json"]:
        if path.exists():
            follow_folder(path)


def run_batch(register: Path, settings, as_of: Optional[dt.datetime] = None, *,
              dry_run: bool = False, wait_minutes: float = 0, **options) -> BatchResult:
    """Judge the register, draft letters, and write status columns and summary sheets back.

    ``mail_step(result, folder)`` (officebot mail) runs after the letters are drafted and
    before the register is written, so that one write records both.
    One run at a time per register: a second one waits ``[run_lock] wait_seconds`` (or the
    ``wait_minutes`` given for an open workbook, if longer), then stops with one sentence.
    """
    # a register that is a link is written through to its file inside the folder
    register = safety.register_target(Path(register))
    if dry_run or not register.is_file():  # reads only, or fails at once with its own sentence
        return _run_batch(register, settings, as_of, dry_run=dry_run, wait_minutes=wait_minutes,
                          **options)
    wait = max(settings.conf.run_lock.wait_seconds, wait_minutes * 60)
    with safety.RunLock(register, wait):
        if not options.get("side_copy"):  # fail before letters are drafted, not after
            safety.ensure_writable(register.parent / safety.BACKUP_FOLDER)
        return _run_batch(register, settings, as_of, dry_run=dry_run, wait_minutes=wait_minutes,
                          **options)


def _run_batch(register: Path, settings, as_of: Optional[dt.datetime] = None, *,
               dry_run: bool = False, letters: bool = True, letter_options: Optional[dict] = None,
               wait_minutes: float = 0, side_copy: bool = False,
               progress: Progress = None, mail_step: Optional[Callable] = None) -> BatchResult:
    started = time.monotonic()
    register = Path(register)
    column_settings(settings)  # a wrong [status_columns] value fails before anything happens
    target = register
    if not dry_run:
        if side_copy:
            if safety.lock_reason(register) is not None:
                target = safety.side_copy_path(register)
        else:
            safety.ensure_unlocked(register, wait_minutes)
    as_of = as_of or now()
    if progress:
        progress("read", 0, None)
    drafting = letters and not dry_run
    # One data path with or without letters: each case is counted into the figures as it is
    # judged, the listed rows are picked out as the status rewrite streams the sheet by and
    # decoded with what the reading pass kept (decoder). Letters alone keep every case.
    counter = GroupCounter(summary.GROUP_KEYS)
    # One package object for the run: the reading pass reads through it, it lets go of the
    # file while letters are drafted, and the writer takes it again (the same file, or a
    # save by anyone meanwhile stops the write).
    zf = open_package(register, Limits.of(settings))
    try:
        result = check_register(register, settings, as_of, ReadOptions(
            cases="full" if drafting else "none", visit=counter.add, keep_decoder=True,
            scan_extent=True), package=zf)
    except BaseException:
        zf.close()
        raise
    zf.release()
    try:
        return _run(register, settings, as_of, result, counter, target, dry_run, letters,
                    letter_options, progress, started, mail_step, zf)
    finally:
        if result.decoder is not None:
            result.decoder.close()


def _run(register: Path, settings, as_of, result: CheckResult, counter, target: Path,
         dry_run: bool, letters: bool, letter_options, progress: Progress,
         started: float, mail_step: Optional[Callable], zf: Zip) -> BatchResult:
    """run_batch after the reading pass (``zf``: the register's package, let go of):
    letters, then the write-back."""
    keep = settings.conf.backups_keep
    out = BatchResult(result, dry_run=dry_run, side_copy=target != register,
                      people_set=settings.conf.escalation.people_set)
    _counts(out)
    files_by_row: Dict[int, List[str]] = {}
    if letters and not dry_run:
        if progress:
            progress("letters", 0, None)  # the number of letters is known once planned
        files_by_row = _draft(result, settings, register.resolve().parent, letter_options, out,
                              progress)
        if mail_step is not None:  # it may draft letters again: their files by row
            files_by_row.update(mail_step(result, register.resolve().parent) or {})
    mail_values, letter_records = _mail_view(result, register.resolve().parent)
    groups = counter.result(settings, result.language)
    try:
        zf.reopen()  # the file that was read, or nothing is written
    except BaseException:
        zf.close()
        raise
    pkg = Package(register, zf=zf)
    try:
        previous_log = summary.read_change_log(register, zf=pkg.zf)
        out.later_as_of = later_as_of(previous_log, as_of, result.date1904)
        picked = summary.pick_lists(result, summary.summary_settings(settings),
                                    "zh" if result.language == "zh" else "en")
        capture = summary.listed_rows(picked)
        writer = StatusWriter(pkg, result, settings, files_by_row, progress, capture,
                              mail_values)
        # The writer has what it writes of each judged row: the records go, and the write
        # and the summary sheets reuse their memory (at 100k rows, most of what is alive).
        # The picked lists keep theirs; the counts are in out.tallied.
        result.judgements = []
        own = own_sheet_names(pkg)
        _refuse_name_clash(pkg, own, result.language)
        if letter_records is None:  # a run without the cases' full records keeps the sheet
            own -= set(summary.EXTRA_SHEETS["letters"])

        def add_summary(changes: StatusChanges) -> None:
            out.newly_overdue = changes.newly_overdue
            out.newly_escalated = changes.newly_escalated
            out.cells_changed = changes.cells_changed
            run_info = {"run_at": now(), "as_of": as_of, "newly_overdue": out.newly_overdue,
                        "newly_escalated": out.newly_escalated,
                        "letters_drafted": out.letters_drafted, "letters": letter_records}
            listed = {c.row: c for c in result.decoder.cases(writer.captured)}
            sheets = _summary_sheets(pkg, result, settings, run_info, previous_log, groups,
                                     picked, listed, tallied=out.tallied)
            out.summary_sheets = [s.name for s in sheets]
            pkg.replace_sheets(own, sheets)

        if dry_run:
            with pkg.zf.open(result.sheet_part) as src:
                writer(src, _NullSink())
            add_summary(writer.changes)
            out.dry_run_changes = _describe(writer, pkg, own, out, settings.language)
            return out
        pkg.stream(result.sheet_part, writer)
        sheet_count = [0]

        def write(fh) -> None:
            pkg.save(fh, after_stream=lambda: add_summary(writer.changes))
            sheet_count[0] = len(pkg.sheets())

        def unchanged_since_read() -> None:
            if not zf.unchanged():
                raise saved_meanwhile(register.name)

        if target == register:
            out.backup = safety.make_backup(register, keep)
        if progress:
            progress("write", 0, None)
        safety.atomic_write(
            target, write,
            verify=lambda tmp: safety.verify_package(tmp, result.sheet_part, sheet_count[0],
                                                      pkg.checked),
            before_replace=(lambda: (pkg.close(), unchanged_since_read())) if target == register
            else None, like=register)  # a side copy: no more readable than the register
        out.written_to = target
    finally:
        pkg.close()
    out.seconds = time.monotonic() - started
    return out


def later_as_of(previous_log: list, as_of: dt.datetime, date1904: bool
                ) -> Optional[dt.datetime]:
    """The latest as-of time of earlier runs (run log), if it is later than ``as_of``: the
    clock went backwards, or someone judged an earlier moment on purpose."""
    from .values import Unreadable, serial_to_datetime
    times = []
    for row in previous_log:
        value = row[1] if len(row) > 1 else None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                times.append(serial_to_datetime(value, date1904))
            except (Unreadable, ValueError, OverflowError):
                continue
    latest = max(times, default=None)
    return latest if latest is not None and latest > as_of else None


def _describe(writer: StatusWriter, pkg: Package, own: set, out: BatchResult,
              language: str) -> List[str]:
    """Lines saying what a real run would change."""
    from .fields import STATUS_COLUMNS
    from .xlsx import column_letters

    def w(key: str, **values) -> str:
        return msg(language, "run." + key, **values)

    lines = []
    headers = {k: (zh if writer.language == "zh" else en) for k, zh, en in STATUS_COLUMNS}
    if writer.plan.added:
        cols = w("sep").join(f"{headers[k]} ({column_letters(writer.plan.columns[k])})"
                             for k in writer.plan.added)
        lines.append(w("add_columns", cols=cols))
    changes = writer.changes
    lines.append(w("cells", cells=changes.cells_changed, rows=changes.rows_changed))
    lines.extend("  " + s for s in changes.samples)
    if changes.cells_changed > len(changes.samples) and changes.samples:
        lines.append(w("more", n=changes.cells_changed - len(changes.samples)))
    if own:
        lines.append(w("replace", names=w("sep").join(sorted(own))))
    added = [n for n in out.summary_sheets if n not in own]
    if added:
        lines.append(w("add_sheets", names=w("sep").join(added)))
    return lines


def write_report(register: Path, settings, out_path: Path,
                 as_of: Optional[dt.datetime] = None, force: bool = False) -> BatchResult:
    """The summary sheets of the register as a separate new workbook at ``out_path`` (never
    the register; an existing file only with ``force``)."""
    register, out_path = Path(register), Path(out_path)
    safety.check_output(out_path, register, force)
    as_of = as_of or now()
    counter = GroupCounter(summary.GROUP_KEYS)
    # One package object: the reading pass and the editor stand on the same open zip.
    zf = open_package(register, Limits.of(settings))
    try:
        result = check_register(register, settings, as_of, ReadOptions(
            cases="none", visit=counter.add, keep_decoder=True, scan_extent=True), package=zf)
        out = BatchResult(result, people_set=settings.conf.escalation.people_set)
        _counts(out)
        picked = summary.pick_lists(result, summary.summary_settings(settings),
                                    "zh" if result.language == "zh" else "en")
        try:
            with Package(register, zf=zf) as source:
                previous_log = summary.read_change_log(register, zf=source.zf)
                writer = StatusWriter(source, result, settings,
                                      capture=summary.listed_rows(picked))
                with source.zf.open(result.sheet_part) as src:
                    writer(src, _NullSink())
            listed = {c.row: c for c in result.decoder.cases(writer.captured)}
        finally:
            result.decoder.close()
    finally:
        zf.close()
    out.newly_overdue = writer.changes.newly_overdue
    out.newly_escalated = writer.changes.newly_escalated
    pkg = Package(io.BytesIO(minimal_package()), label=out_path.name)
    run_info = {"run_at": now(), "as_of": as_of, "newly_overdue": out.newly_overdue,
                "newly_escalated": out.newly_escalated, "letters_drafted": 0}
    sheets = _summary_sheets(pkg, result, settings, run_info, previous_log,
                             counter.result(settings, result.language), picked, listed,
                             links=False, tallied=out.tallied)
    pkg.replace_sheets(set(), sheets)
    out.summary_sheets = [s.name for s in sheets]
    safety.atomic_write(out_path, pkg.save, like=register,
                        verify=lambda tmp: safety.verify_package(tmp, None, len(sheets)))
    out.written_to = out_path
    return out


def summary_lines(out: BatchResult, language: str = "en") -> List[str]:
    """A short summary of a run for the terminal, in ``language`` (zh or en)."""
    def w(key: str, **values) -> str:
        return msg(language, "run." + key, **values)

    r = out.result
    lines = [w("head", name=r.path.name, sheet=r.sheet, n=out.tallied.cases,
               as_of=f"{r.as_of:%Y-%m-%d %H:%M}", problems=out.problems)]
    levels = w("sep").join(w("level", k=k, v=v) for k, v in out.escalated.items())
    if out.later_as_of is not None:
        lines.append(w("clock_back", as_of=f"{r.as_of:%Y-%m-%d %H:%M}",
                       last=f"{out.later_as_of:%Y-%m-%d %H:%M}"))
    lines.append(w("counts", overdue=out.overdue, due_soon=out.due_soon, repeats=out.repeats,
                   levels=levels or w("none")))
    if out.escalated and not out.people_set:
        lines.append(msg(language, "people_not_set"))
    if out.followup:
        f = out.followup
        lines.append(w("followup", due=f.get("due", 0), overdue=f.get("overdue", 0),
                       done=f.get("done", 0)))
    for key, ids in (("new_overdue", out.newly_overdue), ("new_escalated", out.newly_escalated)):
        if ids:
            lines.append(w(key) + w("sep").join(ids[:20]) + (" ..." if len(ids) > 20 else ""))
    said = list(out.letter_problems)
    if out.letters_declined:
        from .letters import declined_sentence
        said.insert(0, declined_sentence(out.letters_declined, language))
    if out.letters_drafted or said:
        where = w("where", folder=out.letters_folder) if out.letters_folder else ""
        lines.append(w("letters", n=out.letters_drafted, where=where))
        lines.extend(w("letter_problem", p=p) for p in said[:20])
    if out.letters_missing_sender:
        from .letters import sender_missing_sentence
        lines.append(sender_missing_sentence(out.letters_missing_sender, language))
    if out.dry_run:
        lines.append(w("dry"))
        lines.extend("  " + line for line in out.dry_run_changes)
    elif out.written_to is not None:
        lines.append(w("written", path=out.written_to, note=w("side") if out.side_copy else ""))
        if out.backup is not None:
            lines.append(w("backup", path=out.backup))
    return lines
