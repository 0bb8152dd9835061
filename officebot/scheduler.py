"""``officebot schedule``: run the launcher's job at set times on every working day.

Built on the ``schedule`` library. The clock is injectable: ``DailyRunner.tick(now)`` runs
whatever is due at ``now``; the real loop calls it with the wall clock, tests with fake times.
The library reads ``datetime.datetime.now()`` itself, so ``tick`` shows it the given time.
"""

import contextlib
import datetime as dt
import signal
import sys
import threading
import time
import types
from pathlib import Path
from typing import Callable, IO, Iterable, List, Optional

import schedule

from .errors import SettingsError
from .runlog import RunLog
from .privacy import for_terminal, masking
from .messages import msg
from .rules import WorkCalendar, holiday_data_covers
from .settings import normalise_times


def schedule_settings(settings) -> dict:
    """The [schedule] table as checked when the settings were loaded."""
    table = settings.conf.schedule.as_dict()
    table["times"] = list(table["times"])
    return table


@contextlib.contextmanager
def _clock(now: dt.datetime):
    """Let the schedule library see ``now`` as the current time."""

    class _Now(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return now if tz is None else now.replace(tzinfo=tz)

    shim = types.SimpleNamespace(**{name: getattr(dt, name) for name in dir(dt)
                                    if not name.startswith("__")})
    shim.datetime = _Now
    real = schedule.datetime
    schedule.datetime = shim
    try:
        yield
    finally:
        schedule.datetime = real


class DailyRunner:
    """Runs ``job`` at ``times`` on working days; ``tick(now)`` drives it."""

    def __init__(self, folder: Path, settings, times: Optional[Iterable[str]] = None,
                 job: Optional[Callable[[], int]] = None, out: Optional[IO[str]] = None):
        table = schedule_settings(settings)
        self.folder = Path(folder).absolute()
        self.settings = settings
        self.language = settings.language
        self.times = normalise_times(times, "--at") if times else table["times"]
        self.working_days_only = table["working_days_only"]
        self.poll_seconds = table["poll_seconds"]
        self.calendar = WorkCalendar.from_settings(settings)
        self.job = job or self._launch
        self.out = out or sys.stdout
        self.log = RunLog(self.folder)
        self.log.mask = masking(settings)
        self.scheduler = schedule.Scheduler()
        self.now: Optional[dt.datetime] = None
        self.runs: List[tuple] = []   # (time, outcome) of every run, newest last

    def _launch(self) -> int:
        from .launcher import launch
        return launch(self.folder, pause=False, out=self.out, progress=False,
                      interactive=False)  # nobody answers a question at 08:30

    def _say(self, text: str) -> None:
        self.out.write(for_terminal(text, enabled=self.log.mask) + "\n")
        self.out.flush()
        self.log.write("schedule: " + text)

    def tick(self, now: dt.datetime) -> None:
        """Run every job due at ``now`` (the first tick plans the jobs from ``now``)."""
        with _clock(now):
            if not self.scheduler.jobs:
                for hhmm in self.times:
                    job = self.scheduler.every().day.at(hhmm)
                    job.do(self._run, job)
            self.now = now
            self.scheduler.run_pending()

    def next_run(self) -> Optional[dt.datetime]:
        """When the next job is due (None before the first tick)."""
        return self.scheduler.next_run if self.scheduler.jobs else None

    def _reload_calendar(self) -> None:
        """Pick up days off the office added to the settings since the schedule started."""
        try:
            from .settings import load_settings
            self.calendar = WorkCalendar.from_settings(load_settings(folder=self.folder))
        except SettingsError as exc:
            self.log.write(f"schedule: settings not reloaded ({exc}); using the earlier ones")

    def _run(self, job: schedule.Job) -> None:
        now = self.now
        stamp = now.strftime("%Y-%m-%d %H:%M")
        planned = job.next_run
        if planned is not None and planned.date() < now.date():
            # the computer slept through a run on an earlier day: today's own run follows
            self.log.write(f"schedule: the run planned for {planned:%Y-%m-%d %H:%M} was "
                           "missed (computer off or asleep)")
            return
        self._reload_calendar()
        if self.working_days_only and not self.calendar.is_workday(now.date()):
            self._say(msg(self.language, "schedule.skip", day=now.date().isoformat()))
            self.runs.append((now, "skipped"))
            return
        try:
            code = self.job()
        except Exception as exc:  # a failed run must not stop the next one
            self.log.write_traceback("schedule: unexpected error:", exc)
            self._say(msg(self.language, "schedule.failed", error=repr(exc)))
            self.runs.append((now, "failed"))
            return
        outcome = (msg(self.language, "schedule.ok") if code == 0
                   else msg(self.language, "schedule.exit", code=code))
        self._say(msg(self.language, "schedule.run", time=stamp, result=outcome))
        self.runs.append((now, "ok" if code == 0 else "failed"))

    def loop(self, clock: Callable[[], dt.datetime] = dt.datetime.now,
             sleep: Callable[[float], None] = time.sleep,
             stop: Optional[Callable[[], bool]] = None) -> int:
        """Tick with ``clock`` until Ctrl+C (or ``stop()``); return the exit code 0."""
        previous = _stop_on_sigterm()
        try:
            times = ", ".join(self.times)
            key = "schedule.start" if self.working_days_only else "schedule.start_daily"
            self._say(msg(self.language, key, times=times, folder=self.folder))
            year = clock().year
            if self.settings.conf.working_time.chinese_holidays \
                    and not holiday_data_covers(year):
                self.log.write(f"schedule: chinesecalendar has no holiday data for {year}; "
                               "weekends only until it is updated (pip install -U "
                               "chinesecalendar)")
            while not (stop and stop()):
                self.tick(clock())
                wait = self.poll_seconds
                due = self.next_run()
                if due is not None:
                    wait = max(0.5, min(wait, (due - clock()).total_seconds()))
                sleep(wait)
        except KeyboardInterrupt:
            pass
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
        self.out.write("\n")
        self._say(msg(self.language, "schedule.stopped"))
        return 0


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _stop_on_sigterm():
    """Treat SIGTERM (a service manager stopping us) like Ctrl+C; return the old handler."""
    if threading.current_thread() is not threading.main_thread():
        return None
    try:
        return signal.signal(signal.SIGTERM, _interrupt)
    except (ValueError, OSError, AttributeError):
        return None


def run_schedule(folder: Path, settings, times: Optional[Iterable[str]] = None,
                 out: Optional[IO[str]] = None) -> int:
    """``officebot schedule``: run the batch on ``folder`` at the set times until Ctrl+C."""
    return DailyRunner(folder, settings, times, out=out).loop()
