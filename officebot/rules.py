"""Pure rules: due times, clock statuses, repeat complaints and escalation.

Nothing here touches files or workbooks: values in, values out. Every threshold comes from
Settings.
"""

import datetime as dt
from typing import Callable, Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple

from .messages import msg
from .records import Case, Judgement, made
from .settings import DEFAULT_TITLES
from .values import category_key, satisfaction_judge

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
STATUSES = ("pending", "due_soon", "overdue", "on_time", "late")
LANGUAGES = ("zh", "en")
LEVEL_TITLES = {lang: tuple(msg(lang, f"level.{n}") for n in range(6)) for lang in LANGUAGES}


# The one word table for clock statuses (register columns, summary sheets, reports); the
# mail statuses have their own in the mail module.
CLOCK_WORDS = {lang: {s: msg(lang, f"status.{s}") for s in STATUSES} for lang in LANGUAGES}
# Words earlier versions wrote into the register, still read back as the status they meant.
_OLD_WORDS = {"按时": "on_time", "超时": "late"}
WORD_TO_STATUS = {**_OLD_WORDS,
                  **{w: k for words in CLOCK_WORDS.values() for k, w in words.items()}}


def status_word(status: str, language: str) -> str:
    """The word for a clock status in ``language`` (zh, else en)."""
    words = CLOCK_WORDS["zh" if language == "zh" else "en"]
    return words.get(status, status)


# --- working calendar ----------------------------------------------------------------------
class WorkCalendar:
    """Which days are working days: weekdays, Chinese statutory holidays and 调休 make-up
    weekends (chinesecalendar), and the office's own extra days off and make-up days."""

    def __init__(self, chinese_holidays: bool = True, extra_holidays: Iterable[dt.date] = (),
                 extra_workdays: Iterable[dt.date] = ()):
        self.chinese = chinese_holidays
        self.extra_holidays = set(extra_holidays)
        self.extra_workdays = set(extra_workdays)
        self._cache: Dict[dt.date, bool] = {}

    @classmethod
    def from_settings(cls, settings) -> "WorkCalendar":
        w = settings.conf.working_time
        return cls(w.chinese_holidays, w.extra_holidays, w.extra_workdays)

    def is_workday(self, day: dt.date) -> bool:
        """True when the office works on this day."""
        hit = self._cache.get(day)
        if hit is None:
            hit = self._cache[day] = self._is_workday(day)
        return hit

    def _is_workday(self, day: dt.date) -> bool:
        if day in self.extra_workdays:
            return True
        if day in self.extra_holidays:
            return False
        if self.chinese:
            known = holiday_data_covers(day.year)
            if known:
                import chinese_calendar
                return chinese_calendar.is_workday(day)
        return day.weekday() < 5


def holiday_data_covers(year: int) -> bool:
    """True when the installed chinesecalendar knows the statutory holidays of this year."""
    try:
        import chinese_calendar
        chinese_calendar.is_workday(dt.date(year, 6, 1))
        return True
    except (NotImplementedError, ImportError):
        return False


def _skipped_ranges(days: List[dt.date]) -> List[Tuple[dt.date, dt.date]]:
    ranges: List[Tuple[dt.date, dt.date]] = []
    for d in days:
        if ranges and ranges[-1][1] + DAY == d:
            ranges[-1] = (ranges[-1][0], d)
        else:
            ranges.append((d, d))
    return ranges


def _describe_ranges(ranges, language: str) -> str:
    parts = []
    for a, b in ranges:
        if a == b:
            parts.append(a.isoformat())
        else:
            tail = b.isoformat()[5:] if a.year == b.year else b.isoformat()
            parts.append(msg(language, "clock.range", first=a.isoformat(), last=tail))
    return msg(language, "list_sep").join(parts)


class WorkingTime:
    """Adds working hours and working days, and says which days it skipped."""

    def __init__(self, calendar: WorkCalendar, day_start: dt.time, day_end: dt.time):
        self.calendar = calendar
        self.day_start = day_start
        self.day_end = day_end

    def _open(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, self.day_start)

    def _close(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, self.day_end)

    def clock_start(self, when: dt.datetime, skipped: List[dt.date]) -> dt.datetime:
        """The first office moment at or after ``when``."""
        day = when.date()
        if self.calendar.is_workday(day) and when < self._close(day):
            return max(when, self._open(day))
        day += DAY
        while not self.calendar.is_workday(day):
            skipped.append(day)
            day += DAY
        return self._open(day)

    def add_hours(self, start: dt.datetime, hours: float) -> Tuple[dt.datetime, List[dt.date]]:
        """``start`` plus this many office hours; also the non-working days passed over."""
        skipped: List[dt.date] = []
        cur = self.clock_start(start, skipped)
        left = dt.timedelta(hours=hours)
        while True:
            room = self._close(cur.date()) - cur
            if left <= room:
                return cur + left, skipped
            left -= room
            day = cur.date() + DAY
            while not self.calendar.is_workday(day):
                skipped.append(day)
                day += DAY
            cur = self._open(day)

    def add_days(self, start: dt.datetime, days: float) -> Tuple[dt.datetime, List[dt.date]]:
        """The same office time ``days`` working days after the clock starts."""
        skipped: List[dt.date] = []
        cur = self.clock_start(start, skipped)
        whole = int(days)
        day = cur.date()
        for _ in range(whole):
            day += DAY
            while not self.calendar.is_workday(day):
                skipped.append(day)
                day += DAY
        due = dt.datetime.combine(day, cur.time())
        rest = days - whole
        if rest:
            due, more = self.add_hours(due, rest * self._hours_per_day())
            skipped += more
        return due, skipped

    def _hours_per_day(self) -> float:
        return (self._close(dt.date(2000, 1, 3)) - self._open(dt.date(2000, 1, 3))) / HOUR


# --- due times -----------------------------------------------------------------------------
def clock_lengths(case: Case, settings) -> Tuple[float, float]:
    """(reply hours, close days) for a case: severity override, else category, else default."""
    c = settings.conf.clocks
    reply, close = c.reply_hours, c.close_days
    if c.category:
        cat = category_key(case.category)
        for name, over in c.category.items():
            if cat is not None and category_key(name) == cat:
                reply, close = over.get("reply_hours", reply), over.get("close_days", close)
    over = c.severity.get(case.severity)
    if over:
        reply, close = over.get("reply_hours", reply), over.get("close_days", close)
    return reply, close


_MAX_ROOM_DAYS = 3_000_000.0  # most of the calendar's 3.65 million days


def calendar_room(settings) -> dt.timedelta:
    """The longest span the rules add to (or take from) a register time: the longest clock,
    follow-up, repeat window or due-soon margin in the settings. Register times closer than
    this to the calendar's ends (year 1, 9999-12-31) are problem rows, so that no due time
    the rules work out lies beyond the calendar (where datetime overflows)."""
    c = settings.conf.clocks
    overrides = list(c.category.values()) + list(c.severity.values())
    hours = max([c.reply_hours] + [o.get("reply_hours", c.reply_hours) for o in overrides])
    days = max([c.close_days] + [o.get("close_days", c.close_days) for o in overrides])
    if c.mode == "working":
        # as working days: weekends and every day off listed may come between them
        start, end = settings.office_hours
        per_day = max((dt.datetime.combine(dt.date(2000, 1, 3), end)
                       - dt.datetime.combine(dt.date(2000, 1, 3), start)) / HOUR, 1 / 60)
        working = max(hours / per_day, days) + 2
        days = working * 7 / 5 + 7 + len(settings.conf.working_time.extra_holidays)
        hours = 0
    room = max(hours / 24, days, c.followup_days + c.followup_window_days,
               settings.conf.repeats_window_hours / 24, c.due_soon_hours / 24,
               c.first_response_minutes / 1440) + 2
    return dt.timedelta(days=room if room < _MAX_ROOM_DAYS else _MAX_ROOM_DAYS)


class Clocks:
    """Computes due times in calendar or working mode, with an explanation for each."""

    def __init__(self, settings):
        self.settings = settings
        self.working = settings.conf.clocks.mode == "working"
        self.language = settings.language
        self._calendar: Dict[Tuple[str, str], tuple] = {}  # (category, severity) -> clock
        if self.working:
            start, end = settings.office_hours
            self.time = WorkingTime(WorkCalendar.from_settings(settings), start, end)

    def due_times(self, case: Case) -> Tuple[dt.datetime, dt.datetime, str, str]:
        """(reply due, close due, reply explanation, close explanation)."""
        start = case.received_at
        if not self.working:
            # The lengths depend on category and severity alone: work them out once for each.
            key = (case.category, case.severity)
            hit = self._calendar.get(key)
            if hit is None:
                hit = self._calendar[key] = self._calendar_clock(case)
            reply, close, r_why, c_why = hit
            return start + reply, start + close, r_why, c_why
        reply_h, close_d = clock_lengths(case, self.settings)
        reply_due, r_skip = self.time.add_hours(start, reply_h)
        close_due, c_skip = self.time.add_days(start, close_d)
        return (reply_due, close_due, self._explain(reply_h, "clock.working_hours", r_skip),
                self._explain(close_d, "clock.working_days", c_skip))

    def _calendar_clock(self, case: Case) -> Tuple[dt.timedelta, dt.timedelta, str, str]:
        reply_h, close_d = clock_lengths(case, self.settings)
        lang = self.language
        return (dt.timedelta(hours=reply_h), dt.timedelta(days=close_d),
                msg(lang, "clock.after_receipt_hours", n=_num(reply_h)),
                msg(lang, "clock.after_receipt_days", n=_num(close_d)))

    def _explain(self, amount: float, unit: str, skipped: List[dt.date]) -> str:
        text = msg(self.language, unit, n=_num(amount))
        if skipped:
            ranges = _describe_ranges(_skipped_ranges(skipped), self.language)
            text += msg(self.language, "clock.skipped", ranges=ranges)
        return text


def _num(x: float):
    """A whole amount as an int (3, not 3.0), so that "{n:day|days}" can count it."""
    return int(x) if float(x).is_integer() else float(x)


# --- statuses ------------------------------------------------------------------------------
def clock_status(done: Optional[dt.datetime], due: dt.datetime, as_of: dt.datetime,
                 due_soon: dt.timedelta) -> str:
    """pending | due_soon | overdue | on_time | late for one clock at the as-of time."""
    if done is not None:
        return "on_time" if done <= due else "late"
    if as_of > due:
        return "overdue"
    if as_of >= due - due_soon:
        return "due_soon"
    return "pending"


def effective_times(case: Case, as_of: dt.datetime
                    ) -> Tuple[Optional[dt.datetime], Optional[dt.datetime]]:
    """(reply time, close time) as known at the as-of time.

    Times after as-of are ignored; a case closed without a reply time counts as replied when
    it was closed.
    """
    replied = case.replied_at if case.replied_at is not None and case.replied_at <= as_of else None
    closed = case.closed_at if case.closed_at is not None and case.closed_at <= as_of else None
    return (replied if replied is not None else closed), closed


# --- repeats -------------------------------------------------------------------------------
def find_repeats(cases: Sequence[Case], window_hours: float) -> Dict[int, str]:
    """Row -> case id of the original complaint, for every case that repeats an earlier one.

    X repeats Y when Y was received strictly earlier and at most the window before X, with the
    same customer identity and category. X links to the latest such Y, and the chain is
    followed back to its first case.
    """
    window = dt.timedelta(hours=window_hours)
    # Most customers complain once: keep a lone case itself, a list only from the second,
    # so a million-row register does not build a million lists.
    by_customer: Dict[str, object] = {}
    for case in cases:
        if case.identity is None:
            continue
        seen = by_customer.get(case.identity)
        if seen is None:
            by_customer[case.identity] = case
        elif isinstance(seen, list):
            seen.append(case)
        else:
            by_customer[case.identity] = [seen, case]
    groups: Dict[Tuple, List[Case]] = {}
    for seen in by_customer.values():
        if not isinstance(seen, list):
            continue
        for case in seen:
            cat = category_key(case.category)
            if cat is not None:
                groups.setdefault((case.identity, cat), []).append(case)
    del by_customer
    roots: Dict[int, str] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        # Among cases received at the same moment the top-most row counts as the latest.
        members.sort(key=lambda c: (c.received_at, -c.row))
        root_of: Dict[int, Case] = {}
        latest_earlier: Optional[Case] = None  # latest case received strictly before `case`
        i = 0
        for case in members:
            while members[i].received_at < case.received_at:
                latest_earlier = members[i]
                i += 1
            if (latest_earlier is not None
                    and case.received_at - latest_earlier.received_at <= window):
                root = root_of.get(latest_earlier.row, latest_earlier)
                root_of[case.row] = root
                roots[case.row] = root.case_id
    return roots


# --- escalation ----------------------------------------------------------------------------
def escalation_level(reply_status: str, close_status: str, reply_due: dt.datetime,
                     close_due: dt.datetime, closed: bool, repeat: bool, severity: str,
                     as_of: dt.datetime, settings,
                     first_response_due: Optional[dt.datetime] = None) -> int:
    """0 handler ... 5 general manager, by overdue time, repeat and severity
    (``first_response_due``: the due time of an overdue first-response clock)."""
    if closed:
        return 0
    e = settings.conf.escalation
    overdue_dues = [due for status, due in ((reply_status, reply_due), (close_status, close_due))
                    if status == "overdue"]
    if first_response_due is not None:
        overdue_dues.append(first_response_due)
    steps = 0
    if overdue_dues:
        hours = (as_of - min(overdue_dues)) / HOUR
        steps = 1 + int(hours // e.step_hours)
    bump = e.repeat_bump if repeat else 0
    floor = e.severity_floor.get(severity, 0)
    return int(min(e.max_level, max(steps + bump, floor)))


def person_at(level: int, case: Case, settings, language: Optional[str] = None) -> str:
    """Who acts at this level: the handler at 0, else the named person for the department,
    else the level's title in ``language`` (the register's; default the settings')."""
    titles = LEVEL_TITLES["zh" if (language or settings.language) == "zh" else "en"]
    if level <= 0:
        return case.handler or titles[0]
    people = settings.conf.escalation.people
    names = people.get(case.department) or people.get("*") or ()
    if names == DEFAULT_TITLES:  # the default file's titles name no one: the register's words
        names = ()
    if level - 1 < len(names) and names[level - 1]:
        return names[level - 1]
    return titles[min(level, 5)]


# --- the whole judgement -------------------------------------------------------------------
def judge(cases: List[Case], settings, as_of: dt.datetime, consume: bool = False,
          visit: Optional[Callable[[Case, Judgement], None]] = None, *,
          language: Optional[str] = None, followup: bool = False) -> List[Judgement]:
    """One Judgement per case, in the same order.

    ``consume`` empties ``cases`` as it goes, so a caller that needs only the judgements
    never holds both lists of a large register at once; ``visit(case, judgement)`` sees each
    pair before its case goes. ``language`` names the titles of the escalation levels (the
    register's); ``followup`` judges the follow-up clock (the register has a 回访时间 column).
    """
    clocks = Clocks(settings)
    conf = settings.conf
    soon = dt.timedelta(hours=conf.clocks.due_soon_hours)
    repeats = find_repeats(cases, conf.repeats_window_hours)
    satisfied = satisfaction_judge(list(conf.kpis.satisfied_answers),
                                   conf.kpis.satisfied_min_score)
    first_response = (dt.timedelta(minutes=conf.clocks.first_response_minutes)
                      if conf.clocks.first_response else None)
    followup_after = dt.timedelta(days=conf.clocks.followup_days)
    followup_window = dt.timedelta(days=conf.clocks.followup_window_days)
    agreed_words = _AGREED["zh" if clocks.language == "zh" else "en"]
    out = []
    for i, case in enumerate(cases):
        if consume:
            cases[i] = None  # frees the case once judged
        reply_due, close_due, r_why, c_why = clocks.due_times(case)
        # An agreed reply time or an extension replaces the clock's due time (and says so).
        if case.agreed_reply_at is not None:
            reply_due, r_why = case.agreed_reply_at, agreed_words[0]
        if case.extended_to is not None:
            close_due, c_why = case.extended_to, agreed_words[1]
        replied, closed = effective_times(case, as_of)
        r_status = clock_status(replied, reply_due, as_of, soon)
        c_status = clock_status(closed, close_due, as_of, soon)
        repeat_of = repeats.get(case.row)
        fr_due = fr_status = None
        if first_response is not None:
            fr_due, fr_status = _first_response(case, replied, as_of, first_response)
        level = escalation_level(r_status, c_status, reply_due, close_due, closed is not None,
                                 repeat_of is not None, case.severity, as_of, settings,
                                 fr_due if fr_status == "overdue" else None)
        fu_due = fu_status = None
        if followup and closed is not None:
            fu_due = closed + followup_after
            fu_status = followup_status(case.followup_at, fu_due, as_of, followup_window)
        out.append(made(Judgement, (
            case.case_id, case.row, reply_due, close_due, r_status, c_status, repeat_of, level,
            person_at(level, case, settings, language), replied, closed,
            satisfied(case.satisfaction),
            r_why, c_why, replied is not None or reply_due <= as_of,
            fr_due, fr_status or "", fu_due, fu_status or "")))
        if visit is not None:
            visit(case, out[-1])
    if consume:
        cases.clear()
    return out


_AGREED = {lang: (msg(lang, "clock.agreed"), msg(lang, "clock.extended")) for lang in LANGUAGES}


def _first_response(case, replied: Optional[dt.datetime], as_of: dt.datetime,
                    length: dt.timedelta) -> Tuple[dt.datetime, str]:
    """(due, status) of the first-response clock: the first contact (else the reply) must
    come within ``length`` of receipt. A reply is a contact too."""
    due = case.received_at + length
    contact = case.first_contact_at
    if contact is None or contact > as_of:
        contact = replied
    if contact is not None:
        return due, "on_time" if contact <= due else "late"
    return due, "overdue" if as_of > due else "pending"


def followup_status(done: Optional[dt.datetime], due: dt.datetime, as_of: dt.datetime,
                    window: dt.timedelta) -> str:
    """pending | due | overdue | done for the follow-up call of a closed case."""
    if done is not None and done <= as_of:
        return "done"
    if as_of < due:
        return "pending"
    return "due" if as_of <= due + window else "overdue"


# --- verdicts: each judgement classified once, read by every report, sheet and list -------
class Verdict(NamedTuple):
    """What a judgement means for the lists and the counts."""

    overdue: bool     # a clock is overdue
    due_soon: bool    # a clock is due soon and none is overdue
    repeat: bool
    escalated: bool
    closed: bool
    followup: str     # "" | pending | due | overdue | done


def is_overdue(j: Judgement) -> bool:
    """True when any clock of the case is overdue at the as-of time."""
    return (j.reply_status == "overdue" or j.close_status == "overdue"
            or j.first_response_status == "overdue")


def is_due_soon(j: Judgement) -> bool:
    """True when a clock is due soon and none is overdue (an overdue case is listed once,
    as overdue)."""
    return ((j.reply_status == "due_soon" or j.close_status == "due_soon")
            and not is_overdue(j))


def verdict(j: Judgement) -> Verdict:
    """The classification of one judgement."""
    return Verdict(is_overdue(j), is_due_soon(j), j.repeat_of is not None, j.escalation > 0,
                   j.closed_at is not None, j.followup_status)


def clocks_in(j: Judgement, status: str, language: str) -> List[Tuple[dt.datetime, str]]:
    """[(due, clock name)] of the case's clocks in this status, earliest first."""
    found = [(j.reply_due, msg(language, "clock.reply")),
             (j.close_due, msg(language, "clock.close"))]
    statuses = [j.reply_status, j.close_status]
    if j.first_response_due is not None:
        found.append((j.first_response_due, msg(language, "clock.first_response")))
        statuses.append(j.first_response_status)
    return sorted(item for item, s in zip(found, statuses) if s == status)


class Tally(NamedTuple):
    """The counts every report shows, from the verdicts."""

    cases: int
    overdue: int
    due_soon: int
    repeats: int
    escalated: int
    by_level: Dict[int, int]        # level -> cases, levels 1-5 only
    followup: Dict[str, int]        # follow-up status -> cases (empty without the column)


def tally(judgements: Iterable[Judgement]) -> Tally:
    """Count the verdicts of these judgements."""
    n = overdue = soon = repeats = 0
    levels: Dict[int, int] = {}
    followup: Dict[str, int] = {}
    for j in judgements:
        n += 1
        late = is_overdue(j)
        overdue += late
        if not late and (j.reply_status == "due_soon" or j.close_status == "due_soon"):
            soon += 1
        repeats += j.repeat_of is not None
        if j.escalation:
            levels[j.escalation] = levels.get(j.escalation, 0) + 1
        if j.followup_status:
            followup[j.followup_status] = followup.get(j.followup_status, 0) + 1
    return Tally(n, overdue, soon, repeats, sum(levels.values()), dict(sorted(levels.items())),
                 followup)
