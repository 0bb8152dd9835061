"""officebot init: a ready working folder with launchers that work from any path."""

import configparser
import datetime as dt
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from officebot.cli import cli
from officebot.demo import NAMES as DEMO_NAMES, demo_rows
from officebot.init import (BAT_NAMES, DATA, NO_OFFICEBOT, bat_text, init_folder, launcher_names,
                            sh_text)
from officebot.init import SAMPLE_NAME
from officebot.settings import load_settings

from conftest import under_ci

ODD_NAME = "投诉 办公室 2026"
SH = "运行投诉处理.sh"
COMMAND = "运行投诉处理.command"
DESKTOP = "运行投诉处理.desktop"


@pytest.fixture
def folder(tmp_path):
    result = init_folder(tmp_path / ODD_NAME)
    return result.folder


def test_init_makes_every_part(folder):
    for name in ("templates", "letters", "backups", "logs", "outbox"):
        assert (folder / name).is_dir(), name
    for name in (*BAT_NAMES, COMMAND, SH, DESKTOP, "officebot.toml", SAMPLE_NAME):
        assert (folder / name).is_file(), name
    assert load_settings(folder=folder).language == "zh"


def test_templates_are_the_packaged_ones(folder):
    packaged = sorted(p.name for p in (DATA / "templates").glob("*.docx"))
    assert packaged, "the letters engineer's templates should be packaged"
    assert sorted(p.name for p in (folder / "templates").glob("*.docx")) == packaged


@pytest.mark.parametrize("language", ["zh", "en"])
def test_demo_register_looks_like_an_ordinary_day(tmp_path, language):
    """Judged now, the demo made now has a few cases overdue by hours, a few due soon,
    most on time, and nobody escalated past the deputy department head."""
    folder = init_folder(tmp_path / language, language).folder
    register = folder / DEMO_NAMES[language]
    assert register.is_file()
    out = subprocess.run([sys.executable, "-m", "officebot", "check", str(register), "--json"],
                         stdout=subprocess.PIPE, check=True).stdout
    doc = json.loads(out)
    cases = doc["cases"]
    overdue = [c for c in cases if "overdue" in (c["reply_status"], c["close_status"])]
    soon = [c for c in cases if "due_soon" in (c["reply_status"], c["close_status"])]
    on_time = [c for c in cases if c["reply_status"] == "on_time"]
    assert 1 <= len(overdue) <= 3 and 2 <= len(soon) <= 5
    assert len(on_time) > len(cases) / 2
    assert max(c["escalation"] for c in cases) <= 2
    assert len(doc["problems"]) == 1
    due = [dt.datetime.fromisoformat(c["reply_due"]) for c in cases]
    assert max(due) > dt.datetime.now(), "the newest cases are still open today"


def test_demo_register_is_placed_relative_to_the_moment_it_is_made():
    early = demo_rows("zh", dt.datetime(2026, 3, 1, 9, 0))
    late = demo_rows("zh", dt.datetime(2026, 9, 1, 9, 0))
    shift = dt.datetime(2026, 9, 1, 9, 0) - dt.datetime(2026, 3, 1, 9, 0)
    assert len(early) == len(late)
    for a, b in zip(early, late):
        for x, y in zip(a, b):
            if isinstance(x, dt.datetime):
                assert y - x == shift
    assert all(r[1] <= dt.datetime(2026, 3, 1, 9, 0) for r in early if r[1] != "待补录")


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_closed_demo_case_was_resolved_as_its_complaint_calls_for(language):
    """A question about the property deed is never "repaired on site": each closed case's
    resolution is one of its category's, and its complaint is its category's too."""
    from officebot.demo import TEXT
    words = TEXT[language]
    closed = [r for r in demo_rows(language, dt.datetime(2026, 12, 7, 10, 0)) if r[11]]
    assert len(closed) > 20
    for row in closed:
        category, complaint, resolution = row[5], row[7], row[12]
        assert complaint in words["categories"][category][1], row
        assert resolution in words["resolutions"][category], row
    seen = {r[12] for r in closed}
    assert len(seen) > 4       # more than one category's resolutions show


def test_settings_file_is_the_commented_default_with_the_language_set(tmp_path):
    folder = init_folder(tmp_path / "en", "en").folder
    text = (folder / "officebot.toml").read_text("utf-8")
    assert 'language = "en"' in text and 'language = "zh"' not in text
    assert "[schedule]" in text and "# " in text
    assert load_settings(folder=folder).language == "en"


def test_bat_files_crlf_no_bom_ascii_until_chcp_quoted_pause(folder):
    for name in BAT_NAMES:
        data = (folder / name).read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf"), "no BOM: cmd would run it as a command"
        assert b"\n" not in data.replace(b"\r\n", b""), "every line ends in CRLF"
        text = data.decode("utf-8")
        lines = text.split("\r\n")
        assert lines[0] == "@echo off" and lines[1] == "chcp 65001 >nul"
        assert "\r\n".join(lines[:2]).isascii(), "UTF-8 text only after the code page switch"
        assert lines[-2] == "pause" and lines[-1] == ""
        runs = [line for line in lines if " -m officebot launch " in line]
        assert all(line.endswith(' -m officebot launch "%~dp0." --no-pause') for line in runs)
        # No Python of the PC that ran init is started unguarded: each is tried in turn.
        starts = [line.split(" -m officebot")[0] for line in runs]
        assert starts[:3] == ['"%~dp0.venv\\Scripts\\python.exe"', "py -3", "python"]
        assert "officebot --version >nul 2>&1" in lines   # a pipx officebot, last but one
        assert 'officebot launch "%~dp0." --no-pause' in lines
        for label in ("venv", "pylauncher", "pathpython", "initpython"):
            # each start is tried first: a probe, then a goto only on errorlevel 0
            check = lines.index(f"if not errorlevel 1 goto {label}")
            probe = lines[check - 1]
            assert probe.endswith(' -c "import officebot" >nul 2>&1'), label
            start = lines[lines.index(":" + label) + 1]
            assert probe.split(" -c ")[0] == start.split(" -m officebot")[0], label
        assert not any("&&" in line for line in lines), "errorlevel checks, not &&"
        assert f"echo {NO_OFFICEBOT['zh']}" in lines


def test_bat_labels_and_gotos_match():
    text = bat_text(r"C:\Users\张三\AppData\Local\Programs\Python\python.exe")
    lines = text.split("\r\n")
    labels = {line[1:] for line in lines if line.startswith(":")}
    gotos = {line.rsplit("goto ", 1)[1] for line in lines if "goto " in line}
    assert gotos == labels
    assert "if not exist \"C:\\Users\\张三" in text, "the init PC's Python only when it exists"


def test_bat_text_escapes_percent_signs():
    text = bat_text(r"C:\Users\100%\python.exe", r"D:\src\50%")
    assert r'"C:\Users\100%%\python.exe"' in text
    assert r'set "PYTHONPATH=D:\src\50%%"' in text


@pytest.mark.parametrize("name", [SH, COMMAND])
def test_shell_launchers_lf_executable_and_valid(folder, name):
    path = folder / name
    data = path.read_bytes()
    assert b"\r" not in data
    assert data.startswith(b"#!/bin/sh\n")
    assert path.stat().st_mode & stat.S_IXUSR
    assert '"$(dirname "$0")"' in data.decode("utf-8")
    if shutil.which("sh"):
        subprocess.run(["sh", "-n", str(path)], check=True)


def test_sh_text_quotes_a_python_path_with_spaces():
    text = sh_text("/opt/my python/bin/python3")
    assert "for PY in \"$HERE/.venv/bin/python\" python3 python; do" in text
    assert "for PY in '/opt/my python/bin/python3'; do" in text   # last, after officebot
    assert 'exec "$PY" -m officebot launch "$HERE" --pause' in text


def _fake_python(bin_dir: Path, name: str, works: bool) -> None:
    """A stand-in interpreter on PATH: it imports officebot (runs the real one) or not."""
    script = bin_dir / name
    body = f'exec "{sys.executable}" "$@"' if works else "exit 1"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)


@pytest.mark.skipif(not shutil.which("sh"), reason="needs a POSIX shell")
@pytest.mark.parametrize("where", ["path", "venv", "script", "none"])
def test_sh_launcher_finds_officebot_on_another_pc(tmp_path, where):
    """The launcher written on one PC runs on another whose Python lives elsewhere: a python3
    on PATH, a .venv in the folder, or an officebot command (pipx); with none it says in one
    sentence what to install."""
    folder = tmp_path / "办公室"
    folder.mkdir()
    (folder / SH).write_text(sh_text(str(tmp_path / "gone" / "python3"),
                                     os.environ.get("PYTHONPATH")), encoding="utf-8")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _fake_python(bin_dir, "python3", where == "path")
    _fake_python(bin_dir, "python", False)
    if where == "venv":
        (folder / ".venv" / "bin").mkdir(parents=True)
        _fake_python(folder / ".venv" / "bin", "python", True)
    if where == "script":  # pipx's officebot: its own Python, not on PATH
        script = bin_dir / "officebot"
        script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m officebot "$@"\n')
        script.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:/usr/bin:/bin".replace(":/usr/bin", ":/usr/bin")}
    env["PATH"] = str(bin_dir) + ":/bin"   # no system python3 on this PC
    proc = subprocess.run(["sh", str(folder / SH)], stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=300)
    out = proc.stdout.decode("utf-8")
    if where == "none":
        assert proc.returncode == 1
        assert out.strip() == NO_OFFICEBOT["zh"]
    else:
        assert "文件夹中没有台账" in out or "台账" in out, out + proc.stderr.decode()
        assert NO_OFFICEBOT["zh"] not in out


def test_english_folder_names_every_launcher_in_english(tmp_path):
    result = init_folder(tmp_path / "en", "en")
    made = {p.name for p in result.created if p.parent == result.folder and p.is_file()}
    assert set(launcher_names("en")) <= made
    assert all(name.isascii() for name in made), made
    assert result.launcher.name.isascii()
    from officebot.init import summary
    assert summary(result).isascii(), summary(result)


def test_desktop_entry_points_at_the_sh_launcher(folder):
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(folder / DESKTOP, encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Terminal"] == "true"
    assert entry["Exec"] == f'"{folder / SH}"'
    assert entry["Path"] == str(folder)
    assert entry["Name[zh_CN]"] == "运行投诉处理"


def test_init_again_keeps_what_the_office_edited(folder):
    settings = folder / "officebot.toml"
    settings.write_text('language = "en"\n', encoding="utf-8")
    template = next((folder / "templates").glob("*.docx"))
    template.write_bytes(b"edited in Word")
    register = folder / SAMPLE_NAME
    register.write_bytes(b"the office's own register")
    (folder / SH).write_text("broken", encoding="utf-8")
    result = init_folder(folder)
    assert settings.read_text("utf-8") == 'language = "en"\n'
    assert template.read_bytes() == b"edited in Word"
    assert register.read_bytes() == b"the office's own register"
    assert (folder / SH).read_text("utf-8").startswith("#!/bin/sh"), "launchers are refreshed"
    assert (folder / "Run officebot.sh").is_file(), "and made in the settings' language"
    assert result.language == "en"
    assert settings in result.kept and template in result.kept and register in result.kept


def test_an_existing_register_is_left_alone_and_no_example_added(tmp_path, register):
    folder = tmp_path / "office"
    folder.mkdir()
    own = register([], name="office" + os.sep + "2026台账.xlsx")
    before = own.read_bytes()
    init_folder(folder)
    assert not (folder / SAMPLE_NAME).exists()
    assert own.read_bytes() == before


def test_cli_init_prints_what_it_did(tmp_path):
    result = CliRunner().invoke(cli, ["init", str(tmp_path / ODD_NAME), "--language", "en"])
    assert result.exit_code == 0, result.output
    assert "+ officebot.toml" in result.output
    assert "The working folder is ready" in result.output


def test_cli_init_refuses_an_unknown_language(tmp_path):
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "x"), "--language", "fr"])
    assert result.exit_code == 2


def test_cli_init_unwritable_place_is_one_sentence(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = CliRunner().invoke(cli, ["init", str(blocker / "sub")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "cannot be created" in result.output
    assert "无法建立文件夹" in result.output   # in Chinese, the default, with the English after


def test_init_errors_say_it_in_chinese_and_in_english(tmp_path):
    from officebot.errors import OfficebotError
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OfficebotError) as caught:
        init_folder(blocker / "sub")
    zh = caught.value.text("zh")
    assert zh.startswith(f"无法建立文件夹 {blocker / 'sub'}（")
    assert "）：请选择一个你有权写入的文件夹（Folder " in zh
    assert caught.value.text("en").startswith(f"Folder {blocker / 'sub'} cannot be created (")
    with pytest.raises(OfficebotError) as caught:
        init_folder(tmp_path / "x", language="fr")
    assert caught.value.text("zh").startswith("不认识语言 'fr'：请填写 \"zh\"（中文）或 \"en\"")
    assert caught.value.text("en") == 'Language \'fr\' is not known; use "zh" or "en"'


def test_readme_documents_every_clerk_command_and_option():
    readme = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
    start = readme.index("<!-- section:clerk -->")
    end = readme.find("<!-- section:", start + 1)
    section = readme[start:end if end > 0 else None]
    for command in ("init", "launch", "schedule", "doctor"):
        assert f"`officebot {command}" in section, command
        params = {o for p in cli.commands[command].params for o in p.opts + p.secondary_opts
                  if o.startswith("--")}
        for option in params:
            assert option in section, (command, option)


# --- the .bat under a real Windows command interpreter (Wine's cmd) -----------------------------
def _wine():
    for path in ("/usr/lib/wine/wine64", shutil.which("wine64") or "", shutil.which("wine") or ""):
        if path and os.path.isfile(path):
            return path
    if under_ci() and shutil.which("apt-get"):
        pytest.fail("wine64 is required under CI (see .ci/run) but is not installed")
    pytest.skip("Wine is not installed (apt-get install wine64)")


@pytest.fixture(scope="module")
def wine_prefix(tmp_path_factory):
    wine = _wine()
    prefix = tmp_path_factory.mktemp("wine") / "prefix"
    env = {**os.environ, "WINEPREFIX": str(prefix), "WINEDEBUG": "-all"}
    subprocess.run([wine, "cmd", "/c", "exit"], env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=600)
    return wine, prefix, env


def _run_bat(wine_prefix, folder: Path, name: str) -> str:
    wine, prefix, env = wine_prefix
    env = {**env, "PATH": "/usr/bin:/bin"}  # the Windows side gets no python on its PATH
    done = subprocess.run([wine, "cmd", "/c", str(folder / name)], env=env, cwd=str(folder),
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, timeout=300)
    return done.stdout.decode("utf-8", "replace")


@pytest.mark.parametrize("venv", [False, True])
def test_bat_under_wine_cmd_in_a_chinese_user_folder(wine_prefix, venv):
    """cmd parses the launcher (labels, gotos, %~dp0 with a Chinese user name and spaces):
    with a .venv in the folder it starts that Python; with none it says what to install."""
    wine, prefix, env = wine_prefix
    folder = prefix / "drive_c" / "users" / "张三" / "投诉 办公室"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(folder / ".venv", ignore_errors=True)
    (folder / "Run officebot.bat").write_bytes(
        bat_text(r"C:\Users\张三\AppData\Local\Programs\Python\Python312\python.exe",
                 None, "", "en").encode("utf-8"))
    if venv:  # a stand-in interpreter: whoami.exe accepts any arguments and exits 0
        scripts = folder / ".venv" / "Scripts"
        scripts.mkdir(parents=True)
        shutil.copyfile(prefix / "drive_c" / "windows" / "system32" / "whoami.exe",
                        scripts / "python.exe")
    out = _run_bat(wine_prefix, folder, "Run officebot.bat")
    assert "is not recognized" not in out and "找不到" not in out, out
    if venv:
        assert NO_OFFICEBOT["en"] not in out and out.strip(), out
    else:
        assert NO_OFFICEBOT["en"] in out, out
