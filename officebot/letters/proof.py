"""Proof that a template drops none of its own text: render it for complete and empty cases.

A clerk edits the templates in Word. Text typed inside a ``{%p endif %}`` paragraph, a
placeholder Word split so that it no longer reads as one, or a condition that can never hold
would silently leave words out of every letter. ``load_template`` prepares a template and
renders it for two complete cases (one closed and satisfied, one open and not satisfied) and
an empty one; every piece of the template's literal text must come out in at least one of
them, and no brace of a placeholder may be left in the text. Otherwise the template is
refused with one sentence naming it and the paragraph's words.
"""

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Dict, List

from jinja2 import TemplateError as JinjaError

from ..letter_templates import (MissingValue, PreparedTemplate, prepare_template, refuse)
from ..records import Case, Judgement
from .placeholders import letter_values

_T = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>|<w:(?:br|tab|p)[ />]")
_BRACES = ("{{", "}}", "{%", "%}")
_DAY = dt.datetime(2026, 3, 2, 9, 30)
_TEXT = {
    "zh": dict(customer="张伟", summary="电梯停运一整天", resolution="已修复电梯并向客户致歉",
               department="工程部", handler="王明", category="服务", address="滨江苑3栋",
               improvement="增加巡检", reply_text="已修复电梯"),
    "en": dict(customer="Sam Taylor", summary="The lift stopped", resolution="Lift repaired",
               department="Engineering", handler="Lee Chan", category="Service",
               address="3 River Road", improvement="More checks", reply_text="Lift repaired"),
}
_SENDER = {"company_zh": "某某公司", "company_en": "Some Company", "address_zh": "某路1号",
           "address_en": "1 Some Road", "hotline": "400-000-0000", "email": "a@example.com"}


def _cases(lang: str):
    """(case, judgement, extras) for the two complete cases and the empty one."""
    d = dt.timedelta
    full = dict(_TEXT[lang], phone="13800000000", email="c@example.com", channel="来电",
                severity="危机", amount=100.0, satisfaction="满意", summary_en="The lift stopped",
                reply_en="Lift repaired")
    first = Case(2, "P-1", _DAY - d(days=40), **full)
    closed = Case(3, "P-2", _DAY - d(days=20), **full)
    open_ = Case(4, "P-3", _DAY - d(days=1), **dict(full, satisfaction="不满意"))
    empty = Case(5, "P-4", _DAY)
    j_closed = Judgement("P-2", 3, _DAY - d(days=18), _DAY - d(days=13), "late", "late", "P-1",
                         0, "", _DAY - d(days=10), _DAY - d(days=5), True)
    j_open = Judgement("P-3", 4, _DAY - d(hours=1), _DAY + d(days=6), "overdue", "pending",
                       None, 1, "", None, None, False)
    j_first = Judgement("P-1", 2, first.received_at, first.received_at, "on_time", "on_time",
                        None, 0, "", first.received_at, first.received_at, None)
    j_empty = Judgement("P-4", 5, _DAY + d(days=2), _DAY + d(days=7), "pending", "pending",
                        None, 0, "", None, None, None)
    also = ((open_, j_open),)
    return [(closed, j_closed, dict(original=(first, j_first)), also, True),
            (open_, j_open, {}, ((closed, j_closed),), True),
            (empty, j_empty, {}, (), False)]


def _text_of(data: bytes) -> str:
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            if name.startswith("word/") and name.endswith(".xml"):
                xml = zf.read(name).decode("utf-8")
                out.extend(m.group(1) if m.group(1) is not None else "\n"
                           for m in _T.finditer(xml))
    return " ".join("".join(out).split("\n"))


def prove(template: PreparedTemplate, table: Dict[str, object], lang: str) -> None:
    """Raise TemplateError when some literal text of the template shows in no letter."""
    texts: List[str] = []
    for case, judgement, extra, also, complete in _cases(lang):
        tab = dict(table, **_SENDER) if complete else dict(table, **{k: "" for k in _SENDER})
        values = letter_values(case, judgement, lang, tab, _DAY, template.names, complete,
                               also, **extra)
        try:
            texts.append(_text_of(template.fill(values)))
        except MissingValue:
            continue  # a placeholder without fallback: the empty case gets no letter at all
        except JinjaError as exc:
            raise refuse(template.name, "proof.cannot_fill", str(exc)[:40]) from None
    shown = " ".join(" ".join(t.split()) for t in texts)
    for brace in _BRACES:
        if brace in shown:
            at = shown.index(brace)
            raise refuse(template.name, "proof.split",
                         shown[max(0, at - 15):at + 25].strip())
    for piece, words in template.pieces:
        if piece not in shown:
            raise refuse(template.name, "proof.left_out", words, piece=piece[:30])


def load_template(path: Path, table: Dict[str, object], lang: str) -> PreparedTemplate:
    """prepare_template, then prove; TemplateError names the template and paragraph."""
    template = prepare_template(path)
    template.limits = table["template_limits"]  # the bounds it is proven and filled within
    prove(template, table, lang)
    return template
