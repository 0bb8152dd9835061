"""Customers' data out of logs and the terminal: phone numbers and e-mail addresses masked,
control characters shown as visible marks.

Everything officebot prints or logs passes through ``for_terminal`` (``[privacy] mask =
false`` turns the masking off; control characters are always shown, so a case id holding a
terminal escape sequence cannot repaint the clerk's window). Files for the office itself —
the register, letters, drafts — keep the full values, and get their folder's permissions
(``follow_folder``).
"""

import os
import re
import stat
from pathlib import Path

# A mobile number (optional +86 / 0086 / 86, separators between the digits), a landline with
# its area code, or any other international number; Chinese text may touch it on either side.
_PHONE = re.compile(
    r"(?<![0-9A-Za-z_.])(?:(?:\+|00)?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}(?![0-9A-Za-z_])"
    r"|(?<![0-9A-Za-z_.])\(?0\d{2,3}\)?[\s-]?\d{3,4}[\s-]?\d{4}(?![0-9A-Za-z_])"
    r"|(?<![0-9A-Za-z_.])\+\d{1,3}(?:[\s-]?\d){6,14}(?![0-9A-Za-z_])")
_EMAIL = re.compile(r"[0-9A-Za-z_.!#$%&'*+/=?^`{|}~-]+@([\w-]+(?:\.[\w-]+)+)")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\u009b]")


def mask_phone(text: str) -> str:
    """138****8000: the first three and the last four digits stay, the rest is hidden."""
    digits = re.sub(r"\D", "", text)
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits[:3] + "*" * max(4, len(digits) - 7) + digits[-4:]


def mask_email(m: "re.Match") -> str:
    """z***@example.com: the first character of the local part and the domain stay."""
    return m.group(0)[0] + "***@" + m.group(1)


def mask(text: str) -> str:
    """``text`` with every phone number and e-mail address in it masked."""
    if "@" in text:
        text = _EMAIL.sub(mask_email, text)
    return _PHONE.sub(lambda m: mask_phone(m.group(0)), text)


def show_controls(text: str) -> str:
    """Control characters (except line breaks and tabs) as visible marks: ESC -> ␛."""
    return _CONTROL.sub(lambda m: chr(0x2400 + ord(m.group(0))) if m.group(0) < " "
                        else "\u2421" if m.group(0) == "\x7f" else "\ufffd", text)


def masking(settings) -> bool:
    """Whether the settings ask for masking ([privacy] mask); without settings, masked."""
    conf = getattr(settings, "conf", None)
    return True if conf is None else conf.privacy.mask


def for_terminal(text: str, settings=None, enabled=None) -> str:
    """``text`` as it may reach a terminal or a log: masked (unless turned off), controls shown."""
    text = "" if text is None else str(text)
    if enabled is None:
        enabled = masking(settings) if settings is not None else True
    return show_controls(mask(text) if enabled else text)


# --- file permissions ------------------------------------------------------------------------
def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def follow_folder(path, like=None) -> None:
    """Give a file officebot made its folder's permissions (the folder's read and write
    bits; never more than ``like``'s, the file it copies): a backup or a letter is never
    readable by people who cannot read its folder. A folder gets its parent's. POSIX only."""
    if os.name != "posix":
        return
    path = Path(path)
    try:
        folder = _mode(path.parent)
        if path.is_dir():
            mode = folder
        else:
            mode = folder & 0o666
            if like is not None:
                mode &= _mode(like)
            mode |= stat.S_IRUSR | stat.S_IWUSR  # the owner keeps reading and writing it
        os.chmod(path, mode)
    except OSError:
        pass  # a file system without permissions (FAT, some shares): nothing to follow
