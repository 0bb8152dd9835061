"""One Settings object, loaded from the working folder's officebot.toml over the defaults.

The defaults live in ``officebot/data/officebot.toml`` (the same commented file ``init``
copies into a working folder), so every number of the rules is a setting, in one place.
Loading checks every value once and builds one typed, frozen object per table
(``settings.conf.clocks``, ``settings.conf.summary`` ...); code after that trusts them.
A wrong value stops with one sentence naming the file and the key, in Chinese and English.
"""

import copy
import difflib
import datetime as dt
import math
import re
import sys
from dataclasses import dataclass, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Tuple

from .errors import SettingsError
from .fields import FIELD_BY_KEY
from .mail.addresses import parse_addresses
from .messages import msg, pair

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python < 3.11 only
    import tomli as tomllib

SETTINGS_NAME = "officebot.toml"
DEFAULTS_PATH = Path(__file__).with_name("data") / SETTINGS_NAME

# Tables whose keys are the user's own (header names, categories, departments ...).
OPEN_TABLES = {
    "columns", "clocks.category", "clocks.severity", "escalation.severity_floor",
    "escalation.people",
}
CLOCK_OVERRIDE_KEYS = {"reply_hours", "close_days"}
LETTER_KINDS = ("apology", "response", "followup")
LETTER_CONDITIONS = ("reply_overdue", "reply_late", "repeat", "close_overdue", "close_late",
                     "has_resolution", "followup_due", "always")
LETTER_RULE_KEYS = {"kind", "when", "category", "severity", "department", "language",
                    "template", "skip"}
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_COLOUR = re.compile(r"#?[0-9A-Fa-f]{6}")


def default_settings_text() -> str:
    """The commented default settings file, as written by ``officebot init``."""
    return DEFAULTS_PATH.read_text(encoding="utf-8")


def _defaults() -> Dict[str, Any]:
    return tomllib.loads(default_settings_text())


def _where(source: str, lang: str) -> str:
    """How a sentence in ``lang`` names the settings file."""
    if source == "defaults":
        return msg(lang, "setting.defaults")
    return msg(lang, "setting.file", path=source)


def bad_setting(source: str, key: str, name: str, /, **values) -> SettingsError:
    """The error for one wrong setting (``setting.<name>`` says what is wrong): file and key
    named in both languages."""
    return _setting_error(source, key, lambda lang: msg(lang, f"setting.{name}", **values))


def _setting_error(source: str, key: str, what: Callable[[str], str]) -> SettingsError:
    """The one "setting.bad" sentence: ``source`` and ``key`` named, ``what(lang)`` saying
    what is wrong, in English and Chinese."""
    en, zh = (msg(lang, "setting.bad", file=_where(source, lang), key=key, what=what(lang))
              for lang in ("en", "zh"))
    return SettingsError(en, zh=zh)


def _merge(base: Dict[str, Any], user: Dict[str, Any], where: str, source: str) -> None:
    for key, value in user.items():
        path = f"{where}.{key}" if where else key
        if where in OPEN_TABLES:
            base[key] = value
            continue
        if key not in base:
            near = difflib.get_close_matches(str(key), [str(k) for k in base], n=1)
            en, zh = (msg(lang, "setting.unknown", file=_where(source, lang), key=path,
                          near=msg(lang, "setting.near", near=near[0]) if near else "")
                      for lang in ("en", "zh"))
            raise SettingsError(en, zh=zh)
        default = base[key]
        if isinstance(default, dict):
            if not isinstance(value, dict):
                raise bad_setting(source, path, "table", key=path)
            _merge(default, value, path, source)
            continue
        if not _same_type(default, value):
            raise _type_mismatch(source, path, value, default)
        base[key] = value


def _same_type(default: Any, value: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float))
    if isinstance(default, list):
        return isinstance(value, list)
    return isinstance(value, type(default))


def _kind_name(value: Any) -> str:
    if isinstance(value, bool):
        return "kind_flag"
    if isinstance(value, (int, float)):
        return "kind_number"
    if isinstance(value, list):
        return "kind_list"
    return "kind_text"


def _type_mismatch(source: str, key: str, value: Any, default: Any) -> SettingsError:
    """A value of the wrong type: what it must be, with the default as the example."""
    return _setting_error(source, key, lambda lang: msg(
        lang, "setting.type", value=value, default=default,
        kind=msg(lang, "setting." + _kind_name(default))))


# --- the typed tables ---------------------------------------------------------------------
class _Table:
    """Shared by the typed tables: their values as a plain dict."""

    def as_dict(self) -> Dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class RegisterConf(_Table):
    file: str
    sheet: str
    header_row: int


@dataclass(frozen=True)
class ClocksConf(_Table):
    mode: str
    reply_hours: float
    close_days: float
    due_soon_hours: float
    followup_days: float
    followup_window_days: float
    first_response: bool
    first_response_minutes: float
    category: Mapping[str, Mapping[str, float]]
    severity: Mapping[str, Mapping[str, float]]


@dataclass(frozen=True)
class WorkingTimeConf(_Table):
    day_start: dt.time
    day_end: dt.time
    chinese_holidays: bool
    extra_holidays: Tuple[dt.date, ...]
    extra_workdays: Tuple[dt.date, ...]


@dataclass(frozen=True)
class EscalationConf(_Table):
    step_hours: float
    repeat_bump: int
    max_level: int
    severity_floor: Mapping[str, int]
    people: Mapping[str, Tuple[str, ...]]

    @property
    def people_set(self) -> bool:
        """True when the office named at least one person for some level."""
        return any(names != DEFAULT_TITLES and any(p.strip() for p in names)
                   for names in self.people.values())


@dataclass(frozen=True)
class KpisConf(_Table):
    reply_rate_target: float
    on_time_reply_rate_target: float
    repeat_rate_target: float
    satisfaction_rate_target: float
    followup_rate_target: float
    satisfied_answers: Tuple[str, ...]
    satisfied_min_score: float


@dataclass(frozen=True)
class LettersConf(_Table):
    language: str
    promise_days: float
    max_age_days: float
    pdf_timeout_seconds: float
    lock_stale_minutes: float
    rules: Tuple[Mapping[str, Any], ...]
    confirm_over: float
    combine: bool
    company_zh: str
    company_en: str
    address_zh: str
    address_en: str
    hotline: str
    email: str
    english_names: Tuple[Mapping[str, str], ...]
    pdf_fonts: Tuple[Mapping[str, str], ...]
    template_max_range: float
    template_max_output_kb: float


@dataclass(frozen=True)
class MailConf(_Table):
    """[mail]; the key ``from`` is the field ``from_`` (``from`` is a Python word)."""

    mode: str
    host: str
    port: int
    security: str
    user: str
    from_: str
    reply_to: str
    cc: Tuple[str, ...]
    per_minute: float
    timeout_seconds: float
    imap_host: str
    imap_port: int
    imap_security: str
    imap_user: str
    drafts_folder: str
    confirm: bool
    attach: str
    html: bool
    redraft_after_hours: float
    allow_plaintext: bool
    print_post: bool


@dataclass(frozen=True)
class ScheduleConf(_Table):
    times: Tuple[str, ...]
    working_days_only: bool
    poll_seconds: float


@dataclass(frozen=True)
class SummaryConf(_Table):
    list_max_rows: int
    charts: bool
    chart_max_categories: int
    paper_size: int


@dataclass(frozen=True)
class StatusColumnsConf(_Table):
    date_format: str
    overdue_fill: str
    due_soon_fill: str
    repeat_fill: str
    note_days_after_hours: float
    problem_fill: str


@dataclass(frozen=True)
class RepeatsConf(_Table):
    window_hours: float


@dataclass(frozen=True)
class BackupsConf(_Table):
    keep: int


@dataclass(frozen=True)
class PackageConf(_Table):
    """How large a part of a workbook may be, in MB and as inflated / compressed size."""

    max_part_mb: float
    max_whole_part_mb: float
    max_ratio: float
    ratio_from_mb: float


@dataclass(frozen=True)
class PrivacyConf(_Table):
    mask: bool


@dataclass(frozen=True)
class RunLockConf(_Table):
    wait_seconds: float


@dataclass(frozen=True)
class Conf:
    """Every checked table of the settings."""

    register: RegisterConf
    clocks: ClocksConf
    working_time: WorkingTimeConf
    repeats: RepeatsConf
    escalation: EscalationConf
    kpis: KpisConf
    backups: BackupsConf
    letters: LettersConf
    mail: MailConf
    schedule: ScheduleConf
    summary: SummaryConf
    status_columns: StatusColumnsConf
    package: PackageConf
    privacy: PrivacyConf
    run_lock: RunLockConf

    @property
    def repeats_window_hours(self) -> float:
        return self.repeats.window_hours

    @property
    def backups_keep(self) -> int:
        return self.backups.keep


# The titles the default file lists for "*": the same as no people at all.
DEFAULT_TITLES = tuple(msg("zh", f"level.{n}") for n in range(1, 6))


def _is_number(v: Any) -> bool:
    """A finite number (TOML's inf and nan, and 1e309, are not)."""
    return not isinstance(v, bool) and isinstance(v, (int, float)) and math.isfinite(v)


# Upper bounds: far beyond any office's use, low enough that a date plus the value stays a
# date (timedelta(hours=1e15) overflows) and a sleep or a size stays meaningful.
HOURS_MAX = 87600.0     # ten years
DAYS_MAX = 3650.0       # ten years
MB_MAX = 65536.0        # 64 GB


def _shown(bound: float) -> str:
    """A range's bound as a person writes it: 1048576, not 1.04858e+06."""
    return str(int(bound)) if float(bound).is_integer() else f"{bound:g}"


def normalise_times(times: Iterable[str], key: str = "schedule.times",
                    source: str = "") -> List[str]:
    """["8:30", "17:00"] -> ["08:30", "17:00"]; a wrong time raises SettingsError naming key."""
    label = msg("en", "setting.where", path=source, key=key) if source else key
    zh_label = msg("zh", "setting.where", path=source, key=key) if source else key
    found = []
    for value in times:
        match = _HHMM.match(str(value).strip()) if isinstance(value, str) else None
        if not match:
            raise SettingsError(msg("en", "setting.not_time", label=label, value=value),
                                zh=msg("zh", "setting.not_time", label=zh_label, value=value))
        hhmm = f"{int(match.group(1)):02d}:{match.group(2)}"
        if hhmm not in found:
            found.append(hhmm)
    if not found:
        raise SettingsError(msg("en", "setting.no_times", label=label),
                            zh=msg("zh", "setting.no_times", label=zh_label))
    return sorted(found)


class _Checker:
    """Checks the merged tables; every failure names the file and the key."""

    def __init__(self, data: Dict[str, Any], source: str):
        self.d = data
        self.source = source

    def fail(self, key: str, name: str, /, **values):
        """Stop at ``key``: message ``setting.<name>`` says what is wrong with it."""
        raise bad_setting(self.source, key, name, **values)

    def number(self, key: str, low: float = 0, high: Optional[float] = None,
               whole: bool = False, above: bool = False, value: Any = None) -> float:
        """The number at ``key``, checked: finite, from ``low`` (or ``above`` it) up to
        ``high``; the sentence of a wrong one names the key and that range."""
        value = self._get(key) if value is None else value
        ok = _is_number(value) and (value > low if above else value >= low) \
            and (high is None or value <= high) and (not whole or float(value).is_integer())
        if not ok:
            shape = ("above_to" if above else "range") if high is not None else \
                "above" if above else "at_least"
            bounds = {"low": _shown(low), "high": _shown(high) if high is not None else ""}
            raise _setting_error(self.source, key, lambda lang: msg(
                lang, "setting.number", value=value, wanted=msg(
                    lang, f"setting.{shape}", **bounds, kind=msg(
                        lang, "setting.kind_whole" if whole else "setting.kind_number"))))
        return int(value) if whole else value

    def _get(self, key: str) -> Any:
        node: Any = self.d
        for part in key.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        return node

    def flag(self, key: str) -> bool:
        value = self._get(key)
        if not isinstance(value, bool):
            self.fail(key, "flag", value=value)
        return value

    def choice(self, key: str, options: Tuple[str, ...]) -> str:
        value = self._get(key)
        if value not in options:
            self.fail(key, "choice", value=value,
                      options_en=" or ".join(f'"{o}"' for o in options),
                      options_zh="、".join(f'"{o}"' for o in options))
        return value

    def time(self, key: str) -> dt.time:
        value = self._get(key)
        match = _HHMM.match(value) if isinstance(value, str) else None
        if not match:
            self.fail(key, "time", value=value)
        return dt.time(int(match.group(1)), int(match.group(2)))

    def dates(self, key: str) -> Tuple[dt.date, ...]:
        out = []
        for item in self._get(key):
            try:
                out.append(dt.date.fromisoformat(str(item)))
            except ValueError:
                self.fail(key, "date", value=item)
        return tuple(out)

    # --- the tables -----------------------------------------------------------------------
    def build(self) -> Conf:
        d = self.d
        self.choice("language", ("zh", "en"))
        for key, header in d["columns"].items():
            if key not in FIELD_BY_KEY:
                self.fail(f"columns.{key}", "column_field", fields_en=", ".join(FIELD_BY_KEY),
                          fields_zh="、".join(FIELD_BY_KEY))
            if not isinstance(header, str):
                self.fail(f"columns.{key}", "column_header")
        reg = d["register"]
        register = RegisterConf(reg["file"], reg["sheet"],
                                int(self.number("register.header_row", 0, 1048576, True)))
        return Conf(register, self.clocks(), self.working_time(),
                    RepeatsConf(self.number("repeats.window_hours", 0, HOURS_MAX)),
                    self.escalation(), self.kpis(),
                    BackupsConf(int(self.number("backups.keep", 1, 100000, whole=True))),
                    self.letters(), self.mail(), self.schedule(), self.summary(),
                    self.status_columns(),
                    self.package(), PrivacyConf(self.flag("privacy.mask")),
                    RunLockConf(self.number("run_lock.wait_seconds", 0, 86400)))

    def package(self) -> PackageConf:
        return PackageConf(*(self.number(f"package.{key}", 0, MB_MAX, above=True) for key in
                             ("max_part_mb", "max_whole_part_mb")),
                           self.number("package.max_ratio", 1, 1e6),
                           self.number("package.ratio_from_mb", 0, MB_MAX))

    def mail(self) -> MailConf:
        m = self.d["mail"]
        if self._get("mail.per_minute") != 0:  # 0: no limit
            self.number("mail.per_minute", 0.01, 10000)
        for key in ("from", "reply_to"):
            if "\r" in m[key] or "\n" in m[key]:
                self.fail(f"mail.{key}", "one_line")
        for value in m["cc"]:
            if not isinstance(value, str) or parse_addresses(value)[1] \
                    or "\r" in value or "\n" in value:
                self.fail("mail.cc", "addresses", value=value)
        security = ("ssl", "starttls", "none")
        return MailConf(
            self.choice("mail.mode", ("draft", "send")), m["host"],
            int(self.number("mail.port", 1, 65535, whole=True)),
            self.choice("mail.security", security), m["user"], m["from"], m["reply_to"],
            tuple(m["cc"]), m["per_minute"], self.number("mail.timeout_seconds", 0, 3600),
            m["imap_host"], int(self.number("mail.imap_port", 1, 65535, whole=True)),
            self.choice("mail.imap_security", security), m["imap_user"], m["drafts_folder"],
            self.flag("mail.confirm"), self.choice("mail.attach", ("pdf", "docx", "both")),
            self.flag("mail.html"), self.number("mail.redraft_after_hours", 0, HOURS_MAX),
            self.flag("mail.allow_plaintext"), self.flag("mail.print_post"))

    def clocks(self) -> ClocksConf:
        c = self.d["clocks"]
        mode = self.choice("clocks.mode", ("calendar", "working"))
        nums = [self.number(f"clocks.{k}", 0, high) for k, high in
                (("reply_hours", HOURS_MAX), ("close_days", DAYS_MAX),
                 ("due_soon_hours", HOURS_MAX), ("followup_days", DAYS_MAX),
                 ("followup_window_days", DAYS_MAX))]
        overrides = {}
        for table in ("category", "severity"):
            checked = {}
            for name, over in c[table].items():
                where = f"clocks.{table}.{name}"
                if not isinstance(over, dict) or not set(over) <= CLOCK_OVERRIDE_KEYS:
                    self.fail(where, "clock_override")
                for k, v in over.items():
                    self.number(f"{where}.{k}", 0,
                                HOURS_MAX if k == "reply_hours" else DAYS_MAX, value=v)
                checked[name] = MappingProxyType(dict(over))
            overrides[table] = MappingProxyType(checked)
        return ClocksConf(mode, *nums, self.flag("clocks.first_response"),
                          self.number("clocks.first_response_minutes", 0, HOURS_MAX * 60,
                                      above=True),
                          overrides["category"], overrides["severity"])

    def working_time(self) -> WorkingTimeConf:
        start, end = self.time("working_time.day_start"), self.time("working_time.day_end")
        if start >= end:
            self.fail("working_time.day_end", "day_end")
        return WorkingTimeConf(start, end, self.flag("working_time.chinese_holidays"),
                               self.dates("working_time.extra_holidays"),
                               self.dates("working_time.extra_workdays"))

    def escalation(self) -> EscalationConf:
        e = self.d["escalation"]
        step = self.number("escalation.step_hours", 0, HOURS_MAX, above=True)
        bump = self.number("escalation.repeat_bump", 0, 5, whole=True)
        top = self.number("escalation.max_level", 0, 5, whole=True)
        floors = {}
        for name, level in e["severity_floor"].items():
            if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= 5:
                self.fail(f"escalation.severity_floor.{name}", "level", value=level)
            floors[name] = level
        people = {}
        for dept, names in e["people"].items():
            if not isinstance(names, list) or not all(isinstance(p, str) for p in names):
                self.fail(f"escalation.people.{dept}", "people")
            people[dept] = tuple(names)
        return EscalationConf(step, bump, top, MappingProxyType(floors),
                              MappingProxyType(people))

    def kpis(self) -> KpisConf:
        k = self.d["kpis"]
        targets = [self.number(f"kpis.{key}_target", 0, 1) for key in
                   ("reply_rate", "on_time_reply_rate", "repeat_rate", "satisfaction_rate",
                    "followup_rate")]
        answers = k["satisfied_answers"]
        if not all(isinstance(a, str) for a in answers):
            self.fail("kpis.satisfied_answers", "answers")
        return KpisConf(*targets, tuple(answers),
                        self.number("kpis.satisfied_min_score", 0, 1e6))

    def letters(self) -> LettersConf:
        t = self.d["letters"]
        language = self.choice("letters.language", ("auto", "zh", "en"))
        nums = [self.number(f"letters.{key}", 0, high) for key, high in
                (("promise_days", DAYS_MAX), ("max_age_days", DAYS_MAX * 10),
                 ("pdf_timeout_seconds", 86400), ("lock_stale_minutes", HOURS_MAX * 60),
                 ("confirm_over", 1e9))]
        rules = t["rules"]
        if not isinstance(rules, list) or not rules:
            self.fail("letters.rules", "rules")
        for i, rule in enumerate(rules, 1):
            self.letter_rule(f"letters.rules[{i}]", rule)
        sender = []
        for key in ("company_zh", "company_en", "address_zh", "address_en", "hotline", "email"):
            value = t[key]
            if not isinstance(value, str):
                self.fail(f"letters.{key}", "sender", value=value)
            sender.append(value.strip())
        pairs = [self.pairs(f"letters.{key}", names) for key, names in
                 (("english_names", ("zh", "en")), ("pdf_fonts", ("font", "use")))]
        return LettersConf(language, nums[0], nums[1], nums[2], nums[3],
                           tuple(MappingProxyType(dict(r)) for r in rules), nums[4],
                           self.flag("letters.combine"), *sender, *pairs,
                           self.number("letters.template_max_range", 1, 1_000_000),
                           self.number("letters.template_max_output_kb", 64, 1_048_576))

    def pairs(self, key: str, names: Tuple[str, str]) -> Tuple[Mapping[str, str], ...]:
        """A list of {a = "...", b = "..."} tables (english_names, pdf_fonts)."""
        items = self._get(key)
        if not all(isinstance(p, dict) and all(isinstance(p.get(n), str) for n in names)
                   for p in items):
            self.fail(key, "pairs", a=names[0], b=names[1])
        return tuple(MappingProxyType(dict(p)) for p in items)

    def letter_rule(self, where: str, rule: Any) -> None:
        if not isinstance(rule, dict):
            self.fail(where, "rule")
        extra = set(rule) - LETTER_RULE_KEYS
        if extra:
            self.fail(f"{where}.{sorted(extra)[0]}", "rule_key",
                      keys_en=", ".join(sorted(LETTER_RULE_KEYS)),
                      keys_zh="、".join(sorted(LETTER_RULE_KEYS)))
        if rule.get("kind") not in LETTER_KINDS:
            self.fail(f"{where}.kind", "rule_kind", kinds_en=", ".join(LETTER_KINDS),
                      kinds_zh="、".join(LETTER_KINDS))
        when = rule.get("when")
        if not isinstance(when, list) or not when or any(c not in LETTER_CONDITIONS
                                                         for c in when):
            self.fail(f"{where}.when", "rule_when", conditions_en=", ".join(LETTER_CONDITIONS),
                      conditions_zh="、".join(LETTER_CONDITIONS))
        for key in ("category", "severity", "department", "language"):
            value = rule.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                self.fail(f"{where}.{key}", "names")
        if any(v not in ("zh", "en") for v in rule.get("language", [])):
            self.fail(f"{where}.language", "rule_language")
        template = rule.get("template", rule["kind"])
        if not isinstance(template, str) or not re.fullmatch(r"[\w\-]+", template):
            self.fail(f"{where}.template", "template")
        if not isinstance(rule.get("skip", False), bool):
            self.fail(f"{where}.skip", "skip")

    def schedule(self) -> ScheduleConf:
        s = self.d["schedule"]
        src = "" if self.source == "defaults" else self.source
        times = normalise_times(s["times"], "schedule.times", src)
        return ScheduleConf(tuple(times), self.flag("schedule.working_days_only"),
                            self.number("schedule.poll_seconds", 1, 3600))

    def summary(self) -> SummaryConf:
        return SummaryConf(int(self.number("summary.list_max_rows", 1, 1048575, True)),
                           self.flag("summary.charts"),
                           int(self.number("summary.chart_max_categories", 1, 1000, True)),
                           int(self.number("summary.paper_size", 1, 118, True)))

    def status_columns(self) -> StatusColumnsConf:
        s = self.d["status_columns"]
        for key in ("overdue_fill", "due_soon_fill", "repeat_fill", "problem_fill"):
            if not _COLOUR.fullmatch(str(s[key])):
                self.fail(f"status_columns.{key}", "colour", value=s[key])
        hours = self.number("status_columns.note_days_after_hours", 1, HOURS_MAX)
        fmt = s["date_format"]
        if not isinstance(fmt, str) or not fmt.strip():
            self.fail("status_columns.date_format", "date_format")
        return StatusColumnsConf(fmt, s["overdue_fill"], s["due_soon_fill"], s["repeat_fill"],
                                 hours, s["problem_fill"])


class Settings:
    """Validated settings: ``conf`` holds the typed, checked tables (the one way to read a
    setting); ``data`` the merged TOML they were built from."""

    def __init__(self, data: Dict[str, Any], source: str = "defaults",
                 folder: Optional[Path] = None):
        self.data = data
        self.source = source
        self.folder = folder
        self.conf: Conf = _Checker(data, source).build()
        self._derived: Dict[str, Any] = {}

    # --- access: read ``conf.<table>.<key>``; ``data`` is the raw merged TOML, for
    # ``with_changes`` (command-line overrides, tests) only ------------------------------
    @property
    def language(self) -> str:
        return self.data["language"]

    @property
    def columns(self) -> Dict[str, str]:
        return dict(self.data["columns"])

    def with_changes(self, **top_level: Any) -> "Settings":
        """A copy with top-level keys replaced (used for CLI overrides)."""
        data = copy.deepcopy(self.data)
        data.update(top_level)
        return Settings(data, self.source, self.folder)

    # --- derived values -----------------------------------------------------------------
    def derived(self, name: str, make: Callable[["Settings"], Any]) -> Any:
        """``make(self)``, made once for this object (its tables never change after load)."""
        if name not in self._derived:
            self._derived[name] = make(self)
        return self._derived[name]

    @property
    def office_hours(self) -> Tuple[dt.time, dt.time]:
        w = self.conf.working_time
        return w.day_start, w.day_end


def load_settings(path: Optional[Path] = None, folder: Optional[Path] = None) -> Settings:
    """Settings from ``path``, else ``folder/officebot.toml`` if present, else the defaults."""
    data = _defaults()
    if path is None and folder is not None and (Path(folder) / SETTINGS_NAME).is_file():
        path = Path(folder) / SETTINGS_NAME
    if path is None:
        return Settings(data, "defaults", Path(folder) if folder else None)
    path = Path(path)
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SettingsError(*pair("setting.missing", path=source)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(*pair("setting.unreadable", path=source, error=exc)) from None
    try:
        user = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(*pair("setting.not_toml", path=source, error=exc)) from None
    _merge(data, user, "", source)
    return Settings(data, source, path.parent)
