"""What the status columns say of each judged row, worked out once from the judgements and
held in flat arrays: the status writer writes it and the change log compares with it.

A run lets the judgement records go once this is made (batch): at 100k rows they are most of
what is alive while the register is written. Repeating values (status words, names, notes)
are kept once, each row holding its index into them.
"""

import datetime as dt
from array import array
from bisect import bisect_left
from operator import attrgetter
from typing import Dict, Iterable, List, NamedTuple, Optional

from ..durations import duration_text
from ..messages import msg
from ..records import Judgement
from ..rules import CLOCK_WORDS, is_overdue
from ..values import to_serial


def note_text(j, as_of: dt.datetime, language: str, days_after_hours: float) -> str:
    """A short note on the clocks that matter now, e.g. "答复还有5小时到期",
    "答复已逾期2天3小时，结案已逾期1天" (every overdue clock), "close overdue 2 d 4 h"."""
    if j.closed_at is not None:
        return msg(language, "columns.closed")
    clocks = [(msg(language, "columns.clock.reply"), j.reply_due)] if j.replied_at is None \
        else []
    clocks.append((msg(language, "columns.clock.close"), j.close_due))
    late = [(clock, due) for clock, due in clocks if due < as_of]
    notes = []
    for clock, due in late or clocks[:1]:
        hours = (due - as_of).total_seconds() / 3600
        amount = duration_text(hours, language, days_after_hours)
        if hours >= 0:
            notes.append(msg(language, "columns.due_in", clock=clock, amount=amount))
        else:
            notes.append(msg(language, "columns.overdue_by", clock=clock, amount=amount))
    return msg(language, "columns.note_sep").join(notes)


class JudgedCase(NamedTuple):
    """What the change log notes of a judged row's case."""

    case_id: str
    overdue: bool     # any clock overdue (rules.is_overdue)
    escalation: int


class Repeating:
    """A column of values that repeat: each distinct value kept once, a row its index (in
    as few bytes as the number of values needs)."""

    __slots__ = ("values", "codes")

    def __init__(self, seen: Dict[object, int], codes: array):
        """``seen``: value -> index, in the order first seen; ``codes``: each row's index."""
        self.values: List[object] = list(seen)
        width = "B" if len(seen) <= 0x100 else "H" if len(seen) <= 0x10000 else "I"
        self.codes = array(width, codes)

    def __getitem__(self, i: int):
        return self.values[self.codes[i]]


class StatusRows:
    """The status values of each judged row (``rows``, ascending), in ``language``'s words;
    ``find(row)`` gives a row's index (-1 when it was not judged) for ``values(i)``."""

    def __init__(self, judgements: Iterable[Judgement], as_of: dt.datetime, language: str,
                 date1904: bool = False, note_days: float = 48):
        words = CLOCK_WORDS[language]
        self.rows = array("i")  # row numbers fit (1,048,576 at most)
        self.reply_due = array("d")
        self.close_due = array("d")
        self.levels = array("B")
        self.overdue = array("B")
        self.case_ids: List[str] = []
        replies, closes, repeats, people, notes = ({} for _ in range(5))
        reply_codes, close_codes, repeat_codes, person_codes, note_codes = (
            array("I") for _ in range(5))
        # setdefault gives a new value the next index: no look-up function called per row
        for j in sorted(judgements, key=attrgetter("row")):
            self.rows.append(j.row)
            self.case_ids.append(j.case_id)
            self.reply_due.append(to_serial(j.reply_due, date1904))
            self.close_due.append(to_serial(j.close_due, date1904))
            value = words.get(j.reply_status, j.reply_status)
            reply_codes.append(replies.setdefault(value, len(replies)))
            value = words.get(j.close_status, j.close_status)
            close_codes.append(closes.setdefault(value, len(closes)))
            repeat_codes.append(repeats.setdefault(j.repeat_of or None, len(repeats)))
            self.levels.append(j.escalation)
            person_codes.append(people.setdefault(j.escalate_to or None, len(people)))
            value = note_text(j, as_of, language, note_days)
            note_codes.append(notes.setdefault(value, len(notes)))
            self.overdue.append(is_overdue(j))
        self.reply_status = Repeating(replies, reply_codes)
        self.close_status = Repeating(closes, close_codes)
        self.repeat_of = Repeating(repeats, repeat_codes)
        self.escalate_to = Repeating(people, person_codes)
        self.note = Repeating(notes, note_codes)
        self._next = 0  # the index after the last one found: rows are asked for in order

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def last_row(self) -> Optional[int]:
        """The last judged row (None when no row was judged)."""
        return self.rows[-1] if self.rows else None

    def find(self, row: int) -> int:
        """The index of ``row``'s values, -1 when it was not judged."""
        rows, i = self.rows, self._next
        if i < len(rows) and rows[i] == row:  # the next judged row, as the sheet streams by
            self._next = i + 1
            return i
        i = bisect_left(rows, row)
        if i < len(rows) and rows[i] == row:
            self._next = i + 1
            return i
        return -1

    def case(self, i: int) -> JudgedCase:
        """The case of the ``i``-th judged row, as the change log notes it."""
        return JudgedCase(self.case_ids[i], bool(self.overdue[i]), self.levels[i])

    def values(self, i: int) -> Dict[str, object]:
        """The status values of the ``i``-th judged row (None: an empty cell); the letters
        and the mail status are the writer's to add."""
        return {
            "reply_due": self.reply_due[i],
            "close_due": self.close_due[i],
            "reply_status": self.reply_status[i],
            "close_status": self.close_status[i],
            "repeat_of": self.repeat_of[i],
            "escalation": self.levels[i],
            "escalate_to": self.escalate_to[i],
            "letters": None,
            "note": self.note[i],
            "mailed": None,
        }
