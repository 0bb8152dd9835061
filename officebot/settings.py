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
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

from .errors import SettingsError
from .fields import FIELD_BY_KEY

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


def _where(source: str) -> Tuple[str, str]:
    """How the English and the Chinese sentence name the settings file."""
    if source == "defaults":
        return "the default settings", "默认设置"
    return source, f"设置文件 {source}"


def bad_setting(source: str, key: str, en: str, zh: str) -> SettingsError:
    """The error for one wrong setting: file and key named in both languages."""
    en_file, zh_file = _where(source)
    return SettingsError(f"{en_file}: {key!r} {en}",
                         zh=f"{zh_file} 中的 {key} 有误：{zh}，请改正后再运行")


def _merge(base: Dict[str, Any], user: Dict[str, Any], where: str, source: str) -> None:
    for key, value in user.items():
        path = f"{where}.{key}" if where else key
        if where in OPEN_TABLES:
            base[key] = value
            continue
        if key not in base:
            en_file, zh_file = _where(source)
            near = difflib.get_close_matches(str(key), [str(k) for k in base], n=1)
            raise SettingsError(
                f"{en_file}: unknown setting {path!r}"
                + (f" (did you mean {near[0]!r}?)" if near else "")
                + "; check its spelling against the commented default file (officebot init "
                "writes one)",
                zh=f"{zh_file} 中有 officebot 不认识的设置项 {path}"
                   + (f"（是否应为 {near[0]}？）" if near else "")
                   + "：请对照 officebot init 生成的带注释的设置文件检查拼写")
        default = base[key]
        if isinstance(default, dict):
            if not isinstance(value, dict):
                raise bad_setting(source, path, f"must be a table [{path}]",
                                  f"应写成一个表 [{path}]")
            _merge(default, value, path, source)
            continue
        if not _same_type(default, value):
            en, zh = _type_name(default)
            raise bad_setting(source, path, f"= {value!r} is not valid; it must be {en} like "
                              f"{default!r}", f"现为 {value!r}，应为{zh}，例如 {default!r}")
        base[key] = value


def _same_type(default: Any, value: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float))
    if isinstance(default, list):
        return isinstance(value, list)
    return isinstance(value, type(default))


def _type_name(value: Any) -> Tuple[str, str]:
    if isinstance(value, bool):
        return "true or false", " true 或 false"
    if isinstance(value, (int, float)):
        return "a number", "数字"
    if isinstance(value, list):
        return "a list", "列表（方括号）"
    return "a text in quotes", "加引号的文字"


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
    confirm_over: float = 50
    combine: bool = True
    company_zh: str = ""
    company_en: str = ""
    address_zh: str = ""
    address_en: str = ""
    hotline: str = ""
    email: str = ""


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
DEFAULT_TITLES = ("班组长", "部门分管领导", "部门主要领导", "公司分管副总经理", "公司总经理")


def _is_number(v: Any) -> bool:
    """A finite number (TOML's inf and nan, and 1e309, are not)."""
    return not isinstance(v, bool) and isinstance(v, (int, float)) and math.isfinite(v)


# Upper bounds: far beyond any office's use, low enough that a date plus the value stays a
# date (timedelta(hours=1e15) overflows) and a sleep or a size stays meaningful.
HOURS_MAX = 87600.0     # ten years
DAYS_MAX = 3650.0       # ten years
MB_MAX = 65536.0        # 64 GB


def normalise_times(times: Iterable[str], key: str = "schedule.times",
                    source: str = "") -> List[str]:
    """["8:30", "17:00"] -> ["08:30", "17:00"]; a wrong time raises SettingsError naming key."""
    label = f"{source}: {key}" if source else key
    zh_label = f"设置文件 {source} 中的 {key}" if source else key
    found = []
    for value in times:
        match = _HHMM.match(str(value).strip()) if isinstance(value, str) else None
        if not match:
            raise SettingsError(f"{label}: {value!r} is not a time; write it like \"08:30\"",
                                zh=f"{zh_label} 中的 {value!r} 不是时间：请写成 \"08:30\" 这样")
        hhmm = f"{int(match.group(1)):02d}:{match.group(2)}"
        if hhmm not in found:
            found.append(hhmm)
    if not found:
        raise SettingsError(f"{label} is empty; give at least one time like \"08:30\"",
                            zh=f"{zh_label} 是空的：请至少写一个时间，例如 \"08:30\"")
    return sorted(found)


class _Checker:
    """Checks the merged tables; every failure names the file and the key."""

    def __init__(self, data: Dict[str, Any], source: str):
        self.d = data
        self.source = source

    def fail(self, key: str, en: str, zh: str):
        raise bad_setting(self.source, key, en, zh)

    def number(self, key: str, low: float = 0, high: Optional[float] = None,
               whole: bool = False, above: bool = False, value: Any = None) -> float:
        """The number at ``key``, checked: finite, from ``low`` (or ``above`` it) up to
        ``high``; the sentence of a wrong one names the key and that range."""
        value = self._get(key) if value is None else value
        ok = _is_number(value) and (value > low if above else value >= low) \
            and (high is None or value <= high) and (not whole or float(value).is_integer())
        if not ok:
            kind_en = "a whole number" if whole else "a number"
            kind_zh = "整数" if whole else "数字"
            if high is not None:
                en, zh = f"from {low:g} to {high:g}", f"{low:g} 至 {high:g} 之间的{kind_zh}"
            elif above:
                en, zh = f"more than {low:g}", f"大于 {low:g} 的{kind_zh}"
            else:
                en, zh = f"{low:g} or more", f"不小于 {low:g} 的{kind_zh}"
            self.fail(key, f"= {value!r} is not valid; it must be {kind_en} {en}",
                      f"现为 {value!r}，应为{zh}")
        return int(value) if whole else value

    def _get(self, key: str) -> Any:
        node: Any = self.d
        for part in key.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        return node

    def flag(self, key: str) -> bool:
        value = self._get(key)
        if not isinstance(value, bool):
            self.fail(key, f"= {value!r} is not valid; it must be true or false",
                      f"现为 {value!r}，应为 true 或 false")
        return value

    def choice(self, key: str, options: Tuple[str, ...]) -> str:
        value = self._get(key)
        if value not in options:
            quoted = " or ".join(f'"{o}"' for o in options)
            self.fail(key, f"must be {quoted}", f"现为 {value!r}，只能是 "
                      + "、".join(f'"{o}"' for o in options))
        return value

    def time(self, key: str) -> dt.time:
        value = self._get(key)
        match = _HHMM.match(value) if isinstance(value, str) else None
        if not match:
            self.fail(key, 'must be a time like "09:00"', f'现为 {value!r}，应为 "09:00" 这样的时间')
        return dt.time(int(match.group(1)), int(match.group(2)))

    def dates(self, key: str) -> Tuple[dt.date, ...]:
        out = []
        for item in self._get(key):
            try:
                out.append(dt.date.fromisoformat(str(item)))
            except ValueError:
                self.fail(key, f'holds {item!r}, not a date like "2026-12-31"',
                          f'其中的 {item!r} 不是 "2026-12-31" 这样的日期')
        return tuple(out)

    # --- the tables -----------------------------------------------------------------------
    def build(self) -> Conf:
        d = self.d
        self.choice("language", ("zh", "en"))
        for key, header in d["columns"].items():
            if key not in FIELD_BY_KEY:
                self.fail(f"columns.{key}", "is not a field officebot knows; fields are: "
                          + ", ".join(FIELD_BY_KEY),
                          "不是 officebot 认识的字段，可用的字段有：" + "、".join(FIELD_BY_KEY))
            if not isinstance(header, str):
                self.fail(f"columns.{key}", "must be the header text in quotes",
                          "应为加引号的表头文字")
        reg = d["register"]
        register = RegisterConf(reg["file"], reg["sheet"],
                                int(self.number("register.header_row", 0, 1048576, True)))
        self.mail()
        return Conf(register, self.clocks(), self.working_time(),
                    RepeatsConf(self.number("repeats.window_hours", 0, HOURS_MAX)),
                    self.escalation(), self.kpis(),
                    BackupsConf(int(self.number("backups.keep", 1, 100000, whole=True))),
                    self.letters(), self.schedule(), self.summary(), self.status_columns(),
                    self.package(), PrivacyConf(self.flag("privacy.mask")),
                    RunLockConf(self.number("run_lock.wait_seconds", 0, 86400)))

    def package(self) -> PackageConf:
        return PackageConf(*(self.number(f"package.{key}", 0, MB_MAX, above=True) for key in
                             ("max_part_mb", "max_whole_part_mb")),
                           self.number("package.max_ratio", 1, 1e6),
                           self.number("package.ratio_from_mb", 0, MB_MAX))

    def mail(self) -> None:
        """The [mail] values whose range the load checks (the mail module checks the rest)."""
        if self._get("mail.per_minute") != 0:  # 0: no limit
            self.number("mail.per_minute", 0.01, 10000)
        self.number("mail.timeout_seconds", 0, 3600)
        for key in ("from", "reply_to"):
            value = self._get(f"mail.{key}")
            if isinstance(value, str) and ("\r" in value or "\n" in value):
                self.fail(f"mail.{key}", "must be one line: remove the line break in it",
                          "只能写成一行：请删去其中的换行")

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
                    self.fail(where, "must be like { reply_hours = 24, close_days = 5 }",
                              "应写成 { reply_hours = 24, close_days = 5 } 这样")
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
            self.fail("working_time.day_end", "must be later than working_time.day_start",
                      "应晚于 working_time.day_start")
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
                self.fail(f"escalation.severity_floor.{name}", "must be a level from 0 to 5",
                          f"现为 {level!r}，应为 0 至 5 的级别")
            floors[name] = level
        people = {}
        for dept, names in e["people"].items():
            if not isinstance(names, list) or not all(isinstance(p, str) for p in names):
                self.fail(f"escalation.people.{dept}",
                          'must be a list of names for levels 1-5, like ["王组长", ...]',
                          '应为第 1 至 5 级负责人姓名的列表，例如 ["王组长", ...]')
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
            self.fail("kpis.satisfied_answers", 'must be a list of answers in quotes',
                      '应为加引号的答案列表，例如 ["满意"]')
        return KpisConf(*targets, tuple(answers),
                        self.number("kpis.satisfied_min_score", 0, 1e6))

    def letters(self) -> LettersConf:
        t = self.d.get("letters", {})
        language = self.choice("letters.language", ("auto", "zh", "en"))
        nums = [self.number(f"letters.{key}", 0, high) for key, high in
                (("promise_days", DAYS_MAX), ("max_age_days", DAYS_MAX * 10),
                 ("pdf_timeout_seconds", 86400), ("lock_stale_minutes", HOURS_MAX * 60),
                 ("confirm_over", 1e9))]
        rules = t.get("rules")
        if not isinstance(rules, list) or not rules:
            self.fail("letters.rules", "must be a list of [[letters.rules]] tables, each with "
                      "kind and when", "应为若干 [[letters.rules]] 表，每个写明 kind 和 when")
        for i, rule in enumerate(rules, 1):
            self.letter_rule(f"letters.rules[{i}]", rule)
        sender = []
        for key in ("company_zh", "company_en", "address_zh", "address_en", "hotline", "email"):
            value = t.get(key, "")
            if not isinstance(value, str):
                self.fail(f"letters.{key}", 'must be text in quotes, or "" to leave it out of '
                          "the letters", f'现为 {value!r}，应为加引号的文字；不填写时写 ""')
            sender.append(value.strip())
        return LettersConf(language, nums[0], nums[1], nums[2], nums[3],
                           tuple(MappingProxyType(dict(r)) for r in rules), nums[4],
                           self.flag("letters.combine"), *sender)

    def letter_rule(self, where: str, rule: Any) -> None:
        if not isinstance(rule, dict):
            self.fail(where, "must be a table with kind and when", "应为写明 kind 和 when 的表")
        extra = set(rule) - LETTER_RULE_KEYS
        if extra:
            self.fail(f"{where}.{sorted(extra)[0]}", "is not a rule key; keys are: "
                      + ", ".join(sorted(LETTER_RULE_KEYS)),
                      "不是规则的设置项，可用的有：" + "、".join(sorted(LETTER_RULE_KEYS)))
        if rule.get("kind") not in LETTER_KINDS:
            self.fail(f"{where}.kind", "must be one of " + ", ".join(LETTER_KINDS),
                      "只能是 " + "、".join(LETTER_KINDS))
        when = rule.get("when")
        if not isinstance(when, list) or not when or any(c not in LETTER_CONDITIONS
                                                         for c in when):
            self.fail(f"{where}.when", "must be a list of conditions from: "
                      + ", ".join(LETTER_CONDITIONS),
                      "应为条件的列表，条件可用：" + "、".join(LETTER_CONDITIONS))
        for key in ("category", "severity", "department", "language"):
            value = rule.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                self.fail(f"{where}.{key}", 'must be a list of names, like ["严重", "危机"]',
                          '应为名称的列表，例如 ["严重", "危机"]')
        if any(v not in ("zh", "en") for v in rule.get("language", [])):
            self.fail(f"{where}.language", 'may hold only "zh" and "en"', '只能含 "zh" 和 "en"')
        template = rule.get("template", rule["kind"])
        if not isinstance(template, str) or not re.fullmatch(r"[\w\-]+", template):
            self.fail(f"{where}.template", 'must be a file name without _zh.docx, like '
                      '"apology_vip"', '应为不带 _zh.docx 的文件名，例如 "apology_vip"')
        if not isinstance(rule.get("skip", False), bool):
            self.fail(f"{where}.skip", "must be true or false", "应为 true 或 false")

    def schedule(self) -> ScheduleConf:
        s = self.d.get("schedule", {})
        src = "" if self.source == "defaults" else self.source
        times = normalise_times(s.get("times", ["08:30"]), "schedule.times", src)
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
                self.fail(f"status_columns.{key}", 'must be a colour like "FFC7CE" (six hex '
                          'digits)', f'现为 {s[key]!r}，应为 "FFC7CE" 这样的六位十六进制颜色')
        hours = self.number("status_columns.note_days_after_hours", 1, HOURS_MAX)
        fmt = s["date_format"]
        if not isinstance(fmt, str) or not fmt.strip():
            self.fail("status_columns.date_format", 'must be an Excel number format like '
                      '"yyyy-mm-dd hh:mm"', '应为 "yyyy-mm-dd hh:mm" 这样的 Excel 数字格式')
        return StatusColumnsConf(fmt, s["overdue_fill"], s["due_soon_fill"], s["repeat_fill"],
                                 hours, s["problem_fill"])


class Settings:
    """Validated settings; ``data`` holds the merged TOML tables, ``conf`` the typed ones."""

    def __init__(self, data: Dict[str, Any], source: str = "defaults",
                 folder: Optional[Path] = None):
        self.data = data
        self.source = source
        self.folder = folder
        self.conf: Conf = _Checker(data, source).build()

    # --- access -------------------------------------------------------------------------
    def section(self, name: str) -> Dict[str, Any]:
        """A top-level table (empty dict when absent)."""
        return self.data.get(name, {})

    def table(self, name: str) -> Dict[str, Any]:
        """A top-level table as a dict with its checked values (keys other helpers added to
        the table are kept as they are)."""
        typed = getattr(self.conf, name)
        return {**self.section(name), **typed.as_dict()}

    @property
    def language(self) -> str:
        return self.data["language"]

    @property
    def columns(self) -> Dict[str, str]:
        return dict(self.data["columns"])

    @property
    def clocks(self) -> Dict[str, Any]:
        return self.data["clocks"]

    @property
    def working_time(self) -> Dict[str, Any]:
        return self.data["working_time"]

    @property
    def escalation(self) -> Dict[str, Any]:
        return self.data["escalation"]

    @property
    def kpis(self) -> Dict[str, Any]:
        return self.data["kpis"]

    def with_changes(self, **top_level: Any) -> "Settings":
        """A copy with top-level keys replaced (used for CLI overrides)."""
        data = copy.deepcopy(self.data)
        data.update(top_level)
        return Settings(data, self.source, self.folder)

    # --- derived values -----------------------------------------------------------------
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
        raise SettingsError(f"Settings file {source} does not exist; create it with "
                            "'officebot init' or leave the option out",
                            zh=f"设置文件 {source} 不存在：请用 officebot init 生成，或不写该选项") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"Settings file {source} cannot be read ({exc}); save it as "
                            "UTF-8 text",
                            zh=f"设置文件 {source} 无法读取：请把它另存为 UTF-8 编码的文本") from None
    try:
        user = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"Settings file {source} is not valid TOML ({exc}); fix that "
                            "line or copy it from the commented default file",
                            zh=f"设置文件 {source} 的格式有误（{exc}）：请改正该行，"
                               "或从带注释的默认设置文件中复制") from None
    _merge(data, user, "", source)
    return Settings(data, source, path.parent)
