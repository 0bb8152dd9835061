"""Pure parsing of the values clerks type into a register: times, phones, ids, answers."""

import datetime as dt
import re
import unicodedata
from typing import Iterable, Optional, Union

Raw = Union[None, str, int, float, bool, dt.datetime, dt.date]

EPOCH_1900 = dt.datetime(1899, 12, 30)
EPOCH_1904 = dt.datetime(1904, 1, 1)
MAX_SERIAL = 2958465  # 9999-12-31
EXCEL_CELL_CHARS = 32767  # the most characters an Excel cell holds
# 9999-12-31 23:59:59, the last second Excel shows (a later fraction rounds into year 10000)
_LAST_SERIAL = MAX_SERIAL + 86399.5 / 86400

_DATETIME = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?"
    r"(?:\s*[T\s]\s*|(?=[上下]午|\d))?"
    r"(?:(上午|下午|凌晨|早上|晚上|中午)?\s*(\d{1,2})\s*[:时点]\s*(\d{1,2})?\s*分?"
    r"(?:\s*[:]?\s*(\d{1,2}(?:\.\d+)?)\s*秒?)?\s*(am|pm)?)?"
    r"(?:z|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$", re.IGNORECASE)


class Unreadable(ValueError):
    """A value that is present but cannot be read as what its column needs."""


def is_blank(raw: Raw) -> bool:
    """True for an empty cell or one holding only spaces."""
    return raw is None or (isinstance(raw, str) and not raw.strip())


def serial_to_datetime(serial: float, date1904: bool = False) -> dt.datetime:
    """An Excel serial number as a datetime, rounded to the nearest second."""
    # NaN fails every comparison, infinity the upper bound; time-only values (< 1) are no date
    last = _LAST_SERIAL - 1462 if date1904 else _LAST_SERIAL  # 1904 counts 1,462 days fewer
    if not (0 if date1904 else 1) <= serial < last or isinstance(serial, bool):
        raise Unreadable(f"{serial!r} is not a date")
    seconds = round(serial * 86400)
    if date1904:
        return EPOCH_1904 + dt.timedelta(seconds=seconds)
    if serial < 61:  # Excel's fictitious 1900-02-29 shifts the serials before March 1900
        seconds += 86400 if serial < 60 else 0
    return EPOCH_1900 + dt.timedelta(seconds=seconds)


def to_serial(when: Union[dt.datetime, dt.date], date1904: bool = False) -> float:
    """A datetime (or date) as the Excel serial number a cell holds: days since the
    workbook's epoch, to ten decimals (the same time writes the same bytes on every run)."""
    if type(when) is not dt.datetime:  # the usual value: a naive datetime, as is
        if not isinstance(when, dt.datetime):
            when = dt.datetime(when.year, when.month, when.day)
    if when.tzinfo is not None:
        when = when.replace(tzinfo=None)
    return round((when - (EPOCH_1904 if date1904 else EPOCH_1900)).total_seconds() / 86400, 10)


def parse_time(raw: Raw, date1904: bool = False) -> Optional[dt.datetime]:
    """A register time value as a naive local datetime; None when blank; Unreadable if not."""
    if type(raw) is float or type(raw) is int:  # the common case first: an Excel serial
        return serial_to_datetime(raw, date1904)
    if is_blank(raw):
        return None
    if isinstance(raw, dt.datetime):
        return raw.replace(tzinfo=None)
    if isinstance(raw, dt.date):
        return dt.datetime(raw.year, raw.month, raw.day)
    if isinstance(raw, bool):
        raise Unreadable(f"{raw!r} is not a date")
    if isinstance(raw, (int, float)):
        return serial_to_datetime(float(raw), date1904)
    text = str(raw).strip()
    if 10 <= len(text) <= 19 and text[4] == "-":
        try:  # the canonical forms, parsed in C
            return dt.datetime.fromisoformat(text)
        except ValueError:
            pass
    text = unicodedata.normalize("NFKC", text)
    m = _DATETIME.match(text)
    if m:
        year, month, day, period, hour, minute, second, ampm = m.groups()
        h = int(hour) if hour else 0
        if (period in ("下午", "晚上") or (ampm or "").lower() == "pm") and h < 12:
            h += 12
        if (ampm or "").lower() == "am" and h == 12:
            h = 0
        sec = float(second) if second else 0.0
        try:
            value = dt.datetime(int(year), int(month), int(day), h, int(minute or 0))
        except ValueError:
            raise Unreadable(f"{text!r} is not a valid date") from None
        if sec >= 60:
            raise Unreadable(f"{text!r} is not a valid time")
        return value + dt.timedelta(seconds=round(sec))
    m = _COMPACT_DATE.match(text)
    if m:
        try:
            return dt.datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise Unreadable(f"{text!r} is not a valid date") from None
    if _NUMBER.match(text):
        return serial_to_datetime(float(text), date1904)
    raise Unreadable(f"{text!r} is not a date and time")


def text_of(raw: Raw) -> str:
    """A cell value as display text: integers without '.0', text stripped."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float):
        if raw.is_integer() and abs(raw) < 1e15:
            return str(int(raw))
        return repr(raw)
    if isinstance(raw, (dt.datetime, dt.date)):
        return raw.isoformat(sep=" ")
    return str(raw).strip()


def case_id_of(raw: Raw) -> str:
    """The case id as text ('' when blank)."""
    return text_of(raw)


_SCIENTIFIC = re.compile(r"\d+(\.\d+)?e\+?\d+", re.IGNORECASE)
_POINT_ZERO = re.compile(r"\d+\.0+")
_NON_DIGIT = re.compile(r"\D")
_PHONE_MARKS = str.maketrans("", "", " -+()")  # what a phone typed in ASCII holds besides digits


def phone_digits(raw: Raw) -> str:
    """A phone as digits for comparing customers ('' when none).

    Floats lose their '.0' (also in scientific text such as 1.38001380E10); a leading
    86/+86/0086 is dropped only when an 11-digit mobile number starting with 1 remains.
    """
    if type(raw) is int:
        digits = str(raw) if raw >= 0 else str(-raw)
    elif is_blank(raw) or isinstance(raw, bool):
        return ""
    elif isinstance(raw, (int, float)):
        digits = _NON_DIGIT.sub("", text_of(raw))
    else:
        text = str(raw).strip()
        if not text.isdigit():
            plain = text.translate(_PHONE_MARKS)
            if plain.isascii() and plain.isdigit():  # +86 138-0013 8000: _NON_DIGIT's result
                text = plain
            else:
                text = unicodedata.normalize("NFKC", text)
                if _SCIENTIFIC.fullmatch(text):
                    number = float(text)
                    text = str(int(number)) if number.is_integer() else text
                elif _POINT_ZERO.fullmatch(text):
                    text = text.split(".")[0]
                text = _NON_DIGIT.sub("", text)
        digits = text
    if len(digits) > 11 and digits[0] in "08":
        for prefix in ("0086", "86"):
            rest = digits[len(prefix):]
            if digits.startswith(prefix) and len(rest) == 11 and rest[0] == "1":
                return rest
    return digits


def identity_of(phone: Raw, email: Raw, name: Raw) -> Optional[str]:
    """Who the customer is: "tel:" + the phone digits, else "mail:" + the lower-cased email,
    else (only when a row has neither) "name:" + the name; None when the row has none."""
    digits = phone_digits(phone)
    if digits:
        return "tel:" + digits
    mail = text_of(email).lower()
    if mail:
        return "mail:" + mail
    person = text_of(name)
    if person:
        return "name:" + person
    return None


def category_key(raw: Raw) -> Optional[str]:
    """Category compared without its optional suffix 类; None when blank."""
    text = raw.strip() if type(raw) is str else text_of(raw)
    if text.endswith("类"):
        text = text[:-1].rstrip()
    return text or None


SEVERITY_NAMES = {
    "一般": "一般", "普通": "一般", "normal": "一般", "general": "一般", "low": "一般",
    "严重": "严重", "serious": "严重", "high": "严重", "major": "严重",
    "危机": "危机", "crisis": "危机", "critical": "危机",
}


def severity_of(raw: Raw) -> str:
    """The severity name (一般 when blank); other text is kept as typed."""
    text = text_of(raw)
    if not text:
        return "一般"
    folded = text.lower()
    if folded.endswith("投诉"):
        folded = folded[:-2]
    return SEVERITY_NAMES.get(folded, text)


def satisfaction_of(raw: Raw, satisfied_answers: Iterable[str], min_score: float
                    ) -> Optional[bool]:
    """True satisfied, False answered but not satisfied, None no answer."""
    return satisfaction_judge(satisfied_answers, min_score)(raw)


def satisfaction_judge(satisfied_answers: Iterable[str], min_score: float):
    """A function telling satisfied (True), not satisfied (False) or no answer (None)."""
    answers = {unicodedata.normalize("NFKC", a).strip().lower() for a in satisfied_answers}
    seen: dict = {}

    def judge(raw: Raw) -> Optional[bool]:
        if raw is None or isinstance(raw, bool):
            return None
        if isinstance(raw, (int, float)):
            return raw >= min_score
        hit = seen.get(raw)
        if hit is None and raw not in seen:
            text = unicodedata.normalize("NFKC", str(raw)).strip()
            m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*分?", text)
            if not text:
                hit = None
            elif m:
                hit = float(m.group(1)) >= min_score
            else:
                hit = text.lower() in answers
            if len(seen) < 10000:
                seen[raw] = hit
        return hit

    return judge


def number_of(raw: Raw) -> Optional[float]:
    """A number (amounts), or None when blank; Unreadable if not a number."""
    if is_blank(raw):
        return None
    if isinstance(raw, bool):
        raise Unreadable(f"{raw!r} is not a number")
    if isinstance(raw, (int, float)):
        return float(raw)
    text = unicodedata.normalize("NFKC", str(raw)).strip().replace(",", "")
    text = re.sub(r"^[¥￥$]|元$", "", text).strip()
    try:
        return float(text)
    except ValueError:
        raise Unreadable(f"{raw!r} is not a number") from None
