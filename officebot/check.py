"""`officebot check`: read the register and judge every case at the as-of time."""

import datetime as dt
import gc
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

from .kpis import KpiSet, compute_kpis
from .records import Case, Judgement, Problem
from .register import RowDecoder, read_cases
from .rules import judge


@dataclass
class CheckResult:
    """Everything officebot knows about a register at one as-of time."""

    path: Path
    sheet: str
    sheet_part: str
    header_row: int
    columns: Dict[str, int]
    headers: Dict[int, str]
    language: str
    cases: List[Case]
    judgements: List[Judgement]
    problems: List[Problem]
    kpis: KpiSet
    as_of: dt.datetime
    date1904: bool = False
    text_fields: bool = False  # cases hold the complaint and resolution texts
    decoder: Optional[RowDecoder] = None  # with keep_decoder: rows' XML -> full cases
    watcher: object = None  # with watch: what watch(layout) gave, after the reading pass


def now() -> dt.datetime:
    """The local time now, to the minute's second (no microseconds)."""
    return dt.datetime.now().replace(microsecond=0)


def check_register(path: Path, settings, as_of: Optional[dt.datetime] = None,
                   text_fields: bool = False, lean: bool = False,
                   keep_cases: bool = True, visit=None,
                   keep_decoder: bool = False, watch=None) -> CheckResult:
    """Read the register at ``path`` and judge every readable case at ``as_of`` (default now).

    ``lean`` keeps of each case only what the rules and figures need (RuleCase records);
    without ``keep_cases`` the cases are dropped as they are judged and ``cases`` comes back
    empty, for callers that need only the judgements; ``visit(case, judgement)`` sees every
    pair first (e.g. to count figures per group); ``keep_decoder`` keeps the reading
    pass's RowDecoder in ``decoder`` (the caller closes it); ``watch(layout)`` gives an
    object that sees the sheet's XML as the pass reads it (read_cases), kept in ``watcher``.
    """
    as_of = as_of or now()
    # Reading creates hundreds of thousands of small records and no cycles: the cyclic
    # garbage collector would only rescan them again and again.
    was_enabled = gc.isenabled()
    gc.disable()
    watched = []

    def watcher(layout):
        watched.append(watch(layout))
        return watched[-1]

    try:
        layout, cases, problems, date1904, *decoder = read_cases(
            Path(path), settings, text_fields, lean=lean, keep_decoder=keep_decoder,
            watch=watcher if watch is not None else None)
        try:
            judgements = judge(cases, settings, as_of, consume=not keep_cases, visit=visit,
                               language=layout.language,
                               followup="followup_at" in layout.columns)
        except BaseException:
            for d in decoder:
                d.close()
            raise
    finally:
        if was_enabled:
            gc.enable()
    return CheckResult(Path(path), layout.sheet.name, layout.sheet.part, layout.header_row,
                       layout.columns, layout.headers, layout.language, cases, judgements,
                       problems, compute_kpis(judgements, settings), as_of, date1904,
                       text_fields, decoder[0] if decoder else None,
                       watched[-1] if watched else None)
