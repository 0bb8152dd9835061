"""The register as the second record of what was mailed: its 函件发送 / Letters mailed cells
name each letter sent with its Message-ID, so that a lost, renamed or damaged journal is
rebuilt from them and a letter either record calls sent is never sent again."""

import datetime as dt
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from ..fields import STATUS_COLUMNS
from ..xlsx import Workbook
from .addresses import case_key
from .ledger import MailLedger, fold
from .status import MAIL_KEY, parse_status_cell

MAILED_HEADERS = {h for key, zh, en in STATUS_COLUMNS if key == MAIL_KEY for h in (zh, en)}
# What a register cell's status becomes in the journal.
EVENT_OF_STATUS = {"sent": "sent", "refused": "refused", "unknown": "intent"}


def register_events(result) -> List[dict]:
    """The journal events the register's 函件发送 cells stand for (source "register")."""
    column = next((c for c, h in (result.headers or {}).items()
                   if str(h).strip() in MAILED_HEADERS), None)
    if column is None:
        return []
    ids = {case.row: case.case_id for case in result.cases}
    events = []
    with Workbook(Path(result.path)) as book:
        sheet = book.sheet(result.sheet)
        for row, values in book.rows(sheet, columns={column: "mailed"},
                                     first_row=result.header_row + 1):
            if row not in ids or not values.get("mailed"):
                continue
            for kind, status, at, to, mid in parse_status_cell(values["mailed"]):
                events.append({"event": EVENT_OF_STATUS[status], "case": ids[row],
                               "kind": kind, "at": at, "to": to, "message_id": mid,
                               "source": "register"})
    return events


def set_aside(path: Path) -> Path:
    """Move a damaged journal out of the way (kept for a person to look at)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.damaged-{stamp}{path.suffix}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.stem}.damaged-{stamp}-{n}{path.suffix}")
        n += 1
    path.rename(target)
    return target


def missing_from(states: Dict, events: List[dict]) -> List[dict]:
    """The register's events for letters the journal does not record as mailed."""
    out = []
    for ev in events:
        state = states.get((case_key(ev["case"]), ev["kind"]))
        if state is None or state.status not in ("sent", "unknown", "refused"):
            out.append(ev)
    return out


def reconcile(ledger: MailLedger, result, read: Tuple[List[dict], bool, bool]
              ) -> Tuple[int, Optional[str]]:
    """Bring the open journal up to the register. ``read`` is (events, damaged, missing) as
    found before the journal was opened (a damaged one is already set aside, its readable
    events in ``read``). Returns (letters taken from the register, 'missing' / 'damaged' /
    None)."""
    events, damaged, missing = read
    if damaged and events:
        ledger.append_events(events)
    taken = missing_from(fold(events), register_events(result))
    if taken:
        ledger.append_events(taken)
    why = "damaged" if damaged else "missing" if missing else None
    return len(taken), why
