"""``officebot doctor``: what is installed and whether a working folder is ready to run.

Essential checks (settings, register, write permission, this year's holiday data) decide the
exit code; the others (LibreOffice for PDF, a Chinese font, templates, next year's holiday
data) are warnings: officebot runs without them, with less.
"""

import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import List, NamedTuple, Optional

from . import __version__
from .errors import OfficebotError
from .folder import find_register, layout
from .launcher import guess_language
from .messages import msg
from .settings import load_settings


class Check(NamedTuple):
    """One line of the report."""

    name: str
    ok: bool
    detail: str
    essential: bool = True


class Report(NamedTuple):
    folder: Path
    language: str
    checks: List[Check]

    @property
    def ready(self) -> bool:
        """True when every essential check passed."""
        return all(c.ok for c in self.checks if c.essential)

    def text(self) -> str:
        """The report as printed: one line per check, then the verdict."""
        lang = self.language
        lines = [msg(lang, "doctor.title", folder=self.folder)]
        for c in self.checks:
            mark = ("doctor.ok" if c.ok else "doctor.fail" if c.essential else "doctor.warn")
            lines.append(f"  [{msg(lang, mark)}] {c.name}: {c.detail}")
        lines.append(msg(lang, "doctor.ready" if self.ready else "doctor.not_ready"))
        return "\n".join(lines)


_SOFFICE_PLACES = [
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
]
_FONT_FILES = [  # Chinese fonts shipped with Windows and macOS (no fc-list there)
    r"C:\Windows\Fonts\msyh.ttc", r"C:\Windows\Fonts\simsun.ttc", r"C:\Windows\Fonts\simhei.ttf",
    "/System/Library/Fonts/PingFang.ttc", "/System/Library/Fonts/STHeiti Light.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
]


def find_soffice() -> Optional[str]:
    """The LibreOffice program the letters will use (PATH or its usual install places)."""
    try:
        from .pdf import find_soffice as letters_soffice
        return letters_soffice()
    except ImportError:
        pass
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for place in _SOFFICE_PLACES:
        if os.path.isfile(place):
            return place
    return None


def find_cjk_font() -> Optional[str]:
    """The name of one installed font that covers Chinese, or None."""
    if shutil.which("fc-list"):
        try:
            out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True,
                                 text=True, timeout=30).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        families = [line.split(",")[0].strip() for line in out.splitlines() if line.strip()]
        if families:
            return sorted(families)[0]
    for place in _FONT_FILES:
        if os.path.isfile(place):
            return Path(place).stem
    return None


def run_doctor(folder: Path, today: Optional[dt.date] = None) -> Report:
    """Run every check on ``folder`` and return the report (never raises for user problems)."""
    folder = Path(folder).absolute()
    today = today or dt.date.today()
    lang = guess_language(folder)
    checks: List[Check] = []

    def add(key, ok, detail, essential=True):
        checks.append(Check(msg(lang, "doctor.name." + key), ok, detail, essential))

    add("officebot", True, f"{__version__} ({Path(__file__).parent})", False)
    add("python", True, f"{platform.python_version()} ({sys.executable})", False)
    soffice = find_soffice()
    add("soffice", bool(soffice), soffice or msg(lang, "doctor.soffice_missing"), False)
    font = find_cjk_font()
    add("font", bool(font), font or msg(lang, "doctor.font_missing"), False)

    settings = None
    try:
        settings = load_settings(folder=folder)
        from .scheduler import schedule_settings
        schedule_settings(settings)
        add("settings", True, settings.source if settings.source != "defaults"
            else msg(lang, "doctor.settings_defaults"))
    except OfficebotError as exc:
        add("settings", False, exc.sentence(lang))

    result = None  # the register read once, for its own check and the templates'
    if settings is not None:
        result = _check_register(folder, settings, add, lang)
    else:
        add("register", False, msg(lang, "doctor.register_unchecked"))

    if settings is not None:
        people = settings.conf.escalation.people_set
        add("people", people, msg(lang, "doctor.people_set") if people
            else msg(lang, "people_not_set"), False)
    _check_write(folder, add, lang)
    _check_holidays(today, settings, add, lang)
    templates = sorted(layout(folder).templates.glob("*.docx"))
    add("templates", bool(templates),
        msg(lang, "doctor.templates_found", n=len(templates))
        if templates else msg(lang, "doctor.templates_none"), False)
    if settings is not None:
        _check_template_files(templates, settings, add, lang, result)
    if settings is not None:
        _check_sender(settings, add, lang)
    _check_launcher(folder, add, lang)
    return Report(folder, lang, checks)


def _check_template_files(templates, settings, add, lang: str, result) -> None:
    """Each office template proven as `letters` proves it (one sentence for a bad one), what
    English letters would lack in the register ``result`` (None: it could not be read, its
    own check says why), and the fonts PDFs are drawn with."""
    from .letters import letter_settings, load_template
    from .letters.prompts import office_sentence
    from .pdf import installed_fonts
    try:
        table = letter_settings(settings)
    except OfficebotError as exc:
        add("templates", False, office_sentence(exc, lang), False)
        return
    for path in templates:
        try:
            load_template(path, table, "en" if path.stem.endswith("_en") else "zh")
        except OfficebotError as exc:
            add("templates", False, office_sentence(exc, lang), False)
    if result is not None:
        from .letters import english_gaps
        from .letters.prompts import english_gaps_sentence
        gaps = english_gaps(result, settings)
        if gaps:
            add("templates", False, english_gaps_sentence(gaps, lang), False)
    fonts = installed_fonts()
    shown = []
    for pair in table["pdf_fonts"]:
        there = None if fonts is None else pair["use"] in fonts
        mark = "" if there is None else msg(
            lang, "doctor.font_installed" if there else "doctor.font_not_installed")
        shown.append(f"{pair['font']} → {pair['use']}{mark}")
    if shown:
        add("pdf_fonts", fonts is None or all(p["use"] in fonts for p in table["pdf_fonts"]),
            msg(lang, "doctor.fonts_sep").join(shown), False)


def _check_sender(settings, add, lang: str) -> None:
    from .letters import letter_settings, missing_sender_details, sender_missing_sentence
    try:
        missing = missing_sender_details(letter_settings(settings))
    except OfficebotError as exc:
        add("sender", False, exc.sentence(lang), False)
        return
    if missing:
        add("sender", False, sender_missing_sentence(missing, lang)
            + msg(lang, "doctor.sender_fix"), False)
    else:
        add("sender", True, msg(lang, "doctor.sender_set"), False)


def launcher_python(folder: Path, launcher: Optional[Path] = None) -> Optional[str]:
    """The Python this PC's launcher would start in ``folder``, tried as the launcher tries
    them: a .venv in the folder, the py launcher (Windows), python3 and python on PATH, then
    the Python that ran init when it exists here; the first that imports officebot."""
    windows = sys.platform.startswith("win")
    venv = folder / ".venv" / ("Scripts/python.exe" if windows else "bin/python")
    candidates = [[str(venv)]] if venv.is_file() else []
    if windows and shutil.which("py"):
        candidates.append([shutil.which("py"), "-3"])
    for name in ("python",) if windows else ("python3", "python"):
        if shutil.which(name):
            candidates.append([shutil.which(name)])
    last = _init_python_of(launcher) if launcher else None
    if last and Path(last).is_file():
        candidates.append([last])
    script = shutil.which("officebot")
    if script:  # pipx, pip --user: a command whose Python is none of the above
        candidates.append([script])
    for command in candidates:
        args = ["--version"] if command == [script] else ["-c", "import officebot"]
        try:
            probe = subprocess.run(command + args, timeout=60,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except (OSError, subprocess.SubprocessError):
            continue
        if probe.returncode == 0:
            return " ".join(command)
    return None


def _init_python_of(launcher: Path) -> Optional[str]:
    """The Python that ran init, as its launcher names it for the last try."""
    import re
    import shlex
    try:
        text = launcher.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    found = re.search(r'(?m)^if not exist "([^"%]+)" goto none', text)
    if found:
        return found.group(1).replace("%%", "%")
    found = re.findall(r"(?m)^for PY in (.*); do$", text)
    if len(found) > 1:   # the second loop tries the Python that ran init
        words = shlex.split(found[-1])
        return words[-1] if words else None
    return None


def _check_launcher(folder: Path, add, lang: str) -> None:
    from .init import NO_OFFICEBOT, _platform_launcher
    launcher = _platform_launcher(folder, lang)
    if not launcher.is_file():
        add("launcher", False, msg(lang, "doctor.launcher_missing", name=launcher.name), False)
        return
    if not sys.platform.startswith("win"):
        command = launcher.with_suffix(".command")
        for path in (launcher, command):
            if path.is_file() and not os.access(path, os.X_OK):
                add("launcher", False, msg(lang, "doctor.launcher_not_executable",
                                           name=path.name, path=path), False)
                return
    python = launcher_python(folder, launcher)
    if python:
        add("launcher", True, f"{launcher.name} → {python}", False)
    else:
        add("launcher", False, f"{launcher.name}: {NO_OFFICEBOT[lang]}", False)


def _check_register(folder: Path, settings, add, lang: str):
    """The register checked (its sheet, cases, problems, write access); its one reading,
    with the letters' texts, or None when it cannot be read."""
    try:
        register = find_register(folder, settings)
    except OfficebotError as exc:
        add("register", False, exc.sentence(lang))
        return None
    try:
        from .check import ReadOptions, check_register
        result = check_register(register, settings, options=ReadOptions(cases="full"))
    except OfficebotError as exc:
        add("register", False, exc.sentence(lang))
        return None
    owner = register.with_name("~$" + register.name)
    cases, problems = len(result.judgements), len(result.problems)
    detail = msg(lang, "doctor.register_detail", name=register.name, sheet=result.sheet,
                 cases=cases, problems=problems)
    if owner.exists():
        detail += msg(lang, "doctor.register_maybe_open")
    if not os.access(register, os.W_OK):
        add("register", False, detail + msg(lang, "doctor.register_read_only"))
        return result
    add("register", True, detail)
    return result


def _check_write(folder: Path, add, lang: str) -> None:
    if not folder.is_dir():
        add("write", False, msg(lang, "doctor.folder_missing", folder=folder))
        return
    try:
        fd, name = tempfile.mkstemp(prefix=".officebot-doctor-", dir=str(folder))
        os.close(fd)
        os.remove(name)
    except OSError as exc:
        add("write", False, msg(lang, "doctor.folder_not_writable", folder=folder,
                                why=exc.strerror))
        return
    add("write", True, str(folder))


def _check_holidays(today: dt.date, settings, add, lang: str) -> None:
    from .rules import holiday_data_covers
    try:
        import chinese_calendar
        version = getattr(chinese_calendar, "__version__", "?")
    except ImportError:
        add("holidays", False, msg(lang, "doctor.holidays_not_installed"))
        return
    uses = settings is None or settings.conf.working_time.chinese_holidays
    this, following = holiday_data_covers(today.year), holiday_data_covers(today.year + 1)
    if this and following:
        add("holidays", True, f"chinesecalendar {version}: {today.year}–{today.year + 1}")
    elif this:
        add("holidays", False, msg(lang, "doctor.holidays_next_year", version=version,
                                   year=today.year + 1), False)
    else:
        add("holidays", False, msg(lang, "doctor.holidays_this_year", version=version,
                                   year=today.year), bool(uses))
