"""Which drafted letters go out now, and how (pure but for file existence).

Every letter of the register's cases sorts into one list: to mail now, to post, not
deliverable, held, an address that is none, of unknown fate, refused before, superseded, or
stale (to be drafted again first). Letters that go out now are then put together into one
message per customer.
"""

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Tuple

from .addresses import case_key, parse_addresses
from .ledger import LetterMail
from .status import by_key, channel_of, kinds_in_order

# A letter left unsent is superseded by a later letter of one of these kinds for the same case
# (the response carries the apology, when one is due).
SUPERSEDED_BY = {"apology": ("response",)}


@dataclass
class Item:
    """One drafted letter and where it goes."""

    case: object
    judgement: object
    kind: str
    lang: str
    docx: str                 # the letter, relative to the folder
    entry: dict               # its record in the letters manifest
    to: List[str]
    bad: List[str]
    state: LetterMail
    reason: str = ""          # why it waits for a person (stale, cannot go into a message)

    @property
    def key(self) -> str:
        return case_key(self.case.case_id)

    @property
    def label(self) -> str:
        return f"{self.case.case_id} {self.kind}"


@dataclass
class Plan:
    """The letters of one run, sorted by what happens to them."""

    mail: List[Item] = field(default_factory=list)        # to draft or send now
    post: List[Item] = field(default_factory=list)        # no e-mail, a postal address
    nowhere: List[Item] = field(default_factory=list)     # neither address nor e-mail
    held: List[Item] = field(default_factory=list)
    invalid: List[Item] = field(default_factory=list)     # an address that is none
    unknown: List[Item] = field(default_factory=list)     # fate unknown: a person checks
    refused: List[Item] = field(default_factory=list)     # refused before, not retried
    superseded: List[Tuple[Item, str]] = field(default_factory=list)  # (item, by kind)
    stale: List[Item] = field(default_factory=list)       # out of date and not redrafted
    unsendable: List[Item] = field(default_factory=list)  # cannot go into a message
    done: int = 0                                         # sent (or drafted) before

    @property
    def to_check(self) -> List[Item]:
        """Letters due to go out that wait for a person."""
        return self.unknown + self.invalid + self.stale + self.unsendable


def plan_letters(result, folder: Path, states: Dict, manifest: Optional[dict], *, send: bool,
                 case_ids: Optional[Iterable[str]] = None,
                 kinds: Optional[Iterable[str]] = None, resend: Iterable[str] = (),
                 retry_refused: bool = False) -> Plan:
    """Sort every drafted letter of the register's cases."""
    entries_of = by_key(manifest)
    wanted = {case_key(c) for c in case_ids} if case_ids else None
    kinds = set(kinds) if kinds else None
    resend = {case_key(c) for c in resend}
    plan = Plan()
    judgements = {j.row: j for j in getattr(result, "judgements", [])}
    for case in result.cases:
        key = case_key(case.case_id)
        if wanted is not None and key not in wanted:
            continue
        entries = entries_of.get(key) or {}
        for kind in kinds_in_order(entries):
            if kinds is not None and kind not in kinds:
                continue
            entry = entries[kind] if isinstance(entries[kind], dict) else {}
            rel = str(entry.get("path", ""))
            if not rel or not (folder / rel).is_file():
                continue
            template = str(entry.get("template", ""))
            lang = "en" if template.endswith("_en.docx") else "zh"
            to, bad = parse_addresses(case.email or "")
            state = states.get((key, kind)) or LetterMail()
            item = Item(case, judgements.get(case.row), kind, lang, rel, entry, to, bad, state)
            _sort(plan, item, key in resend, wanted is not None, send, retry_refused)
    _supersede(plan, entries_of)
    return plan


def _sort(plan: Plan, item: Item, asked: bool, named: bool, send: bool,
          retry_refused: bool) -> None:
    state = item.state
    if (item.case.hold or "").strip() and not asked:
        plan.held.append(item)
    elif state.status == "superseded" and not asked:
        plan.done += 1
    elif not item.to and not item.bad:
        if state.status == "printed" and not named:
            plan.done += 1
        elif channel_of(item.case) == "post":
            plan.post.append(item)
        else:
            plan.nowhere.append(item)
    elif item.bad:
        plan.invalid.append(item)
    elif asked:
        plan.mail.append(item)
    elif state.status == "unknown":
        plan.unknown.append(item)
    elif state.status == "sent":
        plan.done += 1
    elif state.status == "refused" and not retry_refused:
        plan.refused.append(item)
    elif state.status == "draft_written" and not send:
        plan.done += 1
    else:
        plan.mail.append(item)


def _drafted_at(entry: dict) -> Optional[dt.datetime]:
    try:
        return dt.datetime.fromisoformat(str(entry.get("drafted_at", "")))
    except ValueError:
        return None


def _supersede(plan: Plan, entries_of: Dict[str, dict]) -> None:
    """A letter about to go out that a later letter of the same case supersedes stays back."""
    keep = []
    for item in plan.mail:
        later = None
        mine = _drafted_at(item.entry)
        for kind in SUPERSEDED_BY.get(item.kind, ()):
            other = (entries_of.get(item.key) or {}).get(kind)
            when = _drafted_at(other) if isinstance(other, dict) else None
            if when is not None and (mine is None or when >= mine):
                later = kind
        if later is None:
            keep.append(item)
        else:
            plan.superseded.append((item, later))
    plan.mail = keep


def stale_reason(item: Item, as_of: dt.datetime, max_age: dt.timedelta,
                 facts: Optional[Callable[[Item], Optional[str]]] = None) -> str:
    """Why a letter must be drafted again before it goes out ('' when it is current): the
    case's facts changed since it was drafted, its date is older than ``max_age``, or it
    promises a date already past. Entries without the newer keys are judged by their date."""
    entry = item.entry
    recorded = entry.get("facts")
    if recorded and facts is not None:
        now = facts(item)
        if now is not None and now != recorded:
            return "facts"
    drafted = _drafted_at(entry)
    if drafted is not None and as_of - drafted > max_age:
        return "old"
    promised = entry.get("promised")
    if promised:
        try:
            if dt.date.fromisoformat(str(promised)[:10]) < as_of.date():
                return "promise"
        except ValueError:
            pass
    return ""


def customer_groups(items: List[Item]) -> List[List[Item]]:
    """The letters going out now, one list per customer (same identity or same addresses),
    in the order the customers first appear; each customer gets one message."""
    groups: Dict[object, List[Item]] = {}
    alias: Dict[object, object] = {}
    for item in items:
        keys = [("id", item.case.identity)] if item.case.identity else []
        keys.append(("to", tuple(sorted(a.lower() for a in item.to))))
        home = next((alias[k] for k in keys if k in alias), keys[0])
        for k in keys:
            alias.setdefault(k, home)
        groups.setdefault(home, []).append(item)
    return list(groups.values())
