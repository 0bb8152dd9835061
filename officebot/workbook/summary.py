"""The summary sheets managers read, owned by officebot and replaced on every run.

``build_summary_sheets`` turns a CheckResult into complete worksheets (KPIs overall, per month
and per department / category / channel / handler, the lists of cases to act on, charts and
the run log); the package writer adds them to the workbook. Nothing here depends on the time
of the run except the run log, so two runs at the same as-of time give the same sheets.
"""

import datetime as dt
import heapq
import math
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from ..kpis import FOLLOWUP_KEY, KPI_KEYS, KpiSet, kpi_name, kpis_by_keys
from ..records import Case, Judgement
from ..rules import clocks_in, status_word, tally, verdict
from ..xlsx import Workbook, column_letters
from .charts import (CHART_REL, CHART_TYPE, DRAWING_REL, DRAWING_TYPE, Chart, Series,
                     chart_xml, drawing_xml)
from .package import NewPart, NewSheet
from .sheetxml import Cell, Formula, SheetBuilder, quote_sheet

# Sheet keys and their names in each language. The names are stable: officebot finds and
# replaces its own sheets by them.
SHEETS: Dict[str, Tuple[str, str]] = {
    "overview": ("概览", "Overview"),
    "month": ("月度指标", "By month"),
    "department": ("部门指标", "By department"),
    "category": ("类别指标", "By category"),
    "channel": ("渠道指标", "By channel"),
    "handler": ("处理人指标", "By handler"),
    "overdue": ("逾期清单", "Overdue"),
    "due_soon": ("即将到期", "Due soon"),
    "repeats": ("重复投诉", "Repeats"),
    "escalated": ("升级清单", "Escalated"),
    "problems": ("问题行清单", "Problem rows"),
    "run_log": ("运行记录", "Run log"),
}
# Sheets only some runs make (built elsewhere): the letters sheet (workbook/letters_sheet.py,
# from run_info["letters"]) comes with the runs that draft or mail letters.
EXTRA_SHEETS: Dict[str, Tuple[str, str]] = {"letters": ("函件登记", "Letters")}
OWN_SHEET_NAMES = {name for pair in (*SHEETS.values(), *EXTRA_SHEETS.values()) for name in pair}
LOG_SHEET_NAMES = set(SHEETS["run_log"])
# A sheet-local defined name marking a sheet as officebot's (survives Excel re-saving it).
OWNER_NAME = ("officebot_sheet", '"officebot"')

GROUP_KEYS = ("month", "department", "category", "channel", "handler")

# Every text of the sheets, zh and en.
T = {
    "zh": {
        "month": "月份", "department": "责任部门", "category": "投诉类别", "channel": "渠道",
        "handler": "处理人", "total": "投诉总数", "judged": "应回复数", "num": "分子",
        "den": "分母", "result": "结果", "rate": "比率", "sub_num": "分子", "sub_den": "分母", "target": "目标", "met": "达标", "missed": "未达标",
        "no_data": "无数据", "all": "合计", "kpi": "指标", "value": "数值", "definition": "口径",
        "as_of": "截至时间", "register": "台账", "count": "件数", "item": "项目",
        "cases": "案件总数", "overdue": "逾期案件", "due_soon": "即将到期案件",
        "repeats": "重复投诉", "escalated": "已升级案件", "problems": "无法判定的行",
        "case_id": "编号", "received_at": "受理时间", "customer": "客户", "what": "事项",
        "due": "到期时间", "hours_over": "逾期小时", "hours_left": "剩余小时",
        "level": "升级级别", "person": "应办人", "summary": "投诉内容", "repeat_of": "重复于",
        "reply_status": "答复状态", "close_status": "结案状态", "reason": "升级原因",
        "first_due": "最早到期", "why_overdue": "逾期", "why_repeat": "重复投诉",
        "reply": "答复", "close": "结案", "sep": "、",
        "severity": "投诉等级", "more": "另有 {n} 件未列出（每张清单最多 {max} 件，见设置 "
        "summary.list_max_rows）。", "none": "截至 {t} 没有此类案件。",
        "run_at": "运行时间", "judged_cases": "判定案件数", "new_overdue": "新增逾期数",
        "new_overdue_ids": "新增逾期编号", "new_escalated": "新增升级数",
        "new_escalated_ids": "新增升级编号", "letters": "起草函件数",
        "chart_month": "每月投诉数与回复及时率", "chart_dept": "各部门回复及时率",
        "def_reply_rate": "已回复 ÷ 应回复（已回复或答复期限已到）",
        "def_on_time_reply_rate": "按时回复 ÷ 应回复",
        "def_repeat_rate": "重复投诉 ÷ 投诉总数",
        "def_satisfaction_rate": "满意 ÷ 有满意度答复的案件",
        "def_followup_rate": "已回访 ÷ 已到回访期的结案案件（结案后满回访天数）",
        "at_least": "≥", "at_most": "≤",
        "row": "行号", "column": "列", "cell": "单元格", "typed": "填写的内容", "problem": "问题",
        "fix": "改正方法", "no_problems": "截至 {t} 台账中没有无法判定的行。",
        "fix.blank_id": "填写这一行的投诉编号（每件投诉一个编号，不能与别的行相同）",
        "fix.duplicate_id": "换一个没有用过的编号；如果是重复登记，删除这一行",
        "fix.blank_received": "填写受理时间，例如 2026-03-05 14:20",
        "fix.bad_time": "改成 2026-03-05 14:20 或 2026年3月5日 14:20 这样的时间；还没有时留空",
        "fix.error_value": "改正这个单元格的公式或内容，让它显示正常的值",
        "fix.": "按“问题”一栏改正这个单元格",
        "followup_due": "待回访", "followup_overdue": "回访逾期", "followup_done": "已回访",
        "followup_rate": "回访率", "chart_followup": "各部门回访率",
    },
    "en": {
        "month": "Month", "department": "Department", "category": "Category",
        "channel": "Channel", "handler": "Handler", "total": "Cases", "judged": "Reply due",
        "num": "numerator", "den": "denominator", "result": "result", "rate": "rate",
        "sub_num": "count", "sub_den": "out of", "target": "Target",
        "met": "met", "missed": "MISSED", "no_data": "no data", "all": "Total", "kpi": "KPI",
        "value": "Value", "definition": "Definition", "as_of": "As of", "register": "Register",
        "count": "Count", "item": "Item", "cases": "Cases", "overdue": "Overdue cases",
        "due_soon": "Cases due soon", "repeats": "Repeat complaints",
        "escalated": "Escalated cases", "problems": "Rows not judged",
        "case_id": "Case No.", "received_at": "Received", "customer": "Customer",
        "what": "Clock", "due": "Due", "hours_over": "Hours overdue", "hours_left": "Hours left",
        "level": "Escalation level", "person": "To act", "summary": "Complaint",
        "repeat_of": "Repeat of", "reply_status": "Reply status",
        "close_status": "Close status", "reason": "Why escalated", "first_due": "First due",
        "why_overdue": "overdue", "why_repeat": "repeat complaint",
        "reply": "reply", "close": "close", "sep": ", ", "severity": "severity",
        "more": "{n} more cases not listed (at most {max} per list, see setting "
        "summary.list_max_rows).", "none": "No such cases as of {t}.",
        "run_at": "Run at", "judged_cases": "Cases judged", "new_overdue": "Newly overdue",
        "new_overdue_ids": "Newly overdue (case numbers)", "new_escalated": "Newly escalated",
        "new_escalated_ids": "Newly escalated (case numbers)", "letters": "Letters drafted",
        "chart_month": "Cases per month and on-time reply rate",
        "chart_dept": "On-time reply rate by department",
        "def_reply_rate": "replied / reply due (replied, or reply due by the as-of time)",
        "def_on_time_reply_rate": "replied on time / reply due",
        "def_repeat_rate": "repeat complaints / all cases",
        "def_satisfaction_rate": "satisfied / cases with a satisfaction answer",
        "def_followup_rate": "followed up / closed cases due for follow-up",
        "at_least": ">=", "at_most": "<=",
        "row": "Row", "column": "Column", "cell": "Cell", "typed": "As typed",
        "problem": "What is wrong", "fix": "How to fix it",
        "no_problems": "No row of the register is left unjudged as of {t}.",
        "fix.blank_id": "Give this row its case number (one per complaint, not used elsewhere)",
        "fix.duplicate_id": "Give it a number not used yet; if it was entered twice, delete "
        "this row",
        "fix.blank_received": "Enter the time received, e.g. 2026-03-05 14:20",
        "fix.bad_time": "Write a time like 2026-03-05 14:20, or leave it blank until known",
        "fix.error_value": "Correct this cell's formula or value so it shows a proper value",
        "fix.": "Correct this cell as the problem says",
        "followup_due": "Follow-up due", "followup_overdue": "Follow-up overdue",
        "followup_done": "Followed up", "followup_rate": "Follow-up rate",
        "chart_followup": "Follow-up rate by department",
    },
}

DATE_FORMAT = "yyyy-mm-dd hh:mm"
PERCENT_FORMAT = "0.0%"
HOURS_FORMAT = "0.0"
RED_FILL, RED_FONT = "FFC7CE", "9C0006"
GREEN_FILL, GREEN_FONT = "C6EFCE", "006100"
HEADER_FILL = "D9E1F2"
LOG_COLUMNS = 8


def summary_settings(settings) -> Dict[str, object]:
    """The [summary] table as checked when the settings were loaded."""
    return settings.table("summary")


class _Styles:
    """The cell formats the summary sheets use, appended to the workbook's StyleBook."""

    def __init__(self, book):
        self.header = book.xf(bold=True, fill=HEADER_FILL, border=True, wrap=True,
                              valign="center", halign="center")
        self.date = book.xf(num_format=DATE_FORMAT)
        self.percent = book.xf(num_format=PERCENT_FORMAT)
        self.percent_bad = book.xf(num_format=PERCENT_FORMAT, fill=RED_FILL,
                                   font_color=RED_FONT, bold=True)
        self.percent_good = book.xf(num_format=PERCENT_FORMAT, fill=GREEN_FILL,
                                    font_color=GREEN_FONT)
        self.bad = book.xf(fill=RED_FILL, font_color=RED_FONT, bold=True)
        self.good = book.xf(fill=GREEN_FILL, font_color=GREEN_FONT)
        self.hours = book.xf(num_format=HOURS_FORMAT)
        self.bold = book.xf(bold=True)
        self.wrap = book.xf(wrap=True, valign="top")
        self.top = book.xf(valign="top")
        self.top_date = book.xf(num_format=DATE_FORMAT, valign="top")
        self.top_hours = book.xf(num_format=HOURS_FORMAT, valign="top")
        self.link = book.xf(font_color="0563C1", valign="top")


class _Parts:
    """Numbers the drawing and chart parts of one build: xl/charts/chart_ob1.xml ..."""

    def __init__(self):
        self.drawings = 0
        self.charts = 0

    def drawing(self, charts: Sequence[Chart]
                ) -> Tuple[List[Tuple[str, str, str]], List[NewPart]]:
        """The sheet's relationships and the parts for a drawing holding ``charts``."""
        self.drawings += 1
        anchors, drawing_rels, parts = [], [], []
        for i, chart in enumerate(charts, start=1):
            self.charts += 1
            rid = f"rId{i}"
            drawing_rels.append((rid, CHART_REL, f"../charts/chart_ob{self.charts}.xml"))
            anchors.append((chart.anchor, rid, chart.title))
            parts.append(NewPart(f"xl/charts/chart_ob{self.charts}.xml", CHART_TYPE,
                                 chart_xml(chart)))
        drawing = NewPart(f"xl/drawings/drawing_ob{self.drawings}.xml", DRAWING_TYPE,
                          drawing_xml(anchors), drawing_rels)
        sheet_rels = [("rId1", DRAWING_REL, f"../drawings/drawing_ob{self.drawings}.xml")]
        return sheet_rels, [drawing] + parts


def summary_groups(result, settings, language: str) -> Dict[str, Dict[str, KpiSet]]:
    """The figures per month, department, category, channel and handler."""
    lang = "zh" if language == "zh" else "en"
    return kpis_by_keys(result.cases, result.judgements, GROUP_KEYS, settings, lang)


Picked = Tuple[Dict[str, list], Dict[str, int]]


def pick_lists(result, conf: Dict, lang: str) -> Picked:
    """(the listed items of each case list, each list's full length). Overdue, due-soon and
    escalated items are (judgement, [(due, which clock)]); repeats are judgements."""
    overdue, soon, repeats, escalated = [], [], [], []
    for j in result.judgements:
        v = verdict(j)
        if v.overdue:
            overdue.append(j)
        elif v.due_soon:
            soon.append(j)
        if v.repeat:
            repeats.append(j)
        if v.escalated:
            escalated.append(j)

    def clocks(j: Judgement, status: str):
        """[(due, which clock)] of the clocks of a case in this status."""
        return clocks_in(j, status, lang)

    def first_due(j: Judgement, status: str):
        found = clocks(j, status)
        return found[0][0] if found else dt.datetime.max

    # Only the listed cases are sorted out of a long list (heapq keeps just that many).
    cap = conf["list_max_rows"]
    top = {
        "overdue": [(j, clocks(j, "overdue")) for j in heapq.nsmallest(
            cap, overdue, key=lambda j: (first_due(j, "overdue"), j.row))],
        "due_soon": [(j, clocks(j, "due_soon")) for j in heapq.nsmallest(
            cap, soon, key=lambda j: (first_due(j, "due_soon"), j.row))],
        "repeats": repeats[:cap],
        "escalated": [(j, clocks(j, "overdue")) for j in heapq.nsmallest(
            cap, escalated, key=lambda j: (-j.escalation, first_due(j, "overdue"), j.row))],
    }
    totals = {"overdue": len(overdue), "due_soon": len(soon), "repeats": len(repeats),
              "escalated": len(escalated)}
    return top, totals


def listed_rows(picked: Picked) -> set:
    """The register rows the case lists show."""
    return {(x if isinstance(x, Judgement) else x[0]).row
            for items in picked[0].values() for x in items}


def build_summary_sheets(result, settings, styles, language: str, run_info: Dict,
                         previous_log: Optional[List[list]] = None,
                         groups: Optional[Dict[str, Dict[str, KpiSet]]] = None,
                         picked: Optional[Picked] = None,
                         listed: Optional[Dict[int, Case]] = None,
                         links_to_register: bool = True) -> List[NewSheet]:
    """All officebot-owned sheets for this result, in workbook order. A caller that has
    them already passes ``groups`` (summary_groups) and ``picked`` (pick_lists). ``listed``
    (row -> full case of the listed rows) is what the reading pass gave: a result read with
    text fields lists its own cases; any other must pass it (the summary never reads the
    register itself). ``links_to_register``: the sheets sit in the register's own workbook,
    so the problem rows link to their cells."""
    lang = "zh" if language == "zh" else "en"
    if listed is None:
        if not getattr(result, "text_fields", False):
            raise ValueError("build_summary_sheets: a result read without text fields needs "
                             "the listed cases (listed=)")
        listed = {c.row: c for c in result.cases}
    conf = summary_settings(settings)
    ctx = _Context(result, settings, _Styles(styles), lang, conf)
    ctx.picked, ctx.listed = picked, listed
    if groups is None:
        groups = summary_groups(result, settings, lang)
    sheets = [ctx.overview(groups)]
    for key in GROUP_KEYS:
        sheets.append(ctx.group_sheet(key, groups[key]))
    sheets.extend(ctx.case_lists())
    sheets.append(ctx.problem_rows(links_to_register))
    from .letters_sheet import sheets_for
    sheets.extend(sheets_for(ctx, run_info.get("letters")))
    sheets.append(ctx.run_log(run_info, previous_log or []))
    return sheets


class _Context:
    def __init__(self, result, settings, st: _Styles, lang: str, conf: Dict):
        self.r = result
        self.settings = settings
        self.st = st
        self.lang = lang
        self.t = T[lang]
        self.conf = conf
        self.parts = _Parts()
        # The follow-up rate joins the KPIs only for a register with a 回访时间 column.
        followup = "followup_at" in (getattr(result, "columns", None) or {})
        self.keys = KPI_KEYS + ((FOLLOWUP_KEY,) if followup else ())
        self.listed: Optional[Dict[int, Case]] = None  # row -> full case, listed rows only
        self.picked: Optional[Picked] = None

    # --- helpers ------------------------------------------------------------------------
    def name(self, key: str) -> str:
        return SHEETS[key][0 if self.lang == "zh" else 1]

    def builder(self) -> SheetBuilder:
        b = SheetBuilder(self.r.date1904, self.st.date)
        b.paper_size = self.conf["paper_size"]
        b.freeze_rows = 1
        b.print_title_rows = (1, 1)
        return b

    def header(self, b: SheetBuilder, titles: Sequence[str]) -> None:
        b.add_row([Cell(t, self.st.header) for t in titles], height=32)

    def sheet(self, key: str, b: SheetBuilder, rels=(), parts=()) -> NewSheet:
        name = self.name(key)
        return NewSheet(name, b.render(), list(rels), list(parts),
                        b.defined_names(name) + [OWNER_NAME])

    def target_text(self, kpi) -> str:
        sign = self.t["at_least"] if kpi.higher_is_better else self.t["at_most"]
        return f"{sign}{kpi.target * 100:g}%"

    def verdict(self, kpi) -> Cell:
        if kpi.meets is None:
            return Cell(self.t["no_data"])
        if kpi.meets:
            return Cell(self.t["met"], self.st.good)
        return Cell(self.t["missed"], self.st.bad)

    def rate(self, kpi, num_ref: str, den_ref: str) -> Cell:
        style = self.st.percent
        if kpi.meets is False:
            style = self.st.percent_bad
        return Cell(Formula(f'IF({den_ref}=0,"",{num_ref}/{den_ref})',
                            "" if kpi.value is None else kpi.value), style)

    # --- overview -----------------------------------------------------------------------
    def overview(self, groups: Dict[str, Dict[str, KpiSet]]) -> NewSheet:
        t, r = self.t, self.r
        b = self.builder()
        b.set_widths([26, 17, 12, 12, 12, 12, 48])
        self.header(b, [t["kpi"], t["num"], t["den"], t["value"], t["target"], t["result"],
                        t["definition"]])
        for key in self.keys:
            k = _kpi_of(r.kpis, key)
            row = b.row_count + 1
            b.add_row([kpi_name(key, self.lang), k.numerator, k.denominator,
                       self.rate(k, f"B{row}", f"C{row}"), self.target_text(k),
                       self.verdict(k), t[f"def_{key}"]])
        b.filter_ref = f"A1:G{b.row_count}"
        b.skip_row()
        b.add_row([Cell(t["as_of"], self.st.bold), Cell(r.as_of, self.st.date)])
        b.add_row([Cell(t["register"], self.st.bold), f"{Path(r.path).name} / {r.sheet}"])
        b.skip_row()
        counts = tally(r.judgements)._asdict()
        b.add_row([Cell(t["item"], self.st.header), Cell(t["count"], self.st.header)])
        for label, n in ((t["cases"], r.kpis.total), (t["judged"], r.kpis.judged),
                         (t["overdue"], counts["overdue"]), (t["due_soon"], counts["due_soon"]),
                         (t["repeats"], counts["repeats"]), (t["escalated"], counts["escalated"]),
                         (t["problems"], len(r.problems))) + self.followup_counts(counts):
            b.add_row([label, n])
        rels, parts = (), ()
        if self.conf["charts"]:
            charts = self.overview_charts(groups, b.row_count + 1)
            if charts:
                b.drawing_rid = "rId1"
                rels, parts = self.parts.drawing(charts)
        return self.sheet("overview", b, rels, parts)

    def followup_counts(self, counts) -> tuple:
        if FOLLOWUP_KEY not in self.keys:
            return ()
        f, t = counts["followup"], self.t
        return tuple((t[f"followup_{k}"], f.get(k, 0)) for k in ("due", "overdue", "done"))

    def overview_charts(self, groups, top: int) -> List[Chart]:
        charts = []
        cap = self.conf["chart_max_categories"]
        months = list(groups["month"].items())[-cap:]
        if months:
            first = len(groups["month"]) - len(months) + GROUP_HEAD_ROWS + 1
            last = first + len(months) - 1
            sheet = self.name("month")
            cats = [m for m, _ in months]
            cat_ref = f"$A${first}:$A${last}"
            total = Series(sheet, "$B$1", self.t["total"], cat_ref, cats,
                           f"$B${first}:$B${last}", [ks.total for _, ks in months])
            col = column_letters(_rate_col("on_time_reply_rate"))
            name_col = column_letters(_rate_col("on_time_reply_rate") - 2)
            on_time = Series(sheet, f"${name_col}$1", self._rate_header(
                months[0][1].kpis["on_time_reply_rate"]), cat_ref, cats,
                f"${col}${first}:${col}${last}",
                [ks.kpis["on_time_reply_rate"].value for _, ks in months], PERCENT_FORMAT)
            charts.append(Chart("col_line", self.t["chart_month"], [total, on_time],
                                (0, top, 7, top + 18)))
            top += 19
        depts = list(groups["department"].items())[:cap]
        for key, title in (("on_time_reply_rate", "chart_dept"), (FOLLOWUP_KEY, "chart_followup")):
            if not depts or key not in self.keys:
                continue
            sheet = self.name("department")
            top_row = GROUP_HEAD_ROWS + 1
            last = len(depts) + GROUP_HEAD_ROWS
            col = column_letters(_rate_col(key, self.keys))
            name_col = column_letters(_rate_col(key, self.keys) - 2)
            series = Series(sheet, f"${name_col}$1", self._rate_header(
                _kpi_of(depts[0][1], key)), f"$A${top_row}:$A${last}",
                [d for d, _ in depts], f"${col}${top_row}:${col}${last}",
                [_kpi_of(ks, key).value for _, ks in depts], PERCENT_FORMAT)
            height = max(15, 4 + len(depts) * 2)
            charts.append(Chart("bar", self.t[title], [series],
                                (0, top, 7, top + height), percent_axis=True))
            top += height + 1
        return charts

    # --- KPI group sheets ---------------------------------------------------------------
    def _rate_header(self, kpi, sep: str = "") -> str:
        if self.lang == "zh":
            return f"{kpi_name(kpi.key, self.lang)}{sep}（{self.target_text(kpi)}）"
        return f"{kpi_name(kpi.key, self.lang)}{sep or ' '}(target {self.target_text(kpi)})"

    def group_sheet(self, key: str, groups: Dict[str, KpiSet]) -> NewSheet:
        """KPIs per group under a two-row header: each KPI's name spans its four columns
        (numerator, denominator, rate against the target, result), so no header has to
        break inside a word and the table fits an A4 landscape page at a readable size."""
        t, st = self.t, self.st
        b = self.builder()
        b.landscape = True
        b.freeze_rows = GROUP_HEAD_ROWS
        b.print_title_rows = (1, GROUP_HEAD_ROWS)
        en = self.lang == "en"
        b.set_widths([18 if key != "month" else 9, 9, 9]
                     + ([8, 8, 13, 8] if en else [7, 7, 12, 8]) * len(self.keys))
        first = [t[key], t["total"], t["judged"]]
        second: List[object] = [Cell(None, st.header)] * 3
        sample = self.r.kpis
        for i, k in enumerate(self.keys):
            col = 4 + 4 * i
            first += [kpi_name(k, self.lang)] + [None] * 3
            b.merge(f"{column_letters(col)}1:{column_letters(col + 3)}1")
            target = self.target_text(_kpi_of(sample, k))
            second += [t["sub_num"], t["sub_den"],
                       f"{t['rate']} ({target})" if en else f"{t['rate']}\n（{target}）",
                       t["result"]]
        for col in (1, 2, 3):
            b.merge(f"{column_letters(col)}1:{column_letters(col)}2")
        b.add_row([Cell(x, st.header) for x in first], height=20)
        b.add_row([x if isinstance(x, Cell) else Cell(x, st.header) for x in second],
                  height=32)
        for group, ks in groups.items():
            self._kpi_row(b, group, ks)
        b.filter_ref = (f"A{GROUP_HEAD_ROWS}:{column_letters(len(first))}"
                        f"{max(b.row_count, GROUP_HEAD_ROWS + 1)}")
        b.skip_row()
        self._kpi_row(b, Cell(t["all"], st.bold), self.r.kpis)
        return self.sheet(key, b)

    def _kpi_row(self, b: SheetBuilder, label, ks: KpiSet) -> None:
        row = b.row_count + 1
        cells = [label, ks.total, ks.judged]
        for key in self.keys:
            k = _kpi_of(ks, key)
            col = _rate_col(key, self.keys)
            num, den = f"{column_letters(col - 2)}{row}", f"{column_letters(col - 1)}{row}"
            cells += [k.numerator, k.denominator, self.rate(k, num, den), self.verdict(k)]
        b.add_row(cells)

    # --- case lists ---------------------------------------------------------------------
    def case_lists(self) -> List[NewSheet]:
        t, as_of = self.t, self.r.as_of
        top, totals = self.picked or pick_lists(self.r, self.conf, self.lang)
        hours = lambda due: (as_of - due).total_seconds() / 3600  # noqa: E731
        sep = t["sep"]

        def clock_cells(items, sign):
            due = min(items)[0]
            return [sep.join(what for _, what in sorted(items)), due,
                    float(sign * hours(due))]

        return [
            self.case_list("overdue", [t["what"], t["due"], t["hours_over"]], top, totals,
                           lambda x: clock_cells(x[1], 1)),
            self.case_list("due_soon", [t["what"], t["due"], t["hours_left"]], top, totals,
                           lambda x: clock_cells(x[1], -1)),
            self.case_list("repeats", [t["repeat_of"], t["reply_status"], t["close_status"]],
                           top, totals, lambda j: [j.repeat_of,
                                                   status_word(j.reply_status, self.lang),
                                                   status_word(j.close_status, self.lang)]),
            self.case_list("escalated", [t["reason"], t["first_due"], t["hours_over"]],
                           top, totals, lambda x: [self.reason(x[0], x[1])]
                           + (clock_cells(x[1], 1)[1:] if x[1] else [None, None])),
        ]

    def reason(self, j: Judgement, late) -> str:
        t = self.t
        case = self.listed.get(j.row)
        why = []
        if late:
            why.append(t["why_overdue"])
        if j.repeat_of is not None:
            why.append(t["why_repeat"])
        floor = self.settings.escalation["severity_floor"].get(case.severity if case else "", 0)
        if case is not None and floor > 0:
            why.append(f"{t['severity']}: {case.severity}" if self.lang == "en"
                       else f"{t['severity']}：{case.severity}")
        return "\n".join(why)  # one reason a line: a reason never breaks inside a word

    def case_list(self, key: str, middle: Sequence[str], top: Dict[str, list],
                  totals: Dict[str, int], cells_of) -> NewSheet:
        """A list sheet: the common case columns around ``cells_of(item)`` for the listed
        items ``top[key]`` of ``totals[key]`` cases. Texts wrap and every row is as tall as
        its longest text, so a complaint of several lines reads whole on screen and on an
        A4 landscape print (fitted to the page width, the header row repeated)."""
        rows, total = top[key], totals[key]
        t, st = self.t, self.st
        b = self.builder()
        b.landscape = True
        widths = [13, 16, 9, 10, 9, 10] + list(LIST_MIDDLE_WIDTHS[key]) + list(LIST_TAIL_WIDTHS)
        b.set_widths(widths)
        titles = [t["case_id"], t["received_at"], t["customer"], t["department"], t["handler"],
                  t["category"]] + list(middle) + [t["level"], t["person"], t["summary"]]
        self.header(b, titles)
        cap = self.conf["list_max_rows"]
        for item in rows:
            j = item if isinstance(item, Judgement) else item[0]
            c = self.listed.get(j.row)
            values = ([j.case_id, c.received_at if c else None, c.customer if c else "",
                       c.department if c else "", c.handler if c else "",
                       c.category if c else ""] + list(cells_of(item))
                      + [j.escalation, j.escalate_to, c.summary if c else ""])
            b.add_row(*_wrapped_row(values, widths, st))
        b.filter_ref = f"A1:{column_letters(len(titles))}{max(b.row_count, 2)}"
        if total > cap:
            b.skip_row()
            b.add_row([t["more"].format(n=total - cap, max=cap)])
        elif not rows:
            b.skip_row()
            b.add_row([t["none"].format(t=self.r.as_of.strftime("%Y-%m-%d %H:%M"))])
        return self.sheet(key, b)

    # --- problem rows -------------------------------------------------------------------
    def problem_rows(self, links: bool) -> NewSheet:
        """Every register row officebot could not judge: where, as typed, what is wrong,
        how to fix it, and a link to the cell."""
        t, st, r = self.t, self.st, self.r
        b = self.builder()
        b.landscape = True
        widths = [9, 14, 9, 22, 30, 44]
        b.set_widths(widths)
        self.header(b, [t["row"], t["column"], t["cell"], t["typed"], t["problem"], t["fix"]])
        cols = {text: col for col, text in r.headers.items()}
        for p in sorted(r.problems, key=lambda p: (p.row, cols.get(p.column, 0))):
            col = cols.get(p.column)
            ref = f"{column_letters(col)}{p.row}" if col else f"A{p.row}"
            if links:
                target = f"#{quote_sheet(p.sheet)}!{ref}"
                link = Cell(Formula(f'HYPERLINK("{target}","{ref}")', ref), st.link)
            else:
                link = Cell(f"{Path(r.path).name}: {p.sheet}!{ref}", st.top)
            fix = t.get(f"fix.{p.kind}", t["fix."])
            values = [p.row, p.column, link, p.value, p.message, fix]
            b.add_row(*_wrapped_row(values, widths, st))
        b.filter_ref = f"A1:F{max(b.row_count, 2)}"
        if not r.problems:
            b.skip_row()
            b.add_row([t["no_problems"].format(t=r.as_of.strftime("%Y-%m-%d %H:%M"))])
        return self.sheet("problems", b)

    # --- run log ------------------------------------------------------------------------
    def run_log(self, info: Dict, previous: List[list]) -> NewSheet:
        t = self.t
        b = self.builder()
        b.set_widths([17, 17, 11, 11, 30, 11, 30, 11])
        titles = [t["run_at"], t["as_of"], t["judged_cases"], t["new_overdue"],
                  t["new_overdue_ids"], t["new_escalated"], t["new_escalated_ids"], t["letters"]]
        self.header(b, titles)
        for old in previous:
            cells = list(old[:LOG_COLUMNS])
            for i in (0, 1):  # the two times, kept as the serial numbers they were
                if i < len(cells) and isinstance(cells[i], (int, float)) \
                        and not isinstance(cells[i], bool):
                    cells[i] = Cell(cells[i], self.st.date)
            b.add_row(cells)
        over = list(info.get("newly_overdue") or [])
        esc = list(info.get("newly_escalated") or [])
        b.add_row([info.get("run_at") or self.r.as_of, info.get("as_of") or self.r.as_of,
                   len(self.r.judgements), len(over), t["sep"].join(map(str, over)), len(esc),
                   t["sep"].join(map(str, esc)), int(info.get("letters_drafted") or 0)])
        b.filter_ref = f"A1:{column_letters(LOG_COLUMNS)}{b.row_count}"
        return self.sheet("run_log", b)


GROUP_HEAD_ROWS = 2  # the KPI names, then what each of their columns holds
LIST_MIDDLE_WIDTHS = {"overdue": (8, 16, 8), "due_soon": (8, 16, 8),
                      "repeats": (13, 10, 10), "escalated": (16, 16, 8)}
LIST_TAIL_WIDTHS = (9, 17, 40)   # level, person to act, complaint
LINE_HEIGHT = 15.0   # points per wrapped line at the default font size
MAX_ROW_HEIGHT = 409.0  # Excel's limit


def text_width(text: str) -> int:
    """Display width in Excel character units: a CJK or full-width character counts two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a wrapping column ``width`` characters wide."""
    room = max(1.0, width - 1)
    return sum(max(1, math.ceil(text_width(line) / room)) for line in text.split("\n"))


def _wrapped_row(values: Sequence[object], widths: Sequence[float], st) -> Tuple[list, float]:
    """(cells, row height): texts wrap at the top of their cells and the row is tall
    enough for the longest of them."""
    cells, lines = [], 1
    for value, width in zip(values, widths):
        if isinstance(value, Cell):
            cells.append(value)
        elif isinstance(value, str) and value:
            cells.append(Cell(value, st.wrap))
            lines = max(lines, wrapped_lines(value, width))
        elif isinstance(value, dt.datetime):
            cells.append(Cell(value, st.top_date))
        elif isinstance(value, float):
            cells.append(Cell(value, st.top_hours))
        elif value is None or value == "":
            cells.append(None)
        else:
            cells.append(Cell(value, st.top))
    return cells, min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT + 3)


def _rate_col(key: str, keys: Sequence[str] = KPI_KEYS) -> int:
    """1-based column of a KPI's rate on the group sheets (after group, total, judged)."""
    return 3 + list(keys).index(key) * 4 + 3


def _kpi_of(ks: KpiSet, key: str):
    """One figure of a KpiSet, the follow-up rate included."""
    return ks.followup if key == FOLLOWUP_KEY else ks.kpis[key]


def read_change_log(path: Path, names: Optional[set] = None, zf=None) -> List[list]:
    """The data rows of the workbook's existing run-log sheet ([] when it has none).

    Values come back as stored (times as Excel serial numbers), ready to be written again.
    ``zf``: the package as the editor opened it (so it is not opened a second time).
    """
    names = LOG_SHEET_NAMES if names is None else set(names)
    path = Path(path)
    if zf is None and not path.exists():
        return []
    with Workbook(path, zf=zf) as book:
        info = next((s for s in book.sheets if s.name in names), None)
        if info is None:
            return []
        rows = []
        for _, values in book.rows(info, first_row=2):
            rows.append([values.get(c) for c in range(1, LOG_COLUMNS + 1)])
        return rows
