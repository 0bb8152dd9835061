"""The README documents every command and option, and opens with the two commands."""

from pathlib import Path

import click
import pytest

from conftest import under_ci

from officebot.cli import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands():
    head = "\n".join(README.splitlines()[:8])
    assert "pip install . && officebot init demo && officebot run demo/" in head
    assert 'pip install ".[test]" && python -m pytest' in head


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_and_option_is_documented(name):
    command = cli.commands[name]
    assert f"officebot {name}" in README, f"README does not document 'officebot {name}'"
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert any(opt in README for opt in param.opts), (
                f"README does not mention {param.opts[0]} of 'officebot {name}'")


def test_ci_runs_the_readme_test_command():
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert 'python -m pip install ".[test]" && python -m pytest' in ci


# --- the README's examples, run ---------------------------------------------------------------
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import shlex  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_workbooks" / "投诉登记台账.xlsx"
BLOCKS = re.findall(r"```(\w*)\n(.*?)```", README, re.S)


def example_commands():
    """Every `officebot ...` command line of the README's shell blocks (comments dropped),
    each split at `&&`, and the scheduled ones (`python -m officebot schedule ...`)."""
    found = []
    for kind, body in BLOCKS:
        for line in body.splitlines():
            line = line.split("  #")[0].strip()
            for part in line.split("&&"):
                part = part.strip()
                if part.startswith("officebot "):
                    found.append(part)
                elif "-m officebot " in part:
                    found.append("officebot " + part.split("-m officebot ", 1)[1])
    return found


def _argv(command: str):
    """The arguments after `officebot`, as a shell would pass them (the schtasks line has its
    quotes escaped and one closing quote more, for schtasks itself)."""
    text = command.replace('\\"', '"').split(">>")[0].strip()
    if text.count('"') % 2:
        text = text[:-1]
    return shlex.split(text)[1:]


def test_the_examples_are_found():
    commands = example_commands()
    names = {c.split()[1] for c in commands}
    assert {"init", "run", "report", "letters", "mail", "check", "schedule"} <= names


@pytest.mark.parametrize("command", example_commands())
def test_every_example_command_parses(command):
    """Each example's options and values are ones the command accepts."""
    argv = _argv(command)
    group = cli.commands[argv[0]]
    ctx = group.make_context(argv[0], argv[1:], resilient_parsing=False)
    assert ctx.params is not None


def _runnable(command: str) -> bool:
    argv = _argv(command)
    return argv[0] in ("run", "report", "letters", "check") or (
        argv[0] == "mail" and "--send" not in argv)


@pytest.mark.parametrize("command", [c for c in example_commands() if _runnable(c)])
def test_every_example_runs_on_the_sample(command, tmp_path):
    """The register examples, run as written in a folder holding the sample register."""
    folder = tmp_path / "office"
    shutil.copytree(ROOT / "sample_workbooks", folder / "sample_workbooks",
                    ignore=shutil.ignore_patterns("logs", "*.py"))
    shutil.copyfile(SAMPLE, folder / "投诉登记台账.xlsx")
    argv = _argv(command)
    if argv[1].startswith("demo/"):  # the quick start: init makes the demo folder first
        subprocess.run([sys.executable, "-m", "officebot", "init", "demo"], cwd=folder,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, check=True)
    elif "--as-of" not in argv:  # the sample's data stop at 2026-11-22 08:30
        argv += ["--as-of", "2026-11-22 09:00"]
    done = subprocess.run([sys.executable, "-m", "officebot", *argv], cwd=folder,
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=600)
    out = done.stdout.decode("utf-8")
    if argv[0] == "mail":  # exit 1 says some letters cannot go (no address, no e-mail)
        assert done.returncode in (0, 1) and "函件" in out, out
    else:
        assert done.returncode == 0, out
    assert "Traceback" not in out


def test_example_case_numbers_exist_in_the_sample():
    ids = {i for _, body in BLOCKS for i in re.findall(r"--case (\S+)", body)}
    assert ids, "the README names a case in an example"
    out = subprocess.run([sys.executable, "-m", "officebot", "check", str(SAMPLE), "--json",
                          "--as-of", "2026-11-22 09:00"], stdout=subprocess.PIPE,
                         check=True).stdout
    known = {c["case_id"] for c in json.loads(out)["cases"]}
    assert ids <= known, ids - known


def test_status_words_are_the_ones_officebot_writes():
    from officebot.rules import CLOCK_WORDS
    zh, en = CLOCK_WORDS["zh"], CLOCK_WORDS["en"]
    order = ("pending", "due_soon", "overdue", "on_time", "late")
    assert " / ".join(zh[k] for k in order) in README
    assert ", ".join(zh[k] for k in order) + " —" in README
    assert ", ".join(en[k] for k in order) + ")" in README
    # no shortened form of a status word anywhere (按时 stands only inside 按时完成 etc.)
    for word in ("按时", "超时"):
        for m in re.finditer(word, README):
            assert README[m.start():m.start() + 4] in ("按时完成", "超时完成", "按时回复"), \
                README[m.start() - 20:m.start() + 20]


def test_the_launcher_sentences_shown_are_the_ones_it_prints(tmp_path):
    from types import SimpleNamespace
    from officebot.launcher import result_sentence
    batch = SimpleNamespace(result=SimpleNamespace(problems=[]), written_to=Path("x.xlsx"),
                            backup=Path("b.xlsx"), side_copy=False, overdue=12, due_soon=0,
                            repeats=0, escalated={3: 3}, problems=0, letters_drafted=15,
                            letters_folder=tmp_path / "letters" / "2026-03",
                            letter_problems=[])
    for lang in ("zh", "en"):
        sentence = result_sentence(batch, lang, tmp_path)
        assert " ".join(sentence.split()) in " ".join(README.split()), sentence


def test_every_header_in_the_table_is_recognised():
    from officebot.fields import FIELDS, field_for_header
    start = README.index("| field | headers recognised |")
    table = README[start:README.index("\n\n", start)].splitlines()[2:]
    keys = {f.en.lower(): f.key for f in FIELDS}
    names = {"case number": "case_id", "received": "received_at", "complaint": "summary",
             "first contact": "first_contact_at", "replied": "replied_at",
             "closed": "closed_at"}
    checked = 0
    for line in table:
        field, headers = [c.strip() for c in line.strip("|").split("|")][:2]
        key = names.get(field) or keys.get(field) or field
        for header in re.split(r",\s*", re.sub(r"\s*\(.*", "", headers)):
            assert field_for_header(header) == key, (field, header)
            checked += 1
    assert checked > 60


def test_the_summary_sheet_names_in_the_table_are_officebots():
    from officebot.workbook.sheet_kit import SHEETS
    start = README.index("| 中文 | English | what it holds |")
    rows = README[start:README.index("\n\n", start)].splitlines()[2:]
    named = set()
    for line in rows:
        zh, en = [c.strip() for c in line.strip("|").split("|")][:2]
        ens = [e if e.startswith("By ") or i == 0 else "By " + e
               for i, e in enumerate(en.split(" / "))]   # "By department / category"
        named.update(zip(zh.split(" / "), ens))
    assert named == set(SHEETS.values())


# --- the quick start on a clean machine -------------------------------------------------------
@pytest.mark.slow
@pytest.mark.skipif(not under_ci() and not os.environ.get("OFFICEBOT_SLOW"),
                    reason="slow (a venv and an install from PyPI): runs under CI, or with "
                           "OFFICEBOT_SLOW=1")
def test_the_quick_start_works_in_a_clean_venv(tmp_path):
    """The README's first two lines, run as written by sh in a copy of this checkout: make
    and enter a venv, install officebot, init the demo folder and run it."""
    block = BLOCKS[0][1].splitlines()
    first, second = (line.split("  #")[0].strip() for line in block[:2])
    assert "venv" in first and "officebot init demo" in second
    tree = tmp_path / "officebot"
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, stdout=subprocess.PIPE,
                           check=True).stdout.decode("utf-8").split("\0")
    for name in filter(None, files):
        if (ROOT / name).is_file():
            (tree / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, tree / name)
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if ".venv" not in p)
    done = subprocess.run(["sh", "-c", f"set -e\n{first}\n{second}\n"], cwd=tree, env=env,
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=1800)
    out = done.stdout.decode("utf-8", "replace")
    assert done.returncode == 0, out[-4000:]
    assert (tree / "demo" / "投诉登记台账.xlsx").is_file()
    assert "逾期" in out and "Traceback" not in out
    assert (tree / ".venv").is_dir()
