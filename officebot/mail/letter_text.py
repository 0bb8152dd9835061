"""A drafted letter as the text of an e-mail: its paragraphs and tables in order, its title,
and a follow-up's tick boxes turned into questions a customer answers by replying."""

import io
import re
import zipfile
from pathlib import Path
from typing import List, NamedTuple, Optional

from .. import files
from ..package import safe_fromstring

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_BOX = re.compile(r"[□☐☑☒]\s*")
_BLANKS = re.compile(r"[_＿]{3,}")
_GAP = re.compile(r"[ \u3000]{2,}")
TITLE_LIMIT = 60  # a bold paragraph longer than this is text, not the letter's title


class LetterText(NamedTuple):
    """The letter as plain lines and its title ('' when it has none officebot can tell)."""

    title: str
    lines: List[str]
    questions: int    # after which line its tick-box questions end (0: it has none)


def _text(node) -> str:
    parts = []
    for el in node.iter(W + "t", W + "tab", W + "br", W + "cr"):
        if el.tag == W + "t":
            parts.append(el.text or "")
        elif el.tag == W + "tab":
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _bold(p) -> bool:
    runs = [r for r in p.iter(W + "r") if _text(r).strip()]
    if not runs:
        return False
    for r in runs:
        b = r.find(f"{W}rPr/{W}b")
        if b is None or b.get(W + "val") in ("0", "false", "off"):
            return False
    return True


def read_letter(path: Path, sender: str = "") -> LetterText:
    """The text of a drafted .docx; the title is its first bold paragraph that is not the
    sender's name (``sender``). A link planted at the letter's name is never read through
    (OSError)."""
    with zipfile.ZipFile(io.BytesIO(files.read_plain(path))) as zf:
        root = safe_fromstring(zf.read("word/document.xml"))
    body = root.find(W + "body")
    lines: List[str] = []
    title = ""
    for child in (body if body is not None else []):
        if child.tag == W + "p":
            text = _text(child)
            if not title and text.strip() and text.strip() != sender.strip() \
                    and len(text.strip()) <= TITLE_LIMIT and _bold(child):
                title = text.strip()
            lines.extend(text.split("\n"))
        elif child.tag == W + "tbl":
            for tr in child.iter(W + "tr"):
                cells = [" ".join(_text(tc).split()) for tc in tr.iter(W + "tc")]
                lines.append("\t".join(cells))
    return answerable(title, lines)


def answerable(title: str, lines: List[str]) -> LetterText:
    """Tick-box lines ("□ 满意　□ 不满意") as choices written out, blanks for writing in
    dropped: a customer answers them in a reply."""
    out, end = [], 0
    for line in lines:
        if _BOX.search(line):
            line = _BLANKS.sub("", _BOX.sub("", line))
            line = " / ".join(p.strip() for p in _GAP.split(line.strip()) if p.strip())
            end = len(out) + 1
        elif not out and not line.strip():
            continue
        out.append(line.rstrip())
    while out and not out[-1].strip():
        out.pop()
    return LetterText(title, out, end)


def plain_body(letters: List[LetterText], reply_hint: Optional[str]) -> str:
    """The letters' text one after another; right after a letter's questions, ``reply_hint``
    (how to answer them by replying)."""
    parts = []
    for letter in letters:
        lines = list(letter.lines)
        if letter.questions and reply_hint:
            lines.insert(letter.questions, reply_hint)
        parts.append("\n".join(lines))
    return ("\n\n" + "—" * 20 + "\n\n").join(parts) + "\n"
