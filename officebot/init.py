"""``officebot init``: make a ready working folder a clerk can double-click.

Writes what is missing and never overwrites what the office may have edited (settings,
templates, the register). Launchers are generated files and are refreshed on every init, so
running init again repairs them after Python moved.
"""

import json
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, NamedTuple, Optional

from .errors import OfficebotError
from .folder import SUBFOLDERS, layout, register_candidates
from .messages import msg
from .settings import default_settings_text

DATA = Path(__file__).with_name("data")
SAMPLE_NAME = "投诉登记台账.xlsx"
BAT_NAMES = ("运行投诉处理.bat", "Run officebot.bat")
LAUNCHER_STEM = "运行投诉处理"
# The pair that runs `officebot mail` on the folder (launch --mail).
MAIL_BAT_NAMES = ("发送函件.bat", "Send letters.bat")
MAIL_LAUNCHER_STEM = "发送函件"


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
        raise OfficebotError(f'Language {language!r} is not known; use "zh" or "en"')
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OfficebotError(f"Folder {folder} cannot be created ({exc.strerror}); choose a "
                             "folder you may write to") from None
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
        _copy_example_register(folder, created, kept)
        launchers = write_launchers(folder)
        created.extend(launchers)
    except PermissionError as exc:
        raise OfficebotError(f"Cannot write {exc.filename} (permission denied); choose a "
                             "folder you may write to") from None
    return InitResult(folder, created, kept, _platform_launcher(folder), language)


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
    path.write_text(text, encoding="utf-8")
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
    table = load_settings(settings_path).section("letters")
    return {key: str(table.get(key, "")).strip() for key in SENDER_KEYS}


def write_sender(settings_path: Path, values: Dict[str, str]) -> None:
    """Set [letters] sender details in the settings file, keeping every other line (and its
    comments) as it is; a key the file does not hold is added to its [letters] table."""
    from .letters import SENDER_KEYS
    text = settings_path.read_text("utf-8-sig")
    for key, value in values.items():
        if key not in SENDER_KEYS:
            raise OfficebotError(f"{key} is not a sender detail; use one of "
                                 + ", ".join(SENDER_KEYS))
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
    settings_path.write_text(text, encoding="utf-8")


def _copy_templates(target: Path, created, kept) -> None:
    for source in sorted([*(DATA / "templates").glob("*.docx"),
                          *(DATA / "templates").glob("mail_*.txt")]):
        dest = target / source.name
        if dest.exists():
            kept.append(dest)
        else:
            shutil.copyfile(source, dest)
            created.append(dest)


def _copy_example_register(folder: Path, created, kept) -> None:
    existing = register_candidates(folder)
    if existing:
        kept.extend(existing)
        return
    dest = folder / SAMPLE_NAME
    source = DATA / SAMPLE_NAME
    if source.is_file():
        shutil.copyfile(source, dest)
    else:  # an installation without the packaged sample still gets a register to try
        _write_minimal_register(dest)
    created.append(dest)


def _write_minimal_register(dest: Path) -> None:
    import datetime as dt
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(["投诉登记台账（示例）"])
    ws.append(["编号", "受理时间", "渠道", "客户姓名", "联系电话", "投诉类别", "投诉等级",
               "投诉内容", "责任部门", "处理人", "答复时间", "结案时间", "处理结果", "客户满意度"])
    now = dt.datetime.now().replace(minute=0, second=0, microsecond=0)
    ws.append(["TS-0001", now - dt.timedelta(days=10), "来电", "张三", "13800138000", "产品质量",
               "一般", "产品使用一周后出现故障", "售后服务部", "李明", now - dt.timedelta(days=9),
               now - dt.timedelta(days=5), "已上门更换", "满意"])
    ws.append(["TS-0002", now - dt.timedelta(days=4), "来访", "王芳", "13900139000", "服务",
               "严重", "维修人员未按约定时间上门", "售后服务部", "赵强", None, None, None, None])
    ws.append(["TS-0003", now - dt.timedelta(hours=40), "电子邮件", "陈晨", "13700137000", "服务",
               "一般", "电话多次无人接听", "客服部", "孙丽", None, None, None, None])
    wb.save(dest)


# --- launchers -------------------------------------------------------------------------------
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


def bat_text(python: str, pythonpath: Optional[str] = None, extra: str = "") -> str:
    """A Windows launcher: UTF-8 without BOM, CRLF endings, pause at the end."""
    esc = lambda s: s.replace("%", "%%")  # noqa: E731 - % starts a variable in .bat files
    lines = [
        "@echo off",
        "chcp 65001 >nul",
        "rem officebot launcher: double-click to process the complaint register in this folder.",
        "rem The folder is the one this file sits in (%~dp0); nothing needs typing.",
        'set "PYTHONIOENCODING=utf-8"',
    ]
    if pythonpath:
        lines.append(f'set "PYTHONPATH={esc(pythonpath)}"')
    # "%~dp0." not "%~dp0": a trailing backslash before the closing quote escapes the quote.
    lines.append(f'"{esc(python)}" -m officebot launch "%~dp0."{extra} --no-pause')
    lines.append("pause")
    return "\r\n".join(lines) + "\r\n"


def sh_text(python: str, pythonpath: Optional[str] = None, extra: str = "") -> str:
    """A macOS .command / Linux .sh launcher: LF endings, finds its own folder."""
    lines = [
        "#!/bin/sh",
        "# officebot launcher: double-click to process the complaint register in this folder.",
        'HERE="$(cd "$(dirname "$0")" && pwd)"',
        "export PYTHONIOENCODING=utf-8",
    ]
    if pythonpath:
        lines.append(f"export PYTHONPATH={shlex.quote(pythonpath)}")
    lines.append(f'exec {shlex.quote(python)} -m officebot launch "$HERE"{extra} --pause')
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


def desktop_text(script: Path) -> str:
    """A freedesktop entry that runs the .sh launcher in a terminal."""
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.0",
        "Name=Run officebot",
        "Name[zh_CN]=运行投诉处理",
        "Comment=Process the complaint register in this folder",
        "Comment[zh_CN]=处理本文件夹中的投诉登记台账",
        f"Exec={_desktop_quote(str(script))}",
        f"Path={_desktop_string(str(script.parent))}",
        "Terminal=true",
        "Icon=x-office-spreadsheet",
        "Categories=Office;",
    ]) + "\n"


def write_launchers(folder: Path) -> List[Path]:
    """Write every launcher into ``folder`` (overwriting old ones) and return their paths."""
    folder = Path(folder).absolute()
    python = sys.executable
    extra = _python_path_for_launchers()
    written = []
    for names, stem, args in ((BAT_NAMES, LAUNCHER_STEM, ""),
                              (MAIL_BAT_NAMES, MAIL_LAUNCHER_STEM, " --mail")):
        for name in names:
            path = folder / name
            path.write_bytes(bat_text(python, extra, args).encode("utf-8"))
            written.append(path)
        for suffix in (".command", ".sh"):
            path = folder / (stem + suffix)
            path.write_bytes(sh_text(python, extra, args).encode("utf-8"))
            _make_executable(path)
            written.append(path)
    desktop = folder / (LAUNCHER_STEM + ".desktop")
    desktop.write_bytes(desktop_text(folder / (LAUNCHER_STEM + ".sh")).encode("utf-8"))
    _make_executable(desktop)
    written.append(desktop)
    return written


def _make_executable(path: Path) -> None:
    mode = path.stat().st_mode
    path.chmod(mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def _platform_launcher(folder: Path) -> Path:
    if sys.platform.startswith("win"):
        return folder / BAT_NAMES[0]
    if sys.platform == "darwin":
        return folder / (LAUNCHER_STEM + ".command")
    return folder / (LAUNCHER_STEM + ".sh")


def summary(result: InitResult) -> str:
    """The sentence ``officebot init`` prints."""
    return msg(result.language, "init.done", folder=result.folder,
               launcher=result.launcher.name)
