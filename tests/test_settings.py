"""Settings: one typed, frozen table per section, checked once when loaded."""

import dataclasses

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


def test_section_keeps_working_and_table_keeps_keys_others_added():
    s = load_settings()
    data = s.data
    data["status_columns"]["added_fill"] = "FFFF00"   # a key another part adds
    assert s.section("status_columns")["added_fill"] == "FFFF00"
    assert s.table("status_columns")["added_fill"] == "FFFF00"
    assert s.table("status_columns")["problem_fill"] == s.conf.status_columns.problem_fill
    assert s.section("nonexistent") == {}


def test_default_people_are_not_people():
    assert load_settings().conf.escalation.people_set is False


def test_named_people_are_people(tmp_path):
    path = write(tmp_path, '[escalation.people]\n"客服部" = ["王组长"]\n')
    assert load_settings(path).conf.escalation.people_set is True
