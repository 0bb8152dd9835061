"""One Settings object, loaded from the working folder's officebot.toml over the defaults.

The defaults live in ``officebot/data/officebot.toml`` (the same commented file ``init``
copies into a working folder), so every number of the rules is a setting, in one place.
"""

import copy
import difflib
import datetime as dt
import re
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

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
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def default_settings_text() -> str:
    """The commented default settings file, as written by ``officebot init``."""
    return DEFAULTS_PATH.read_text(encoding="utf-8")


def _defaults() -> Dict[str, Any]:
    return tomllib.loads(default_settings_text())


def _merge(base: Dict[str, Any], user: Dict[str, Any], where: str, source: str) -> None:
    for key, value in user.items():
        path = f"{where}.{key}" if where else key
        if where in OPEN_TABLES:
            base[key] = value
            continue
        if key not in base:
            near = difflib.get_close_matches(str(key), [str(k) for k in base], n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            zh_hint = f"（是否应为 {near[0]!r}？）" if near else ""
            raise SettingsError(
                f"{source}: unknown setting {path!r}{hint}; check its spelling against the "
                "commented default file (officebot init writes one)",
                zh=f"{source} 中的设置 {path!r} 无法识别{zh_hint}；请对照带注释的默认设置文件检查拼写")
        default = base[key]
        if isinstance(default, dict):
            if not isinstance(value, dict):
                raise SettingsError(f"{source}: {path!r} must be a table [{path}]",
                                    zh=f"{source} 中的 {path!r} 应为一个表 [{path}]")
            _merge(default, value, path, source)
            continue
        if not _same_type(default, value):
            raise SettingsError(
                f"{source}: {path!r} = {value!r} is not valid; it must be "
                f"{_type_name(default)} like {default!r}",
                zh=f"{source} 中的设置 {path!r} = {value!r} 无效；应为{_ZH_TYPE[_type_name(default)]}，"
                f"例如 {default!r}")
        base[key] = value


def _same_type(default: Any, value: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float))
    if isinstance(default, list):
        return isinstance(value, list)
    return isinstance(value, type(default))


_ZH_TYPE = {"true or false": " true 或 false", "a number": "数字", "a list": "列表",
            "a text in quotes": "带引号的文字"}


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    return "a text in quotes"


class Settings:
    """Validated settings; ``data`` holds the merged TOML tables."""

    def __init__(self, data: Dict[str, Any], source: str = "defaults",
                 folder: Optional[Path] = None):
        self.data = data
        self.source = source
        self.folder = folder
        self._validate()

    # --- access -------------------------------------------------------------------------
    def section(self, name: str) -> Dict[str, Any]:
        """A top-level table (empty dict when absent)."""
        return self.data.get(name, {})

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

    # --- validation ---------------------------------------------------------------------
    def _fail(self, key: str, problem: str) -> None:
        raise SettingsError(f"{self.source}: {key!r} {problem}",
                            zh=f"{self.source} 中的设置 {key!r} 有误（见括号中的英文说明）")

    def _validate(self) -> None:
        d = self.data
        if d["language"] not in ("zh", "en"):
            self._fail("language", 'must be "zh" or "en"')
        for key in d["columns"]:
            if key not in FIELD_BY_KEY:
                self._fail(f"columns.{key}", "is not a field officebot knows; fields are: "
                           + ", ".join(FIELD_BY_KEY))
            if not isinstance(d["columns"][key], str):
                self._fail(f"columns.{key}", "must be the header text in quotes")
        c = d["clocks"]
        if c["mode"] not in ("calendar", "working"):
            self._fail("clocks.mode", 'must be "calendar" or "working"')
        for key in ("reply_hours", "close_days", "due_soon_hours", "followup_days"):
            if c[key] < 0:
                self._fail(f"clocks.{key}", "must not be negative")
        for table in ("category", "severity"):
            for name, over in c[table].items():
                where = f"clocks.{table}.{name}"
                if not isinstance(over, dict) or not set(over) <= CLOCK_OVERRIDE_KEYS:
                    self._fail(where, "must be like { reply_hours = 24, close_days = 5 }")
                for k, v in over.items():
                    if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
                        self._fail(f"{where}.{k}", "must be a number of hours/days, 0 or more")
        w = d["working_time"]
        for key in ("day_start", "day_end"):
            if not _HHMM.match(w[key]):
                self._fail(f"working_time.{key}", 'must be a time like "09:00"')
        if self.office_hours[0] >= self.office_hours[1]:
            self._fail("working_time.day_end", "must be later than working_time.day_start")
        for key in ("extra_holidays", "extra_workdays"):
            for item in w[key]:
                try:
                    dt.date.fromisoformat(str(item))
                except ValueError:
                    self._fail(f"working_time.{key}", f"holds {item!r}, not a date like "
                               '"2026-12-31"')
        e = d["escalation"]
        if e["step_hours"] <= 0:
            self._fail("escalation.step_hours", "must be more than 0")
        for name, level in e["severity_floor"].items():
            if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= 5:
                self._fail(f"escalation.severity_floor.{name}", "must be a level from 0 to 5")
        for dept, people in e["people"].items():
            if not isinstance(people, list) or not all(isinstance(p, str) for p in people):
                self._fail(f"escalation.people.{dept}",
                           'must be a list of names for levels 1-5, like ["王组长", ...]')
        if d["repeats"]["window_hours"] < 0:
            self._fail("repeats.window_hours", "must not be negative")
        if d["backups"]["keep"] < 1:
            self._fail("backups.keep", "must be 1 or more")

    # --- derived values -----------------------------------------------------------------
    @property
    def office_hours(self) -> Tuple[dt.time, dt.time]:
        w = self.data["working_time"]
        return (dt.time.fromisoformat(_pad(w["day_start"])),
                dt.time.fromisoformat(_pad(w["day_end"])))

    def extra_days(self, key: str) -> List[dt.date]:
        return [dt.date.fromisoformat(str(s)) for s in self.data["working_time"][key]]


def _pad(hhmm: str) -> str:
    return hhmm if len(hhmm) == 5 else "0" + hhmm


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
                            "'officebot init' or leave the option out") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"Settings file {source} cannot be read ({exc}); save it as "
                            "UTF-8 text") from None
    try:
        user = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"Settings file {source} is not valid TOML ({exc}); fix that "
                            "line or copy it from the commented default file") from None
    _merge(data, user, "", source)
    return Settings(data, source, path.parent)
