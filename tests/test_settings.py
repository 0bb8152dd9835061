"""Settings: one typed, frozen table per section, checked once when loaded."""

import dataclasses
import re
from pathlib import Path

import pytest

from officebot.errors import SettingsError
from officebot.settings import load_settings


def write(tmp_path, text, name="s.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text, key", [
    ("[summary]\nlist_max_rows = 0\n", "summary.list_max_rows"),
    ('[status_columns]\noverdue_fill = "red"\n', "status_columns.overdue_fill"),
    ("[schedule]\npoll_seconds = 0\n", "schedule.poll_seconds"),
    ('[letters]\nlanguage = "fr"\n', "letters.language"),
    ("[clocks]\nreply_hours = -1\n", "clocks.reply_hours"),
    ('[clocks]\nreply_hours = "48"\n', "clocks.reply_hours"),
    ("[escalation]\nstep_hours = 0\n", "escalation.step_hours"),
    ('[working_time]\nday_start = "9 am"\n', "working_time.day_start"),
    ("[backups]\nkeep = 0\n", "backups.keep"),
    ("[clocks]\nrepyl_hours = 24\n", "clocks.repyl_hours"),
    ("[clocks]\nfirst_response_minutes = 0\n", "clocks.first_response_minutes"),
])
def test_a_wrong_value_is_named_in_both_languages_with_its_file(tmp_path, text, key):
    path = write(tmp_path, text)
    with pytest.raises(SettingsError) as info:
        load_settings(path)
    exc = info.value
    assert key in exc.zh and str(path) in exc.zh      # the Chinese half names key and file
    assert key in str(exc) and str(path) in str(exc)
    assert "officebot.toml" not in exc.zh
    assert "officebot.toml" not in exc.text("zh").replace(str(path), "")


def test_tables_are_typed_and_frozen():
    s = load_settings()
    assert s.conf.summary.list_max_rows == 1000
    assert s.conf.working_time.day_start.hour == 9
    assert s.conf.clocks.first_response is False and s.conf.clocks.first_response_minutes == 30
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.conf.summary.list_max_rows = 5
    with pytest.raises(TypeError):
        s.conf.escalation.severity_floor["一般"] = 3


def test_mail_and_letters_are_typed_tables_and_the_old_accessors_are_gone():
    s = load_settings()
    assert s.conf.mail.port == 465 and s.conf.mail.attach == "pdf" and s.conf.mail.from_ == ""
    assert s.conf.mail.redraft_after_hours == 24 and s.conf.mail.cc == ()
    assert s.conf.letters.template_max_range == 1000
    assert s.conf.letters.pdf_fonts[0]["font"] == "宋体"
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.conf.mail.port = 25
    for old in ("section", "table", "escalation"):
        assert not hasattr(s, old)


@pytest.mark.parametrize("text, key, said", [
    ('[mail]\nmode = "post"\n', "mail.mode", '"draft" or "send"'),
    ('[mail]\nattach = "zip"\n', "mail.attach", '"pdf" or "docx" or "both"'),
    ('[mail]\nsecurity = "tls"\n', "mail.security", '"ssl" or "starttls" or "none"'),
    ('[mail]\nimap_security = "tls"\n', "mail.imap_security", '"starttls"'),
    ("[mail]\nport = 0\n", "mail.port", "from 1 to 65535"),
    ("[mail]\nimap_port = 70000\n", "mail.imap_port", "from 1 to 65535"),
    ("[mail]\nport = 465.5\n", "mail.port", "whole number"),
    ("[mail]\nredraft_after_hours = -1\n", "mail.redraft_after_hours", "from 0 to 87600"),
    ('[mail]\ncc = ["boss"]\n', "mail.cc", "'boss'"),
    ('[mail]\nconfirm = "yes"\n', "mail.confirm", "true or false"),
    ("[letters]\ntemplate_max_range = 0\n", "letters.template_max_range",
     "from 1 to 1000000"),
    ("[letters]\ntemplate_max_output_kb = 10\n", "letters.template_max_output_kb",
     "from 64 to 1048576"),
    ('[letters]\nenglish_names = [{zh = "维修中心"}]\n', "letters.english_names",
     '{zh = "...", en = "..."}'),
    ('[letters]\npdf_fonts = ["宋体"]\n', "letters.pdf_fonts", '{font = "...", use = "..."}'),
])
def test_mail_and_letters_values_are_checked_at_load(tmp_path, text, key, said):
    path = write(tmp_path, text)
    with pytest.raises(SettingsError) as info:
        load_settings(path)
    en, zh = info.value.text("en"), info.value.zh
    for sentence in (en, zh):
        assert key in sentence and str(path) in sentence and len(sentence.splitlines()) == 1
    assert said in en, en


def test_a_wrong_mail_setting_stops_the_command_with_exit_1(tmp_path):
    from click.testing import CliRunner
    from officebot.cli import cli
    sample = Path(__file__).resolve().parents[1] / "sample_workbooks" / "投诉登记台账.xlsx"
    path = write(tmp_path, "[mail]\nport = 0\n")
    res = CliRunner().invoke(cli, ["check", str(sample), "--settings", str(path)])
    assert res.exit_code == 1 and "mail.port" in res.output
    assert "Traceback" not in res.output and len(res.output.strip().splitlines()) == 1


def test_default_people_are_not_people():
    assert load_settings().conf.escalation.people_set is False


def test_named_people_are_people(tmp_path):
    path = write(tmp_path, '[escalation.people]\n"客服部" = ["王组长"]\n')
    assert load_settings(path).conf.escalation.people_set is True


@pytest.mark.parametrize("table, key, value", [
    (table, key, value)
    for table, key in [("clocks", "reply_hours"), ("clocks", "close_days"),
                       ("clocks", "due_soon_hours"), ("repeats", "window_hours"),
                       ("letters", "promise_days"), ("letters", "max_age_days"),
                       ("package", "max_part_mb"), ("mail", "timeout_seconds")]
    for value in ("inf", "1e309", "1e15", "nan")
] + [("mail", "per_minute", "1e-9"), ("mail", "per_minute", "-1"),
     ("escalation", "step_hours", "1e15"), ("run_lock", "wait_seconds", "inf")])
def test_numbers_out_of_range_stop_with_one_sentence_naming_the_range(tmp_path, table, key,
                                                                      value):
    path = write(tmp_path, f"[{table}]\n{key} = {value}\n")
    with pytest.raises(SettingsError) as info:
        load_settings(path)
    for text in (info.value.text("en"), info.value.zh):
        assert f"{table}.{key}" in text
        assert len(text.splitlines()) == 1
    en = info.value.text("en")
    assert (" from " in en and " to " in en) or " at most " in en, en  # the range is said


@pytest.mark.parametrize("key", ["from", "reply_to"])
@pytest.mark.parametrize("value", ['"a@b.cn\\r\\nBcc: x@y.cn"', '"a@b.cn\\nX: y"'])
def test_a_line_break_in_a_mail_address_is_refused(tmp_path, key, value):
    path = write(tmp_path, f"[mail]\n{key} = {value}\n")
    with pytest.raises(SettingsError, match=f"mail.{key}"):
        load_settings(path)


def test_zero_per_minute_means_no_limit_and_limits_come_from_the_checked_table(tmp_path):
    from officebot.package import MB, Limits
    s = load_settings(write(tmp_path, "[mail]\nper_minute = 0\n[package]\nmax_part_mb = 3\n"))
    assert Limits.of(s).max_part == 3 * MB
    assert s.conf.package.max_part_mb == 3
    assert s.conf.run_lock.wait_seconds == 10 and s.conf.privacy.mask is True


# `x.get("key", <literal>)`: group 1 the receiver, group 2 the key.
RESTATED = re.compile(r"(\w+)\.get\(\s*f?\"(\w+)[^\"]*\"\s*,\s*"
                      r"""(-?[\d.]+|"[^"]*"|'[^']*'|True|False|None|\[\]|\(\)|\{\})\s*\)""")


def _settings_keys():
    """Every key the defaults file names, in any table."""
    import tomllib
    from officebot.settings import DEFAULTS_PATH
    keys, tables = set(), [tomllib.loads(DEFAULTS_PATH.read_text("utf-8"))]
    while tables:
        for key, value in tables.pop().items():
            keys.add(key)
            if isinstance(value, dict):
                tables.append(value)
    return keys


def _sources():
    root = Path(__file__).resolve().parents[1] / "officebot"
    return [(p, p.read_text(encoding="utf-8")) for p in sorted(root.rglob("*.py"))]


def test_defaults_live_only_in_the_defaults_file():
    """No module restates a default of the settings file as `.get("key", <literal>)`: a
    setting is read as settings.conf.<table>.<key>. (A letter rule's optional filters,
    `rule.get("category", [])`, are the rule's own keys, not settings with a default.)"""
    keys = _settings_keys()
    hits = [f"{p.name}: {m.group(0)}" for p, text in _sources()
            for m in RESTATED.finditer(text)
            if m.group(2) in keys and m.group(1) != "rule"]
    assert hits == []


def test_the_restated_default_check_can_fail():
    keys = _settings_keys()
    assert {"wait_seconds", "pdf_timeout_seconds", "hotline", "severity_floor"} <= keys
    text = 'timeout = table.get("pdf_timeout_seconds", 600)\nx = t.get("hotline", "")\n'
    assert len(RESTATED.findall(text)) == 2


def test_settings_are_read_one_way():
    """No module outside settings.py reads the raw tables (section(), table(), .data)."""
    raw = re.compile(r"\.(section|table)\(\s*\"|settings\.data\b|\.escalation\[")
    hits = [f"{p.name}: {line.strip()}" for p, text in _sources() if p.name != "settings.py"
            for line in text.splitlines() if raw.search(line)]
    assert hits == []
