"""Customers' data out of logs and the terminal: phone numbers, ID-card numbers and e-mail
addresses masked, every value one line.

Everything officebot prints or logs passes through ``for_terminal`` (``[privacy] mask =
false`` turns the masking off). ``one_line`` is always applied: CR, LF, ESC, the other
control characters and the Unicode line and direction marks are shown escaped (``\\n``,
``\\x1b``, ``\\u2028``), so a case id can neither forge a line of a log nor repaint the
clerk's window. Output of several lines is given as a list of lines, each made one line.
Files for the office itself — the register, letters, drafts — keep the full values, and get
their folder's permissions (``folder_mode``, ``follow_folder``).
"""

import os
import re
import stat
from pathlib import Path
from typing import Iterable

# Digits may be typed full-width (１３９…) by a Chinese input method: ``\d`` matches those, the
# explicit leading digits list both forms. Separators: space, dash, dot (139.1234.5606).
_SEP = r"[\s\-.－．]?"
_PHONE = re.compile(
    r"(?<![0-9A-Za-z_.０-９])(?:(?:[+＋]|[0０]{2})?[8８][6６]" + _SEP + r")?"
    r"[1１][3-9３-９]\d(?:" + _SEP + r"\d){8}(?![0-9A-Za-z０-９])"
    r"|(?<![0-9A-Za-z_.０-９])[(（]?[0０]\d{2,3}[)）]?" + _SEP + r"\d{3,4}" + _SEP
    + r"\d{4}(?![0-9A-Za-z０-９])"
    r"|(?<![0-9A-Za-z_.０-９])[+＋]\d{1,3}(?:" + _SEP + r"\d){6,14}(?![0-9A-Za-z０-９])")
# An 18-digit resident ID-card number (the last may be X), or the old 15-digit one.
_ID_CARD = re.compile(r"(?<![0-9A-Za-z_.０-９])[1-9１-９](?:\d{16}[\dXxＸｘ]|\d{14})"
                      r"(?![0-9A-Za-z０-９])")
# The local part: ASCII as in most addresses, or a run of other letters (张伟@例子.中国); the
# domain may be an internationalised one.
# Each alternative starts only where a run of its characters starts (the look-behinds), so a
# long cell without a domain is scanned in linear time, not once from every character.
_LOCAL_ASCII = r"0-9A-Za-z_.!#$%&'*+/=?^`{|}~-"
_LOCAL_OTHER = r"^\x00-\x7f\s@＠，。、；：！？（）《》“”‘’【】"
_EMAIL = re.compile(rf"(?:(?<![{_LOCAL_ASCII}])[{_LOCAL_ASCII}]+|(?<![{_LOCAL_OTHER}])[{_LOCAL_OTHER}]+)"
                    r"[@＠]([\w-]+(?:[.．][\w-]+)+)")
# C0 and C1 controls, DEL, the line and paragraph separators and the direction overrides.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069"
                     "\ufeff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def mask_phone(text: str) -> str:
    """138****8000: the first three and the last four digits stay, the rest is hidden."""
    digits = "".join(ch for ch in text if ch.isdigit())
    if digits.startswith(("0086", "００８６")):
        digits = digits[4:]
    elif digits[:2] in ("86", "８６") and len(digits) == 13:
        digits = digits[2:]
    return digits[:3] + "*" * max(4, len(digits) - 7) + digits[-4:]


def mask_id_card(text: str) -> str:
    """110***********1234: the first three and the last four characters stay."""
    return text[:3] + "*" * (len(text) - 7) + text[-4:]


def mask_email(m: "re.Match") -> str:
    """z***@example.com: the first character of the local part and the domain stay."""
    return m.group(0)[0] + "***@" + m.group(1)


def mask(text: str) -> str:
    """``text`` with every phone number, ID-card number and e-mail address in it masked."""
    if "@" in text or "＠" in text:
        text = _EMAIL.sub(mask_email, text)
    text = _ID_CARD.sub(lambda m: mask_id_card(m.group(0)), text)
    return _PHONE.sub(lambda m: mask_phone(m.group(0)), text)


def _escape(m: "re.Match") -> str:
    ch = m.group(0)
    if ch in _NAMED:
        return _NAMED[ch]
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def one_line(value) -> str:
    """``value`` as one line of text: CR, LF, tab, ESC and every other control character
    shown escaped (``\\n``, ``\\x1b``); nothing else changes."""
    text = "" if value is None else str(value)
    return _UNSAFE.sub(_escape, text)


def masking(settings) -> bool:
    """Whether the settings ask for masking ([privacy] mask); without settings, masked."""
    conf = getattr(settings, "conf", None)
    return True if conf is None else conf.privacy.mask


def for_terminal(text, settings=None, enabled=None) -> str:
    """``text`` as one line that may reach a terminal or a log: masked (unless turned off),
    every control character escaped."""
    text = "" if text is None else str(text)
    if enabled is None:
        enabled = masking(settings) if settings is not None else True
    return one_line(mask(text) if enabled else text)


def lines_for_terminal(lines: Iterable, settings=None, enabled=None) -> str:
    """Several lines for a terminal or a log, each made one line by ``for_terminal``."""
    if isinstance(lines, str):
        lines = [lines]
    return "\n".join(for_terminal(line, settings, enabled) for line in lines)


# --- file permissions ------------------------------------------------------------------------
def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def folder_mode(folder, like=None, directory: bool = False) -> int:
    """The permissions of a new file (or folder) officebot makes in ``folder``: the folder's
    read and write bits, never more than ``like``'s (the file it copies or stands for),
    always readable and writable by its owner."""
    mode = _mode(folder)
    if directory:
        return mode
    mode &= 0o666
    if like is not None:
        try:
            mode &= _mode(like)
        except OSError:
            pass
    return mode | stat.S_IRUSR | stat.S_IWUSR


def follow_folder(path, like=None) -> None:
    """Narrow a file or folder officebot made to its folder's permissions (see
    ``folder_mode``): a backup or a letter is never readable by people who cannot read its
    folder. A mode is never widened, and a symbolic link is never followed (a link planted
    in place of a letter keeps its target untouched). POSIX only."""
    if os.name != "posix":
        return
    path = Path(path)
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return  # gone, a link, or not ours to open: nothing to narrow
    try:
        st = os.fstat(fd)
        if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
            return
        if stat.S_ISREG(st.st_mode) and st.st_nlink != 1:
            return  # a hard link planted at our name: its other names are not ours
        wanted = folder_mode(path.parent, like, directory=stat.S_ISDIR(st.st_mode))
        current = stat.S_IMODE(st.st_mode)
        if current & wanted != current:
            os.fchmod(fd, current & wanted)
    except OSError:
        pass  # a file system without permissions (FAT, some shares): nothing to follow
    finally:
        os.close(fd)
