"""Properties of the rules, checked on generated registers (hypothesis): statuses that never
contradict each other, judging that does not depend on row order, repeat chains that end at
the earliest case, escalation that never falls while an open case waits, and working-time
due times never earlier than the calendar ones."""

import datetime as dt
import os

from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from officebot.records import Case
from officebot.rules import judge, verdict
from officebot.values import category_key

from test_rules import settings as make_settings

EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES", "60"))
PROFILE = hsettings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
START = dt.datetime(2025, 9, 1)
STATUSES = {"pending", "due_soon", "overdue", "on_time", "late"}


CALENDAR = make_settings()
WORKING = make_settings(clocks__mode="working")

minutes = st.integers(min_value=0, max_value=240 * 24 * 60)
offset = st.one_of(st.none(), st.integers(min_value=-120, max_value=30 * 24 * 60))


@st.composite
def registers(draw, max_size=25):
    """Cases on rows 3, 4, ...: few customers and categories, so repeats happen."""
    n = draw(st.integers(min_value=0, max_value=max_size))
    cases = []
    for i in range(n):
        received = START + dt.timedelta(minutes=draw(minutes))
        reply, close = draw(offset), draw(offset)
        cases.append(Case(
            row=3 + i, case_id=f"C{i}", received_at=received,
            category=draw(st.sampled_from(["服务", "服务类", "账单", "", "网络"])),
            severity=draw(st.sampled_from(["一般", "一般", "严重", "危机"])),
            department=draw(st.sampled_from(["客服部", "网络部", ""])),
            handler="李四",
            replied_at=None if reply is None else received + dt.timedelta(minutes=reply),
            closed_at=None if close is None else received + dt.timedelta(minutes=close),
            identity=draw(st.sampled_from([None, "tel:13800138000", "tel:13900139000",
                                           "mail:a@b.cn", "name:张三"]))))
    return cases


as_ofs = st.integers(min_value=0, max_value=300 * 24 * 60).map(
    lambda m: START + dt.timedelta(minutes=m))


@PROFILE
@given(registers(), as_ofs)
def test_statuses_never_contradict_each_other(cases, as_of):
    soon = dt.timedelta(hours=CALENDAR.conf.clocks.due_soon_hours)
    by_row = {c.row: c for c in cases}
    ids = {c.case_id: c for c in cases}
    for j in judge(list(cases), CALENDAR, as_of):
        case = by_row[j.row]
        assert j.reply_status in STATUSES and j.close_status in STATUSES
        for status, done, due in ((j.reply_status, j.replied_at, j.reply_due),
                                  (j.close_status, j.closed_at, j.close_due)):
            assert (done is not None) == (status in ("on_time", "late"))
            if done is not None:
                assert done <= as_of and (status == "on_time") == (done <= due)
            elif status == "overdue":
                assert as_of > due
            elif status == "due_soon":
                assert due - soon <= as_of <= due
            else:
                assert as_of < due - soon
        if j.closed_at is not None:  # a closed case was answered and is back with its handler
            assert j.replied_at is not None and j.escalation == 0
        v = verdict(j)
        assert not (v.overdue and v.due_soon)
        assert 0 <= j.escalation <= 5
        if j.closed_at is None and case.severity == "严重":
            assert j.escalation >= 2
        if j.closed_at is None and case.severity == "危机":
            assert j.escalation >= 4
        if j.repeat_of is not None:
            first = ids[j.repeat_of]
            assert first.case_id != j.case_id and first.received_at < case.received_at
            assert first.identity == case.identity
            assert category_key(first.category) == category_key(case.category) is not None
        assert j.judged == (j.replied_at is not None or j.reply_due <= as_of)


@PROFILE
@given(registers(), as_ofs, st.randoms(use_true_random=False))
def test_judging_is_deterministic_and_independent_of_row_order(cases, as_of, rnd):
    first = {j.row: j for j in judge(list(cases), CALENDAR, as_of)}
    again = {j.row: j for j in judge(list(cases), CALENDAR, as_of)}
    shuffled = list(cases)
    rnd.shuffle(shuffled)
    mixed = {j.row: j for j in judge(shuffled, CALENDAR, as_of)}
    assert first == again == mixed


@PROFILE
@given(registers(max_size=40))
def test_repeat_chains_end_at_the_earliest_case(cases):
    js = {j.case_id: j for j in judge(list(cases), CALENDAR, START)}
    by_id = {c.case_id: c for c in cases}
    window = dt.timedelta(hours=CALENDAR.conf.repeats_window_hours)
    for j in js.values():
        if j.repeat_of is None:
            continue
        root = by_id[j.repeat_of]
        assert js[root.case_id].repeat_of is None  # the first complaint repeats nothing
        chain = [c for c in cases if js[c.case_id].repeat_of == root.case_id]
        assert all(root.received_at < c.received_at for c in chain)
        # every link of the chain is within the window of an earlier member of it
        members = sorted(chain + [root], key=lambda c: c.received_at)
        for c in members[1:]:
            assert any(m.received_at < c.received_at <= m.received_at + window
                       for m in members if m is not c)


@PROFILE
@given(registers(), as_ofs, st.integers(min_value=1, max_value=60 * 24 * 60))
def test_escalation_never_falls_while_an_open_case_waits(cases, as_of, later):
    """Between two as-of times at which nothing happened to a case (no reply or close came
    in between) and it is still open, its escalation level only rises."""
    as_of2 = as_of + dt.timedelta(minutes=later)
    before = {j.row: j for j in judge(list(cases), CALENDAR, as_of)}
    after = {j.row: j for j in judge(list(cases), CALENDAR, as_of2)}
    for case in cases:
        events = [t for t in (case.replied_at, case.closed_at) if t is not None]
        if any(as_of < t <= as_of2 for t in events):
            continue
        if after[case.row].closed_at is None:
            assert after[case.row].escalation >= before[case.row].escalation, case


@PROFILE
@given(registers(max_size=10))
def test_working_time_due_is_never_earlier_than_calendar_due(cases):
    calendar = judge(list(cases), CALENDAR, START)
    working = judge(list(cases), WORKING, START)
    for c, w in zip(calendar, working):
        assert w.reply_due >= c.reply_due, (c, w)
        assert w.close_due >= c.close_due, (c, w)
