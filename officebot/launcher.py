"""The clerk-facing run behind the launchers: ``officebot launch FOLDER``.

Finds the folder's register, runs the batch with a text progress bar per stage, prints one
plain result sentence (or one sentence saying what went wrong and what to do), appends every
run to logs/officebot-YYYY-MM.log and, when asked and a person is there, waits for a key.
This is the one place that catches unexpected exceptions: their traceback goes to the log.
"""

import datetime as dt
import os
import re
import sys
import time
from pathlib import Path
from typing import IO, Optional

from . import __version__
from .errors import OfficebotError, WorkbookLockedError
from .folder import find_register, register_candidates
from .lock_holder import lock_holder, locked_sentence
from .messages import MESSAGES, answers, msg
from .privacy import for_terminal, masking
from .runlog import RunLog  # noqa: F401  (its home before)
from .settings import SETTINGS_NAME, load_settings


class TextProgress:
    """progress(stage, done, total) -> one redrawn text bar per stage on a terminal."""

    WIDTH = 30

    def __init__(self, stream: IO[str], language: str, enabled: bool):
        self.stream = stream
        self.language = language
        self.enabled = enabled
        self.stage: Optional[str] = None
        self.total: Optional[int] = None
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: Optional[int] = None) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        finished = total is not None and done >= total
        if stage == self.stage and not finished and now - self.last < 0.1:
            self.total = total
            return  # redraw at most ten times a second
        if stage != self.stage:
            self.close()
            self.stage = stage
        self.last, self.total = now, total
        self._draw(done, total)

    def _draw(self, done: int, total: Optional[int], finished: bool = False) -> None:
        key = f"stage.{self.stage}"
        label = msg(self.language, key) if key in MESSAGES else self.stage
        if total:
            filled = int(self.WIDTH * min(done, total) / total)
            line = f"{label} [{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total}"
        elif finished:
            line = f"{label} … {msg(self.language, 'stage_done')}"
        else:
            line = f"{label} … {done}" if done else f"{label} …"
        self.stream.write("\r" + line)
        self.stream.flush()

    def close(self) -> None:
        """Show the current stage as finished (the next one started) and end its line."""
        if self.enabled and self.stage is not None:
            if self.total:
                self._draw(self.total, self.total)
            else:
                self._draw(0, None, finished=True)
            self.stream.write("\n")
            self.stream.flush()
        self.stage = None

    def fail(self) -> None:
        """End the current line without claiming the stage finished."""
        if self.enabled and self.stage is not None:
            self.stream.write("\n")
            self.stream.flush()
        self.stage = None


def guess_language(folder: Path) -> str:
    """The language of the folder's settings file, even when that file is otherwise broken."""
    try:
        text = (Path(folder) / SETTINGS_NAME).read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return "zh"
    found = re.search(r'(?m)^\s*language\s*=\s*["\'](zh|en)["\']', text)
    return found.group(1) if found else "zh"


def _count(value) -> int:
    if value is None:
        return 0
    if isinstance(value, dict):
        return sum(_count(v) for v in value.values())
    if isinstance(value, (list, tuple, set, frozenset)):
        return len(value)
    return int(value)


def _shown(path: Path, folder: Path) -> str:
    try:
        return Path(path).resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return str(path)


def result_sentence(batch, language: str, folder: Path) -> str:
    """The plain result a clerk can act on, e.g. "12 overdue, 3 escalated to ...; ..."."""
    from .rules import LEVEL_TITLES
    lang = language
    first = []
    overdue = _count(getattr(batch, "overdue", 0))
    first.append(msg(lang, "overdue", n=overdue) if overdue else msg(lang, "none_overdue"))
    due_soon = _count(getattr(batch, "due_soon", 0))
    if due_soon:
        first.append(msg(lang, "due_soon", n=due_soon))
    escalated = getattr(batch, "escalated", None) or {}
    levels = [(int(k), _count(v)) for k, v in escalated.items() if int(k) >= 1 and _count(v)]
    levels.sort(reverse=True)
    who = [(n, LEVEL_TITLES[lang][min(level, 5)]) for level, n in levels]
    if len(who) == 1:
        first.append(msg(lang, "escalated_to", n=who[0][0], who=who[0][1]))
    elif who:
        detail = msg(lang, "list_sep").join(msg(lang, "escalated_part", n=n, who=title)
                                            for n, title in who)
        first.append(msg(lang, "escalated_many", n=sum(n for n, _ in who), detail=detail))
    repeats = _count(getattr(batch, "repeats", 0))
    if repeats:
        first.append(msg(lang, "repeats", n=repeats))
    parts = [msg(lang, "first_sep").join(first)]
    drafted = _count(getattr(batch, "letters_drafted", 0))
    letters_folder = getattr(batch, "letters_folder", None)
    if drafted:
        where = _shown(letters_folder, folder) if letters_folder else "letters/"
        parts.append(msg(lang, "letters", n=drafted, folder=where))
    missing_sender = getattr(batch, "letters_missing_sender", None)
    if missing_sender and isinstance(missing_sender, list):
        from .letters import sender_missing_sentence
        parts.append(sender_missing_sentence(missing_sender, lang))
    declined = _count(getattr(batch, "letters_declined", 0))
    if declined:
        parts.append(msg(lang, "letters_declined", n=declined))
    letter_problems = _count(getattr(batch, "letter_problems", 0))
    if letter_problems > 0:
        parts.append(msg(lang, "letter_problems", n=letter_problems))
    problems = _count(getattr(batch, "problems", 0))
    if problems:
        parts.append(msg(lang, "problems", n=problems))
    written_to = getattr(batch, "written_to", None)
    if written_to is None:
        parts.append(msg(lang, "dry_run"))
    elif getattr(batch, "side_copy", False):
        parts.append(msg(lang, "side_copy", name=Path(written_to).name))
    else:
        parts.append(msg(lang, "written"))
    if getattr(batch, "backup", None):
        parts.append(msg(lang, "backup"))
    sentence = msg(lang, "sep").join(parts) + msg(lang, "end")
    return sentence[:1].upper() + sentence[1:]


def _wants_pause(pause: Optional[bool], stdin: IO[str]) -> bool:
    if pause is None:
        pause = sys.platform.startswith("win")
    try:
        return bool(pause) and stdin is not None and stdin.isatty()
    except (ValueError, OSError):
        return False


def launch(folder: Optional[Path] = None, as_of: Optional[dt.datetime] = None,
           pause: Optional[bool] = None, out: Optional[IO[str]] = None,
           stdin: Optional[IO[str]] = None, progress: Optional[bool] = None,
           batch_options: Optional[dict] = None, interactive: Optional[bool] = None,
           mail: bool = False) -> int:
    """Run the batch on ``folder``'s register for a clerk; return the exit code (0 or 1).
    With ``mail``, run ``officebot mail`` instead (the 发送函件 launchers)."""
    out = out or sys.stdout
    stdin = stdin if stdin is not None else sys.stdin
    folder = Path(folder or os.getcwd()).absolute()
    language = guess_language(folder)
    if not folder.is_dir():
        out.write(for_terminal(msg(language, "no_folder", folder=folder)) + "\n")
        _pause(pause, stdin, out, language)
        return 1
    log = RunLog(folder)

    def show(text: str) -> None:  # one line, masked like the log
        out.write(for_terminal(text, enabled=log.mask) + "\n")

    log.write(f"start officebot {__version__} folder={folder} as_of={as_of or 'now'}")
    if progress is None:
        progress = _isatty(out)
    bar = TextProgress(out, language, progress)
    code = 1
    register = None
    try:
        if log.refused is not None:  # logs/ leads out of the folder: nothing is written
            raise log.refused
        settings = load_settings(folder=folder)
        language = bar.language = settings.language
        log.mask = masking(settings)
        register = _find_register(folder, settings)
        log.write(f"register {register}")
        show(msg(language, "start", name=register.name))
        out.flush()
        if mail:
            from .batch import run_batch
            from .mail.run import launcher_run
            sentence, code, batch = launcher_run(register, settings, as_of, bar, stdin, out,
                                                 log.write, run_batch)
        else:
            from .batch import run_batch
            options = dict(batch_options or {})
            if interactive is None:
                interactive = _isatty(stdin) and _isatty(out)
            options["letter_options"] = dict(options.get("letter_options") or {})
            options["letter_options"].setdefault("confirm", _confirm(
                settings.language, out, stdin, interactive, log))
            batch = run_batch(register, settings, as_of, progress=bar, **options)
            bar.close()
            sentence, code = result_sentence(batch, language, folder), 0
        show(sentence)
        log.write(f"done: {sentence}")
        log.details(batch)
    except WorkbookLockedError as exc:
        bar.fail()
        show(locked_sentence(lock_holder(register), language) if register is not None
             else msg(language, "lock.unknown"))
        log.write(f"failed: {exc}")
    except OfficebotError as exc:
        bar.fail()
        error = exc.zh if language == "zh" and exc.zh else exc.text(language)
        show(msg(language, "user_error", error=error))
        log.write(f"failed: {exc}")
    except Exception as exc:  # the launcher boundary: log everything, show one sentence
        bar.fail()
        log.write_traceback("unexpected error:", exc)
        if log.path is not None:
            show(msg(language, "unexpected", log=_shown(log.path, folder)))
        else:
            show(msg(language, "unexpected_nolog", error=repr(exc)))
    out.flush()
    _pause(pause, stdin, out, language)
    return code


def _find_register(folder: Path, settings) -> Path:
    """find_register, with the advice for an old .xls (or WPS .et) when that is all there is."""
    try:
        return find_register(folder, settings)
    except OfficebotError:
        old = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".xls", ".et")
                     and not p.name.startswith(("~$", ".~lock.")) and p.is_file())
        if old and not register_candidates(folder):
            raise OfficebotError(msg("en", "old_xls", name=old[0].name),
                                 zh=msg("zh", "old_xls", name=old[0].name)) from None
        raise


def _confirm(language: str, out: IO[str], stdin: IO[str], interactive: bool, log: RunLog):
    """Before many letters: say how many and ask when a clerk is at the window; an unattended
    run (the schedule) notes the number in the log and goes on (a "no" is recorded by
    draft_letters: LettersResult.declined, the batch's letters_declined)."""
    from .letters import confirm_many

    def write(sentence: str) -> None:
        if interactive:
            out.write("\n" + sentence + "\n")
            out.flush()
        log.write(sentence)

    def ask(question: str) -> bool:
        out.write(question + " [Y/n] ")
        out.flush()
        try:
            answer = stdin.readline().strip().lower()
        except (OSError, ValueError, EOFError):
            answer = ""
        log.write(f"answer: {answer!r}")
        return answer not in answers("answer.no")

    return confirm_many(language, write, ask if interactive else None)


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def _pause(pause: Optional[bool], stdin: IO[str], out: IO[str], language: str) -> None:
    if not _wants_pause(pause, stdin):
        return
    out.write(msg(language, "press_key"))
    out.flush()
    try:
        stdin.readline()
    except (OSError, ValueError, KeyboardInterrupt, EOFError):
        pass
