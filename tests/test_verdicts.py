"""Each judgement is classified once, in the rules; the counts come from that one place."""

import datetime as dt

import pytest

from officebot.records import Judgement
from officebot.rules import (CLOCK_WORDS, WORD_TO_STATUS, is_due_soon, is_overdue, tally,
                             verdict)

T = dt.datetime(2026, 3, 10, 12)


def j(reply, close, repeat=None, level=0, closed=None, fr="", followup=""):
    return Judgement("C", 3, T, T, reply, close, repeat, level, "", None, closed, None,
                     first_response_status=fr, followup_status=followup)


@pytest.mark.parametrize("reply, close, fr, overdue, soon", [
    ("overdue", "due_soon", "", True, False),   # the case the terminal and sheet disagreed on
    ("on_time", "due_soon", "", False, True),
    ("due_soon", "pending", "", False, True),
    ("late", "overdue", "", True, False),
    ("pending", "pending", "overdue", True, False),
    ("on_time", "on_time", "", False, False),
])
def test_overdue_and_due_soon(reply, close, fr, overdue, soon):
    x = j(reply, close, fr=fr)
    assert (is_overdue(x), is_due_soon(x)) == (overdue, soon)
    assert (verdict(x).overdue, verdict(x).due_soon) == (overdue, soon)


def test_tally():
    t = tally([j("overdue", "due_soon", level=2), j("on_time", "due_soon", repeat="C0", level=1),
               j("on_time", "on_time", closed=T, followup="done"), j("pending", "pending")])
    assert (t.cases, t.overdue, t.due_soon, t.repeats, t.escalated) == (4, 1, 1, 1, 2)
    assert t.by_level == {1: 1, 2: 1} and t.followup == {"done": 1}


def test_one_word_table_reads_old_words_too():
    assert CLOCK_WORDS["zh"]["on_time"] == "按时完成"
    assert WORD_TO_STATUS["按时"] == "on_time" and WORD_TO_STATUS["按时完成"] == "on_time"
    assert WORD_TO_STATUS["Overdue"] == "overdue"
