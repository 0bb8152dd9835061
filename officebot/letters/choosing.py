"""Which letters a case gets: its language, the rule conditions it meets, the rules' pick."""

import datetime as dt
import re
import unicodedata
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from ..letter_templates import KINDS
from ..values import category_key

# What the register's language column (语言 / Language) may say, folded (NFKC, lower case).
_LANGUAGE_WORDS = {
    "zh": {"zh", "cn", "zh-cn", "zh_cn", "chs", "中文", "汉语", "普通话", "简体中文", "简体", "chinese"},
    "en": {"en", "en-gb", "en-us", "eng", "英文", "英语", "english"},
}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


def letter_language(case, table: Dict[str, object], register_language: str) -> str:
    """zh or en for one customer: the setting, else the register's language column, else
    guessed from the customer's name."""
    if table["language"] != "auto":
        return table["language"]
    said = unicodedata.normalize("NFKC", getattr(case, "language", "") or "").strip().lower()
    for lang, words in _LANGUAGE_WORDS.items():
        if said in words:
            return lang
    name = case.customer or ""
    if _CJK.search(name):
        return "zh"
    if _LATIN.search(name):
        return "en"
    return register_language if register_language in ("zh", "en") else "zh"


def conditions_met(case, judgement, as_of: dt.datetime, followup_days: float) -> set:
    """The rule conditions (see CONDITIONS) that hold for one case at the as-of time."""
    met = {"always"}
    if judgement.reply_status == "overdue":
        met.add("reply_overdue")
    if judgement.reply_status == "late":
        met.add("reply_late")
    if judgement.close_status == "overdue":
        met.add("close_overdue")
    if judgement.close_status == "late":
        met.add("close_late")
    if judgement.repeat_of:
        met.add("repeat")
    if (case.resolution or "").strip():
        met.add("has_resolution")
    closed = judgement.closed_at
    followup = getattr(judgement, "followup_status", "")
    if followup:  # the register keeps follow-up times: the rules' follow-up clock decides
        if followup in ("due", "overdue"):
            met.add("followup_due")
    elif closed is not None and as_of - closed >= dt.timedelta(days=followup_days):
        met.add("followup_due")
    return met


def combine_letters(chosen: List[Tuple[str, str]], pending: Callable[[str], bool],
                    last_drafted: Optional[dt.datetime], as_of: dt.datetime,
                    followup_days: float, apologised: bool = False
                    ) -> List[Tuple[str, str, bool]]:
    """One coherent letter per case and run: [(kind, template base, carries the apology)].

    ``chosen`` is what the rules picked; ``pending(kind)`` says whether that letter would be
    drafted in this run (not drafted before, or --redo); ``last_drafted`` is when the case's
    latest apology or response letter was drafted in an earlier run; ``apologised``: the
    response letter drafted earlier carried the apology. The response letter
    carries the apology when both are due; a follow-up waits until no other letter of the case
    goes out in this run and ``followup_days`` have passed since the last one.
    """
    kinds = {kind: base for kind, base in chosen}
    apology_due = "apology" in kinds
    if "response" in kinds and (pending("response") or apologised):
        kinds.pop("apology", None)
    if "followup" in kinds:
        others = any(pending(k) for k in kinds if k != "followup")
        recent = last_drafted is not None and \
            as_of - last_drafted < dt.timedelta(days=followup_days)
        if others or recent:
            kinds.pop("followup")
    return [(kind, kinds[kind], apology_due and kind == "response")
            for kind in KINDS if kind in kinds]


def _in(values: Sequence[str], value: str, fold=lambda v: v) -> bool:
    return not values or fold(value) in {fold(v) for v in values}


def choose_letters(case, judgement, lang: str, met: set, rules: List[dict]
                   ) -> List[Tuple[str, str]]:
    """[(kind, template base name)] for one case: the first matching rule of each kind."""
    decided: Dict[str, Optional[str]] = {}
    for rule in rules:
        kind = rule["kind"]
        if kind in decided or not met.intersection(rule["when"]):
            continue
        if not (_in(rule.get("category", []), case.category, lambda v: category_key(v) or "")
                and _in(rule.get("severity", []), case.severity)
                and _in(rule.get("department", []), case.department)
                and _in(rule.get("language", []), lang)):
            continue
        decided[kind] = None if rule.get("skip") else rule.get("template", kind)
    return [(kind, decided[kind]) for kind in KINDS if decided.get(kind)]
