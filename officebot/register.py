"""Reading the register: find its sheet and header row, stream rows into Case records.

Rows that cannot be judged become Problems (sheet, row, column header, what is wrong); the
rest of the register goes on. A register that cannot be used at all raises RegisterError.
"""

import re
from datetime import datetime, timedelta
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Set, Tuple

from .errors import RegisterError
from .fields import FIELD_BY_KEY, FIELDS, REQUIRED, TIME_FIELDS, display_name, field_for_header
from .messages import msg, pair
from .records import Case, Problem, RuleCase, made
from .rules import calendar_room
from .values import (EPOCH_1900, EPOCH_1904, EXCEL_CELL_CHARS, MAX_SERIAL, Unreadable, case_id_of,
                     identity_of, number_of, parse_time, phone_digits, severity_of, text_of)
from .package import Limits
from .xlsx import CellError, Deferred, SheetInfo, Workbook, Zip

HEADER_SEARCH_ROWS = 30
DAY = timedelta(days=1)
# loaded only when letters (or mail) need them
TEXT_ONLY_FIELDS = ("summary", "resolution", "address", "language", "hold", "reply_text",
                    "improvement", "summary_en", "reply_en")
_CJK = re.compile(r"[\u3400-\u9fff]")
# Low-cardinality text fields: one str object per distinct value keeps memory flat.
_SHARED_TEXT = ("channel", "category", "department", "handler", "language")


def message(key: str, language: str, **values) -> str:
    """A problem message in the settings language."""
    return msg("zh" if language == "zh" else "en", "problem." + key, **values)


@dataclass
class Layout:
    """Where the register is inside the workbook."""

    sheet: SheetInfo
    header_row: int
    columns: Dict[str, int]            # field key -> column number
    headers: Dict[int, str] = field(default_factory=dict)  # column number -> header text
    language: str = "zh"               # language of the register's headers


def _row_text(values: Dict[int, object]) -> Dict[int, str]:
    return {col: text_of(v) for col, v in values.items()
            if not isinstance(v, CellError) and text_of(v)}


def _match_header(texts: Dict[int, str], explicit: Dict[str, str]) -> Dict[str, int]:
    found: Dict[str, int] = {}
    for col in sorted(texts):
        key = field_for_header(texts[col], explicit)
        if key and key not in found:
            found[key] = col
    return found


def find_layout(book: Workbook, settings) -> Layout:
    """The register sheet and header row: the configured ones, else the first sheet that has
    a case-id and a received-time header within its first 30 rows."""
    reg = settings.conf.register
    explicit = settings.columns
    if reg.sheet:
        candidates = [book.sheet(reg.sheet)]
    else:
        candidates = list(book.sheets)
    if not candidates:
        en, zh = pair("register.no_sheet", name=book.path.name)
        raise RegisterError(en, zh=zh)
    wanted_row = reg.header_row
    best: Optional[Tuple[int, SheetInfo, int, Dict[int, str], Dict[str, int]]] = None
    for sheet in candidates:
        last = wanted_row or HEADER_SEARCH_ROWS
        for row_no, values in book.rows(sheet, first_row=wanted_row or 1, last_row=last):
            texts = _row_text(values)
            found = _match_header(texts, explicit)
            if all(k in found for k in REQUIRED):
                language = "zh" if any(_CJK.search(texts[c]) for c in found.values()) else "en"
                return Layout(sheet, row_no, found, texts, language)
            score = (sum(k in found for k in REQUIRED), len(found), len(texts))
            if best is None or score > best[0]:
                best = (score, sheet, row_no, texts, found)
    raise RegisterError(_no_header_message(book, settings, best, candidates, "en"),
                        zh=_no_header_message(book, settings, best, candidates, "zh"))


def _no_header_message(book: Workbook, settings, best, sheets, lang: str) -> str:
    """Where the header was looked for, the row that came closest and its headers, and the
    two settings that point officebot at the right place."""
    zh = lang == "zh"
    sep = "、" if zh else ", "
    need = ("、" if zh else " and ").join(
        display_name(k, "zh") if zh else f'{display_name(k, "zh")}/{display_name(k, "en")}'
        for k in REQUIRED)
    wanted = settings.conf.register.header_row
    rows = (msg(lang, "register.looked_row", row=wanted) if wanted else
            msg(lang, "register.looked_rows", rows=HEADER_SEARCH_ROWS))
    names = sep.join(msg(lang, "register.sheet_quoted", sheet=s.name) for s in sheets)
    text = msg(lang, "register.no_header", name=book.path.name, need=need, rows=rows,
               sheets=names)
    if best is not None and best[3]:
        _, sheet, row_no, texts, found = best
        missing = sep.join(display_name(k, lang) for k in REQUIRED if k not in found)
        text += msg(lang, "register.best_candidate", sheet=sheet.name, row=row_no,
                    missing=missing, shown=sep.join(list(texts.values())[:12]))
    return text + msg(lang, "register.header_settings")


def read_cases(path: Path, settings, text_fields: bool = False,
               only_rows: Optional[Set[int]] = None, lean: bool = False,
               keep_decoder: bool = False, watch: Optional[Callable[[Layout], object]] = None,
               zf: Optional[Zip] = None):
    """(layout, cases, problems, date1904) of the register at ``path``.

    ``text_fields`` also loads the long texts letters need (complaint, resolution);
    ``only_rows`` reads just those rows (problems too: a duplicate id is then only found
    among them);
    ``lean`` returns RuleCase records: only what the rules need;
    ``keep_decoder`` adds a fifth item, a RowDecoder holding what this one pass found (the
    layout, the shared strings), for rows the writers pick out of the sheet later;
    ``watch(layout)`` gives an object whose ``block(xml, plain)`` sees the sheet's XML as
    this pass reads it (see Workbook.rows), so a writer need not read the sheet again;
    ``zf``: the package already open (by the workbook editor), read through and left open.
    """
    book = Workbook(path, Limits.of(settings), zf=zf)
    try:
        layout = find_layout(book, settings)
        cases: List[Case] = []
        problems: List[Problem] = []
        blocks = watch(layout).block if watch is not None else None
        for item in _read_rows(book, layout, settings, text_fields, lean, only_rows,
                               blocks=blocks):
            if isinstance(item, Problem):
                problems.append(item)
            else:
                cases.append(item)
    except BaseException:
        book.close()
        raise
    if keep_decoder:
        book.detach()
        return layout, cases, problems, book.date1904, RowDecoder(book, layout, settings)
    book.close()
    return layout, cases, problems, book.date1904


class RowDecoder:
    """Turns rows of the register sheet, given as their XML, into full Case records, with
    the layout and shared strings of the one reading pass (the package is not opened again).
    """

    def __init__(self, book: Workbook, layout: Layout, settings):
        self.book, self.layout, self.settings = book, layout, settings

    def cases(self, rows: List[Tuple[int, bytes]]) -> List[Case]:
        """Every field of the cases in these (row number, row XML) rows, problem rows left out."""
        return [item for item in _read_rows(self.book, self.layout, self.settings, True,
                                            rows_xml=rows) if not isinstance(item, Problem)]

    def close(self) -> None:
        self.book.close()


def _read_rows(book: Workbook, layout: Layout, settings, text_fields: bool, lean: bool = False,
               only_rows: Optional[Set[int]] = None,
               rows_xml: Optional[List[Tuple[int, bytes]]] = None, blocks=None
               ) -> Iterator[object]:
    reader = _RowReader(book, layout, settings, text_fields)
    # Lean reads need a name or e-mail only for customers without a phone number.
    deferred = {"customer", "email"} if lean else None
    if rows_xml is not None:
        source = book.parse_rows(rows_xml, columns=reader.key_of_col, deferred=deferred)
    elif not lean:
        source = book.rows(layout.sheet, columns=reader.key_of_col,
                           first_row=layout.header_row + 1, only=only_rows, blocks=blocks)
    else:  # a column at a time (the usual rows of a lean read never become dicts)
        for block in book.row_blocks(layout.sheet, reader.key_of_col, layout.header_row + 1,
                                     only_rows, deferred, blocks):
            yield from reader.lean_block(block)
        return
    row = reader.row
    for row_no, raw in source:
        yield from row(row_no, raw)


class _RowReader:
    """Turns the register's rows into cases and problems, with what one read remembers:
    the case numbers seen, one str object per short text, the readings of typed times."""

    def __init__(self, book: Workbook, layout: Layout, settings, text_fields: bool):
        self.lang = settings.language
        self.sheet_name = layout.sheet.name
        self.text_fields = text_fields
        wanted = {k: c for k, c in layout.columns.items()
                  if text_fields or k not in TEXT_ONLY_FIELDS}
        self.key_of_col = {c: k for k, c in wanted.items()}
        self.time_keys = [k for k in TIME_FIELDS if k in wanted]
        self.header = {k: layout.headers.get(c, display_name(k, self.lang))
                       for k, c in wanted.items()}
        self.seen_ids: Dict[str, int] = {}
        self.shared: Dict[str, str] = {}
        self.written: Dict[str, object] = {}  # times typed as text: their reading, or _BAD
        self.days: Dict[int, datetime] = {}  # a day's midnight, made once (see _times)
        self.date1904 = book.date1904
        self.epoch = EPOCH_1904 if self.date1904 else EPOCH_1900
        # Times the rules cannot add their clocks to are problem rows, not overflows.
        room = calendar_room(settings)
        self.earliest, self.latest = datetime.min + room, datetime.max - room
        self.serial_low = max(0.0 if self.date1904 else 61.0, (self.earliest - self.epoch) / DAY)
        self.serial_high = min(float(MAX_SERIAL), (self.latest - self.epoch) / DAY)

    def checked(self, row_no: int, raw: Dict[str, object]
                ) -> Optional[Tuple[List[Problem], str, Dict[str, Optional[datetime]]]]:
        """(problems, case number, times) of one row ({key: value}): its case number and
        times checked and read, the number remembered when it is a good one; None for a
        blank row."""
        lang, sheet_name, header = self.lang, self.sheet_name, self.header
        id_raw = raw.get("case_id")
        if type(id_raw) is str and id_raw.strip():  # the usual row: a typed case number
            case_id = id_raw.strip()
        elif all(type(v) is str and not v.strip() for v in raw.values()):
            return None
        else:
            case_id = case_id_of(id_raw)
        bad: List[Problem] = []
        seen_ids = self.seen_ids
        if isinstance(id_raw, CellError):
            bad.append(Problem(sheet_name, row_no, header["case_id"],
                               message("error_value", lang, value=id_raw), str(id_raw),
                               "error_value"))
        elif not case_id:
            bad.append(Problem(sheet_name, row_no, header["case_id"], message("blank_id", lang),
                               "", "blank_id"))
        elif len(case_id) > EXCEL_CELL_CHARS:
            bad.append(_too_long(sheet_name, row_no, header["case_id"], case_id, lang))
        elif case_id in seen_ids:
            bad.append(Problem(sheet_name, row_no, header["case_id"], message(
                "duplicate_id", lang, id=case_id, row=seen_ids[case_id]), case_id,
                "duplicate_id"))
        else:
            seen_ids[case_id] = row_no
        times = {}
        epoch, serial_low, serial_high = self.epoch, self.serial_low, self.serial_high
        for key in self.time_keys:
            value = raw.get(key)
            if (type(value) is float or type(value) is int) and \
                    serial_low <= value <= serial_high:
                # the usual cell: a serial past Excel's 1900 leap-year bug, in C arithmetic
                # (whole days are ints; timedelta's positional days, seconds parse fastest)
                times[key] = epoch + timedelta(0, round(value * 86400))
                continue
            if value is None:
                times[key] = None
                if key == "received_at":
                    bad.append(Problem(sheet_name, row_no, header[key],
                                       message("blank_received", lang), "", "blank_received"))
                continue
            try:
                if isinstance(value, CellError):
                    raise Unreadable(str(value))
                when = times[key] = self.typed_time(value)
            except Unreadable:
                bad.append(Problem(sheet_name, row_no, header[key],
                                   message("bad_time", lang, value=text_of(value)),
                                   text_of(value), "bad_time"))
                continue
            if when is not None and not self.earliest <= when <= self.latest:
                times[key] = None
                bad.append(Problem(sheet_name, row_no, header[key], message(
                    "beyond_calendar", lang, value=when.isoformat(" ", "minutes")),
                    text_of(value), "bad_time"))
                continue
            if when is None and key == "received_at":
                bad.append(Problem(sheet_name, row_no, header[key],
                                   message("blank_received", lang), text_of(value),
                                   "blank_received"))
        return bad, case_id, times

    def row(self, row_no: int, raw: Dict[str, object]) -> List[object]:
        """The Case of one row ({key: value}), or its problems (none for a blank row)."""
        checked = self.checked(row_no, raw)
        if checked is None:
            return []
        bad, case_id, times = checked
        if bad:
            return bad
        try:
            return [_case(row_no, case_id, raw, times, self.shared, self.text_fields)]
        except _TooLong as exc:
            return [self._too_long(row_no, raw, exc)]

    def _too_long(self, row_no: int, raw: Dict[str, object], exc: "_TooLong") -> Problem:
        key = exc.key or next(k for k, v in raw.items()
                              if isinstance(v, str) and len(v) >= len(exc.text))
        return _too_long(self.sheet_name, row_no, self.header[key], exc.text, self.lang)

    def typed_time(self, value: object) -> Optional[datetime]:
        """A time cell's reading when it is no serial in range (Unreadable if it is none);
        a time typed as text is parsed once a read (typed dates repeat: 2026/1/13)."""
        if type(value) is not str:
            return parse_time(value, self.date1904)
        when = self.written.get(value, _UNREAD)
        if when is _UNREAD:
            try:
                when = self.written[value] = parse_time(value, self.date1904)
            except Unreadable:
                self.written[value] = _BAD
                raise
        elif when is _BAD:
            raise Unreadable(value)
        return when

    def lean_block(self, block, fast: bool = True) -> List[object]:
        """The RuleCases and problems of a block of rows (a RowBlock), a column at a time:
        each column's values (times, short texts, identities) are made at once, and a row
        whose case number and times are usual becomes its case without a dict; any other
        row is checked as a dict (checked()). ``fast=False`` checks every row so (the tests
        hold the two lanes to the same result)."""
        numbers, rows = block.numbers, block.rows
        n = len(numbers)
        nothing = [None] * n
        if rows is not None:  # a block lxml read: its rows' dicts, and their columns
            columns = {k: [r.get(k) for r in rows] for k in self.header}
        else:
            columns = block.columns
        col = columns.get
        times = {key: self._times(col(key, nothing)) for key in self.time_keys}
        slow = {i for t in times.values() for i, x in enumerate(t) if x is _SLOW}
        received, replied, closed, first, followup, agreed, extended = (
            times.get(key, nothing) for key in LEAN_TIMES)
        ids = col("case_id", nothing)
        channel, category, department, handler = (
            self._shorts(col(key, nothing)) for key in _RULE_TEXTS)
        sev = _SEVERITIES.get
        severity = [hit if type(v) is str and (hit := sev(v)) is not None else _severity(v)
                    for v in col("severity", nothing)]
        satisfaction = [None if v is None else _satisfaction(v)
                        for v in col("satisfaction", nothing)]
        identity = self._identities(col("phone", nothing), col("email", nothing),
                                    col("customer", nothing))
        seen_ids, out = self.seen_ids, []
        add = out.append
        long_text = any(_SLOW in texts for texts in (channel, category, department, handler))
        for i, row_no in enumerate(numbers):
            id_raw = ids[i]
            if fast and type(id_raw) is str and (case_id := id_raw.strip()) and \
                    len(case_id) <= EXCEL_CELL_CHARS and case_id not in seen_ids and \
                    received[i] is not None and i not in slow:
                seen_ids[case_id] = row_no
                if not long_text:  # the usual row: its case at once
                    add(made(RuleCase, (
                        row_no, case_id, received[i], channel[i], category[i], severity[i],
                        department[i], handler[i], replied[i], closed[i], satisfaction[i],
                        identity[i], first[i], followup[i], agreed[i], extended[i])))
                    continue
                when = (received[i], replied[i], closed[i], first[i], followup[i],
                        agreed[i], extended[i])
            else:
                raw = block.row(i)
                checked = self.checked(row_no, raw) if raw else None
                if checked is None:
                    continue
                bad, case_id, got = checked
                if bad:
                    out.extend(bad)
                    continue
                when = tuple(map(got.get, LEAN_TIMES))
            texts = (channel[i], category[i], department[i], handler[i])
            if _SLOW in texts:  # a text longer than a cell holds: said as row() says it
                raw = block.row(i)
                long = next(raw[k].strip() for k, t in zip(_RULE_TEXTS, texts) if t is _SLOW)
                out.append(self._too_long(row_no, raw, _TooLong(long)))
                continue
            out.append(RuleCase(row_no, case_id, when[0], texts[0], texts[1], severity[i],
                                texts[2], texts[3], when[1], when[2], satisfaction[i],
                                identity[i], when[3], when[4], when[5], when[6]))
        return out

    def _shorts(self, values: list) -> list:
        """A short text column (channel, category ...): one str object per distinct text,
        "" where empty, _SLOW for a text longer than a cell holds."""
        shared = self.shared
        get = shared.get

        def other(v):
            try:
                return _short_text(v, shared)
            except _TooLong:
                return _SLOW

        return [(get(v) or other(v)) if type(v) is str else "" if v is None else other(v)
                for v in values]

    @staticmethod
    def _identities(phones: list, emails: list, customers: list) -> list:
        """Who each row's customer is: their phone digits, else the e-mail or name (often
        left undecoded: decoded only then)."""
        digits = phone_digits
        # The usual phone, up to 11 digits as typed or as a number, is its own digits
        # (phone_digits says so)
        out = [("tel:" + p) if type(p) is str and len(p) <= 11 and p.isdigit() else
               ("tel:%d" % p) if type(p) is int and 0 <= p < 100_000_000_000 else
               ("tel:" + d) if p is not None and type(p) is not CellError and (d := digits(p))
               else None for p in phones]
        for i, who in enumerate(out):
            if who is None:
                out[i] = _identity_deferred(None, emails[i], customers[i])
        return out

    def _times(self, values: list) -> list:
        """A time column's datetimes, at once: None where empty, _SLOW where row() is to
        judge the cell (unreadable, an error, beyond the calendar). A serial in range is
        checked()'s epoch + timedelta(0, round(serial * 86400)), made as its day's midnight
        plus its time of day (divmod of whole seconds: exact)."""
        low, high, other, td = self.serial_low, self.serial_high, self._other_time, timedelta
        if not _to_the_minute(values, low, high):
            epoch = self.epoch
            return [epoch + td(0, round(v * 86400))
                    if (type(v) is float or type(v) is int) and low <= v <= high else
                    None if v is None else other(v)
                    for v in values]
        # Times to the minute, as clerks type them: each day's midnight is made once and a
        # time of day looked up (two lookups and an addition cost less than a timedelta)
        day_get, minute_get, day = self.days.get, _MINUTES.get, self._day
        return [(day_get(ds[0]) or day(ds[0])) + (minute_get(ds[1]) or td(0, ds[1]))
                if (type(v) is float or type(v) is int) and low <= v <= high
                and (ds := divmod(round(v * 86400), 86400)) else
                None if v is None else other(v)
                for v in values]

    def _day(self, n: int) -> datetime:
        at = self.days[n] = self.epoch + timedelta(n)
        return at

    def _other_time(self, value: object) -> object:
        """A time cell that is no serial in range, as _times gives it."""
        if type(value) is not str:
            return _SLOW
        try:
            when = self.typed_time(value)
        except Unreadable:
            return _SLOW
        return when if when is not None and self.earliest <= when <= self.latest else _SLOW


_UNREAD, _BAD, _SLOW = object(), object(), object()
_MINUTES = {s: timedelta(0, s) for s in range(60, 86400, 60)}  # a day's times to the minute
_RULE_TEXTS = ("channel", "category", "department", "handler")  # a RuleCase's short texts
# The times of a RuleCase, in its order
LEAN_TIMES = ("received_at", "replied_at", "closed_at", "first_contact_at", "followup_at",
              "agreed_reply_at", "extended_to")


def _to_the_minute(values: list, low: float, high: float) -> bool:
    """Whether the first serials in range of a time column are whole minutes (a sample: it
    picks the faster way for the column, either way the same datetimes)."""
    sample = [v for v in values[:16] if type(v) is float and low <= v <= high]  # no inf, NaN
    return bool(sample) and all(round(v * 86400) % 60 == 0 for v in sample)


class _TooLong(Exception):
    """A text longer than an Excel cell holds, met while a case is built."""

    def __init__(self, text: str, key: str = ""):
        self.text, self.key = text, key


def _too_long(sheet: str, row_no: int, column: str, text: str, lang: str) -> Problem:
    return Problem(sheet, row_no, column, message("too_long", lang, n=len(text)),
                   text[:40] + "…", "too_long")


_SEVERITIES: Dict[str, str] = {}


def _severity(raw: object) -> str:
    if type(raw) is str:  # few distinct values: normalise each once
        hit = _SEVERITIES.get(raw)
        if hit is None:
            hit = _SEVERITIES[raw] = severity_of(raw)
        return hit
    return severity_of(raw)


def _short_text(value: object, shared: Dict[str, str]) -> str:
    """A low-cardinality text field, one str object per distinct value."""
    if type(value) is str:
        hit = shared.get(value)
        if hit is None:  # remembered under the text as typed too: the next one is one lookup
            text = value.strip()
            if len(text) > EXCEL_CELL_CHARS:
                raise _TooLong(text)
            hit = shared[value] = shared.setdefault(text, text)
        return hit
    if value is None or isinstance(value, CellError):
        return ""
    text = text_of(value)
    return shared.setdefault(text, text)


def _satisfaction(value: object) -> object:
    if isinstance(value, CellError):
        return None
    if isinstance(value, str):
        return value.strip() or None
    return value


_SPACES = " \t\r\n\u00a0\u3000"
_TEXT_KEYS = frozenset(f.key for f in FIELDS if f.kind == "text") - {"case_id", "severity"}


def _case(row_no: int, case_id: str, raw: Dict[str, object], times: Dict[str, object],
          shared: Dict[str, str], text_fields: bool) -> Case:
    text: Dict[str, str] = {}
    for key, value in raw.items():
        if key not in _TEXT_KEYS:
            continue
        if type(value) is str:
            value = value.strip(_SPACES)  # control characters at either end are kept (shown)
        elif value is None or isinstance(value, (CellError, Deferred)):
            continue  # a deferred name or e-mail: only the identity below may need it
        else:
            value = text_of(value)
        if len(value) > EXCEL_CELL_CHARS:
            raise _TooLong(value, key)
        if key in _SHARED_TEXT:
            value = shared.setdefault(value, value)
        text[key] = value
    amount = raw.get("amount")
    if amount is not None:
        try:
            amount = number_of(amount)
        except Unreadable:
            amount = None
    satisfaction = _satisfaction(raw.get("satisfaction"))
    phone = raw.get("phone")
    if isinstance(phone, CellError):
        phone = None
    get = text.get
    email, customer = get("email", ""), get("customer", "")
    if isinstance(raw.get("email"), Deferred) or isinstance(raw.get("customer"), Deferred):
        identity = _identity_deferred(phone, raw.get("email"), raw.get("customer"))
    else:
        identity = identity_of(phone, email, customer)
    if not text_fields:  # the identity is all the rules need of phone and email
        phone, email = None, ""
    severity = _severity(raw.get("severity"))
    return Case(
        row_no, case_id, times["received_at"], get("channel", ""), customer, text_of(phone),
        email, get("category", ""), severity, get("summary", ""), get("department", ""),
        get("handler", ""), times.get("first_contact_at"), times.get("replied_at"),
        times.get("closed_at"), get("resolution", ""), satisfaction, amount, identity,
        times.get("followup_at"), times.get("agreed_reply_at"), times.get("extended_to"),
        get("address", ""), get("language", ""), get("hold", ""), get("reply_text", ""),
        get("improvement", ""), get("summary_en", ""), get("reply_en", ""))


def _identity_deferred(phone, email, customer) -> Optional[str]:
    """The identity, decoding the e-mail and then the name only when they decide it."""
    digits = phone_digits(phone)
    if digits:
        return "tel:" + digits

    def plain(value) -> str:
        if isinstance(value, Deferred):
            value = value.text()
        return "" if value is None or isinstance(value, CellError) else text_of(value)

    return identity_of(None, plain(email), plain(customer))


__all__ = ["Layout", "find_layout", "read_cases", "FIELDS", "FIELD_BY_KEY"]
