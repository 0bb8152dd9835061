"""What the register shows of the letters' mail: the status column and the letters sheet.

The mail journal (mail.ledger) and the register agree: every run that writes the register
turns the journal into the 函件发送 / Letters mailed cell of each case (with each message's
Message-ID, so that the register alone can tell what went out) and, when the run has the
cases' full records, into the rows of the 函件登记 / Letters sheet. A register that could not
be written (open in Excel) is brought up to date by the next run.
"""

import json
import re
from pathlib import Path
from typing import Dict, List, NamedTuple, Optional, Tuple

from .addresses import case_key, parse_addresses
from .ledger import LetterMail, ledger_states

MANIFEST = Path("letters") / "officebot-letters.json"
KIND_ORDER = ("apology", "response", "followup")
MAIL_WORDS = {
    "zh": {"drafted": "已起草", "draft_written": "已存草稿", "sent": "已发送", "refused": "被拒收",
           "retry": "待重试", "unknown": "待核实（可能已发出）", "held": "暂缓",
           "printed": "已打印待寄", "bad_address": "邮箱无效", "superseded": "已由后函取代",
           "no_address": "无地址无邮箱"},
    "en": {"drafted": "drafted", "draft_written": "draft written", "sent": "sent",
           "refused": "refused", "retry": "to retry", "unknown": "check (may have gone out)",
           "held": "held", "printed": "printed for post", "bad_address": "invalid address",
           "superseded": "superseded by a later letter", "no_address": "no address or e-mail"},
}
CHANNEL_WORDS = {"zh": {"email": "电子邮件", "post": "邮寄", "none": "无法投递"},
                 "en": {"email": "e-mail", "post": "post", "none": "not deliverable"}}
# A letter's name as the register, the letters sheet and the mail give it (the titles of the
# default templates; a message takes the title of the letter itself when it has one).
KIND_NAMES = {"zh": {"apology": "致歉函", "response": "投诉处理情况的函", "followup": "回访函"},
              "en": {"apology": "letter of apology", "response": "letter on the outcome",
                     "followup": "follow-up letter"}}
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
                state.message_id if sent else "", str(entry.get("promised") or "")))
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
                   | {"致歉信", "回访信", "letter on your complaint"}, key=len, reverse=True)
    words = sorted({w for lang in MAIL_WORDS for s, w in MAIL_WORDS[lang].items()
                    if s in RECORDED}, key=len, reverse=True)
    return re.compile(r"(?P<name>" + "|".join(map(re.escape, names)) + r") (?P<word>"
                      + "|".join(map(re.escape, words)) + r") " + _WHEN
                      + r"(?: (?P<to>[^<;]*?))?(?: (?P<mid><[^<>\s]+>))?\s*(?:;|$)")


_CELL = _cell_pattern()
_KIND_OF_NAME = {n: k for lang in KIND_NAMES for k, n in KIND_NAMES[lang].items()}
_KIND_OF_NAME.update({"致歉信": "apology", "回访信": "followup",
                      "letter on your complaint": "response"})
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
