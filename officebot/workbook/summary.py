"""The summary sheets managers read, owned by officebot and replaced on every run.

``build_summary_sheets`` turns a CheckResult into complete worksheets (KPIs overall, per month
and per department / category / channel / handler, the lists of cases to act on, charts and
the run log); the package writer adds them to the workbook. Nothing here depends on the time
of the run except the run log, so two runs at the same as-of time give the same sheets.
The sheets' names, formats and page set-up come from sheet_kit.py, which the letters sheet
shares; the words of each language are in WORDS.
"""

import datetime as dt
import heapq
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from ..durations import duration_text
from ..fields import field_for_header
from ..kpis import FOLLOWUP_KEY, KPI_KEYS, Kpi, KpiSet, kpi_name, kpis_by_keys
from ..messages import CATALOGS, msg
from ..records import Case, Judgement
from ..rules import Tally, clocks_in, status_word, tally, verdict
from ..xlsx import Workbook, column_letters
from .charts import (CHART_REL, CHART_TYPE, DRAWING_REL, DRAWING_TYPE, Chart, Series,
                     chart_xml, drawing_xml)
from .letters_sheet import sheets_for
from .measure import fit_width
from .package import NewPart, NewSheet
from .sheet_kit import (EXTRA_SHEETS, LOG_SHEET_NAMES, OWN_SHEET_NAMES, OWNER_NAME,  # noqa: F401
                        PERCENT_FORMAT, SHEETS, SheetKit, SheetStyles)
from .sheetxml import Cell, Formula, SheetBuilder, quote_sheet

GROUP_KEYS = ("month", "department", "category", "channel", "handler")
GROUP_HEAD_ROWS = 2  # the KPI names, then what each of their columns holds
LOG_COLUMNS = 8
TREND_MONTHS = 3     # months the overview's month table shows, the as-of month last
WORST_DEPARTMENTS = 3

# Every text of the summary sheets, zh and en: the summary.* entries of messages (as written,
# a few with {fields} to fill).
WORDS = {lang: {key[len("summary."):]: text for key, text in CATALOGS[lang].items()
                if key.startswith("summary.")} for lang in ("zh", "en")}


def summary_settings(settings) -> Dict[str, object]:
    """The [summary] table as checked when the settings were loaded."""
    return settings.conf.summary.as_dict()


class ChartParts:
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

    def first_due(j: Judgement, status: str):
        found = clocks_in(j, status, lang)
        return found[0][0] if found else dt.datetime.max

    # Only the listed cases are sorted out of a long list (heapq keeps just that many).
    cap = conf["list_max_rows"]
    top = {
        "overdue": [(j, clocks_in(j, "overdue", lang)) for j in heapq.nsmallest(
            cap, overdue, key=lambda j: (first_due(j, "overdue"), j.row))],
        "due_soon": [(j, clocks_in(j, "due_soon", lang)) for j in heapq.nsmallest(
            cap, soon, key=lambda j: (first_due(j, "due_soon"), j.row))],
        "repeats": repeats[:cap],
        "escalated": [(j, clocks_in(j, "overdue", lang)) for j in heapq.nsmallest(
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
                         links_to_register: bool = True,
                         tallied: Optional[Tally] = None) -> List[NewSheet]:
    """All officebot-owned sheets for this result, in workbook order. A caller that has
    them already passes ``groups`` (summary_groups), ``picked`` (pick_lists) and
    ``tallied`` (rules.tally of the judgements, which it may then have let go). ``listed``
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
    kit = SheetKit(SheetStyles(styles), lang, conf["paper_size"], result.date1904)
    build = SummaryBuild(result, settings, kit, conf, picked, listed, tallied)
    if groups is None:
        groups = summary_groups(result, settings, lang)
    sheets = [build.overview(groups)]
    for key in GROUP_KEYS:
        sheets.append(build.group_sheet(key, groups[key]))
    sheets.extend(build.case_lists())
    sheets.append(build.problem_rows(links_to_register))
    sheets.extend(sheets_for(kit, run_info.get("letters")))
    sheets.append(build.run_log(run_info, previous_log or []))
    return sheets


class KpiCells:
    """A figure's cells: its rate (a formula with the computed value), its target, and
    whether it met the target, in one language."""

    def __init__(self, kit: SheetKit, words: Dict[str, str]):
        self.kit, self.words, self.lang = kit, words, kit.lang

    def target(self, kpi: Kpi) -> Cell:
        """The target, centred (it stands beside a rate)."""
        return Cell(self.target_text(kpi), self.kit.styles.center)

    def target_text(self, kpi: Kpi) -> str:
        sign = self.words["at_least"] if kpi.higher_is_better else self.words["at_most"]
        return f"{sign}{kpi.target * 100:g}%"

    def verdict(self, kpi: Kpi) -> Cell:
        st = self.kit.styles
        if kpi.meets is None:
            return Cell(self.words["no_data"], st.center)
        if kpi.meets:
            return Cell(self.words["met"], st.good)
        return Cell(self.words["missed"], st.bad)

    def rate(self, kpi: Kpi, num_ref: str, den_ref: str) -> Cell:
        style = self.kit.styles.percent_bad if kpi.meets is False else self.kit.styles.percent
        return Cell(Formula(f'IF({den_ref}=0,"",{num_ref}/{den_ref})',
                            "" if kpi.value is None else kpi.value), style)

    def value(self, kpi: Kpi) -> Cell:
        """The rate as a plain value (the month table), red when the target was missed."""
        st = self.kit.styles
        if kpi.value is None:
            return Cell(self.words["none_yet"], st.center)
        return Cell(kpi.value, st.percent_bad if kpi.meets is False else st.percent)

    def header(self, kpi: Kpi, sep: str = "") -> str:
        """The rate's header with its target, e.g. 回复及时率（≥100%）."""
        if self.lang == "zh":
            return f"{kpi_name(kpi.key, self.lang)}{sep}（{self.target_text(kpi)}）"
        return f"{kpi_name(kpi.key, self.lang)}{sep or ' '}(target {self.target_text(kpi)})"

    def trend(self, now: Kpi, before: Optional[Kpi]) -> Cell:
        """The change since the month before in percentage points, with an arrow."""
        if before is None or now.value is None or before.value is None:
            return Cell(self.words["none_yet"], self.kit.styles.center)
        points = (now.value - before.value) * 100
        arrow = "↑" if points > 0.05 else "↓" if points < -0.05 else "→"
        return Cell(f"{arrow} {points:+.1f}", self.kit.styles.center)


class SummaryBuild:
    """One build of the summary sheets: the judged register (``result``), the figures'
    cells, the sheet kit of the register's language, and the listed cases' full records."""

    def __init__(self, result, settings, kit: SheetKit, conf: Dict,
                 picked: Optional[Picked] = None, listed: Optional[Dict[int, Case]] = None,
                 tallied: Optional[Tally] = None):
        self.result = result
        self.tallied = tally(result.judgements) if tallied is None else tallied
        self.settings = settings
        self.kit = kit
        self.lang = kit.lang
        self.words = WORDS[kit.lang]
        self.cells = KpiCells(kit, self.words)
        self.conf = conf
        self.charts = ChartParts()
        # The follow-up rate joins the KPIs only for a register with a 回访时间 column.
        followup = "followup_at" in (getattr(result, "columns", None) or {})
        self.keys = KPI_KEYS + ((FOLLOWUP_KEY,) if followup else ())
        self.picked = picked
        self.listed = listed or {}  # row -> full case, listed rows only

    # --- overview: one A4 page for a manager ----------------------------------------------
    def overview(self, groups: Dict[str, Dict[str, KpiSet]]) -> NewSheet:
        """The figures overall, the last months against their targets with the change from
        the month before, the departments replying least on time, the counts and the charts,
        fitted to one page."""
        w, r, kit = self.words, self.result, self.kit
        b = kit.builder()
        b.fit_to_height = 1
        base = [26, 16.5, 12, 12, 12, 12, 40]   # B holds the as-of time too
        definitions = [w[f"def_{key}"] for key in self.keys]
        definitions_width = fit_width(definitions, base[6], 64, whole=True)
        widths = kit.widths(base, [[kpi_name(k, self.lang) for k in self.keys], [], [], [],
                                   [], [], definitions],
                            [w["kpi"], w["num"], w["den"], w["value"], w["target"],
                             w["result"], w["definition"]])
        widths[6] = max(widths[6], definitions_width)   # each definition on one line
        b.set_widths(widths)
        kit.header(b, [w["kpi"], w["num"], w["den"], w["value"], w["target"], w["result"],
                       w["definition"]], widths)
        for key in self.keys:
            k = _kpi_of(r.kpis, key)
            row = b.row_count + 1
            b.add_row(*kit.wrapped_row(
                [kpi_name(key, self.lang), k.numerator, k.denominator,
                 self.cells.rate(k, f"B{row}", f"C{row}"), self.cells.target(k),
                 self.cells.verdict(k), w[f"def_{key}"]], widths))
        b.filter_ref = f"A1:G{b.row_count}"
        b.skip_row()
        b.add_row([Cell(w["as_of"], kit.styles.bold), Cell(r.as_of, kit.styles.date)])
        # on one line, running on over the empty cells to its right
        b.add_row([Cell(w["register"], kit.styles.bold), f"{Path(r.path).name} / {r.sheet}"])
        b.skip_row()
        self.month_table(b, groups["month"], widths)
        b.skip_row()
        self.worst_departments(b, groups["department"], widths)
        b.skip_row()
        counts = self.tallied._asdict()
        b.add_row([Cell(w["item"], kit.styles.header), Cell(w["count"], kit.styles.header)])
        for label, n in ((w["cases"], r.kpis.total), (w["judged"], r.kpis.judged),
                         (w["overdue"], counts["overdue"]), (w["due_soon"], counts["due_soon"]),
                         (w["repeats"], counts["repeats"]), (w["escalated"], counts["escalated"]),
                         (w["problems"], len(r.problems))) + self.followup_counts(counts):
            b.add_row([label, n])
        rels, parts = (), ()
        if self.conf["charts"]:
            charts = self.overview_charts(groups, b.row_count + 1)
            if charts:
                b.drawing_rid = "rId1"
                rels, parts = self.charts.drawing(charts)
        return kit.sheet("overview", b, rels, parts)

    def month_table(self, b: SheetBuilder, months: Dict[str, KpiSet], widths) -> None:
        """The last months up to the as-of month: each figure, its target, the change."""
        w, st = self.words, self.kit.styles
        shown = [m for m in months if m <= f"{self.result.as_of:%Y-%m}"][-TREND_MONTHS:]
        titles = [w["month_table"]] + [kpi_name(k, self.lang) for k in self.keys]
        self.kit.header(b, titles, widths)
        b.add_row([Cell(w["target"], st.bold)]
                  + [self.cells.target(_kpi_of(self.result.kpis, k)) for k in self.keys])
        for month in shown:
            b.add_row([month] + [self.cells.value(_kpi_of(months[month], k)) for k in self.keys])
        if len(shown) >= 2:
            now, before = months[shown[-1]], months[shown[-2]]
            b.add_row([Cell(w["trend"], st.bold)]
                      + [self.cells.trend(_kpi_of(now, k), _kpi_of(before, k))
                         for k in self.keys])

    def worst_departments(self, b: SheetBuilder, departments: Dict[str, KpiSet],
                          widths) -> None:
        """The departments with the lowest on-time reply rate (those with replies due)."""
        w = self.words
        ranked = sorted(((ks.kpis["on_time_reply_rate"], name) for name, ks in
                         departments.items() if ks.kpis["on_time_reply_rate"].denominator),
                        key=lambda x: (x[0].value, -x[0].denominator, x[1]))
        self.kit.header(b, [w["worst"], kpi_name("on_time_reply_rate", self.lang),
                            w["late_replies"], w["judged"]], widths)
        for kpi, name in ranked[:WORST_DEPARTMENTS]:
            b.add_row([name, self.cells.value(kpi), kpi.denominator - kpi.numerator,
                       kpi.denominator])

    def followup_counts(self, counts) -> tuple:
        if FOLLOWUP_KEY not in self.keys:
            return ()
        f, w = counts["followup"], self.words
        return tuple((w[f"followup_{k}"], f.get(k, 0)) for k in ("due", "overdue", "done"))

    def overview_charts(self, groups, top: int) -> List[Chart]:
        charts = []
        cap = self.conf["chart_max_categories"]
        months = list(groups["month"].items())[-cap:]
        if months:
            first = len(groups["month"]) - len(months) + GROUP_HEAD_ROWS + 1
            last = first + len(months) - 1
            sheet = self.kit.name("month")
            cats = [m for m, _ in months]
            cat_ref = f"$A${first}:$A${last}"
            total = Series(sheet, "$B$1", self.words["total"], cat_ref, cats,
                           f"$B${first}:$B${last}", [ks.total for _, ks in months])
            col = column_letters(_rate_col("on_time_reply_rate"))
            name_col = column_letters(_rate_col("on_time_reply_rate") - 2)
            on_time = Series(sheet, f"${name_col}$1", self.cells.header(
                months[0][1].kpis["on_time_reply_rate"]), cat_ref, cats,
                f"${col}${first}:${col}${last}",
                [ks.kpis["on_time_reply_rate"].value for _, ks in months], PERCENT_FORMAT)
            charts.append(Chart("col_line", self.words["chart_month"], [total, on_time],
                                (0, top, 7, top + 16)))
            top += 17
        depts = list(groups["department"].items())[:cap]
        for key, title in (("on_time_reply_rate", "chart_dept"), (FOLLOWUP_KEY, "chart_followup")):
            if not depts or key not in self.keys:
                continue
            sheet = self.kit.name("department")
            top_row = GROUP_HEAD_ROWS + 1
            last = len(depts) + GROUP_HEAD_ROWS
            col = column_letters(_rate_col(key, self.keys))
            name_col = column_letters(_rate_col(key, self.keys) - 2)
            series = Series(sheet, f"${name_col}$1", self.cells.header(
                _kpi_of(depts[0][1], key)), f"$A${top_row}:$A${last}",
                [d for d, _ in depts], f"${col}${top_row}:${col}${last}",
                [_kpi_of(ks, key).value for _, ks in depts], PERCENT_FORMAT)
            height = max(12, 4 + len(depts) * 2)
            charts.append(Chart("bar", self.words[title], [series],
                                (0, top, 7, top + height), percent_axis=True))
            top += height + 1
        return charts

    # --- KPI group sheets ---------------------------------------------------------------
    def group_sheet(self, key: str, groups: Dict[str, KpiSet]) -> NewSheet:
        """KPIs per group under a two-row header: each KPI's name spans its four columns
        (numerator, denominator, rate against the target, result), so no header has to
        break inside a word and the table fits an A4 landscape page at a readable size."""
        w, st, kit = self.words, self.kit.styles, self.kit
        b = kit.builder(GROUP_HEAD_ROWS)
        b.landscape = True
        en = self.lang == "en"
        first = [w[key], w["total"], w["judged"]]
        second: List[Optional[str]] = [None] * 3
        sample = self.result.kpis
        for i, k in enumerate(self.keys):
            col = 4 + 4 * i
            first += [kpi_name(k, self.lang)] + [None] * 3
            b.merge(f"{column_letters(col)}1:{column_letters(col + 3)}1")
            target = self.cells.target_text(_kpi_of(sample, k))
            second += [w["sub_num"], w["sub_den"],
                       f"{w['rate']} ({target})" if en else f"{w['rate']}\n（{target}）",
                       w["result"]]
        for col in (1, 2, 3):
            b.merge(f"{column_letters(col)}1:{column_letters(col)}2")
        base = [18 if key != "month" else 9, 9, 9] + ([8, 8, 13, 8] if en else [7, 7, 12, 8]) \
            * len(self.keys)
        widths = kit.widths(base, [list(groups)], [t or "" for t in first])
        widths = kit.widths(widths, [], [t or "" for t in second])
        # a KPI's name spans its four columns: they share the room its words need
        for i, k in enumerate(self.keys):
            span = widths[3 + 4 * i: 7 + 4 * i]
            need = kit.widths([0], [], [kpi_name(k, self.lang)])[0]
            if sum(span) < need:
                widths[3 + 4 * i] += need - sum(span)
        b.set_widths(widths)
        kit.header(b, [x if i < 3 else None for i, x in enumerate(first)][:3] + first[3:],
                   [widths[0], widths[1], widths[2]] + [
                       sum(widths[3 + 4 * (i // 4): 7 + 4 * (i // 4)]) if i % 4 == 0 else 99
                       for i in range(len(first) - 3)])
        kit.header(b, second, widths)
        for group, ks in groups.items():
            self._kpi_row(b, group, ks)
        b.filter_ref = (f"A{GROUP_HEAD_ROWS}:{column_letters(len(first))}"
                        f"{max(b.row_count, GROUP_HEAD_ROWS + 1)}")
        b.skip_row()
        self._kpi_row(b, Cell(w["all"], st.bold), self.result.kpis)
        return kit.sheet(key, b)

    def _kpi_row(self, b: SheetBuilder, label, ks: KpiSet) -> None:
        row = b.row_count + 1
        cells = [label, ks.total, ks.judged]
        for key in self.keys:
            k = _kpi_of(ks, key)
            col = _rate_col(key, self.keys)
            num, den = f"{column_letters(col - 2)}{row}", f"{column_letters(col - 1)}{row}"
            cells += [k.numerator, k.denominator, self.cells.rate(k, num, den),
                      self.cells.verdict(k)]
        b.add_row(cells)

    # --- case lists ---------------------------------------------------------------------
    def case_lists(self) -> List[NewSheet]:
        w, as_of, lang = self.words, self.result.as_of, self.lang
        top, totals = self.picked or pick_lists(self.result, self.conf, lang)

        centred = self.kit.styles.wrap_center

        def lines(items) -> list:
            """Each clock on its own line: which, when due, how long over (or left)."""
            return ["\n".join(what for _, what in items),
                    Cell("\n".join(f"{due:%Y-%m-%d %H:%M}" for due, _ in items), centred),
                    Cell("\n".join(duration_text((as_of - due).total_seconds() / 3600, lang)
                                   for due, _ in items), centred)]

        def first_clock(items) -> list:
            if not items:
                return [None, None]
            due = items[0][0]
            return [due, Cell(duration_text((as_of - due).total_seconds() / 3600, lang),
                              centred)]

        return [
            self.case_list("overdue", [w["what"], w["due"], w["overdue_by"]], top, totals,
                           lambda x: lines(x[1])),
            self.case_list("due_soon", [w["what"], w["due"], w["time_left"]], top, totals,
                           lambda x: lines(x[1])),
            self.case_list("repeats", [w["repeat_of"], w["reply_status"], w["close_status"]],
                           top, totals, lambda j: [j.repeat_of,
                                                   status_word(j.reply_status, lang),
                                                   status_word(j.close_status, lang)]),
            self.case_list("escalated", [w["reason"], w["first_due"], w["overdue_by"]],
                           top, totals, lambda x: [self.reason(x[0], x[1])]
                           + first_clock(x[1])),
        ]

    def reason(self, j: Judgement, late) -> str:
        w = self.words
        case = self.listed.get(j.row)
        why = []
        if late:
            why.append(w["why_overdue"])
        if j.repeat_of is not None:
            why.append(w["why_repeat"])
        floor = self.settings.conf.escalation.severity_floor.get(case.severity if case else "", 0)
        if case is not None and floor > 0:
            if self.lang == "en":
                why.append(f"{w['severity']}: {SEVERITY_EN.get(case.severity, case.severity)}")
            else:
                why.append(f"{w['severity']}：{case.severity}")
        return "\n".join(why)  # one reason a line: a reason never breaks inside a word

    def case_list(self, key: str, middle: Sequence[str], top: Dict[str, list],
                  totals: Dict[str, int], cells_of) -> NewSheet:
        """A list sheet: the common case columns around ``cells_of(item)`` for the listed
        items ``top[key]`` of ``totals[key]`` cases. Texts wrap and every row is as tall as
        its longest text, so a complaint of several lines reads whole on screen and on an
        A4 landscape print (fitted to the page width, the header row repeated); the columns
        are as wide as their longest word, so no word breaks inside."""
        rows, total = top[key], totals[key]
        w, kit = self.words, self.kit
        b = kit.builder()
        b.landscape = True
        titles = [w["case_id"], w["received_at"], w["customer"], w["department"], w["handler"],
                  w["category"]] + list(middle) + [w["level"], w["person"], w["summary"]]
        table = []
        for item in rows:
            j = item if isinstance(item, Judgement) else item[0]
            c = self.listed.get(j.row)
            table.append([j.case_id, c.received_at if c else None, c.customer if c else "",
                          c.department if c else "", c.handler if c else "",
                          c.category if c else ""] + list(cells_of(item))
                         + [j.escalation, j.escalate_to, c.summary if c else ""])
        base = [13, 16, 9, 10, 9, 10] + list(LIST_MIDDLE_WIDTHS[key]) + list(LIST_TAIL_WIDTHS)
        columns = list(zip(*table)) if table else []
        widths = kit.widths(base, columns[:len(base) - 1], titles, most=30)
        b.set_widths(widths)
        kit.header(b, titles, widths)
        cap = self.conf["list_max_rows"]
        for values in table:
            b.add_row(*kit.wrapped_row(values, widths))
        b.filter_ref = f"A1:{column_letters(len(titles))}{max(b.row_count, 2)}"
        if total > cap:
            b.skip_row()
            b.add_row([msg(self.lang, "summary.more", n=total - cap, max=cap)])
        elif not rows:
            b.skip_row()
            b.add_row([w["none"].format(t=self.result.as_of.strftime("%Y-%m-%d %H:%M"))])
        return kit.sheet(key, b)

    # --- problem rows -------------------------------------------------------------------
    def problem_rows(self, links: bool) -> NewSheet:
        """Every register row officebot could not judge: where, as typed, what is wrong,
        how to fix it, and a link to the cell."""
        w, r, kit = self.words, self.result, self.kit
        st = kit.styles
        b = kit.builder()
        b.landscape = True
        titles = [w["row"], w["column"], w["cell"], w["typed"], w["problem"], w["fix"]]
        cols = {text: col for col, text in r.headers.items()}
        table = []
        for p in sorted(r.problems, key=lambda p: (p.row, cols.get(p.column, 0))):
            col = cols.get(p.column)
            ref = f"{column_letters(col)}{p.row}" if col else f"A{p.row}"
            if links:
                target = f"#{quote_sheet(p.sheet)}!{ref}"
                link = Cell(Formula(f'HYPERLINK("{target}","{ref}")', ref), st.link)
            else:
                link = Cell(f"{Path(r.path).name}: {p.sheet}!{ref}", st.top)
            table.append([p.row, p.column, link, p.value, p.message, self.fix(p)])
        widths = kit.widths([9, 14, 9, 22, 30, 44], list(zip(*table)) if table else [],
                            titles)
        b.set_widths(widths)
        kit.header(b, titles, widths)
        for values in table:
            b.add_row(*kit.wrapped_row(values, widths))
        b.filter_ref = f"A1:F{max(b.row_count, 2)}"
        if not r.problems:
            b.skip_row()
            b.add_row([w["no_problems"].format(t=r.as_of.strftime("%Y-%m-%d %H:%M"))])
        return kit.sheet("problems", b)

    def fix(self, problem) -> str:
        """How to fix a problem row; a received time may not be left blank."""
        w = self.words
        if problem.kind == "bad_time" and \
                field_for_header(problem.column, self.settings.columns) == "received_at":
            return w["fix.bad_received"]
        return w.get(f"fix.{problem.kind}", w["fix."])

    # --- run log ------------------------------------------------------------------------
    def run_log(self, info: Dict, previous: List[list]) -> NewSheet:
        """One row per run, earlier rows kept; the case-number lists wrap whole."""
        w, kit = self.words, self.kit
        b = kit.builder()
        titles = [w["run_at"], w["as_of"], w["judged_cases"], w["new_overdue"],
                  w["new_overdue_ids"], w["new_escalated"], w["new_escalated_ids"], w["letters"]]
        over = list(info.get("newly_overdue") or [])
        esc = list(info.get("newly_escalated") or [])
        rows = []
        for old in previous:
            cells = list(old[:LOG_COLUMNS])
            for i in (0, 1):  # the two times, kept as the serial numbers they were
                if i < len(cells) and isinstance(cells[i], (int, float)) \
                        and not isinstance(cells[i], bool):
                    cells[i] = Cell(cells[i], kit.styles.date)
            rows.append(cells)
        rows.append([info.get("run_at") or self.result.as_of,
                     info.get("as_of") or self.result.as_of, self.tallied.cases,
                     len(over), w["sep"].join(map(str, over)), len(esc),
                     w["sep"].join(map(str, esc)), int(info.get("letters_drafted") or 0)])
        widths = kit.widths([17, 17, 11, 11, 30, 11, 30, 11], [], titles)
        b.set_widths(widths)
        kit.header(b, titles, widths)
        for cells in rows:
            b.add_row(*kit.wrapped_row(cells, widths))
        b.filter_ref = f"A1:{column_letters(LOG_COLUMNS)}{b.row_count}"
        return kit.sheet("run_log", b)


# The severities as the rules name them, in an English register's words.
SEVERITY_EN = {msg("zh", "severity." + s): msg("en", "severity." + s)
               for s in ("normal", "serious", "crisis")}
LIST_MIDDLE_WIDTHS = {"overdue": (8, 17, 10), "due_soon": (8, 17, 10),
                      "repeats": (13, 10, 10), "escalated": (16, 16, 10)}
LIST_TAIL_WIDTHS = (9, 17, 40)   # level, person to act, complaint


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
