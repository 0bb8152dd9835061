"""The 函件登记 / Letters summary sheet: every letter drafted, how it goes and what became of it."""

import datetime as dt
from typing import List, Optional, Sequence

from ..mail.status import CHANNEL_WORDS, KIND_NAMES, MAIL_WORDS, LetterRecord
from ..messages import msg
from .measure import fit_width
from .package import NewSheet
from .sheet_kit import SheetKit
from .sheetxml import Cell

COLUMNS = ("case_id", "kind", "file", "drafted", "promised", "promise", "channel", "status",
           "sent_at", "to", "message_id")
TITLES = {lang: [msg(lang, "letters_sheet.title." + c) for c in COLUMNS] for lang in ("zh", "en")}
WIDTHS = [16, 16, 36, 18, 12, 10, 10, 16, 18, 28, 40]
TIME_COLUMNS = (3, 4, 8)   # drafted, promised, sent (0-based)
# What became of a date a letter promised (mail.status.promise_state).
PROMISE_WORDS = {lang: {p: msg(lang, "letters_sheet.promise." + p)
                        for p in ("kept", "late", "overdue", "ahead")} for lang in ("zh", "en")}


def _time(text: str) -> Optional[dt.datetime]:
    try:
        return dt.datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def letters_sheet(kit: SheetKit, records: Sequence[LetterRecord]) -> NewSheet:
    """The sheet for ``records``. Times stand centred in their columns, so that they never
    touch the text beside them; addresses and phone numbers fit their column whole."""
    lang = kit.lang
    b = kit.builder()
    b.landscape = True
    rows = []
    for r in records:
        drafted, sent = _time(r.drafted_at), _time(r.sent_at)
        promised = _time(getattr(r, "promised", ""))
        promise = getattr(r, "promise", "")
        rows.append([r.case_id, KIND_NAMES[lang].get(r.kind, r.kind), r.file,
                     drafted or r.drafted_at or None, promised,
                     PROMISE_WORDS[lang].get(promise) if promise else None,
                     CHANNEL_WORDS[lang].get(r.channel, r.channel),
                     MAIL_WORDS[lang].get(r.status, r.status),
                     sent, r.to or None, r.message_id or None])
    columns = list(zip(*rows)) if rows else []
    widths = kit.widths(WIDTHS, columns, TITLES[lang], most=48)
    if columns:  # a kind's name and a recipient (an address, a phone number) never wrap
        for i in (1, 9):
            widths[i] = fit_width([v for v in columns[i] if v], widths[i], 48, whole=True)
    b.set_widths(widths)
    kit.header(b, TITLES[lang], widths)
    for values in rows:
        cells = [Cell(v, kit.styles.center_date) if i in TIME_COLUMNS and
                 isinstance(v, dt.datetime) else v for i, v in enumerate(values)]
        b.add_row(*kit.wrapped_row(cells, widths))
    b.filter_ref = f"A1:K{max(b.row_count, 2)}"
    return kit.sheet("letters", b)


def sheets_for(kit: SheetKit, records: Optional[List[LetterRecord]]) -> list:
    """[the letters sheet] when this run has the letters' records, else []."""
    return [] if records is None else [letters_sheet(kit, records)]
