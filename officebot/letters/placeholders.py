"""The placeholders' values for one case: dates, amounts, texts, and the sentences."""

import datetime as dt
import unicodedata
from typing import Callable, Dict, Iterable, List, Optional, Sequence

from markupsafe import Markup

from ..letter_templates import PLACEHOLDERS, Missing, text_value
from . import sentences as S
from .sentences import Source, format_amount, format_date

_EVENTS = {"zh": {"received": "受理您的投诉", "first_contact": "首次与您联系",
                  "replied": "答复您", "closed": "本案办结"},
           "en": {"received": "We received your complaint.",
                  "first_contact": "We first contacted you.",
                  "replied": "We replied to you.", "closed": "We closed the case."}}


def _text(raw) -> Optional[Markup]:
    raw = "" if raw is None else str(raw).strip()
    return text_value(raw) if raw else None


def _date(value: Optional[dt.datetime], lang: str) -> Optional[str]:
    return format_date(value, lang) if value is not None else None


def _promised_by(s: Source) -> Optional[str]:
    when = S.promised_date(s)
    return format_date(when, s.lang) if when is not None else None


def _timeline(s: Source) -> List[dict]:
    steps = []
    events = _EVENTS[s.lang]
    for key, when in (("received", s.case.received_at),
                      ("first_contact", getattr(s.case, "first_contact_at", None)),
                      ("replied", s.judgement.replied_at), ("closed", s.judgement.closed_at)):
        if when is not None:
            day = format_date(when, s.lang)
            steps.append({"date": day, "日期": day, "event": events[key], "事项": events[key]})
    return steps


def sender_contacts(table: Dict[str, object], lang: str) -> str:
    """The sender's contact line (hotline, email, address), only the details that are set."""
    labels = {"zh": ("客服热线：", "邮箱：", "地址："), "en": ("Telephone ", "Email ", "")}[lang]
    values = (table["hotline"], table["email"], table[f"address_{lang}"])
    parts = [label + value for label, value in zip(labels, values) if value]
    return ("　　" if lang == "zh" else "  ·  ").join(parts)



_ANSWERS_EN = {"非常满意": "very satisfied", "满意": "satisfied", "基本满意": "fairly satisfied",
               "一般": "neither satisfied nor dissatisfied", "不满意": "not satisfied",
               "非常不满意": "very dissatisfied"}


def format_satisfaction(raw: object, lang: str) -> str:
    """The recorded answer as a letter quotes it: 满意, 8分 / satisfied, 8 out of 10."""
    if raw is None or isinstance(raw, bool) or str(raw).strip() == "":
        return ""
    if isinstance(raw, (int, float)):
        score = f"{raw:g}"
        return f"{score}分" if lang == "zh" else f"{score} out of 10"
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    return _ANSWERS_EN.get(text, text) if lang == "en" else text


def _other(case, judgement, s: Source) -> dict:
    """One of the customer's other cases a letter also answers, for {% for %} loops."""
    lang = s.lang
    # the letter's own reply sentence, for that case (its missing English is no gap of this one)
    reply = S.reply_text(s._replace(case=case, judgement=judgement, gaps=None)) or ""
    values = {"case_id": text_value(case.case_id),
              "received": format_date(case.received_at, lang),
              "complaint": text_value(S.customer_words(
                  case.summary if lang == "zh" else getattr(case, "summary_en", ""), lang)),
              "resolution": text_value(reply),
              "closed": format_date(judgement.closed_at, lang)}
    names = {"case_id": "编号", "received": "受理日期", "complaint": "投诉内容",
             "resolution": "处理结果", "closed": "结案日期"}
    return {**values, **{names[k]: v for k, v in values.items()}}


def _amount(s: Source) -> Optional[str]:
    amount = getattr(s.case, "amount", None)
    return format_amount(amount) if amount else None  # a zero is no amount to tell


def _named(s: Source, text: str, what: str) -> Optional[Markup]:
    return _text(S.english(s, text, what) if s.lang == "en" else text)


def _lines(lines: List[str]) -> Optional[List[Markup]]:
    return [text_value(line) for line in lines] or None


# How each placeholder's value is made; None means blank (a fallback or a reported problem).
_VALUES: Dict[str, Callable[[Source], object]] = {
    "case_id": lambda s: text_value(s.case.case_id),
    "customer": lambda s: _text(s.case.customer),
    "phone": lambda s: _text(s.case.phone),
    "customer_email": lambda s: _text(s.case.email),
    "channel": lambda s: _text(s.case.channel),
    "category": lambda s: _named(s, s.case.category, "category"),
    "severity": lambda s: _text(s.case.severity or "一般"),
    "complaint": lambda s: _text(S.complaint(s)),
    "department": lambda s: _named(s, s.case.department, "department"),
    "handler": lambda s: _named(s, s.case.handler, "handler"),
    "received": lambda s: format_date(s.case.received_at, s.lang),
    "replied": lambda s: _date(s.judgement.replied_at, s.lang),
    "closed": lambda s: _date(s.judgement.closed_at, s.lang),
    "reply_due": lambda s: _date(s.judgement.reply_due, s.lang),
    "close_due": lambda s: _date(s.judgement.close_due, s.lang),
    "promised_by": _promised_by,
    # the templates end the sentence themselves: no "。。"
    "resolution": lambda s: _text(S.reply_text(s)),
    "amount": _amount,
    "letter_date": lambda s: format_date(s.as_of, s.lang),
    "repeat_of": lambda s: _text(s.judgement.repeat_of),
    "is_repeat": lambda s: bool(s.judgement.repeat_of),
    "reply_was_late": lambda s: s.judgement.reply_status in ("overdue", "late"),
    "timeline": _timeline,
    "company": lambda s: _text(s.table[f"company_{s.lang}"]),
    "hotline": lambda s: _text(s.table["hotline"]),
    "company_email": lambda s: _text(s.table["email"]),
    "address": lambda s: _text(s.table[f"address_{s.lang}"]),
    "sender_contacts": lambda s: _text(sender_contacts(s.table, s.lang)),
    "customer_address": lambda s: _text(getattr(s.case, "address", "")),
    "is_closed": lambda s: s.judgement.closed_at is not None,
    "apology_due": S.apology_needed,
    "other_cases": lambda s: _text(S.covered_ids(s.also, s.lang)),
    "others": lambda s: [_other(c, j, s) for c, j in s.also],
    "satisfaction": lambda s: _named(s, format_satisfaction(s.case.satisfaction, s.lang),
                                     "answer"),
    "satisfied": lambda s: s.judgement.satisfied is True,
    "dissatisfied": lambda s: s.judgement.satisfied is False,
    # Sentences made by code (officebot/letters/sentences.py; docs/letters.md has the table).
    "salutation": lambda s: _text(S.salutation(s)),
    "valediction": lambda s: _text(S.valediction(s)),
    "opening": lambda s: _text(S.opening(s)),
    "apology_text": lambda s: _text(S.apology(s)),
    "repeat_note": lambda s: _text(S.repeat_note(s)),
    "responsible": lambda s: _text(S.responsible(s)),
    "outcome": lambda s: _text(S.outcome(s)),
    "promise": lambda s: _text(S.promise(s)),
    "improvement": lambda s: _text(S.improvement(s)),
    "satisfaction_note": lambda s: _text(S.satisfaction_note(
        s, S.english(s, format_satisfaction(s.case.satisfaction, s.lang), "answer")
        if s.lang == "en" else format_satisfaction(s.case.satisfaction, s.lang))),
    "invitation": lambda s: _text(S.invitation(s)),
    "contact_means": lambda s: _text(S.contact_means(s)),
    "covered": lambda s: _lines(S.covered(s)),
    "reply_ways": lambda s: _text(S.reply_ways(s)),
    "timeline_text": lambda s: _text(S.timeline(s)),
}
_NAMES_OF = {p.key: (p.key, p.zh) for p in PLACEHOLDERS}
_KEY_OF = {name: p.key for p in PLACEHOLDERS for name in (p.key, p.zh)}


_KEYS_OF_NAMES: Dict[frozenset, tuple] = {}


def _keys(names: Iterable[str]) -> tuple:
    """The value keys a template's names need (a template's names are asked for per letter)."""
    names = frozenset(names)
    keys = _KEYS_OF_NAMES.get(names)
    if keys is None:
        keys = _KEYS_OF_NAMES[names] = tuple(sorted({_KEY_OF[n] for n in names if n in _KEY_OF}))
    return keys


def letter_values(case, judgement, lang: str, table: Dict[str, object], as_of: dt.datetime,
                  names: Optional[Iterable[str]] = None, apology_due: bool = False,
                  also: Sequence[tuple] = (), **known) -> Dict[str, object]:
    """The placeholders' values for one case (all, or those ``names`` needs), under their
    English and Chinese names; a blank value is a Missing named as the template spells it.
    ``known``: the other fields of sentences.Source (original, first_letter, amount_header,
    gaps)."""
    source = Source(case, judgement, lang, table, as_of, apology_due, tuple(also), **known,
                    names=frozenset(names or ()))
    keys = _VALUES if names is None else _keys(names)
    values: Dict[str, object] = {}
    for key in keys:
        value = _VALUES[key](source)
        en, zh = _NAMES_OF[key]
        if value is None:
            values[en], values[zh] = Missing(en), Missing(zh)
        else:
            values[en] = values[zh] = value
    return values
