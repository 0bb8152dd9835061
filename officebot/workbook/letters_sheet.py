"""The 函件登记 / Letters summary sheet: every letter drafted, how it goes and what became of it."""

import datetime as dt
from typing import List, Optional, Sequence

from ..mail.status import CHANNEL_WORDS, KIND_NAMES, MAIL_WORDS, LetterRecord
from .package import NewSheet
from .sheetxml import Cell
from .summary import EXTRA_SHEETS, OWNER_NAME

NAMES = EXTRA_SHEETS["letters"]
TITLES = {"zh": ["编号", "函件", "文件", "起草时间", "方式", "状态", "发送时间", "收件人", "Message-ID"],
          "en": ["Case No.", "Kind", "File", "Drafted", "Channel", "Status", "Sent at", "To",
                 "Message-ID"]}
WIDTHS = [16, 16, 36, 17, 10, 16, 17, 28, 40]


def _time(text: str) -> Optional[dt.datetime]:
    try:
        return dt.datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def letters_sheet(ctx, records: Sequence[LetterRecord]):
    """The sheet for ``records`` (ctx: the summary sheets' build context)."""
    lang = ctx.lang
    b = ctx.builder()
    b.landscape = True
    b.set_widths(WIDTHS)
    ctx.header(b, TITLES[lang])
    for r in records:
        drafted, sent = _time(r.drafted_at), _time(r.sent_at)
        b.add_row([r.case_id, KIND_NAMES[lang].get(r.kind, r.kind), r.file,
                   Cell(drafted, ctx.st.date) if drafted else r.drafted_at,
                   CHANNEL_WORDS[lang].get(r.channel, r.channel),
                   MAIL_WORDS[lang].get(r.status, r.status),
                   Cell(sent, ctx.st.date) if sent else None, r.to or None,
                   r.message_id or None])
    b.filter_ref = f"A1:I{max(b.row_count, 2)}"
    name = NAMES[0 if lang == "zh" else 1]
    return NewSheet(name, b.render(), [], [], b.defined_names(name) + [OWNER_NAME])


def sheets_for(ctx, records: Optional[List[LetterRecord]]) -> list:
    """[the letters sheet] when this run has the letters' records, else []."""
    return [] if records is None else [letters_sheet(ctx, records)]
