"""officebot schedule: driven by a controllable clock, working days from the core calendar."""

import datetime as dt
import io

import pytest
from click.testing import CliRunner

from officebot.cli import cli
from officebot.errors import SettingsError
from officebot.scheduler import DailyRunner, normalise_times
from officebot.settings import load_settings

T = dt.datetime


class Job:
    """A job that records when it ran and can be told to fail."""

    def __init__(self, results=()):
        self.results = list(results)
        self.calls = 0

    def __call__(self):
        self.calls += 1
        result = self.results.pop(0) if self.results else 0
        if isinstance(result, Exception):
            raise result
        return result


def make_runner(tmp_path, settings_text="", times=None, job=None):
    (tmp_path / "officebot.toml").write_text(settings_text, encoding="utf-8")
    settings = load_settings(folder=tmp_path)
    out = io.StringIO()
    runner = DailyRunner(tmp_path, settings, times, job=job or Job(), out=out)
    return runner, out


def run_day(runner, day, times=("07:00", "08:29", "08:30", "08:31", "12:00", "23:59")):
    for hhmm in times:
        h, m = map(int, hhmm.split(":"))
        runner.tick(T(day.year, day.month, day.day, h, m))


def log_text(tmp_path):
    return "".join(p.read_text("utf-8") for p in (tmp_path / "logs").glob("*.log"))


def test_runs_once_at_0830_on_a_working_day(tmp_path):
    job = Job()
    runner, out = make_runner(tmp_path, job=job)
    runner.tick(T(2026, 3, 2, 7, 0))                  # Monday
    assert job.calls == 0
    assert runner.next_run() == T(2026, 3, 2, 8, 30)
    runner.tick(T(2026, 3, 2, 8, 29, 59))
    assert job.calls == 0
    runner.tick(T(2026, 3, 2, 8, 30))
    assert job.calls == 1
    runner.tick(T(2026, 3, 2, 8, 31))
    runner.tick(T(2026, 3, 2, 17, 0))
    assert job.calls == 1
    assert runner.next_run() == T(2026, 3, 3, 8, 30)
    assert "08:30" in out.getvalue()
    assert "2026-03-02 08:30" in log_text(tmp_path)


@pytest.mark.parametrize("day, runs", [
    (dt.date(2026, 3, 7), False),    # Saturday
    (dt.date(2026, 3, 8), False),    # Sunday
    (dt.date(2026, 10, 1), False),   # National Day, a Thursday
    (dt.date(2026, 2, 17), False),   # Spring Festival, a Tuesday
    (dt.date(2026, 2, 28), True),    # Saturday worked in exchange for the Spring Festival (调休)
    (dt.date(2026, 10, 10), True),   # Saturday worked in exchange for National Day (调休)
    (dt.date(2026, 3, 4), True),     # an ordinary Wednesday
])
def test_working_days_follow_the_chinese_calendar(tmp_path, day, runs):
    job = Job()
    runner, out = make_runner(tmp_path, job=job)
    run_day(runner, day)
    assert job.calls == (1 if runs else 0)
    if not runs:
        assert day.isoformat() in out.getvalue()   # the skip is said and logged
        assert day.isoformat() in log_text(tmp_path)


def test_office_extra_days_off_and_make_up_days(tmp_path):
    job = Job()
    text = ('[working_time]\nextra_holidays = ["2026-03-04"]\n'
            'extra_workdays = ["2026-03-07"]\n')
    runner, _ = make_runner(tmp_path, text, job=job)
    run_day(runner, dt.date(2026, 3, 4))
    assert job.calls == 0
    run_day(runner, dt.date(2026, 3, 7))
    assert job.calls == 1


def test_every_day_when_working_days_only_is_false(tmp_path):
    job = Job()
    runner, _ = make_runner(tmp_path, "[schedule]\nworking_days_only = false\n", job=job)
    run_day(runner, dt.date(2026, 3, 7))
    assert job.calls == 1


def test_a_failing_run_is_logged_and_the_next_one_happens(tmp_path):
    job = Job([RuntimeError("disk full"), 1, 0])
    runner, out = make_runner(tmp_path, job=job)
    run_day(runner, dt.date(2026, 3, 2))
    run_day(runner, dt.date(2026, 3, 3))
    run_day(runner, dt.date(2026, 3, 4))
    assert job.calls == 3
    assert [outcome for _, outcome in runner.runs] == ["failed", "failed", "ok"]
    log = log_text(tmp_path)
    assert "Traceback" in log and "disk full" in log
    assert "Traceback" not in out.getvalue()


def test_several_times_a_day_from_the_option(tmp_path):
    job = Job()
    runner, _ = make_runner(tmp_path, times=["8:30", "16:00"], job=job)
    assert runner.times == ["08:30", "16:00"]
    run_day(runner, dt.date(2026, 3, 2), ("07:00", "08:30", "12:00", "16:00", "16:30"))
    assert job.calls == 2


def test_times_from_settings(tmp_path):
    runner, _ = make_runner(tmp_path, '[schedule]\ntimes = ["17:30", "09:00"]\n')
    assert runner.times == ["09:00", "17:30"]


@pytest.mark.parametrize("times", [["25:00"], ["8.30"], [], [830]])
def test_wrong_times_name_the_key(tmp_path, times):
    with pytest.raises(SettingsError, match="schedule.times"):
        normalise_times(times, "schedule.times")


@pytest.mark.parametrize("text, key", [
    ('[schedule]\ntimes = ["8:70"]\n', "schedule.times"),
    ("[schedule]\npoll_seconds = 0\n", "schedule.poll_seconds"),
])
def test_wrong_schedule_settings_name_the_key(tmp_path, text, key):
    with pytest.raises(SettingsError, match=key):
        make_runner(tmp_path, text)


def test_loop_stops_cleanly_on_ctrl_c(tmp_path):
    job = Job()
    runner, out = make_runner(tmp_path, job=job)
    clock = iter([T(2026, 3, 2, 8, 0)] * 3 + [T(2026, 3, 2, 8, 30)] * 3)
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        if len(slept) == 2:
            raise KeyboardInterrupt

    assert runner.loop(clock=lambda: next(clock), sleep=sleep) == 0
    assert job.calls == 1
    assert slept[0] <= 30
    assert "Schedule stopped" in out.getvalue() or "定时运行已停止" in out.getvalue()
    assert "定时运行已停止" in log_text(tmp_path)


def test_cli_schedule_rejects_a_wrong_time(tmp_path):
    result = CliRunner().invoke(cli, ["schedule", "--at", "8h30", str(tmp_path)])
    assert result.exit_code == 1
    assert "--at" in result.output and "08:30" in result.output
    assert "Traceback" not in result.output


def test_a_run_missed_while_asleep_runs_late_the_same_day_only(tmp_path):
    job = Job()
    runner, _ = make_runner(tmp_path, job=job)
    runner.tick(T(2026, 3, 2, 7, 0))
    runner.tick(T(2026, 3, 2, 10, 15))      # woke up after 08:30: run now
    assert job.calls == 1
    runner.tick(T(2026, 3, 4, 7, 0))        # slept through Tuesday's run: dropped
    assert job.calls == 1
    assert "2026-03-03 08:30" in log_text(tmp_path)
    runner.tick(T(2026, 3, 4, 8, 30))
    assert job.calls == 2


@pytest.mark.parametrize("signame", ["SIGINT", "SIGTERM"])
def test_cli_schedule_stops_cleanly_on_ctrl_c_or_sigterm(tmp_path, signame):
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path
    if not hasattr(signal, signame) or sys.platform.startswith("win"):
        pytest.skip("POSIX signals")
    (tmp_path / "officebot.toml").write_text('language = "en"\n', encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parent.parent))
    proc = subprocess.Popen([sys.executable, "-m", "officebot", "schedule", "--at", "03:00",
                             str(tmp_path)], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        first = proc.stdout.readline().decode("utf-8")
        assert "Schedule started" in first and "03:00" in first
        proc.send_signal(getattr(signal, signame))
        rest = proc.stdout.read().decode("utf-8")
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "Schedule stopped." in rest
    assert "Traceback" not in rest
    assert "Schedule stopped." in log_text(tmp_path)


def test_days_off_added_to_the_settings_later_are_honoured(tmp_path):
    job = Job()
    runner, _ = make_runner(tmp_path, job=job)
    run_day(runner, dt.date(2026, 3, 2))
    (tmp_path / "officebot.toml").write_text('[working_time]\nextra_holidays = ["2026-03-03"]\n',
                                             encoding="utf-8")
    run_day(runner, dt.date(2026, 3, 3))
    assert job.calls == 1
    (tmp_path / "officebot.toml").write_text("[working_time]\nextra_holidays = 5\n",
                                             encoding="utf-8")
    run_day(runner, dt.date(2026, 3, 4))      # broken settings: the earlier ones still apply
    assert job.calls == 2
    assert "settings not reloaded" in log_text(tmp_path)
