"""Safe file names from what people typed (case ids): one function, used for every file
officebot names after a value of the register (letters, drafts, mail).

A name is safe when it is valid on Windows, macOS and Linux, stays inside the folder it is
meant for, and no two different ids give one name — not even on a file system that ignores
case (Windows, macOS) or normalises Unicode (macOS). An id that is already such a name is kept
as typed; any other gets a short hash of the id appended, so ``a/b`` and ``a_b`` stay apart.
"""

import hashlib
import os
import re
import unicodedata

# Characters Windows forbids in names, and every control character.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
# Device names Windows reserves, with or without an extension (CON, con.txt, COM¹ ...).
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$",
             *(f"COM{i}" for i in "123456789¹²³"), *(f"LPT{i}" for i in "123456789¹²³")}
MAX_STEM_BYTES = 120  # leaves room for "_followup.docx" and folders within 255 bytes


def _visible(ch: str) -> str:
    """One character as it may stand in a name: unsafe, invisible or unencodable -> "_"."""
    if _UNSAFE.match(ch):
        return "_"
    if unicodedata.category(ch) in ("Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
        return "_"  # bidi overrides, zero-width and lone surrogates hide or break a name
    return ch


def safe_file_stem(value: str) -> str:
    """A file name stem for ``value`` (a case id), unique per value and valid everywhere."""
    value = "" if value is None else str(value)
    stem = "".join(_visible(ch) for ch in unicodedata.normalize("NFC", value))
    stem = stem.strip().rstrip(". ")
    if stem.startswith((".", "~")):
        stem = "_" + stem  # never a hidden file, "." or "..", nor an owner file "~$..."
    if not stem or stem.split(".")[0].strip().upper() in _RESERVED:
        stem = "_" + stem
    if len(stem.encode("utf-8")) > MAX_STEM_BYTES:
        stem = stem.encode("utf-8")[:MAX_STEM_BYTES].decode("utf-8", "ignore").rstrip(". ")
    # Kept as typed only when nothing changed, nothing could look like our hash, and the name
    # has no lower-case letter: then no other id can differ from it by case alone.
    if stem != value or "~" in stem or stem != stem.upper():
        stem += "~" + hashlib.sha1(value.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return stem


def inside(rel: str, folder: str) -> bool:
    """Whether the relative path ``rel`` (/ separators, as recorded) stays inside ``folder``."""
    parts = str(rel).replace("\\", "/").split("/")
    return (len(parts) > 1 and parts[0] == folder and ".." not in parts and "" not in parts
            and ":" not in str(rel))


def resolves_inside(path, folder) -> bool:
    """Whether ``path`` (which need not exist yet) stays inside ``folder`` once links are
    followed: a folder linked elsewhere is no way out of letters/."""
    real, top = os.path.realpath(path), os.path.realpath(folder)
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)
