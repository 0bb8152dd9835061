import datetime as dt

import pytest

from officebot.kpis import compute_kpis, kpis_by
from officebot.records import Case
from officebot.rules import (Clocks, WorkCalendar, WorkingTime, clock_status, effective_times,
                             escalation_level, find_repeats, judge, person_at)
from officebot.settings import Settings, load_settings

D = dt.datetime
T = D(2026, 3, 10, 12, 0)
H = dt.timedelta(hours=1)


def case(row, received, **kw):
    kw.setdefault("case_id", f"C{row}")
    return Case(row=row, received_at=received, **kw)


def settings(**changes):
    s = load_settings()
    for path, value in changes.items():
        node = s.data
        keys = path.split("__")
        for k in keys[:-1]:
            node = node[k]
        node[keys[-1]] = value
    return Settings(s.data)


@pytest.mark.parametrize("done, due, expected", [
    (T - H, T, "on_time"), (T, T, "on_time"), (T + H, T, "late"),
    (None, T - dt.timedelta(seconds=1), "overdue"),
    (None, T, "due_soon"),                    # due exactly now: not yet overdue
    (None, T + 12 * H, "due_soon"),           # the due-soon window includes its start
    (None, T + 12 * H + dt.timedelta(seconds=1), "pending"),
])
def test_clock_status(done, due, expected):
    assert clock_status(done, due, T, 12 * H) == expected


def test_calendar_due_times_and_date_only_values():
    c = case(1, D(2026, 3, 5))
    reply, close, why, _ = Clocks(settings()).due_times(c)
    assert reply == D(2026, 3, 7) and close == D(2026, 3, 12)
    assert "48" in why


def test_overrides_severity_wins_over_category():
    s = settings(clocks__category={"产品质量": {"reply_hours": 24}},
                 clocks__severity={"危机": {"reply_hours": 2, "close_days": 1}})
    clocks = Clocks(s)
    r = D(2026, 3, 5, 9)
    assert clocks.due_times(case(1, r, category="产品质量类"))[0] == r + 24 * H
    assert clocks.due_times(case(2, r, category="产品质量类", severity="危机"))[:2] == (
        r + 2 * H, r + 24 * H)
    assert clocks.due_times(case(3, r, category="服务"))[0] == r + 48 * H


def test_effective_times_ignore_the_future_and_close_counts_as_reply():
    c = case(1, D(2026, 3, 1), replied_at=T + H, closed_at=D(2026, 3, 2))
    assert effective_times(c, T) == (D(2026, 3, 2), D(2026, 3, 2))
    c = case(1, D(2026, 3, 1), replied_at=D(2026, 3, 1, 5), closed_at=T + H)
    assert effective_times(c, T) == (D(2026, 3, 1, 5), None)
    c = case(1, D(2026, 3, 1), closed_at=T)
    assert effective_times(c, T) == (T, T)


# --- working time --------------------------------------------------------------------------
def working(**kw):
    return WorkingTime(WorkCalendar(**kw), dt.time(9), dt.time(17, 30))


def test_working_hours_skip_the_national_day_holiday():
    due, skipped = working().add_hours(D(2026, 9, 30, 16, 0), 10)
    # 1.5 h on 30 Sep, holiday 1-7 Oct, then a full 8.5 h day on 8 Oct
    assert due == D(2026, 10, 8, 17, 30)
    assert skipped[0] == dt.date(2026, 10, 1) and dt.date(2026, 10, 7) in skipped


def test_adjusted_working_saturday_counts():
    cal = WorkCalendar()
    assert cal.is_workday(dt.date(2026, 10, 10))       # 调休: Saturday worked
    assert not cal.is_workday(dt.date(2026, 10, 11))
    assert not cal.is_workday(dt.date(2026, 10, 3))
    # received Friday 9 Oct 17:00: 0.5 h that day, then Saturday 10 Oct counts
    due, _ = working().add_hours(D(2026, 10, 9, 17, 0), 2)
    assert due == D(2026, 10, 10, 10, 30)


def test_extra_days_off_and_make_up_days():
    cal = WorkCalendar(chinese_holidays=False, extra_holidays=[dt.date(2026, 3, 9)],
                       extra_workdays=[dt.date(2026, 3, 7)])
    assert cal.is_workday(dt.date(2026, 3, 7))       # a Saturday made a working day
    assert not cal.is_workday(dt.date(2026, 3, 9))   # a Monday off


def test_received_outside_office_hours_starts_next_morning():
    due, skipped = working(chinese_holidays=False).add_hours(D(2026, 3, 6, 20, 0), 1)
    assert due == D(2026, 3, 9, 10, 0)  # Friday night -> Monday 10:00
    assert skipped == [dt.date(2026, 3, 7), dt.date(2026, 3, 8)]


def test_working_days_for_the_close_clock_and_explanation():
    s = settings(clocks__mode="working")
    reply, close, r_why, c_why = Clocks(s).due_times(case(1, D(2026, 9, 30, 10, 0)))
    assert close == D(2026, 10, 15, 10, 0)   # 7 working days: 8, 9, 10 (调休 Sat), 12-15 Oct
    assert "2026-10-01" in c_why and "跳过" in c_why
    assert reply > D(2026, 10, 8)


# --- repeats -------------------------------------------------------------------------------
def rep(row, received, who="tel:1", category="服务", **kw):
    return case(row, received, identity=who, category=category, **kw)


def test_repeat_window_boundary_is_inclusive():
    base = D(2026, 3, 1, 9)
    cases = [rep(1, base), rep(2, base + dt.timedelta(days=30)),
             rep(3, base + dt.timedelta(days=60, seconds=1))]
    assert find_repeats(cases, 720) == {2: "C1"}


def test_repeat_needs_strictly_earlier_and_same_category_and_identity():
    base = D(2026, 3, 1, 9)
    cases = [rep(1, base), rep(2, base),                          # same moment: no repeat
             rep(3, base + H, category="服务类"),                   # suffix 类 ignored
             rep(4, base + H, who="tel:2"),                        # another customer
             rep(5, base + H, category=""),                         # blank matches nothing
             rep(6, base + 2 * H, category=""), rep(7, base + 3 * H, category="产品")]
    assert find_repeats(cases, 720) == {3: "C1"}


def test_repeat_chain_follows_back_to_the_first_case():
    base = D(2026, 1, 1)
    cases = [rep(1, base), rep(2, base + dt.timedelta(days=20)),
             rep(3, base + dt.timedelta(days=40)), rep(4, base + dt.timedelta(days=75))]
    # 3 is 40 days after 1 but 20 after 2, so its chain still starts at 1; 4 is 35 days
    # after 3: a new chain.
    assert find_repeats(cases, 720) == {2: "C1", 3: "C1"}


def test_repeat_order_of_rows_does_not_matter():
    base = D(2026, 1, 1)
    cases = [rep(9, base + 2 * H), rep(5, base + H), rep(7, base)]
    assert find_repeats(cases, 720) == {9: "C7", 5: "C7"}


# --- escalation ----------------------------------------------------------------------------
S = settings()


@pytest.mark.parametrize("statuses, due_hours_ago, closed, repeat, severity, expected", [
    (("pending", "pending"), 0, False, False, "一般", 0),
    (("overdue", "pending"), 0.01, False, False, "一般", 1),
    (("overdue", "pending"), 23.99, False, False, "一般", 1),
    (("overdue", "pending"), 24, False, False, "一般", 2),
    (("overdue", "pending"), 48, False, False, "一般", 3),
    (("overdue", "overdue"), 1000, False, False, "一般", 5),   # capped at 5
    (("late", "pending"), 100, False, False, "一般", 0),      # a late reply is not overdue
    (("pending", "pending"), 0, False, True, "一般", 1),      # repeat bump
    (("overdue", "pending"), 30, False, True, "一般", 3),
    (("pending", "pending"), 0, False, False, "严重", 2),
    (("overdue", "pending"), 1, False, False, "严重", 2),
    (("overdue", "pending"), 49, False, True, "严重", 4),
    (("pending", "pending"), 0, False, False, "危机", 4),
    (("overdue", "overdue"), 100, True, True, "危机", 0),      # closed
])
def test_escalation_level(statuses, due_hours_ago, closed, repeat, severity, expected):
    due = T - dt.timedelta(hours=due_hours_ago)
    later = T + 100 * H
    r_due = due if statuses[0] == "overdue" else later
    c_due = due if statuses[1] == "overdue" else later
    assert escalation_level(statuses[0], statuses[1], r_due, c_due, closed, repeat, severity,
                            T, S) == expected


def test_escalation_counts_from_the_earliest_overdue_due():
    assert escalation_level("overdue", "overdue", T - 30 * H, T - 2 * H, False, False, "一般",
                            T, S) == 2


def test_person_at_level():
    s = settings(escalation__people={"客服部": ["王组长", "李副经理"], "*": ["甲", "乙", "丙", "丁", "戊"]})
    c = case(1, T, department="客服部", handler="小张")
    assert person_at(0, c, s) == "小张"
    assert person_at(2, c, s) == "李副经理"
    assert person_at(3, c, s) == "部门主要领导"   # not named for this department: the title
    assert person_at(3, case(2, T, department="工程部"), s) == "丙"


# --- the whole judgement and KPIs ----------------------------------------------------------
def test_judge_and_kpis():
    cases = [
        case(1, T - 100 * H, replied_at=T - 90 * H, satisfaction="满意", identity="tel:1",
             category="服务"),                                   # on time
        case(2, T - 60 * H, replied_at=T - 5 * H, identity="tel:1", category="服务",
             satisfaction=5),                                    # late, repeat of 1
        case(3, T - 48 * H),                                     # reply due exactly now
        case(4, T - 10 * H, closed_at=T - 9 * H),                # closed = replied, on time
        case(5, T - 1 * H),                                      # not judged yet
        case(6, T - 50 * H, replied_at=T + H),                   # reply after T: overdue
    ]
    js = judge(cases, S, T)
    assert [j.reply_status for j in js] == ["on_time", "late", "due_soon", "on_time",
                                            "pending", "overdue"]
    assert js[1].repeat_of == "C1" and js[0].repeat_of is None
    assert [j.judged for j in js] == [True, True, True, True, False, True]
    k = compute_kpis(js, S)
    assert (k.total, k.judged) == (6, 5)
    assert k.kpis["reply_rate"][1:3] == (3, 5)
    assert k.kpis["on_time_reply_rate"][1:3] == (2, 5)
    assert k.kpis["repeat_rate"].value == pytest.approx(1 / 6)
    assert k.kpis["repeat_rate"].meets is False
    assert k.kpis["satisfaction_rate"][1:3] == (1, 2)
    by_month = kpis_by(cases, js, "month", S)
    assert list(by_month) == ["2026-03"]


def test_kpis_are_none_without_a_denominator():
    k = compute_kpis([], S)
    assert all(kpi.value is None and kpi.meets is None for kpi in k.kpis.values())
