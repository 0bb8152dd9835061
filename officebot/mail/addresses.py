"""Values that go into a message's headers or the journal: e-mail addresses read from a
register cell, case ids compared as Excel shows them, header text without line breaks,
phone numbers as people write them."""

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import List, Tuple

_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*"
                      r"[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
_SPLIT = re.compile(r"[;,，；、\s]+")
# Characters Excel shows as nothing: zero-width spaces and joiners, word joiner, BOM, soft hyphen.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_CONTROL = re.compile("[\x00-\x1f\x7f\u0085\u2028\u2029]+")
_SCIENTIFIC = re.compile(r"^\d+(?:\.\d+)?[eE]\+?\d+$|^\d+\.0+$")


def parse_addresses(text: str) -> Tuple[List[str], List[str]]:
    """(valid addresses, invalid pieces) of a register's e-mail cell; several may be given,
    separated by ; , or spaces."""
    good, bad = [], []
    for piece in _SPLIT.split(_INVISIBLE.sub("", text or "").strip()):
        piece = piece.strip().strip("<>")
        if not piece:
            continue
        (good if _ADDRESS.match(piece) and ".." not in piece else bad).append(piece)
    return good, bad


def case_key(case_id: object) -> str:
    """A case id as Excel shows it, for comparing: NFKC, invisible characters and the
    spaces around it removed (a zero-width space typed into a cell must not make a new case)."""
    text = unicodedata.normalize("NFKC", "" if case_id is None else str(case_id))
    return _INVISIBLE.sub("", text).strip()


def header_text(value: object) -> str:
    """Text for one header line: line breaks and other control characters become one space
    (a name typed with Alt+Enter)."""
    return " ".join(_CONTROL.sub(" ", "" if value is None else str(value)).split())


def phone_as_written(value: object) -> str:
    """A phone as people write it: 1.9322921132E+10 or 19322921132.0 (a number cell read as
    text) -> 19322921132; anything else as typed."""
    text = "" if value is None else str(value).strip()
    if _SCIENTIFIC.match(text):
        try:
            number = Decimal(text)
        except InvalidOperation:
            return text
        if number == number.to_integral_value():
            return str(int(number))
    return text
