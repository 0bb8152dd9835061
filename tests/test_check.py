import datetime as dt
import json

import pytest

from click.testing import CliRunner

from conftest import row, write_register
from officebot.cli import cli

D = dt.datetime


def run(*args):
    return CliRunner().invoke(cli, list(map(str, args)))


def test_check_json_contract(register):
    path = register([
        row("C1", "2026-03-01 09:00", phone="13800138000", category="服务类",
            replied_at="2026-03-02 10:00", satisfaction="满意"),
        row("C2", "2026-03-20 09:00", phone="+86 138 0013 8000", category="服务"),
        row("C1", "2026-03-21"),
        row("C3", "2026年3月21日 9:00", severity="危机"),
    ])
    res = run("check", path, "--as-of", "2026-03-22 09:00", "--json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert list(doc) == ["as_of", "cases", "problems", "kpis"]
    assert doc["as_of"] == "2026-03-22T09:00:00"
    assert doc["cases"][0] == {
        "case_id": "C1", "row": 3, "reply_due": "2026-03-03T09:00:00",
        "close_due": "2026-03-08T09:00:00", "reply_status": "on_time",
        "close_status": "overdue", "repeat_of": None, "escalation": 5}
    c2 = doc["cases"][1]
    assert c2["repeat_of"] == "C1" and c2["reply_status"] == "due_soon"
    assert c2["escalation"] == 1
    assert doc["cases"][2]["escalation"] == 4 and doc["cases"][2]["row"] == 6
    assert doc["problems"] == [{"row": 5, "column": "编号",
                                "message": "编号“C1”与第 3 行重复"}]
    # C2's reply is due exactly at the as-of time: due soon, yet already judged
    assert doc["kpis"] == {"total": 3, "judged": 2, "reply_rate": 0.5,
                           "on_time_reply_rate": 0.5, "repeat_rate": 1 / 3,
                           "satisfaction_rate": 1.0}


def test_check_json_rates_are_null_without_denominator(register):
    path = register([row("C1", "2026-03-22 08:00")])
    doc = json.loads(run("check", path, "--as-of", "2026-03-22 09:00", "--json").output)
    assert doc["kpis"]["reply_rate"] is None and doc["kpis"]["satisfaction_rate"] is None


def test_check_text_report_lists_cases_and_problems(register):
    path = register([row("C1", "2026-03-01 09:00"), row(None, "2026-03-01")])
    res = run("check", path, "--as-of", "2026-03-22 09:00")
    assert res.exit_code == 0
    assert "逾期（1）" in res.output and "C1" in res.output
    assert "台账!A4 [编号]: 编号为空" in res.output
    assert "回复率" in res.output and "未达标" in res.output


def test_check_english_report(register, tmp_path):
    path = register([row("C1", "2026-03-01 09:00")], name="r.xlsx")
    (tmp_path / "officebot.toml").write_text('language = "en"\n', encoding="utf-8")
    res = run("check", path, "--as-of", "2026-03-22 09:00")
    assert res.exit_code == 0
    assert "Overdue (1)" in res.output and "Reply rate" in res.output


def test_unusable_register_exits_1_with_one_sentence(tmp_path):
    bad = tmp_path / "台账.xlsx"
    bad.write_bytes(b"not a zip at all")
    res = run("check", bad)
    assert res.exit_code == 1
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and "damaged" in lines[0] and "Traceback" not in res.output
    assert lines[0].startswith("officebot: 台账.xlsx 已损坏")  # Chinese first, English alongside


def test_errors_follow_the_settings_language(tmp_path):
    missing = tmp_path / "无此台账.xlsx"
    res = run("check", missing)
    assert res.exit_code == 1
    assert "找不到" in res.output and "does not exist" in res.output
    (tmp_path / "officebot.toml").write_text('language = "en"\n', encoding="utf-8")
    res = run("check", missing)
    assert res.exit_code == 1
    assert "does not exist" in res.output and "找不到" not in res.output
    path = write_register(tmp_path / "r.xlsx", [row("C1", None)], headers=["序号", "日期"])
    (tmp_path / "officebot.toml").unlink()
    res = run("check", path)
    assert "找不到同时有" in res.output and "[columns]" in res.output


def test_no_header_exits_1(tmp_path):
    path = write_register(tmp_path / "r.xlsx", [row("C1", None)], headers=["序号", "日期"])
    res = run("check", path)
    assert res.exit_code == 1 and "[columns]" in res.output


def test_bad_as_of_is_a_usage_error(register):
    res = run("check", register([row("C1", "2026-03-01")]), "--as-of", "next tuesday")
    assert res.exit_code == 2 and "2026-11-22 09:00" in res.output and "Usage" not in res.output


def test_bad_setting_names_the_key(register, tmp_path):
    path = register([row("C1", "2026-03-01")], name="r.xlsx")
    (tmp_path / "officebot.toml").write_text("[clocks]\nreply_hours = \"两天\"\n",
                                             encoding="utf-8")
    res = run("check", path)
    assert res.exit_code == 1 and "clocks.reply_hours" in res.output
    (tmp_path / "officebot.toml").write_text("[clocks]\nreply_hourz = 3\n", encoding="utf-8")
    res = run("check", path)
    assert res.exit_code == 1 and "clocks.reply_hourz" in res.output
    (tmp_path / "officebot.toml").write_text("[clocks\n", encoding="utf-8")
    res = run("check", path)
    assert res.exit_code == 1 and "not valid TOML" in res.output


def test_settings_change_the_rules(register, tmp_path):
    path = register([row("C1", "2026-03-22 08:00")], name="r.xlsx")
    (tmp_path / "officebot.toml").write_text("[clocks]\nreply_hours = 0.5\n", encoding="utf-8")
    doc = json.loads(run("check", path, "--as-of", "2026-03-22 09:00", "--json").output)
    assert doc["cases"][0]["reply_due"] == "2026-03-22T08:30:00"
    assert doc["cases"][0]["reply_status"] == "overdue"


def test_version():
    res = run("--version")
    assert res.exit_code == 0 and "officebot" in res.output


def test_read_options_keep_what_they_say(register):
    import gc
    from officebot.check import ReadOptions, check_register
    from officebot.records import Case, RuleCase
    from officebot.settings import load_settings
    path = register([row("C1", "2026-03-01 09:00", summary="漏水", resolution="已修"),
                     row("C2", "2026-03-02 09:00")])
    s, as_of = load_settings(), D(2026, 3, 10, 12)
    seen = []
    full = check_register(path, s, as_of, ReadOptions(cases="full", visit=lambda c, j:
                                                      seen.append(j.case_id)))
    assert full.text_fields and full.cases[0].summary == "漏水" and seen == ["C1", "C2"]
    plain = check_register(path, s, as_of)
    assert isinstance(plain.cases[0], Case) and plain.cases[0].summary == ""
    rules = check_register(path, s, as_of, ReadOptions(cases="rules"))
    assert isinstance(rules.cases[0], RuleCase)
    none = check_register(path, s, as_of, ReadOptions(cases="none", keep_decoder=True,
                                                      scan_extent=True))
    try:
        assert none.cases == [] and len(none.judgements) == 2 and none.decoder is not None
        assert none.used is not None and none.used.last_row == 4 and none.used.last_col >= 16
    finally:
        none.decoder.close()
    assert plain.used is None and plain.decoder is None
    assert [j.close_status for j in none.judgements] == \
        [j.close_status for j in full.judgements]
    assert gc.isenabled()  # the reading pass gives the collector back


def test_read_options_refuse_an_unknown_kind():
    import pytest
    from officebot.check import ReadOptions
    with pytest.raises(ValueError):
        ReadOptions(cases="lean")


@pytest.mark.parametrize("value, ci", [("true", True), ("1", True), ("yes", True),
                                       ("TRUE", True), ("", False), ("0", False),
                                       ("false", False)])
def test_ci_is_recognised_however_the_service_spells_it(monkeypatch, value, ci):
    from conftest import under_ci
    monkeypatch.setenv("CI", value)
    assert under_ci() is ci


def test_one_invocations_language_does_not_carry_into_the_next(register, tmp_path):
    english = tmp_path / "en"
    english.mkdir()
    (english / "officebot.toml").write_text('language = "en"\n', encoding="utf-8")
    path = register([row("C1", "2026-03-01")], name="en/r.xlsx")
    assert run("check", path, "--as-of", "2026-03-10 12:00").exit_code == 0
    res = run("check", register([row("C1", "2026-03-01")]), "--as-of", "next tuesday")
    assert res.exit_code == 2 and "无法识别" in res.output  # Chinese first, as before settings


def test_a_library_error_is_a_click_exception_with_its_exit_code():
    import click
    from officebot.cli import OfficebotFailure
    from officebot.errors import SettingsError, UsageError
    failure = OfficebotFailure(SettingsError("bad", zh="坏"), "en")
    assert isinstance(failure, click.ClickException) and failure.exit_code == 1
    assert failure.message == "bad"
    assert OfficebotFailure(UsageError("no such case"), "zh").exit_code == 2
    disk = OfficebotFailure(OSError(28, "No space left on device", "/x/r.xlsx"), "en")
    assert disk.exit_code == 1 and "r.xlsx" in disk.message


def test_help_is_in_the_offices_language(tmp_path, monkeypatch):
    from officebot.cli import cli as group
    monkeypatch.chdir(tmp_path)  # no settings here: Chinese, the default
    zh = CliRunner().invoke(group, ["--help"])
    assert zh.exit_code == 0 and "用法：" in zh.output and "命令" in zh.output
    assert "读取台账 REGISTER" in zh.output  # check's short help
    run_help = CliRunner().invoke(group, ["run", "--help"]).output
    assert "本次运行不起草函件" in run_help and "--no-letters" in run_help
    assert "示例：officebot run" in run_help
    (tmp_path / "officebot.toml").write_text('language = "en"\n', encoding="utf-8")
    en = CliRunner().invoke(group, ["run", "--help"]).output
    assert "Usage:" in en and "Do not draft letters in this run." in en and "用法" not in en


def test_every_command_has_its_chinese_help():
    from officebot.cli import cli as group
    from officebot.messages import CATALOGS
    assert [name for name in group.commands if f"help.{name}" not in CATALOGS["zh"]] == []


def test_a_check_leaves_what_the_host_process_froze_frozen(register):
    """The reading pass files what it keeps among the collector's oldest objects; a process
    that froze objects of its own (before a fork, say) finds them still frozen."""
    import gc

    from officebot.check import ReadOptions, check_register
    from officebot.settings import load_settings

    path = register([row("C1", "2026-03-01 09:00"), row("C2", "2026-03-02 10:00")])
    held = [[n] for n in range(1000)]  # objects the host wants kept out of collections
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen >= len(held)
        result = check_register(path, load_settings(), AS_OF_CHECK, ReadOptions())
        assert result.judgements
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
    gc.collect()
    # and without a host's frozen objects, nothing stays frozen after a check
    check_register(path, load_settings(), AS_OF_CHECK, ReadOptions())
    assert gc.get_freeze_count() == 0


AS_OF_CHECK = dt.datetime(2026, 3, 10, 12, 0)
