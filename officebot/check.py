"""`officebot check`: read the register and judge every case at the as-of time."""

import contextlib
import datetime as dt
import gc
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional

from .kpis import KpiSet, compute_kpis
from .records import Case, Judgement, Problem
from .package import Zip
from .register import Layout, RowDecoder, read_cases
from .rules import judge
from .workbook.layout import ExtentScan, UsedRange, found_columns

CASE_KINDS = ("full", "plain", "rules", "none")


@dataclass(frozen=True)
class ReadOptions:
    """What one reading pass keeps besides the judgements.

    ``cases``: "full" keeps every field of each case, the long texts letters need too;
    "plain" every field but those texts; "rules" only what the rules and figures need
    (RuleCase records); "none" drops each case once judged (``cases`` comes back empty).
    ``visit(case, judgement)`` sees every pair first (e.g. to count figures per group).
    ``keep_decoder`` keeps the pass's RowDecoder in ``decoder`` (the caller closes it), to
    decode rows the writers pick out of the sheet later. ``scan_extent`` finds the sheet's
    used range as the pass streams it, for the status columns' plan (``used``).
    """

    cases: str = "plain"
    visit: Optional[Callable[[Case, Judgement], None]] = None
    keep_decoder: bool = False
    scan_extent: bool = False

    def __post_init__(self):
        if self.cases not in CASE_KINDS:
            raise ValueError(f"ReadOptions.cases must be one of {CASE_KINDS}, not {self.cases!r}")


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
    used: Optional[UsedRange] = None  # with scan_extent: the sheet's used range


@contextlib.contextmanager
def _cyclic_gc_paused():
    """The cyclic garbage collector paused for one reading pass, restored after it (even on
    an error). The pass makes hundreds of thousands of small records and no cycles: the
    collector would only rescan them (10-25 % of a check's time, measured at 50k rows)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # What the pass made and kept lives as long as the run: put it in the oldest
        # generation at once (freeze, then unfreeze) rather than have the next young
        # collection scan all of it to promote it (40 ms at 100k rows). It stays collectable.
        # Not where the host process froze objects of its own (unfreeze would free them too).
        if not gc.get_freeze_count():
            gc.freeze()
            gc.unfreeze()
        if was_enabled:
            gc.enable()


def now() -> dt.datetime:
    """The local time now, to the minute's second (no microseconds)."""
    return dt.datetime.now().replace(microsecond=0)


def check_register(path: Path, settings, as_of: Optional[dt.datetime] = None,
                   options: Optional[ReadOptions] = None, *, package: Optional[Zip] = None
                   ) -> CheckResult:
    """Read the register at ``path`` and judge every readable case at ``as_of`` (default now),
    keeping what ``options`` asks for (default: the cases without their texts).
    ``package``: the register's zip already open (the run's one package object), read
    through instead of opening the file again."""
    if options is None:
        options = ReadOptions()
    as_of = as_of or now()
    scans: List[ExtentScan] = []

    def scan(layout: Layout) -> ExtentScan:
        scans.append(ExtentScan(layout.header_row, found_columns(layout.headers).values()))
        return scans[-1]

    kind = options.cases
    with _cyclic_gc_paused():
        layout, cases, problems, date1904, *decoder = read_cases(
            Path(path), settings, kind == "full", lean=kind in ("rules", "none"),
            keep_decoder=options.keep_decoder, watch=scan if options.scan_extent else None,
            zf=package)
        try:
            judgements = judge(cases, settings, as_of, consume=kind == "none",
                               visit=options.visit, language=layout.language,
                               followup="followup_at" in layout.columns)
        except BaseException:
            for d in decoder:
                d.close()
            raise
    used = scans[-1].used if scans and scans[-1].state == "done" else None
    return CheckResult(Path(path), layout.sheet.name, layout.sheet.part, layout.header_row,
                       layout.columns, layout.headers, layout.language,
                       [] if kind == "none" else cases, judgements, problems,
                       compute_kpis(judgements, settings), as_of, date1904, kind == "full",
                       decoder[0] if decoder else None, used)
