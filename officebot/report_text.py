"""The check result as a clerk's text report or as the JSON document for tools."""

import json
from json.encoder import encode_basestring
from operator import methodcaller
from typing import IO, Iterator, List

from .kpis import kpi_name
from .messages import msg
from .rules import LEVEL_TITLES, is_due_soon, status_word, is_overdue, tally
from .xlsx import column_letters

LIST_LIMIT = 50


# iso(value): local time as YYYY-MM-DDTHH:MM:SS (no offset); a methodcaller, called in C
# (twice a case in the JSON document)
iso = methodcaller("isoformat", "T", "seconds")


def json_chunks(result) -> Iterator[str]:
    """The JSON document of `check --json`, in pieces, so a million cases stream out."""
    yield '{"as_of": ' + json.dumps(iso(result.as_of)) + ',\n "cases": ['
    # Formatted by hand: json.dumps per case costs more than the whole judgement.
    text = encode_basestring
    sep = "\n  "
    for j in result.judgements:
        repeat = "null" if j.repeat_of is None else text(j.repeat_of)
        yield (f'{sep}{{"case_id": {text(j.case_id)}, "row": {j.row}, '
               f'"reply_due": "{iso(j.reply_due)}", "close_due": "{iso(j.close_due)}", '
               f'"reply_status": "{j.reply_status}", "close_status": "{j.close_status}", '
               f'"repeat_of": {repeat}, "escalation": {j.escalation}}}')
        sep = ",\n  "
    yield '],\n "problems": ['
    for i, p in enumerate(sorted(result.problems, key=lambda p: p.row)):
        item = {"row": p.row, "column": p.column, "message": p.message}
        yield ("\n  " if i == 0 else ",\n  ") + json.dumps(item, ensure_ascii=False)
    k = result.kpis
    kpis = {"total": k.total, "judged": k.judged}
    kpis.update({key: kpi.value for key, kpi in k.kpis.items()})
    yield '],\n "kpis": ' + json.dumps(kpis) + "}\n"


def write_json(result, out: IO[str]) -> None:
    """Write the JSON document to a text stream."""
    batch: List[str] = []
    for chunk in json_chunks(result):
        batch.append(chunk)
        if len(batch) >= 4096:  # one write per few thousand cases, not one per case
            out.write("".join(batch))
            batch.clear()
    out.write("".join(batch))


def _pct(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def render_text(result, settings) -> str:
    """A readable report: counts, overdue / due-soon / repeat / escalated cases, problems."""
    return "\n".join(render_lines(result, settings))


def render_lines(result, settings) -> List[str]:
    """``render_text`` as its lines (a value quoted in a line may hold a line break: the
    printer shows each line as one)."""
    lang = settings.language
    # Level titles follow the register's language, as the rules named the people.
    titles = LEVEL_TITLES["zh" if result.language == "zh" else "en"]
    js = result.judgements
    lines: List[str] = []
    add = lines.append
    k = result.kpis
    add(msg(lang, "report.register", name=result.path.name, sheet=result.sheet,
            row=result.header_row))
    add(msg(lang, "report.as_of", at=result.as_of))
    overdue = [j for j in js if is_overdue(j)]
    soon = [j for j in js if is_due_soon(j)]
    repeats = [j for j in js if j.repeat_of is not None]
    escalated = [j for j in js if j.escalation > 0]
    t = tally(js)
    add("")
    add(msg(lang, "report.totals", total=k.total, overdue=t.overdue,
            due_soon=t.due_soon, repeats=t.repeats, escalated=t.escalated,
            problems=len(result.problems)))
    if t.followup:
        f = t.followup
        add(msg(settings.language, "run.followup", due=f.get("due", 0),
                overdue=f.get("overdue", 0), done=f.get("done", 0)) + msg(lang, "report.stop"))
    if escalated and not settings.conf.escalation.people_set:
        add(msg(settings.language, "people_not_set"))
    add("")
    add(msg(lang, "report.figures"))
    for key, kpi in k.kpis.items():
        mark = "" if kpi.meets is not False else msg(lang, "report.target_missed")
        sign = ("≥" if kpi.higher_is_better else "≤")
        add(msg(lang, "report.kpi", name=kpi_name(key, lang), value=_pct(kpi.value),
                num=kpi.numerator, den=kpi.denominator, sign=sign, target=_pct(kpi.target),
                mark=mark))

    def section(title: str, items, describe) -> None:
        if not items:
            return
        add("")
        add(msg(lang, "report.section", title=title, n=len(items)))
        for j in items[:LIST_LIMIT]:
            add("  " + describe(j))
        if len(items) > LIST_LIMIT:
            more = len(items) - LIST_LIMIT
            add(msg(lang, "report.more_cases", n=more))

    def clocks(j) -> str:
        return msg(lang, "report.clocks", reply=status_word(j.reply_status, lang),
                   reply_due=j.reply_due, close=status_word(j.close_status, lang),
                   close_due=j.close_due)

    def level(j) -> str:
        title = titles[min(j.escalation, 5)]
        named = "" if j.escalate_to == title else f" → {j.escalate_to}"
        return msg(lang, "report.level", id=j.case_id, level=j.escalation, title=title,
                   named=named)

    section(msg(lang, "report.overdue"), overdue,
            lambda j: msg(lang, "report.overdue_case", id=j.case_id, row=j.row,
                          clocks=clocks(j), who=j.escalate_to))
    section(msg(lang, "report.due_soon"), soon,
            lambda j: f"{j.case_id}: {clocks(j)}; {j.escalate_to}")
    section(msg(lang, "report.repeats"), repeats,
            lambda j: msg(lang, "report.repeat_case", id=j.case_id, first=j.repeat_of))
    section(msg(lang, "report.escalated"), escalated, level)
    cols = {text: col for col, text in result.headers.items()}
    problems = sorted(result.problems, key=lambda p: p.row)
    if problems:
        add("")
        add(msg(lang, "report.problems", n=len(problems)))
        for p in problems[:LIST_LIMIT * 4]:
            cell = f"{column_letters(cols[p.column])}{p.row}" if p.column in cols else str(p.row)
            add(f"  {p.sheet}!{cell} [{p.column}]: {p.message}")
        if len(problems) > LIST_LIMIT * 4:
            more = len(problems) - LIST_LIMIT * 4
            add(msg(lang, "report.more_problems", n=more))
    return lines
