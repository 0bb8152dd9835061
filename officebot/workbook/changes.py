"""What a run changed in the status columns, for the change log and --dry-run.

Old status cells are decoded only to be compared with the new values (never as input to the
rules): a case that became overdue or was escalated since the last run is reported.
"""

import re
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional

from lxml import etree

from .. import rowscan
from ..package import cell_value as decode_cell

_V = re.compile(rb"<((?:\w+:)?)v>([^<]*)</(?:\w+:)?v>")
_IS = re.compile(rb'<((?:\w+:)?)is><(?:\w+:)?t(?: xml:space="preserve")?>([^<]*)'
                 rb"</(?:\w+:)?t></(?:\w+:)?is>")
_T = re.compile(rb'(?:^|\s)t="(\w+)"')
SAMPLE_LIMIT = 200


def cell_value(attrs: bytes, body: bytes, shared: Callable[[int], Optional[str]]):
    """The value of one <c> element (its attributes and body), decoded as the reader decodes
    cells: read as XML reads it (rowscan; lxml for anything but a plain <v> or <is><t>),
    then package.cell_value; ``shared`` looks up a shared string."""
    body = body or b""
    if not rowscan.odd(body) and b"'" not in attrs and b"]]>" not in body:
        t = _T.search(attrs)
        kind = t.group(1).decode("ascii") if t else ("n" if b"t=" not in attrs else None)
        m = (_IS if kind == "inlineStr" else _V).fullmatch(body) if kind else None
        if m is not None or (kind and not body):
            try:
                raw = m.group(2) if m else None
                v = None if kind == "inlineStr" or raw is None else rowscan.text(raw)
                inline = rowscan.text(raw) if kind == "inlineStr" and raw is not None \
                    else None
                return decode_cell(kind, v, inline, shared)
            except rowscan.NotPlain:
                pass
    prefix = re.match(rb"<((?:\w+:)?)", body)
    p = prefix.group(1) if prefix else b""
    try:
        root = rowscan.Context(p).parse(b"<%sc%s>%s</%sc>" % (p, attrs, body, p))
    except etree.XMLSyntaxError:
        return None  # not a cell XML reads: its old value is unknown
    cell = rowscan.cell_of(root[0], 0)
    return decode_cell(cell.t, cell.v, cell.inline, shared)


@dataclass
class StatusChanges:
    """What the rewrite changed, collected while streaming."""

    newly_overdue: List[str] = field(default_factory=list)
    newly_escalated: List[str] = field(default_factory=list)
    cells_changed: int = 0
    rows_changed: int = 0
    samples: List[str] = field(default_factory=list)

    def compare(self, row_no: int, keys, previous: Dict[str, object],
                values: Dict[str, object], judged, label: Callable[[str], str],
                where: str, was_status: Callable[[object], Optional[str]]) -> None:
        """Count the cells of ``keys`` whose value changed; note newly overdue or escalated
        cases. ``judged``: the row's case (statusrows.JudgedCase), None for a problem row;
        ``where`` names the row, ``was_status`` reads an old status word."""
        if not previous and len(self.samples) >= SAMPLE_LIMIT:  # a first run's later rows
            given = list(map(values.get, keys))  # counted in C: 10^6 rows on a first run
            changed = len(given) - given.count(None) - given.count("")
            keys = ()
        else:
            changed = 0
        for key in keys:
            old, new = previous.get(key), values.get(key)
            if same(old, new):
                continue
            changed += 1
            if len(self.samples) < SAMPLE_LIMIT:
                case = judged.case_id if judged is not None else ""
                self.samples.append(f"{where}{f' ({case})' if case else ''}: {label(key)}: "
                                    f"{show(old)} -> {show(new)}")
        if changed:
            self.cells_changed += changed
            self.rows_changed += 1
        if judged is None:
            return
        was_overdue = "overdue" in (was_status(previous.get("reply_status")),
                                    was_status(previous.get("close_status")))
        if judged.overdue and not was_overdue:
            self.newly_overdue.append(judged.case_id)
        try:
            old_level = int(previous.get("escalation") or 0)
        except (TypeError, ValueError):
            old_level = 0
        if judged.escalation > old_level:
            self.newly_escalated.append(judged.case_id)


def same(old, new) -> bool:
    """Whether an old cell value and a new one are the same for the change log."""
    if old is None or old == "":
        return new is None or new == ""
    if isinstance(new, float) and isinstance(old, (int, float)):
        return abs(old - new) < 1e-9
    if isinstance(new, int) and isinstance(old, (int, float)):
        return old == new
    return str(old) == str(new)


def show(value) -> str:
    """A value as the change log shows it."""
    if value is None or value == "":
        return "(empty)"
    return repr(value) if isinstance(value, str) else str(value)
