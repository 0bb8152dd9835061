"""``officebot init``: make a ready working folder a clerk can double-click.

Writes what is missing and never overwrites what the office may have edited (settings,
templates, the register). Launchers are generated files and are refreshed on every init, so
running init again repairs them after Python moved.
"""

import json
import os
import re
import shlex
import stat
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, NamedTuple, Optional

from .demo import NAMES as DEMO_NAMES, write_demo_register
from .errors import OfficebotError
from .files import atomic_write, copy_file, write_bytes
from .folder import SUBFOLDERS, layout, register_candidates
from .messages import msg, pair
from .settings import default_settings_text

DATA = Path(__file__).with_name("data")
SAMPLE_NAME = DEMO_NAMES["zh"]
BAT_NAMES = tuple(msg(lang, "init.launcher_name") + ".bat" for lang in ("zh", "en"))
LAUNCHER_STEM = msg("zh", "init.launcher_name")
# The pair that runs `officebot mail` on the folder (launch --mail).
MAIL_BAT_NAMES = tuple(msg(lang, "init.mail_launcher_name") + ".bat" for lang in ("zh", "en"))
MAIL_LAUNCHER_STEM = msg("zh", "init.mail_launcher_name")


class InitResult(NamedTuple):
    """What ``init_folder`` did: files it created and files it left alone."""

    folder: Path
    created: List[Path]
    kept: List[Path]
    launcher: Path   # the launcher for this platform
    language: str


def init_folder(folder: Path, language: Optional[str] = None,
                sender: Optional[Dict[str, str]] = None) -> InitResult:
    """Create (or complete) the working folder ``folder``; see the module docstring.
    ``sender`` sets [letters] sender details (company_zh, hotline ...) in the settings file."""
    folder = Path(folder).absolute()
    if language not in (None, "zh", "en"):
        raise OfficebotError(*pair("init.bad_language", language=language))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OfficebotError(*pair("init.cannot_create", folder=folder,
                                   why=exc.strerror or exc)) from None
    created: List[Path] = []
    kept: List[Path] = []
    parts = layout(folder)
    try:
        language = _write_settings(parts.settings, language, created, kept)
        if sender:
            write_sender(parts.settings, sender)
        for name in SUBFOLDERS:
            sub = folder / name
            if not sub.is_dir():
                sub.mkdir()
                created.append(sub)
        _copy_templates(parts.templates, created, kept)
        _copy_example_register(folder, language, created, kept)
        launchers = write_launchers(folder, language)
        created.extend(launchers)
    except PermissionError as exc:
        raise OfficebotError(*pair("init.cannot_write", name=exc.filename)) from None
    return InitResult(folder, created, kept, _platform_launcher(folder, language), language)


def _write_settings(path: Path, language: Optional[str], created, kept) -> str:
    if path.exists():
        kept.append(path)
        if language is None:
            found = re.search(r'(?m)^language\s*=\s*"(zh|en)"', path.read_text("utf-8-sig"))
            language = found.group(1) if found else "zh"
        return language
    language = language or "zh"
    text = re.sub(r'(?m)^language = "[a-z]+"', f'language = "{language}"',
                  default_settings_text(), count=1)
    write_bytes(path, text.encode("utf-8"), sync=False)
    created.append(path)
    return language


# The sender details init asks for at a terminal, in the folder's language (the other
# language's company and address are given as options).
SENDER_ASKED = {"zh": ("company_zh", "address_zh", "hotline", "email"),
                "en": ("company_en", "address_en", "hotline", "email")}
_LETTERS_TABLE = re.compile(r"(?ms)^\[letters\][^\n]*\n(.*?)(?=^\[)")


def sender_details(settings_path: Path) -> Dict[str, str]:
    """The [letters] sender details the settings file holds now ('' when blank)."""
    from .letters import SENDER_KEYS
    from .settings import load_settings
    letters = load_settings(settings_path).conf.letters
    return {key: getattr(letters, key) for key in SENDER_KEYS}


def write_sender(settings_path: Path, values: Dict[str, str]) -> None:
    """Set [letters] sender details in the settings file, keeping every other line (and its
    comments) as it is; a key the file does not hold is added to its [letters] table."""
    from .letters import SENDER_KEYS
    text = settings_path.read_text("utf-8-sig")
    for key, value in values.items():
        if key not in SENDER_KEYS:
            raise OfficebotError(*pair("init.not_sender_key", key=key,
                                       keys=", ".join(SENDER_KEYS)))
        line = f"{key} = {json.dumps(str(value).strip(), ensure_ascii=False)}"
        table = _LETTERS_TABLE.search(text + "\n[")
        if table is None:
            text = text.rstrip("\n") + f"\n\n[letters]\n{line}\n"
            continue
        body = table.group(1)
        pattern = re.compile(rf"(?m)^{key}\s*=.*$")
        body = pattern.sub(lambda m: line, body, count=1) if pattern.search(body) else \
            line + "\n" + body
        text = text[:table.start(1)] + body + text[table.end(1):]
    try:
        import tomllib
    except ImportError:  # pragma: no cover - Python < 3.11
        import tomli as tomllib
    tomllib.loads(text)  # never leave a settings file officebot itself cannot read
    write_bytes(settings_path, text.encode("utf-8"), sync=False)


def _copy_templates(target: Path, created, kept) -> None:
    for source in sorted([*(DATA / "templates").glob("*.docx"),
                          *(DATA / "templates").glob("mail_*.txt")]):
        dest = target / source.name
        if dest.exists():
            kept.append(dest)
        else:
            copy_file(source, dest)
            created.append(dest)


def _copy_example_register(folder: Path, language: str, created, kept) -> None:
    existing = register_candidates(folder)
    if existing:
        kept.extend(existing)
        return
    dest = folder / DEMO_NAMES[language]
    write_demo_register(dest, language)
    created.append(dest)


# --- launchers -------------------------------------------------------------------------------
# Launcher names per language: (.bat names, stem of the .command/.sh/.desktop files). A zh
# folder keeps an English-named .bat beside the Chinese one for colleagues who search for it.
LAUNCHERS = {
    "zh": {"run": (BAT_NAMES, LAUNCHER_STEM), "mail": (MAIL_BAT_NAMES, MAIL_LAUNCHER_STEM)},
    "en": {"run": (("Run officebot.bat",), "Run officebot"),
           "mail": (("Send letters.bat",), "Send letters")},
}
# The sentence a launcher shows when the PC running it has no Python with officebot.
NO_OFFICEBOT = {lang: msg(lang, "launcher.no_officebot") for lang in ("zh", "en")}


def launcher_names(language: str) -> List[str]:
    """Every launcher file name init writes for a folder in ``language``."""
    names = []
    for bats, stem in LAUNCHERS[language].values():
        names += [*bats, stem + ".command", stem + ".sh"]
    return names + [LAUNCHERS[language]["run"][1] + ".desktop"]


def _python_path_for_launchers() -> Optional[str]:
    """The folder to put on PYTHONPATH when officebot runs from a source tree, not installed."""
    root = Path(__file__).resolve().parent.parent
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    try:
        probe = subprocess.run([sys.executable, "-c", "import officebot; print(officebot.__file__)"],
                               env=env, cwd=str(Path.home()) if Path.home().is_dir() else "/",
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=60)
        # Installed, and the same copy as this one (not another checkout's): nothing to add.
        found = probe.stdout.decode("utf-8", "replace").strip()
        if probe.returncode == 0 and found and Path(found).resolve().parent.parent == root:
            return None
    except (OSError, subprocess.SubprocessError):
        pass
    return str(root)


def _init_python() -> Optional[str]:
    """The Python running init when it is not one the launchers find anyway (a venv outside
    the folder, an unusual install): tried last, and only when it exists on the PC."""
    return sys.executable or None


def bat_text(python: Optional[str] = None, pythonpath: Optional[str] = None, extra: str = "",
             language: str = "zh") -> str:
    """A Windows launcher: CRLF endings, UTF-8 without a BOM (cmd would run the BOM as part
    of the first command), pure ASCII up to and including ``chcp 65001`` so that a Chinese
    folder or user name is read only after the console speaks UTF-8. It tries, in order, a
    .venv in its own folder, the py launcher, python on PATH and the Python that ran init,
    each only when it can import officebot, and an ``officebot`` command on PATH; with none
    it says what to install."""
    esc = lambda s: s.replace("%", "%%")  # noqa: E731 - % starts a variable in .bat files
    # "%~dp0." not "%~dp0": a trailing backslash before the closing quote escapes the quote.
    run = f' -m officebot launch "%~dp0."{extra} --no-pause'
    lines = [
        "@echo off",
        "chcp 65001 >nul",
        "rem officebot launcher: double-click to process the complaint register in this folder.",
        "rem It finds a Python with officebot on whichever PC runs it; nothing needs typing.",
        "setlocal",
        'set "PYTHONIOENCODING=utf-8"',
    ]
    if pythonpath:
        lines.append(f'set "PYTHONPATH={esc(pythonpath)}"')
    # Each try is a probe, then "if not errorlevel 1": "&&" after a command that does not
    # exist runs anyway in some cmd implementations (Wine's), errorlevel 9009 never passes.
    probe = ' -c "import officebot" >nul 2>&1'
    venv = '"%~dp0.venv\\Scripts\\python.exe"'
    lines += [
        f"if not exist {venv} goto trypy",
        venv + probe,
        "if not errorlevel 1 goto venv",
        ":trypy",
        "py -3" + probe,
        "if not errorlevel 1 goto pylauncher",
        "python" + probe,
        "if not errorlevel 1 goto pathpython",
    ]
    # an `officebot` command on PATH (pipx, pip --user) whose Python is none of the above
    lines += ["officebot --version >nul 2>&1", "if not errorlevel 1 goto script"]
    if python:
        lines += [f'if not exist "{esc(python)}" goto none',
                  f'"{esc(python)}"' + probe,
                  "if not errorlevel 1 goto initpython"]
    lines.append(":none")
    lines += [
        f"echo {NO_OFFICEBOT[language]}",
        "goto end",
        ":venv",
        '"%~dp0.venv\\Scripts\\python.exe"' + run,
        "goto end",
        ":pylauncher",
        "py -3" + run,
        "goto end",
        ":pathpython",
        "python" + run,
        "goto end",
        ":script",
        "officebot" + run.replace(" -m officebot", "", 1),
        "goto end",
    ]
    if python:
        lines += [":initpython", f'"{esc(python)}"' + run]
    lines += [":end", "pause"]
    return "\r\n".join(lines) + "\r\n"


def sh_text(python: Optional[str] = None, pythonpath: Optional[str] = None, extra: str = "",
            language: str = "zh") -> str:
    """A macOS .command / Linux .sh launcher: LF endings, finds its own folder and a Python
    with officebot (a .venv in the folder, python3, python, the Python that ran init), else
    an ``officebot`` command on PATH."""
    candidates = ['"$HERE/.venv/bin/python"', "python3", "python"]
    lines = [
        "#!/bin/sh",
        "# officebot launcher: double-click to process the complaint register in this folder.",
        'HERE="$(cd "$(dirname "$0")" && pwd)"',
        "export PYTHONIOENCODING=utf-8",
    ]
    if pythonpath:
        lines.append(f"export PYTHONPATH={shlex.quote(pythonpath)}")
    try_each = [
        '  if command -v "$PY" >/dev/null 2>&1 && "$PY" -c "import officebot" >/dev/null 2>&1; then',
        f'    exec "$PY" -m officebot launch "$HERE"{extra} --pause',
        "  fi",
        "done",
    ]
    lines += [
        f"for PY in {' '.join(candidates)}; do", *try_each,
        # an `officebot` command on PATH (pipx, pip --user) whose Python is none of the above
        "if command -v officebot >/dev/null 2>&1; then",
        f'  exec officebot launch "$HERE"{extra} --pause',
        "fi",
    ]
    if python:  # last, the Python that ran init, when this PC has it
        lines += [f"for PY in {shlex.quote(python)}; do", *try_each]
    lines += [
        f"echo {shlex.quote(NO_OFFICEBOT[language])}",
        "[ -t 0 ] && read -r _",
        "exit 1",
    ]
    return "\n".join(lines) + "\n"


def _desktop_string(value: str) -> str:
    """A desktop-entry string value: backslash, line feed, CR and tab escaped, so that a
    folder name holding a line break cannot add a line (a key) to the entry."""
    return (value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")
            .replace("\t", "\\t"))


def _desktop_quote(path: str) -> str:
    inner = "".join("\\" + c if c in '"`$\\' else c for c in path)
    # the Exec value is itself an escaped string: escaped once more as every string value
    return _desktop_string('"' + inner.replace("%", "%%") + '"')


def desktop_text(script: Path, language: str = "zh") -> str:
    """A freedesktop entry that runs the .sh launcher in a terminal."""
    names = [f"Name={msg('en', 'init.launcher_name')}",
             f"Name[zh_CN]={msg('zh', 'init.launcher_name')}",
             f"Comment={msg('en', 'init.desktop_comment')}",
             f"Comment[zh_CN]={msg('zh', 'init.desktop_comment')}"]
    if language == "en":
        names = [n for n in names if "[zh_CN]" not in n]
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.0",
        *names,
        f"Exec={_desktop_quote(str(script))}",
        f"Path={_desktop_string(str(script.parent))}",
        "Terminal=true",
        "Icon=x-office-spreadsheet",
        "Categories=Office;",
    ]) + "\n"


def write_launchers(folder: Path, language: str = "zh") -> List[Path]:
    """Write every launcher into ``folder`` (overwriting old ones) and return their paths."""
    folder = Path(folder).absolute()
    python = _init_python()
    extra = _python_path_for_launchers()
    written = []
    # The other language's launchers, when a folder has them, are refreshed too: none is
    # left starting a Python that is gone.
    other = "en" if language == "zh" else "zh"
    languages = [language] + ([other] if any((folder / n).is_file()
                                             for n in launcher_names(other)) else [])
    for lang, job, args in ((x, j, a) for x in languages
                            for j, a in (("run", ""), ("mail", " --mail"))):
        bats, stem = LAUNCHERS[lang][job]
        for name in bats:
            path = folder / name
            write_bytes(path, bat_text(python, extra, args, lang).encode("utf-8"), sync=False)
            written.append(path)
        for suffix in (".command", ".sh"):
            path = folder / (stem + suffix)
            _write_executable(path, sh_text(python, extra, args, lang).encode("utf-8"))
            written.append(path)
    stem = LAUNCHERS[language]["run"][1]
    desktop = folder / (stem + ".desktop")
    _write_executable(desktop, desktop_text(folder / (stem + ".sh"), language).encode("utf-8"))
    written.append(desktop)
    return written


def _write_executable(path: Path, data: bytes) -> None:
    """Write a launcher in one step (a link planted at its name is replaced, never written
    through) and mark the new file itself executable, by its descriptor."""
    def write(fh) -> None:
        fh.write(data)
        mode = os.fstat(fh.fileno()).st_mode
        os.fchmod(fh.fileno(), mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    atomic_write(path, write, sync=False, sentence=False)


def _platform_launcher(folder: Path, language: str = "zh") -> Path:
    bats, stem = LAUNCHERS[language]["run"]
    if sys.platform.startswith("win"):
        return folder / bats[0]
    if sys.platform == "darwin":
        return folder / (stem + ".command")
    return folder / (stem + ".sh")


def summary(result: InitResult) -> str:
    """The sentence ``officebot init`` prints."""
    return msg(result.language, "init.done", folder=result.folder,
               launcher=result.launcher.name)
