"""How wide text is in a spreadsheet column, and how many lines it wraps to.

Widths are in Excel's column unit (the width of a digit in the default font, Calibri 11, whose
metrics LibreOffice's Carlito shares). Latin text is measured character by character (an "i"
is half a digit, an "M" nearly two); CJK and full-width characters count two. Wrapping breaks
Latin text only between words and CJK text between any two characters, as Excel and
LibreOffice do, so a column at least as wide as its longest word never breaks a word.
"""

import math
import re
import unicodedata
from typing import Dict, Iterable, List

PADDING = 1.0        # a column's inner margins, in the same unit
BOLD = 1.08          # bold Calibri is this much wider
LINE_HEIGHT = 15.0   # points per line at the default font size
MAX_ROW_HEIGHT = 409.0  # Excel's limit

_NARROW = set("iljI.,:;'!|`")
_SMALL = set("ftr()[]{}-/\\ \"*")
_WIDE = set("mwMW@%")
_TOKEN = re.compile(r"[\u2e80-\U0002ffff\uff00-\uffef]|[^\s\u2e80-\U0002ffff\uff00-\uffef]+|\s+")


def char_width(ch: str) -> float:
    """One character's width in column units."""
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 2.0
    if ch in _NARROW:
        return 0.45
    if ch in _SMALL:
        return 0.65
    if ch in _WIDE:
        return 1.6
    if ch.isupper():
        return 1.2
    return 1.0


_WIDTHS: Dict[str, float] = {}  # a character's width, measured once (summary lists: 10^6)


def _width(ch: str) -> float:
    w = _WIDTHS.get(ch)
    if w is None:
        w = _WIDTHS[ch] = char_width(ch)
    return w


def text_width(text: str, bold: bool = False) -> float:
    """The width of one line of ``text``."""
    width = sum(map(_width, text))
    return width * BOLD if bold else width


_TOKEN_WIDTHS: Dict[str, float] = {}  # words and CJK characters repeat across a list's rows


def _token_width(token: str) -> float:
    w = _TOKEN_WIDTHS.get(token)
    if w is None:
        w = sum(map(_width, token))
        if len(_TOKEN_WIDTHS) < 4096:  # the common words; case numbers are all different
            _TOKEN_WIDTHS[token] = w
    return w


def words(text: str) -> List[str]:
    """The pieces a line may not break inside: Latin words, single CJK characters."""
    return [t for t in _TOKEN.findall(text) if not t.isspace()]


def longest_word(texts: Iterable[str], bold: bool = False) -> float:
    """The width of the widest unbreakable piece among ``texts`` (0 when none)."""
    return max((text_width(w, bold) for t in texts if t for line in str(t).split("\n")
                for w in words(line)), default=0.0)


def fit_width(texts: Iterable[str], base: float, most: float = 60.0, bold: bool = False,
              whole: bool = False) -> float:
    """A column width for ``texts``: at least ``base``, wide enough that no word breaks
    (``whole``: that no text wraps at all), at most ``most`` unless a word needs more."""
    texts = [str(t) for t in texts if t not in (None, "")]
    if whole:
        need = max((text_width(line, bold) for t in texts for line in t.split("\n")),
                   default=0.0)
    else:
        need = longest_word(texts, bold)
    need = math.ceil((need + PADDING) * 2) / 2
    if whole:  # beyond ``most`` the text wraps, but never inside its longest word
        need = max(min(need, most), math.ceil((longest_word(texts, bold) + PADDING) * 2) / 2)
    return max(base, need)


def wrapped_lines(text: str, width: float, bold: bool = False) -> int:
    """How many lines ``text`` takes in a wrapping column ``width`` units wide."""
    room = max(1.0, width - PADDING)
    lines = 0
    for line in str(text).split("\n"):
        used, count = 0.0, 1
        for token in _TOKEN.findall(line):
            w = _token_width(token) * BOLD if bold else _token_width(token)
            if token.isspace():
                used += w
                continue
            if used and used + w > room:
                count += 1
                used = 0.0
            while w > room:  # a piece wider than the column (only in too narrow a column)
                w -= room
                count += 1
            used += w
        lines += count
    return max(1, lines)


def row_height(texts_and_widths: Iterable, bold: bool = False) -> float:
    """The height (points) a row needs so that each (text, width) shows whole."""
    lines = max((wrapped_lines(t, w, bold) for t, w in texts_and_widths if t), default=1)
    return min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT + 3)
