"""The check result as a clerk's text report or as the JSON document for tools."""

import json
from json.encoder import encode_basestring
from typing import IO, Iterator, List

from .kpis import kpi_name
from .messages import msg
from .rules import LEVEL_TITLES, is_due_soon, status_word, is_overdue, tally
from .xlsx import column_letters

LIST_LIMIT = 50


def iso(value) -> str:
    """Local time as YYYY-MM-DDTHH:MM:SS (no offset)."""
    return value.isoformat("T", "seconds")


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
    zh = settings.language == "zh"
    # Level titles follow the register's language, as the rules named the people.
    titles = LEVEL_TITLES["zh" if result.language == "zh" else "en"]
    js = result.judgements
    lines: List[str] = []
    add = lines.append
    k = result.kpis
    add((f"投诉登记台账：{result.path.name}（工作表“{result.sheet}”，表头在第 {result.header_row} 行）"
         if zh else f"Register: {result.path.name} (sheet \"{result.sheet}\", header on row "
         f"{result.header_row})"))
    add((f"判断时间：{result.as_of:%Y-%m-%d %H:%M}" if zh
         else f"As of: {result.as_of:%Y-%m-%d %H:%M}"))
    overdue = [j for j in js if is_overdue(j)]
    soon = [j for j in js if is_due_soon(j)]
    repeats = [j for j in js if j.repeat_of is not None]
    escalated = [j for j in js if j.escalation > 0]
    t = tally(js)
    add("")
    add(msg("zh" if zh else "en", "report.totals", total=k.total, overdue=t.overdue,
            due_soon=t.due_soon, repeats=t.repeats, escalated=t.escalated,
            problems=len(result.problems)))
    if t.followup:
        f = t.followup
        add(msg(settings.language, "run.followup", due=f.get("due", 0),
                overdue=f.get("overdue", 0), done=f.get("done", 0)) + ("。" if zh else "."))
    if escalated and not settings.conf.escalation.people_set:
        add(msg(settings.language, "people_not_set"))
    add("")
    add("指标：" if zh else "Figures:")
    for key, kpi in k.kpis.items():
        mark = "" if kpi.meets is not False else ("  ✗ 未达标" if zh else "  ✗ target missed")
        sign = ("≥" if kpi.higher_is_better else "≤")
        add(f"  {kpi_name(key, settings.language)}: {_pct(kpi.value)} "
            f"({kpi.numerator}/{kpi.denominator}; {'目标' if zh else 'target'} {sign} "
            f"{_pct(kpi.target)}){mark}")

    def section(title: str, items, describe) -> None:
        if not items:
            return
        add("")
        add(f"{title}（{len(items)}）" if zh else f"{title} ({len(items)})")
        for j in items[:LIST_LIMIT]:
            add("  " + describe(j))
        if len(items) > LIST_LIMIT:
            more = len(items) - LIST_LIMIT
            add(f"  ……另有 {more} 件" if zh else f"  ... and {more} more")

    def clocks(j) -> str:
        return (f"{'答复' if zh else 'reply'}: {status_word(j.reply_status, settings.language)} "
                f"({j.reply_due:%m-%d %H:%M}), {'结案' if zh else 'close'}: "
                f"{status_word(j.close_status, settings.language)} ({j.close_due:%m-%d %H:%M})")

    def level(j) -> str:
        title = titles[min(j.escalation, 5)]
        named = "" if j.escalate_to == title else f" → {j.escalate_to}"
        return f"{j.case_id}: {'级别' if zh else 'level'} {j.escalation} {title}{named}"

    section("逾期" if zh else "Overdue", overdue,
            lambda j: f"{j.case_id} ({'第' if zh else 'row '}{j.row}{'行' if zh else ''}): "
                      f"{clocks(j)}; {'责任人' if zh else 'to act'}: {j.escalate_to}")
    section("即将到期" if zh else "Due soon", soon,
            lambda j: f"{j.case_id}: {clocks(j)}; {j.escalate_to}")
    section("重复投诉" if zh else "Repeat complaints", repeats,
            lambda j: f"{j.case_id} → {'原投诉' if zh else 'first complaint'} {j.repeat_of}")
    section("已升级" if zh else "Escalated", escalated, level)
    cols = {text: col for col, text in result.headers.items()}
    problems = sorted(result.problems, key=lambda p: p.row)
    if problems:
        add("")
        add((f"问题行（{len(problems)}，未参与判断）" if zh
             else f"Problem rows ({len(problems)}, left out of the judgement)"))
        for p in problems[:LIST_LIMIT * 4]:
            cell = f"{column_letters(cols[p.column])}{p.row}" if p.column in cols else str(p.row)
            add(f"  {p.sheet}!{cell} [{p.column}]: {p.message}")
        if len(problems) > LIST_LIMIT * 4:
            more = len(problems) - LIST_LIMIT * 4
            add(f"  ……另有 {more} 处" if zh else f"  ... and {more} more")
    return lines
