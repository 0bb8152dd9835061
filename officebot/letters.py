"""Templates -> drafted letters: which case gets which letter, its values, and the files.

``draft_letters(result, settings, folder)`` takes the judged register (a CheckResult), picks
the letters each case needs by the rules in settings [letters], fills the Word templates and
writes ``letters/YYYY-MM/<case id>_<kind>.docx`` under the working folder (YYYY-MM: the month
of the letter's date, i.e. of the as-of time). A small manifest in ``letters/`` records what
officebot wrote, so a letter is never drafted twice unless asked, and a letter edited by hand
is never overwritten.
"""

import datetime as dt
import hashlib
import json
import os
import re
import sys
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple

from jinja2 import TemplateError as JinjaError
from markupsafe import Markup

from .errors import OfficebotError, TemplateError, UsageError
from .filenames import inside, resolves_inside, safe_file_stem
from .letter_templates import (KINDS, PLACEHOLDERS, Missing, MissingValue, PreparedTemplate,
                               prepare_template, template_path, text_value)
from .settings import LETTER_CONDITIONS as CONDITIONS, LETTER_RULE_KEYS as RULE_KEYS
from .values import category_key
from .workbook import safety

MANIFEST_NAME = "officebot-letters.json"
LOCK_NAME = ".officebot-letters.lock"
# The sender details of [letters]: a detail left blank is left out of every letter.
SENDER_KEYS = ("company_zh", "company_en", "address_zh", "address_en", "hotline", "email")
# What the register's language column (语言 / Language) may say, folded (NFKC, lower case).
_LANGUAGE_WORDS = {
    "zh": {"zh", "cn", "zh-cn", "zh_cn", "chs", "中文", "汉语", "普通话", "简体中文", "简体", "chinese"},
    "en": {"en", "en-gb", "en-us", "eng", "英文", "英语", "english"},
}
JOURNAL_NAME = ".officebot-letters.journal"
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_EVENTS = {"zh": {"received": "受理您的投诉", "first_contact": "首次与您联系",
                  "replied": "答复您", "closed": "本案办结"},
           "en": {"received": "We received your complaint.",
                  "first_contact": "We first contacted you.",
                  "replied": "We replied to you.", "closed": "We closed the case."}}


@dataclass
class Letter:
    """One letter drafted, or skipped with the reason why."""

    case_id: str
    kind: str
    path: str          # relative to the working folder, with / separators
    template: str = ""
    reason: str = ""   # for skipped letters


@dataclass
class LettersResult:
    """What draft_letters did: letters written, skipped, problems, and files per row."""

    out_dir: Path
    drafted: List[Letter] = field(default_factory=list)
    skipped: List[Letter] = field(default_factory=list)
    problems: List[str] = field(default_factory=list)
    files_by_row: Dict[int, List[str]] = field(default_factory=dict)
    pdfs: List[str] = field(default_factory=list)
    missing_sender: List[str] = field(default_factory=list)  # [letters] keys left blank


# --- settings --------------------------------------------------------------------------------
def letter_settings(settings) -> Dict[str, object]:
    """The [letters] table as checked when the settings were loaded (sender details
    stripped: a blank one is left out of the letters)."""
    table = settings.table("letters")
    table["rules"] = [dict(rule) for rule in table["rules"]]
    for key in SENDER_KEYS:
        table[key] = str(table.get(key) or "").strip()
    return table


def unknown_cases(case_ids: List[str], register_name: str = "") -> UsageError:
    """The usage error for --case ids that are not among the register's judged cases."""
    ids = ", ".join(case_ids)
    where = f" of {register_name}" if register_name else ""
    return UsageError(
        f"No case {ids} among the readable rows{where}, so nothing was drafted or written; "
        "check the case id",
        zh=f"台账{register_name}的可读行中没有编号为 {'、'.join(case_ids)} 的案件，未起草函件，"
           "也未写入台账；请核对编号")


def declined_sentence(count: int, language: str) -> str:
    """What a run says when drafting many letters was declined at the question."""
    if language == "zh":
        return f"未起草本次的 {count} 封函件（已选择不起草）；确认后再运行即可起草"
    return f"the {count} letters of this run were not drafted (declined); run again to draft them"


def confirm_many(language: str, write: Callable[[str], None],
                 ask: Optional[Callable[[str], bool]] = None) -> Callable[[int, int], bool]:
    """A ``confirm`` for draft_letters: it says how many letters the run is about to draft,
    then asks ``ask(question)`` when someone is there to answer, else goes on."""
    from .messages import msg

    def confirm(count: int, limit: int) -> bool:
        sentence = msg(language, "letters.about_to_draft", n=count, limit=limit)
        if ask is None:
            write(sentence + msg(language, "letters.going_on"))
            return True
        write(sentence)
        return ask(msg(language, "letters.ask"))

    return confirm


# --- choosing letters -------------------------------------------------------------------------
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


# --- values ------------------------------------------------------------------------------------
def format_date(value: Optional[dt.datetime], lang: str) -> str:
    """2026年3月5日 / 5 March 2026; '' when None."""
    if value is None:
        return ""
    if lang == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def format_amount(value: Optional[float]) -> str:
    """An amount with two decimals and thousands separators; '' when None."""
    return "" if value is None else f"{value:,.2f}"


class _Source(NamedTuple):
    case: object
    judgement: object
    lang: str
    table: dict
    as_of: dt.datetime
    apology_due: bool = False
    also: Tuple[tuple, ...] = ()   # (case, judgement) of the customer's other cases


def _text(raw) -> Optional[Markup]:
    raw = "" if raw is None else str(raw).strip()
    return text_value(raw) if raw else None


def _date(value: Optional[dt.datetime], lang: str) -> Optional[str]:
    return format_date(value, lang) if value is not None else None


def _promised_by(s: _Source) -> Optional[str]:
    if s.judgement.closed_at is not None:
        return None  # a closed case is told what was done and when, never promised a date
    promised = s.judgement.close_due
    if promised is None or promised <= s.as_of:
        promised = s.as_of + dt.timedelta(days=s.table["promise_days"])
    return format_date(promised, s.lang)


def _timeline(s: _Source) -> List[dict]:
    steps = []
    events = _EVENTS[s.lang]
    for key, when in (("received", s.case.received_at),
                      ("first_contact", getattr(s.case, "first_contact_at", None)),
                      ("replied", s.judgement.replied_at), ("closed", s.judgement.closed_at)):
        if when is not None:
            day = format_date(when, s.lang)
            steps.append({"date": day, "日期": day, "event": events[key], "事项": events[key]})
    return steps


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


def sender_contacts(table: Dict[str, object], lang: str) -> str:
    """The sender's contact line (hotline, email, address), only the details that are set."""
    labels = {"zh": ("客服热线：", "邮箱：", "地址："), "en": ("Telephone ", "Email ", "")}[lang]
    values = (table.get("hotline", ""), table.get("email", ""), table.get(f"address_{lang}", ""))
    parts = [label + value for label, value in zip(labels, values) if value]
    return ("　　" if lang == "zh" else "  ·  ").join(parts)


SENDER_LABELS = {"company_zh": ("中文单位名称", "Chinese company name"),
                 "company_en": ("英文单位名称", "English company name"),
                 "address_zh": ("中文地址", "Chinese address"),
                 "address_en": ("英文地址", "English address"),
                 "hotline": ("客服热线", "hotline"), "email": ("邮箱", "email")}


def sender_missing_sentence(keys: Iterable[str], language: str) -> str:
    """One sentence naming the sender details left blank, e.g. for run and doctor."""
    from .messages import msg
    i = 0 if language == "zh" else 1
    names = msg(language, "letters.sender_sep").join(
        f"{SENDER_LABELS[k][i]} {k}" for k in keys)
    return msg(language, "letters.sender_missing", names=names)


def missing_sender_details(table: Dict[str, object], languages: Iterable[str] = ("zh", "en")
                           ) -> List[str]:
    """The [letters] sender keys left blank that letters in ``languages`` would show."""
    langs = set(languages)
    return [key for key in SENDER_KEYS if not table.get(key)
            and (key[-3:] not in ("_zh", "_en") or key[-2:] in langs)]


def _other(case, judgement, lang: str) -> dict:
    """One of the customer's other cases a letter also answers, for {% for %} loops."""
    values = {"case_id": text_value(case.case_id),
              "received": format_date(case.received_at, lang),
              "complaint": text_value(case.summary or ""),
              "resolution": text_value((case.resolution or "").rstrip("。.;；,， \n")),
              "closed": format_date(judgement.closed_at, lang)}
    names = {"case_id": "编号", "received": "受理日期", "complaint": "投诉内容",
             "resolution": "处理结果", "closed": "结案日期"}
    return {**values, **{names[k]: v for k, v in values.items()}}


def _amount(s: _Source) -> Optional[str]:
    amount = getattr(s.case, "amount", None)
    return format_amount(amount) if amount is not None else None


# How each placeholder's value is made; None means blank (a fallback or a reported problem).
_VALUES: Dict[str, Callable[[_Source], object]] = {
    "case_id": lambda s: text_value(s.case.case_id),
    "customer": lambda s: _text(s.case.customer),
    "phone": lambda s: _text(s.case.phone),
    "customer_email": lambda s: _text(s.case.email),
    "channel": lambda s: _text(s.case.channel),
    "category": lambda s: _text(s.case.category),
    "severity": lambda s: _text(s.case.severity or "一般"),
    "complaint": lambda s: _text(s.case.summary),
    "department": lambda s: _text(s.case.department),
    "handler": lambda s: _text(s.case.handler),
    "received": lambda s: format_date(s.case.received_at, s.lang),
    "replied": lambda s: _date(s.judgement.replied_at, s.lang),
    "closed": lambda s: _date(s.judgement.closed_at, s.lang),
    "reply_due": lambda s: _date(s.judgement.reply_due, s.lang),
    "close_due": lambda s: _date(s.judgement.close_due, s.lang),
    "promised_by": _promised_by,
    # the templates end the sentence themselves: no "。。"
    "resolution": lambda s: _text((s.case.resolution or "").rstrip("。.;；,， \n")),
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
    "apology_due": lambda s: s.apology_due,
    "other_cases": lambda s: _text(("、" if s.lang == "zh" else ", ").join(
        c.case_id for c, _ in s.also)),
    "others": lambda s: [_other(c, j, s.lang) for c, j in s.also],
    "satisfaction": lambda s: _text(format_satisfaction(s.case.satisfaction, s.lang)),
    "satisfied": lambda s: s.judgement.satisfied is True,
    "dissatisfied": lambda s: s.judgement.satisfied is False,
}
_NAMES_OF = {p.key: (p.key, p.zh) for p in PLACEHOLDERS}
_KEY_OF = {name: p.key for p in PLACEHOLDERS for name in (p.key, p.zh)}


def letter_values(case, judgement, lang: str, table: Dict[str, object], as_of: dt.datetime,
                  names: Optional[Iterable[str]] = None, apology_due: bool = False,
                  also: Sequence[tuple] = ()) -> Dict[str, object]:
    """The placeholders' values for one case (all, or those ``names`` needs), under their
    English and Chinese names; a blank value is a Missing named as the template spells it."""
    source = _Source(case, judgement, lang, table, as_of, apology_due, tuple(also))
    keys = _VALUES if names is None else {_KEY_OF[n] for n in names if n in _KEY_OF}
    values: Dict[str, object] = {}
    for key in keys:
        value = _VALUES[key](source)
        en, zh = _NAMES_OF[key]
        if value is None:
            values[en], values[zh] = Missing(en), Missing(zh)
        else:
            values[en] = values[zh] = value
    return values


# --- files -------------------------------------------------------------------------------------
def fingerprint(data: bytes) -> str:
    """SHA-256 of a package's zip directory, which holds every part's name, CRC-32 and size:
    any change to any part changes it, and it is ~30 times less to hash than the file."""
    end = data.rfind(b"PK\x05\x06")
    if end >= 0 and len(data) >= end + 22:
        start = int.from_bytes(data[end + 16:end + 20], "little")
        if start < end and data[start:start + 4] == b"PK\x01\x02":
            return hashlib.sha256(data[start:]).hexdigest()
    return "file:" + hashlib.sha256(data).hexdigest()


def _file_fingerprint(path: Path) -> Optional[str]:
    try:
        return fingerprint(path.read_bytes())
    except OSError:
        return None


def _open_in_word(path: Path) -> bool:
    """Word's owner file ~$... marks an open document (it eats up to two leading characters)."""
    name = path.name
    return any(path.with_name("~$" + name[cut:]).exists() for cut in (0, 1, 2))


def _damaged(path: Path) -> bool:
    """True when a letter is no readable package (cut short), so it may be drafted again."""
    try:
        with zipfile.ZipFile(path) as zf:
            return zf.testzip() is not None
    except (OSError, zipfile.BadZipFile):
        return True


class Manifest:
    """letters/officebot-letters.json: case id -> kind -> {path, fingerprint, template,
    drafted_at}."""

    def __init__(self, path: Path):
        self.path = path
        self.entries: Dict[str, Dict[str, dict]] = {}
        self.covered: Dict[str, Dict[str, str]] = {}
        if path.is_file():
            try:
                document = json.loads(path.read_text(encoding="utf-8"))
                entries = document["letters"]
                covered = document.get("covered", {})
                ok = isinstance(entries, dict) and all(
                    isinstance(kinds, dict) and all(
                        isinstance(e, dict) and isinstance(e.get("path"), str)
                        for e in kinds.values()) for kinds in entries.values()) and \
                    isinstance(covered, dict) and all(isinstance(v, dict)
                                                      for v in covered.values())
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                ok = False
            if not ok:
                raise OfficebotError(
                    f"The letters record {path} cannot be read, so no letter was drafted; "
                    "restore it from a backup, or delete it (letters drafted before are then "
                    "left alone as not officebot's)")
            self.entries, self.covered = entries, covered
        self.adopted = self._adopt_journal()

    def _journal(self) -> Path:
        return self.path.with_name(JOURNAL_NAME)

    def _adopt_journal(self) -> int:
        """Letters a killed run wrote but could not record: the journal names them before
        they are written; a complete one is recorded as officebot's, a cut one is not."""
        try:
            # split at line feeds only: a case id may hold U+2028, which JSON leaves as is
            lines = self._journal().read_text("utf-8").split("\n")
        except (OSError, UnicodeDecodeError):
            return 0
        adopted = 0
        for line in lines:
            try:
                entry = json.loads(line)
                case_id, kind, rel = entry.pop("case_id"), entry.pop("kind"), entry["path"]
            except (ValueError, KeyError, TypeError, AttributeError):
                continue  # the line a kill cut short
            target = self.path.parent.parent / rel
            if self.get(case_id, kind) or not inside(rel, "letters") or not target.is_file() \
                    or _damaged(target):
                continue
            entry["fingerprint"] = _file_fingerprint(target)
            self.put(case_id, kind, entry)
            adopted += 1
        return adopted

    def intend(self, case_id: str, kind: str, entry: dict) -> None:
        """Note in the journal a letter about to be written (not synced: it is there to
        survive a killed run, which the system's cache does)."""
        safety.append_text(self._journal(), json.dumps(
            dict(entry, case_id=case_id, kind=kind), ensure_ascii=False) + "\n")

    def get(self, case_id: str, kind: str) -> Optional[dict]:
        """The record of one letter, or None when officebot never wrote it."""
        entry = self.entries.get(case_id, {}).get(kind)
        return entry if entry and inside(entry["path"], "letters") else None

    def put(self, case_id: str, kind: str, entry: dict) -> None:
        """Record a letter just written."""
        self.entries.setdefault(case_id, {})[kind] = entry

    def covered_by(self, case_id: str, kind: str) -> Optional[str]:
        """The case whose letter of ``kind`` to the same customer stood in for this case's."""
        return self.covered.get(case_id, {}).get(kind)

    def cover(self, case_id: str, kind: str, by: str) -> None:
        """Record that case ``by``'s letter stood in for this case's letter of ``kind``."""
        self.covered.setdefault(case_id, {})[kind] = by

    def last_drafted(self, case_id: str, kinds: Iterable[str]) -> Optional[dt.datetime]:
        """When the latest of the case's letters of ``kinds`` was drafted (its as-of time)."""
        times = []
        for kind in kinds:
            try:
                times.append(dt.datetime.fromisoformat(self.get(case_id, kind)["drafted_at"]))
            except (TypeError, KeyError, ValueError):
                continue
        return max(times, default=None)

    def save(self) -> None:
        """Write the manifest atomically (synced: it is what protects hand edits)."""
        document = {"version": 1, "letters": self.entries}
        if self.covered:
            document["covered"] = self.covered
        text = json.dumps(document, ensure_ascii=False,
                          separators=(",", ":"))
        safety.ensure_subfolder(self.path.parent.parent, self.path.parent.name)
        safety.write_bytes(self.path, text.encode("utf-8"), sync=True)
        self._journal().unlink(missing_ok=True)


# --- drafting ----------------------------------------------------------------------------------
def draft_letters(result, settings, folder: Path, *, kinds: Optional[Iterable[str]] = None,
                  case_ids: Optional[Iterable[str]] = None, redo: bool = False,
                  pdf: bool = False, progress: Optional[Callable[[int, int], None]] = None,
                  confirm: Optional[Callable[[int, int], bool]] = None) -> LettersResult:
    """Draft the letters every case of ``result`` needs into folder/letters/YYYY-MM/.

    ``confirm(n, limit)`` is asked before drafting more than [letters] confirm_over letters;
    when it returns False no letter is drafted. An unknown id in ``case_ids`` is a UsageError
    raised before anything is written.
    """
    table = letter_settings(settings)
    folder = Path(folder)
    as_of = result.as_of
    letters_dir = folder / "letters"
    out = LettersResult(out_dir=letters_dir / f"{as_of:%Y-%m}")
    kinds = list(KINDS) if kinds is None else [kinds] if isinstance(kinds, str) else list(kinds)
    if isinstance(case_ids, str):
        case_ids = [case_ids]
    for kind in kinds:
        if kind not in KINDS:
            raise UsageError(f"There is no letter kind {kind!r}; use one of " + ", ".join(KINDS),
                             zh=f"没有“{kind}”这种函件；可用的有 " + "、".join(KINDS))
    wanted = None if case_ids is None else {str(c).strip() for c in case_ids}
    if wanted is not None:
        unknown = sorted(wanted - {c.case_id for c in result.cases})
        if unknown:
            raise unknown_cases(unknown, getattr(getattr(result, "path", None), "name", ""))
    followup_days = settings.conf.clocks.followup_days
    oldest = as_of - dt.timedelta(days=table["max_age_days"]) if table["max_age_days"] else None
    register_language = getattr(result, "language", None) or getattr(settings, "language", "zh")
    try:
        manifest = Manifest(letters_dir / MANIFEST_NAME)
    except OfficebotError as exc:  # without it hand edits cannot be told: draft nothing
        out.problems.append(str(exc))
        return out

    # Plan first, so that each template is prepared once and only when needed.
    plan = []
    for case, judgement in zip(result.cases, result.judgements):
        if wanted is not None and case.case_id not in wanted:
            continue
        if oldest is not None and case.received_at < oldest and wanted is None:
            continue  # old cases get no new letters (asking for a case by id still works)
        lang = letter_language(case, table, register_language)
        met = conditions_met(case, judgement, as_of, followup_days)
        chosen = [(kind, base) for kind, base in
                  choose_letters(case, judgement, lang, met, table["rules"]) if kind in kinds]
        if table["combine"]:
            chosen = combine_letters(
                chosen, lambda kind, c=case.case_id: redo or manifest.get(c, kind) is None,
                manifest.last_drafted(case.case_id, ("apology", "response")), as_of,
                followup_days, bool((manifest.get(case.case_id, "response") or {}).get(
                    "with_apology")))
        else:
            chosen = [(kind, base, False) for kind, base in chosen]
        for kind, base, carries in chosen:
            plan.append(_Planned(case, judgement, kind, f"{base}_{lang}.docx", lang,
                                 carries or kind == "apology"))
    plan, covered = _one_per_customer(plan, manifest, redo) if table["combine"] else (plan, [])
    to_draft = sum(1 for item in plan if redo or manifest.get(item.case.case_id, item.kind)
                   is None)
    limit = table["confirm_over"]
    if limit and to_draft > limit and confirm is not None and not confirm(to_draft, limit):
        out.problems.append(declined_sentence(to_draft, settings.language))
        plan, covered = [], []

    templates: Dict[str, Optional[PreparedTemplate]] = {}
    for name in sorted({item.name for item in plan}):
        path = template_path(name, folder)
        if path is None:
            out.problems.append(f"Template {name} is missing from templates/ and officebot has "
                                "no such template; add it or change the rule that names it")
            templates[name] = None
            continue
        try:
            templates[name] = prepare_template(path)
        except TemplateError as exc:
            out.problems.append(str(exc))
            templates[name] = None

    listing = _Listing(folder)
    languages: set = set()
    lock = safety.FileLock(letters_dir / LOCK_NAME)
    if plan:
        safety.ensure_subfolder(folder, "letters")
    if plan and not lock.acquire():
        out.problems.append(
            f"Another officebot run is drafting letters in {letters_dir} (it holds {LOCK_NAME}); "
            "this run drafted none, the next run will")
        plan = []
    try:
        for done, (case, judgement, kind, name, lang, apology_due, also) in enumerate(plan, 1):
            if progress is not None:
                progress(done, len(plan))
            template = templates[name]
            if template is None:
                continue
            try:
                if _draft_one(case, judgement, kind, template, lang, table, as_of, folder, out,
                              manifest, redo, listing, apology_due, also):
                    languages.add(lang)
            except JinjaError as exc:  # a runtime error in an office-edited template
                out.problems.append(f"Template {name} cannot be filled ({exc}), so officebot "
                                    "stopped drafting letters from it; check its placeholders "
                                    "in Word")
                templates[name] = None
        _note_covered(covered, manifest, out)
    finally:
        try:
            if out.drafted or covered or manifest.adopted:
                manifest.save()
        finally:
            lock.release()

    # A letter drafted again makes its old PDF stale: convert it again even without --pdf.
    docx = [folder / letter.path for letter in out.drafted
            if pdf or listing.exists(letter.path[:-len(".docx")] + ".pdf")]
    if pdf:
        docx += [folder / letter.path for letter in out.skipped
                 if manifest.get(letter.case_id, letter.kind)
                 and (folder / letter.path).exists()
                 and not (folder / letter.path).with_suffix(".pdf").exists()]
    if docx:
        from .pdf import convert_to_pdf
        made, problem = convert_to_pdf(docx, timeout=table["pdf_timeout_seconds"])
        out.pdfs = [p.relative_to(folder).as_posix() for p in made]
        for rel in out.pdfs:
            listing.add(rel)
        if problem:
            out.problems.append(problem)

    for case in result.cases:
        out.files_by_row[case.row] = _existing_files(case.case_id, manifest, listing)
    out.missing_sender = missing_sender_details(table, sorted(languages))
    return out


class _Planned(NamedTuple):
    case: object
    judgement: object
    kind: str
    name: str          # template file name
    lang: str
    apology_due: bool  # the letter carries the apology (an apology, or a response with it)
    also: Tuple[tuple, ...] = ()  # (case, judgement) of the customer's other cases it answers


def _one_per_customer(plan: List[_Planned], manifest: "Manifest", redo: bool
                      ) -> Tuple[List[_Planned], List[Tuple[_Planned, str]]]:
    """No customer gets two letters of one kind in one run: of a customer's cases due the same
    kind, the latest case's letter goes out (it names the earlier case of a repeat) and covers
    the others. Returns the plan kept and [(letter left out, case id of the one covering it)]."""
    def fresh(item: _Planned) -> bool:
        return redo or manifest.get(item.case.case_id, item.kind) is None

    plan = [item for item in plan if redo or not manifest.covered_by(item.case.case_id, item.kind)]
    newest: Dict[Tuple[str, str], _Planned] = {}
    for item in plan:
        if item.case.identity is not None and fresh(item):
            key = (item.case.identity, item.kind)
            best = newest.get(key)
            if best is None or (item.case.received_at, item.case.row) > \
                    (best.case.received_at, best.case.row):
                newest[key] = item
    # nor a follow-up on the day another of the customer's cases gets a letter: it waits
    busy = {item.case.identity for item in plan if item.kind != "followup" and fresh(item)
            and item.case.identity is not None}
    plan = [item for item in plan if item.kind != "followup" or not fresh(item)
            or item.case.identity not in busy]
    kept, covered = [], []
    also: Dict[int, List[tuple]] = {}
    for item in plan:
        winner = newest.get((item.case.identity, item.kind))
        if winner is None or winner is item or not fresh(item):
            kept.append(item)
        else:
            covered.append((item, winner.case.case_id))
            if item.case.case_id != winner.judgement.repeat_of:  # a repeat names it already
                also.setdefault(id(winner), []).append((item.case, item.judgement))
    return [item._replace(also=tuple(also.get(id(item), ()))) for item in kept], covered


def _note_covered(covered: List[Tuple[_Planned, str]], manifest: "Manifest",
                  out: LettersResult) -> None:
    """Record the letters left out because the same customer's other letter went out."""
    drafted = {(letter.case_id, letter.kind): letter.path for letter in out.drafted}
    for item, by in covered:
        path = drafted.get((by, item.kind))
        if path is None:
            continue  # the covering letter was not drafted: this one is tried next run
        manifest.cover(item.case.case_id, item.kind, by)
        out.skipped.append(Letter(item.case.case_id, item.kind, path, item.name,
                                  f"the same customer's letter for case {by} covers it"))


def _draft_one(case, judgement, kind, template, lang, table, as_of, folder, out, manifest,
               redo, listing, apology_due=False, also=()) -> bool:
    """Draft one letter unless it must be left alone; True when it was written."""
    entry = manifest.get(case.case_id, kind)
    if entry:
        rel = entry["path"]
    else:
        rel = f"letters/{as_of:%Y-%m}/{safe_file_stem(case.case_id)}_{kind}.docx"
    target = folder / rel
    if not resolves_inside(target.parent, folder / "letters"):
        out.problems.append(f"Letter {rel} was not drafted: a link in letters/ points outside "
                            "it; replace the link with a plain folder")
        return False
    exists = listing.exists(rel)
    if exists:
        if entry is None:
            if not _damaged(target):
                out.skipped.append(Letter(case.case_id, kind, rel, template.name,
                                          "a file of that name exists that officebot did not "
                                          "write"))
                return False
            redo = True  # a letter cut short before officebot could record it
        elif _file_fingerprint(target) != entry.get("fingerprint"):
            if not _damaged(target):
                out.skipped.append(Letter(case.case_id, kind, rel, template.name,
                                          "edited by hand; officebot never overwrites it"))
                return False
            redo = True  # officebot's own letter, cut short: draft it again
    if entry and not redo:
        out.skipped.append(Letter(case.case_id, kind, rel, template.name,
                                  "already drafted; use --redo to draft it again"))
        return False
    if exists and _open_in_word(target):
        out.skipped.append(Letter(case.case_id, kind, rel, template.name,
                                  "open in Word; close it and run again"))
        return False
    values = letter_values(case, judgement, lang, table, as_of, template.names, apology_due,
                           also)
    try:
        data = template.fill(values)
    except MissingValue as exc:
        out.problems.append(
            f"Template {template.name} needs {{{{ {exc.name} }}}} but case {case.case_id} has "
            f"no value for it, so its {kind} letter was not drafted; fill it in the register "
            f"or give the placeholder a fallback like {{{{ {exc.name} or \"...\" }}}}")
        return False
    rel_dir = rel.rpartition("/")[0]
    if not listing.dir_exists(rel_dir):
        safety.ensure_subfolder(folder, *rel_dir.split("/"))
    entry = {"path": rel, "fingerprint": fingerprint(data), "template": template.name,
             "drafted_at": as_of.isoformat(timespec="seconds")}
    if kind == "response" and apology_due:
        entry["with_apology"] = True  # so that no separate apology follows it
    try:
        manifest.intend(case.case_id, kind, entry)
        if exists:  # letters skip fsync: one cut short is no package and is drafted again
            safety.write_bytes(target, data, sync=False)
        else:  # a new file: exclusive create, never replacing one that appeared meanwhile
            safety.write_new(target, data)
    except OSError as exc:
        out.problems.append(f"Letter {rel} cannot be written ({exc.strerror or exc}); close it "
                            "if it is open and check the folder's permissions")
        return False
    manifest.put(case.case_id, kind, entry)
    listing.add(rel)
    out.drafted.append(Letter(case.case_id, kind, rel, template.name))
    return True


class _Listing:
    """The file names of each letters folder, read once per run instead of a stat per letter."""

    _FOLD = sys.platform in ("win32", "darwin")  # file systems that ignore case

    def __init__(self, folder: Path):
        self.folder = folder
        self._dirs: Dict[str, Optional[set]] = {}

    def _key(self, name: str) -> str:
        return name.casefold() if self._FOLD else name

    def _names(self, rel_dir: str) -> Optional[set]:
        if rel_dir not in self._dirs:
            try:
                self._dirs[rel_dir] = {self._key(n) for n in os.listdir(self.folder / rel_dir)}
            except (FileNotFoundError, NotADirectoryError):
                self._dirs[rel_dir] = None
        return self._dirs[rel_dir]

    def exists(self, rel: str) -> bool:
        """Whether the file at ``rel`` (relative to the folder, / separators) exists."""
        rel_dir, _, name = rel.rpartition("/")
        names = self._names(rel_dir)
        return names is not None and self._key(name) in names

    def dir_exists(self, rel_dir: str) -> bool:
        return self._names(rel_dir) is not None

    def add(self, rel: str) -> None:
        """Note a file just written."""
        rel_dir, _, name = rel.rpartition("/")
        if self._names(rel_dir) is None:
            self._dirs[rel_dir] = set()
        self._dirs[rel_dir].add(self._key(name))


def _existing_files(case_id: str, manifest: Manifest, listing: _Listing) -> List[str]:
    files = []
    for kind in KINDS:
        entry = manifest.get(case_id, kind)
        if entry and listing.exists(entry["path"]):
            files.append(entry["path"])
            pdf = entry["path"][:-len(".docx")] + ".pdf"
            if listing.exists(pdf):
                files.append(pdf)
    return files
