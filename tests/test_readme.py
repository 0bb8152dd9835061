"""The README documents every command and option, and opens with the two commands."""

from pathlib import Path

import click
import pytest

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
