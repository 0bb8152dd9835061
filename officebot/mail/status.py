"""What the register shows of the letters' mail: the status column and the letters sheet.

The mail journal (mail.ledger) and the register agree: every run that writes the register
turns the journal into the 函件发送 / Letters mailed cell of each case (with each message's
Message-ID, so that the register alone can tell what went out) and, when the run has the
cases' full records, into the rows of the 函件登记 / Letters sheet. A register that could not
be written (open in Excel) is brought up to date by the next run.
"""

import datetime as dt
import json
import re
from pathlib import Path
from typing import Dict, List, NamedTuple, Optional, Tuple

from ..letter_templates import KIND_NAMES as TEMPLATE_KIND_NAMES
from ..messages import msg
from .addresses import case_key, parse_addresses
from .ledger import LetterMail, ledger_states

MANIFEST = Path("letters") / "officebot-letters.json"
KIND_ORDER = ("apology", "response", "followup")
MAIL_STATUSES = ("drafted", "draft_written", "sent", "refused", "retry", "unknown", "held",
                 "printed", "bad_address", "superseded", "no_address")
MAIL_WORDS = {lang: {s: msg(lang, "mail.status." + s) for s in MAIL_STATUSES}
              for lang in ("zh", "en")}
CHANNEL_WORDS = {lang: {c: msg(lang, "mail.channel." + c) for c in ("email", "post", "none")}
                 for lang in ("zh", "en")}
# A letter's name as the register, the letters sheet and the mail give it (the titles of the
# default templates; a message takes the title of the letter itself when it has one).
KIND_NAMES = {lang: {k: msg(lang, "mail.kind." + k) for k in KIND_ORDER} for lang in ("zh", "en")}
# The names earlier versions wrote into the register's cell, read back too.
_EARLIER_NAMES = {**{n: k for k, names in TEMPLATE_KIND_NAMES.items() for n in names},
                  "letter on your complaint": "response"}
MAIL_KEY = "mailed"   # the status column's key (fields.STATUS_COLUMNS)
# Statuses the register's cell records and a rebuilt journal takes back.
RECORDED = ("sent", "unknown", "refused")


class LetterRecord(NamedTuple):
    """One row of the letters sheet."""

    case_id: str
    row: int
    kind: str
    file: str
    drafted_at: str
    channel: str      # email | post | none | '' (not known in this run)
    status: str       # a key of MAIL_WORDS
    sent_at: str
    to: str
    message_id: str
    promised: str = ""   # the ISO date the letter promises (letters manifest), or ""
    promise: str = ""    # kept | late | overdue | ahead for that date (promise_state), or ""


def promise_state(promised: str, closed: Optional[dt.datetime], as_of: dt.datetime) -> str:
    """A promised date is a clock like any other: kept, kept late, overdue or still ahead
    ("" when the letter promised none)."""
    try:
        day = dt.date.fromisoformat(promised[:10]) if promised else None
    except ValueError:
        day = None
    if day is None:
        return ""
    if closed is not None and closed <= as_of:
        return "kept" if closed.date() <= day else "late"
    return "overdue" if as_of.date() > day else "ahead"


def read_manifest(folder: Path) -> Optional[Dict[str, Dict[str, dict]]]:
    """The letters officebot drafted (case id -> kind -> entry), or None when there are none."""
    try:
        data = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
        entries = data["letters"]
        return entries if isinstance(entries, dict) else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def by_key(manifest: Optional[Dict[str, dict]]) -> Dict[str, dict]:
    """The manifest's entries keyed by case_key (ids compared as Excel shows them)."""
    return {case_key(k): v for k, v in (manifest or {}).items() if isinstance(v, dict)}


def kinds_in_order(kinds) -> List[str]:
    """Letter kinds in the order of a case's life: apology, response, follow-up."""
    return sorted(kinds, key=lambda k: KIND_ORDER.index(k) if k in KIND_ORDER else 9)


def channel_of(case) -> str:
    """email (an address, even a wrong one), post (a postal address) or none."""
    good, bad = parse_addresses(case.email or "")
    if good or bad:
        return "email"
    return "post" if (getattr(case, "address", "") or "").strip() else "none"


def channel_and_status(case, state: Optional[LetterMail]) -> Tuple[str, str]:
    """How a letter goes and its status, from the case and the journal."""
    channel = channel_of(case)
    if getattr(case, "hold", ""):
        if state is None or state.status not in ("sent", "unknown", "refused"):
            return channel, "held"
    if state is not None and state.status != "drafted":
        return channel, state.status
    if channel == "email" and parse_addresses(case.email or "")[1]:
        return channel, "bad_address"
    if channel == "none":
        return channel, "no_address"
    return channel, "drafted"


def letter_records(result, folder: Path,
                   states: Optional[Dict] = None) -> Optional[List[LetterRecord]]:
    """Every drafted letter of the register's cases, in register order; None when no letter
    was ever drafted or the run has no full case records (the sheet is then kept as it is)."""
    if not result.cases or not getattr(result, "text_fields", False):
        return None
    manifest = read_manifest(folder)
    if manifest is None:
        return None
    manifest = by_key(manifest)
    states = (ledger_states(folder) if states is None else states) or {}
    records = []
    closed = {j.case_id: j.closed_at for j in result.judgements}
    for case in result.cases:
        key = case_key(case.case_id)
        kinds = manifest.get(key)
        if not kinds:
            continue
        for kind in kinds_in_order(kinds):
            entry = kinds[kind]
            state = states.get((key, kind))
            channel, status = channel_and_status(case, state)
            sent = state is not None and state.status in ("sent", "unknown", "refused", "retry")
            records.append(LetterRecord(
                case.case_id, case.row, kind, str(entry.get("path", "")),
                str(entry.get("drafted_at", "")).replace("T", " "), channel, status,
                state.at.replace("T", " ") if sent else "", state.to if sent else "",
                state.message_id if sent else "", str(entry.get("promised") or ""),
                promise_state(str(entry.get("promised") or ""), closed.get(case.case_id),
                              result.as_of)))
    return records


def status_text(kind: str, state: LetterMail, lang: str) -> str:
    """One letter's part of the 函件发送 cell: "致歉函 已发送 2026-03-10 12:00 a@b.cn <id@b.cn>"."""
    name = KIND_NAMES[lang].get(kind, kind)
    when = state.at.replace("T", " ")[:16]
    mid = state.message_id if state.status in RECORDED else ""
    return " ".join(p for p in (name, MAIL_WORDS[lang][state.status], when, state.to, mid) if p)


def status_by_row(result, folder: Path, language: str,
                  states: Optional[Dict] = None) -> Dict[int, Dict[str, str]]:
    """{row: {"mailed": text}} for the cases whose letters the journal knows of."""
    states = ledger_states(folder) if states is None else states
    if not states:
        return {}
    lang = "zh" if language == "zh" else "en"
    by_case: Dict[str, List[str]] = {}
    for (key, kind), state in states.items():
        if state.status in ("drafted", "draft_written", "printed", "superseded") \
                and not state.to:
            continue
        if state.status in ("draft_written", "superseded"):
            continue
        by_case.setdefault(key, []).append(status_text(kind, state, lang))
    out: Dict[int, Dict[str, str]] = {}
    for j in result.judgements:
        texts = by_case.get(case_key(j.case_id))
        if texts:
            out[j.row] = {MAIL_KEY: "; ".join(sorted(texts))}
    return out


# --- reading the register's cell back (a lost journal is rebuilt from it) ------------------
_WHEN = r"(?P<at>\d{4}-\d{2}-\d{2} \d{2}:\d{2})"


def _cell_pattern() -> "re.Pattern":
    names = sorted({n for lang in KIND_NAMES for n in KIND_NAMES[lang].values()}
                   | set(_EARLIER_NAMES), key=len, reverse=True)
    words = sorted({w for lang in MAIL_WORDS for s, w in MAIL_WORDS[lang].items()
                    if s in RECORDED}, key=len, reverse=True)
    return re.compile(r"(?P<name>" + "|".join(map(re.escape, names)) + r") (?P<word>"
                      + "|".join(map(re.escape, words)) + r") " + _WHEN
                      + r"(?: (?P<to>[^<;]*?))?(?: (?P<mid><[^<>\s]+>))?\s*(?:;|$)")


_CELL = _cell_pattern()
_KIND_OF_NAME = {**_EARLIER_NAMES,
                 **{n: k for lang in KIND_NAMES for k, n in KIND_NAMES[lang].items()}}
_STATUS_OF_WORD = {w: s for lang in MAIL_WORDS for s, w in MAIL_WORDS[lang].items()
                   if s in RECORDED}


def parse_status_cell(text: object) -> List[Tuple[str, str, str, str, str]]:
    """(kind, status, at ISO, to, Message-ID) of each letter a 函件发送 cell records as
    sent, refused or of unknown fate; parts a person typed over are ignored."""
    out = []
    for m in _CELL.finditer(str(text or "")):
        out.append((_KIND_OF_NAME[m.group("name")], _STATUS_OF_WORD[m.group("word")],
                    m.group("at").replace(" ", "T") + ":00", (m.group("to") or "").strip(),
                    m.group("mid") or ""))
    return out
