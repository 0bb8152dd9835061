"""What the register shows of the letters' mail: the status column and the letters sheet.

The mail journal (mail_ledger) is the truth; every run that writes the register turns it into
the 函件发送 / Letters mailed status cell of each case and, when the run has the cases' full
records, into the rows of the 函件登记 / Letters sheet. A register that could not be written
(open in Excel) is brought up to date by the next run.
"""

import json
from pathlib import Path
from typing import Dict, List, NamedTuple, Optional

from .mail_ledger import LetterMail, ledger_states

MANIFEST = Path("letters") / "officebot-letters.json"
KIND_ORDER = ("apology", "response", "followup")
STATUS_WORDS = {
    "zh": {"drafted": "已起草", "draft_written": "已存草稿", "sent": "已发送", "refused": "被拒收",
           "retry": "待重试", "unknown": "待核实（可能已发出）", "held": "暂缓",
           "printed": "已打印待寄", "bad_address": "邮箱无效"},
    "en": {"drafted": "drafted", "draft_written": "draft written", "sent": "sent",
           "refused": "refused", "retry": "to retry", "unknown": "check (may have gone out)",
           "held": "held", "printed": "printed for post", "bad_address": "invalid address"},
}
CHANNEL_WORDS = {"zh": {"email": "电子邮件", "post": "邮寄"}, "en": {"email": "e-mail", "post": "post"}}
# A letter's name as mail and the letters sheet give it.
KIND_NAMES = {"zh": {"apology": "致歉信", "response": "投诉处理情况的函", "followup": "回访信"},
              "en": {"apology": "letter of apology", "response": "letter on your complaint",
                     "followup": "follow-up letter"}}
MAIL_KEY = "mailed"   # the status column's key (fields.STATUS_COLUMNS)


class LetterRecord(NamedTuple):
    """One row of the letters sheet."""

    case_id: str
    row: int
    kind: str
    file: str
    drafted_at: str
    channel: str      # email | post | '' (not known in this run)
    status: str       # a key of STATUS_WORDS
    sent_at: str
    to: str
    message_id: str
    promised: str = ""   # the ISO date the letter promises (letters manifest), or ""


def read_manifest(folder: Path) -> Optional[Dict[str, Dict[str, dict]]]:
    """The letters officebot drafted (case id -> kind -> entry), or None when there are none."""
    try:
        data = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
        entries = data["letters"]
        return entries if isinstance(entries, dict) else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def channel_and_status(case, state: Optional[LetterMail]) -> (str, str):
    """How a letter goes (email/post) and its status, from the case and the journal."""
    if getattr(case, "hold", ""):
        if state is None or state.status not in ("sent", "unknown", "refused"):
            return ("email" if (case.email or "").strip() else "post"), "held"
    from .mail_message import parse_addresses  # the e-mail package loads only when needed
    good, bad = parse_addresses(case.email or "")
    channel = "email" if (good or bad) else "post"
    if state is not None and state.status != "drafted":
        return channel, state.status
    if bad and channel == "email":
        return channel, "bad_address"
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
    states = ledger_states(folder) if states is None else states
    states = states or {}
    records = []
    for case in result.cases:
        kinds = manifest.get(case.case_id)
        if not kinds:
            continue
        for kind in sorted(kinds, key=lambda k: KIND_ORDER.index(k) if k in KIND_ORDER else 9):
            entry = kinds[kind]
            state = states.get((case.case_id, kind))
            channel, status = channel_and_status(case, state)
            sent = state is not None and state.status in ("sent", "unknown", "refused", "retry")
            records.append(LetterRecord(
                case.case_id, case.row, kind, str(entry.get("path", "")),
                str(entry.get("drafted_at", "")).replace("T", " "), channel, status,
                state.at.replace("T", " ") if sent else "", state.to if sent else "",
                state.message_id if sent else "", str(entry.get("promised") or "")))
    return records


def status_by_row(result, folder: Path, language: str,
                  states: Optional[Dict] = None) -> Dict[int, Dict[str, str]]:
    """{row: {"mailed": text}} for the cases whose letters the journal knows of."""
    states = ledger_states(folder) if states is None else states
    if not states:
        return {}
    lang = "zh" if language == "zh" else "en"
    words = STATUS_WORDS[lang]
    by_case: Dict[str, List[str]] = {}
    for (case_id, kind), state in states.items():
        if state.status in ("drafted", "printed", "draft_written") and not state.to:
            continue
        if state.status == "draft_written":
            continue
        name = KIND_NAMES[lang].get(kind, kind)
        when = state.at.replace("T", " ")[:16]
        by_case.setdefault(case_id, []).append(
            f"{name} {words[state.status]} {when} {state.to}".strip())
    out: Dict[int, Dict[str, str]] = {}
    for j in result.judgements:
        texts = by_case.get(j.case_id)
        if texts:
            out[j.row] = {MAIL_KEY: "; ".join(sorted(texts))}
    return out
