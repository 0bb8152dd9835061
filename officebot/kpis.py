"""Pure KPI figures against their targets, overall and by month or any case field."""

from operator import attrgetter
from typing import Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple

from .messages import msg
from .records import Case, Judgement

KPI_KEYS = ("reply_rate", "on_time_reply_rate", "repeat_rate", "satisfaction_rate")
LOWER_IS_BETTER = {"repeat_rate"}
FOLLOWUP_KEY = "followup_rate"  # not among KPI_KEYS: only registers with a 回访时间 column have it
FOLLOWED = ("due", "overdue", "done")  # follow-up statuses of a case whose follow-up is due
COUNTERS = 9
BLANK_GROUP = {lang: msg(lang, "kpi.blank_group") for lang in ("zh", "en")}


class Kpi(NamedTuple):
    key: str
    numerator: int
    denominator: int
    value: Optional[float]      # unrounded fraction; None when the denominator is 0
    target: float
    higher_is_better: bool
    meets: Optional[bool]       # None when there is no value


class KpiSet(NamedTuple):
    total: int
    judged: int
    kpis: Dict[str, Kpi]
    followup: Optional[Kpi] = None   # followed up / follow-up due by the as-of time

    def value(self, key: str) -> Optional[float]:
        return self.kpis[key].value


def kpi_name(key: str, language: str) -> str:
    """The KPI's name in the user's language."""
    return msg("zh" if language == "zh" else "en", f"kpi.{key}")


def _kpi(key: str, num: int, den: int, settings) -> Kpi:
    target = getattr(settings.conf.kpis, f"{key}_target")
    higher = key not in LOWER_IS_BETTER
    value = num / den if den else None
    meets = None if value is None else (value >= target if higher else value <= target)
    return Kpi(key, num, den, value, target, higher, meets)


def _count(j: Judgement, c: List[int]) -> None:
    """Add one judgement to counters [total, judged, replied, on time, repeats, answered,
    satisfied, follow-up due, followed up]."""
    c[0] += 1
    if j.judged:
        c[1] += 1
        if j.replied_at is not None:
            c[2] += 1
        if j.reply_status == "on_time":
            c[3] += 1
    if j.repeat_of is not None:
        c[4] += 1
    if j.satisfied is not None:
        c[5] += 1
        c[6] += j.satisfied
    f = j.followup_status
    if f and f in FOLLOWED:
        c[7] += 1
        c[8] += f == "done"


def _kpi_set(c: List[int], settings) -> KpiSet:
    total, judged, replied, on_time, repeats, answered, satisfied, due, followed = c
    return KpiSet(total, judged, {
        "reply_rate": _kpi("reply_rate", replied, judged, settings),
        "on_time_reply_rate": _kpi("on_time_reply_rate", on_time, judged, settings),
        "repeat_rate": _kpi("repeat_rate", repeats, total, settings),
        "satisfaction_rate": _kpi("satisfaction_rate", satisfied, answered, settings),
    }, _kpi(FOLLOWUP_KEY, followed, due, settings))


def compute_kpis(judgements: Iterable[Judgement], settings) -> KpiSet:
    """Overall figures for these judgements."""
    counters = [0] * COUNTERS
    for j in judgements:
        _count(j, counters)
    return _kpi_set(counters, settings)


class GroupCounter:
    """Counts the figures per group for several groupings, one case at a time, so a caller
    can drop each case as soon as it is counted."""

    def __init__(self, keys: Sequence[str]):
        self.keys = list(keys)
        self.fields = [key for key in keys if key != "month"]
        self.fields_of = attrgetter(*self.fields) if self.fields else (lambda case: ())
        # One counter per combination of groups seen: far fewer than cases, and one count
        # per case instead of one per grouping; summed per group at the end. The month is
        # kept as year * 100 + month and the texts as they are until then.
        self.combos: Dict[Tuple[int, object], List[int]] = {}

    def add(self, case, j: Judgement) -> None:
        """Count one case and its judgement."""
        received = case.received_at
        combo = (received.year * 100 + received.month, self.fields_of(case))
        c = self.combos.get(combo)
        if c is None:
            c = self.combos[combo] = [0] * COUNTERS
        _count(j, c)

    def _names(self, combo: Tuple[int, object]) -> Tuple[str, ...]:
        month, texts = combo
        if len(self.fields) == 1:
            texts = (texts,)
        text = iter((t or "").strip() for t in texts)
        return tuple(f"{month // 100:04d}-{month % 100:02d}" if key == "month" else next(text)
                     for key in self.keys)

    def result(self, settings, language: Optional[str] = None
               ) -> Dict[str, Dict[str, KpiSet]]:
        """{key: {group: KpiSet}}, groups sorted by name; blank ones named for the language."""
        blank = BLANK_GROUP[language or settings.language]
        out = {}
        named = [(self._names(combo), c) for combo, c in self.combos.items()]
        for i, key in enumerate(self.keys):
            sums: Dict[str, List[int]] = {}
            for combo, c in named:
                total = sums.get(combo[i])
                if total is None:
                    sums[combo[i]] = list(c)
                else:
                    for k in range(COUNTERS):
                        total[k] += c[k]
            out[key] = {name or blank: _kpi_set(sums[name], settings)
                        for name in sorted(sums, key=lambda n: n or blank)}
        return out


def kpis_by_keys(cases: Sequence[Case], judgements: Sequence[Judgement], keys: Sequence[str],
                 settings, language: Optional[str] = None) -> Dict[str, Dict[str, KpiSet]]:
    """Figures per group for several groupings in one pass: {key: {group: KpiSet}}, each
    sorted by group name. A key is "month" or a Case field name."""
    counter = GroupCounter(keys)
    for case, j in zip(cases, judgements):
        counter.add(case, j)
    return counter.result(settings, language)


def kpis_by(cases: Sequence[Case], judgements: Sequence[Judgement], key: str, settings,
            language: Optional[str] = None) -> Dict[str, KpiSet]:
    """Figures per group (sorted by group name): key is "month" or a Case field name."""
    return kpis_by_keys(cases, judgements, [key], settings, language)[key]
