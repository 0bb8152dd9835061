"""officebot init: a ready working folder with launchers that work from any path."""

import configparser
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from officebot.cli import cli
from officebot.init import BAT_NAMES, DATA, SAMPLE_NAME, bat_text, init_folder, sh_text
from officebot.settings import load_settings

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


def test_templates_and_example_register_are_the_packaged_ones(folder):
    packaged = sorted(p.name for p in (DATA / "templates").glob("*.docx"))
    assert packaged, "the letters engineer's templates should be packaged"
    assert sorted(p.name for p in (folder / "templates").glob("*.docx")) == packaged
    assert (folder / SAMPLE_NAME).read_bytes() == (DATA / SAMPLE_NAME).read_bytes()


def test_packaged_sample_matches_the_repository_sample():
    repo_sample = Path(__file__).parent.parent / "sample_workbooks" / SAMPLE_NAME
    if not repo_sample.is_file():
        pytest.skip("no sample_workbooks/ in this checkout")
    assert (DATA / SAMPLE_NAME).read_bytes() == repo_sample.read_bytes(), \
        "copy sample_workbooks/投诉登记台账.xlsx to officebot/data/ after regenerating it"


def test_settings_file_is_the_commented_default_with_the_language_set(tmp_path):
    folder = init_folder(tmp_path / "en", "en").folder
    text = (folder / "officebot.toml").read_text("utf-8")
    assert 'language = "en"' in text and 'language = "zh"' not in text
    assert "[schedule]" in text and "# " in text
    assert load_settings(folder=folder).language == "en"


def test_bat_files_crlf_utf8_without_bom_chcp_quoted_pause(folder):
    for name in BAT_NAMES:
        data = (folder / name).read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf"), "no BOM: cmd.exe would show garbage"
        assert b"\n" not in data.replace(b"\r\n", b""), "every line ends in CRLF"
        text = data.decode("utf-8")
        lines = text.split("\r\n")
        assert lines[0] == "@echo off"
        assert "chcp 65001 >nul" in lines
        assert lines[-2] == "pause" and lines[-1] == ""
        run = [line for line in lines if " -m officebot launch " in line]
        assert len(run) == 1
        assert run[0].startswith(f'"{sys.executable}" -m officebot launch "%~dp0."')


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
    assert "exec '/opt/my python/bin/python3' -m officebot launch \"$HERE\" --pause" in text


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
