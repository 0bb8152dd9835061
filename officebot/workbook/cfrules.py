"""officebot's conditional-format rules on its status columns, and their place in the sheet.

Every rule of officebot's carries the term ``N("officebot")=0`` (always true), so the next run
finds and replaces its own rules and never touches the office's. The rules go where the
worksheet schema wants them: after the office's own conditionalFormatting blocks and before
dataValidations, hyperlinks, printOptions, pageMargins and everything else that must follow
(LibreOffice and Excel refuse or repair a sheet whose elements are out of order); their
priorities come after every priority the sheet already uses, so no two rules share one.
"""

import re
from typing import Dict, Iterable, List, Tuple

from .. import rowscan
from ..package import column_letters
from .sheetxml import escape_xml

CF_MARK = 'N("officebot")=0'
_MARKS = (b'N(&quot;officebot&quot;)', b'N("officebot")')
_PRIORITY = re.compile(rb'\bpriority="(\d+)"')
# CT_Worksheet's children that come after conditionalFormatting.
AFTER_CF = ("dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup",
            "headerFooter", "rowBreaks", "colBreaks", "customProperties", "cellWatches",
            "ignoredErrors", "smartTags", "drawing", "legacyDrawing", "legacyDrawingHF",
            "drawingHF", "picture", "oleObjects", "controls", "webPublishItems", "tableParts",
            "extLst")
_AFTER_CF_SET = {n.encode() for n in AFTER_CF} | {b"AlternateContent"}
MAX_PRIORITY = 2 ** 31 - 1  # priority is an xsd:int


def status_rules(columns: Dict[str, int], first: int, last: int, words: Dict[str, str],
                 dxfs: Dict[str, int]) -> List[Tuple[str, int, str]]:
    """officebot's rules as (sqref, dxfId, formula): overdue and due-soon statuses,
    repeat complaints."""
    last = max(last, first)

    def rng(key: str) -> str:
        letters = column_letters(columns[key])
        return f"{letters}{first}:{letters}{last}"

    rules = []
    for key in ("reply_status", "close_status"):
        top = f"{column_letters(columns[key])}{first}"
        rules.append((rng(key), dxfs["overdue"], f'AND({top}="{words["overdue"]}",{CF_MARK})'))
        rules.append((rng(key), dxfs["due_soon"],
                      f'AND({top}="{words["due_soon"]}",{CF_MARK})'))
    top = f"{column_letters(columns['repeat_of'])}{first}"
    rules.append((rng("repeat_of"), dxfs["repeat"], f"AND(LEN({top})>0,{CF_MARK})"))
    return rules


def rules_xml(rules: Iterable[Tuple[str, int, str]], priority: int, prefix: bytes = b"") -> bytes:
    """The rules as conditionalFormatting blocks, priorities counting up from ``priority``."""
    out = []
    for i, (sqref, dxf, formula) in enumerate(rules):
        out.append(
            b'<%sconditionalFormatting sqref="%s"><%scfRule type="expression" dxfId="%d" '
            b'priority="%d"><%sformula>%s</%sformula></%scfRule></%sconditionalFormatting>'
            % (prefix, sqref.encode(), prefix, dxf, priority + i, prefix,
               escape_xml(formula).encode("utf-8"), prefix, prefix, prefix))
    return b"".join(out)


def without_own_rules(tail: bytes, prefix: bytes = b"") -> bytes:
    """The sheet's XML after </sheetData> with officebot's earlier rules taken out (found
    as XML reads them: a block in a comment is none)."""
    out, pos = [], 0
    for start, end in _blocks(tail, prefix):
        if any(k in tail[start:end] for k in _MARKS):
            out.append(tail[pos:start])
            pos = end
    out.append(tail[pos:])
    return b"".join(out)


def _blocks(tail: bytes, prefix: bytes):
    """(start, end) of each conditionalFormatting element of the worksheet."""
    depth, opened = 0, -1
    name = b"<%sconditionalFormatting" % prefix
    for tag in rowscan.tags(tail):
        if tag.closing:
            if tag.local == b"sheetData" and depth == 0:
                continue
            depth -= 1
            if depth == 0 and opened >= 0:
                yield opened, tag.end
                opened = -1
            continue
        if depth == 0 and tag.local == b"conditionalFormatting" and \
                tail.startswith(name, tag.start):
            if tag.empty:
                yield tag.start, tag.end
                continue
            opened = tag.start
        if not tag.empty:
            depth += 1


def place_rules(tail: bytes, rules, prefix: bytes = b"") -> bytes:
    """The tail with officebot's rules, new, in their schema place."""
    tail = without_own_rules(tail, prefix)
    priorities = [int(x) for x in _PRIORITY.findall(tail)]
    rules = list(rules)
    ours = rules_xml(rules, first_priority(priorities, len(rules)), prefix)
    at = schema_anchor(tail)
    return tail[:at] + ours + tail[at:]


def first_priority(taken: List[int], count: int) -> int:
    """The first of ``count`` consecutive priorities after every one the sheet uses, or (when
    that would pass an xsd:int) the highest run of free ones below the limit."""
    start = max(taken + [0]) + 1
    if start + count - 1 <= MAX_PRIORITY:
        return start
    used = set(taken)
    start = MAX_PRIORITY - count + 1
    while any(p in used for p in range(start, start + count)):
        start -= 1
    return start


def schema_anchor(tail: bytes) -> int:
    """Where conditionalFormatting goes: before the first top-level element that must follow
    it (or before </worksheet>); elements nested in an office rule's extLst do not count."""
    depth = 0
    for tag in rowscan.tags(tail):
        if tag.closing:
            if tag.local == b"sheetData":
                continue
            if depth == 0:  # </worksheet>
                return tag.start
            depth -= 1
            continue
        if depth == 0 and tag.local in _AFTER_CF_SET:
            return tag.start
        if not tag.empty:
            depth += 1
    return len(tail)
