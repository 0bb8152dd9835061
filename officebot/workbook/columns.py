"""Status columns in the register sheet, written by streaming the sheet's XML once.

StatusWriter puts the small parts together: the plan of where officebot's columns go
(layout.py, from the cells), the values of a judged or problem row (here), the rewrite of
one row (rowxml.py: the office's cells byte for byte, officebot's in their column places), the
change log (changes.py) and the conditional-format rules (cfrules.py). Rows officebot has
nothing to say about are copied byte for byte.
"""

from typing import BinaryIO, Callable, Dict, List, Optional, Sequence, Set, Tuple

from ..errors import RegisterError, damaged
from ..fields import STATUS_COLUMNS
from ..messages import msg, pair
from ..package import MAX_COLUMNS, SharedStrings, column_letters, split_ref
from ..rules import CLOCK_WORDS, WORD_TO_STATUS  # the one word table
from . import cfrules, layout
from .changes import SAMPLE_LIMIT, StatusChanges, cell_value
from .measure import fit_width
from .layout import KEY_OF_HEADER

from .package import DXF_ID, Package
from .rowxml import FastRow, SheetRows, build_fast, build_row, find_sheet_data, parse_row
from .sheetxml import quote_sheet, text_xml
from .statusrows import StatusRows

DATE_KEYS = ("reply_due", "close_due")
CENTRED_KEYS = ("reply_status", "close_status", "escalation")
CF_MARK = cfrules.CF_MARK  # officebot's own conditional-format rules carry this term
LETTER_SEPARATOR = "; "
# Widths (in characters) given to status columns when officebot adds them; the letters
# column also wraps, so that whole file names show.
STATUS_WIDTHS = {"reply_due": 17, "close_due": 17, "reply_status": 11, "close_status": 11,
                 "repeat_of": 16, "escalation": 9, "escalate_to": 12, "letters": 40,
                 "mailed": 30, "note": 36}


def status_widths(language: str, notes: Sequence[str] = (),
                  mailed: Sequence[str] = ()) -> Dict[str, float]:
    """Each status column's width in this language: its base width, widened so that its
    header never wraps (an office header row keeps its own height) and its words (status
    words, the escalation titles, the longest note a case can get and the ``notes`` of the
    rows not judged, the ``mailed`` texts of this run) show whole: the office's rows keep
    their height, so nothing wraps."""
    from ..rules import LEVEL_TITLES
    lang = language if language in CLOCK_WORDS else "zh"
    longest = msg(lang, "columns.longest_note")
    values = {"reply_status": CLOCK_WORDS[lang].values(),
              "close_status": CLOCK_WORDS[lang].values(),
              "escalate_to": LEVEL_TITLES[lang], "note": [longest, *notes],
              "mailed": list(mailed)}
    out = {}
    for key, zh, en in STATUS_COLUMNS:
        most = 80 if key == "mailed" else 60 if key == "note" else 30
        width = fit_width(values.get(key, ()), STATUS_WIDTHS[key], most, whole=True)
        out[key] = fit_width([zh if lang == "zh" else en], width, 30, bold=True, whole=True)
    return out


def column_settings(settings) -> Dict[str, object]:
    """The [status_columns] table as checked when the settings were loaded."""
    return settings.conf.status_columns.as_dict()


def problem_note(problems, language: str) -> str:
    """The note of a row officebot could not judge: each column and what is wrong with it."""
    sep, colon = msg(language, "columns.problem_sep"), msg(language, "columns.problem_colon")
    return sep.join(f"{p.column}{colon}{p.message}" if p.column else p.message
                    for p in problems)


class StatusWriter:
    """Stream-rewrites the register sheet: fn(source, destination) for Package.stream()."""

    def __init__(self, pkg: Package, result, settings, letters_by_row=None,
                 progress: Optional[Callable] = None, capture: Optional[Set[int]] = None,
                 values_by_row: Optional[Dict[int, Dict[str, object]]] = None):
        """``capture``: rows whose XML (as it was) to keep in ``captured`` as they pass,
        so the summary lists need not read the sheet again. ``values_by_row``: status
        values other stages work out (row -> status key -> value, e.g. the mail status)."""
        self.pkg = pkg
        self.result = result
        self.language = result.language if result.language in CLOCK_WORDS else "zh"
        self.words = CLOCK_WORDS[self.language]  # rules.status_word's table
        self.letters_by_row: Dict[int, List[str]] = letters_by_row or {}
        self.values_by_row = values_by_row or {}
        self.progress = progress
        self.capture = capture or set()
        self.captured: List[Tuple[int, bytes]] = []
        self.changes = StatusChanges()
        self.table = column_settings(settings)
        # what is written of each judged row: the caller may let the judgements go now
        self.judged = StatusRows(result.judgements, result.as_of, self.language,
                                 result.date1904, self.table["note_days_after_hours"])
        self.problems: Dict[int, list] = {}
        for p in result.problems:
            self.problems.setdefault(p.row, []).append(p)
        self.last_row = result.header_row
        self._strings: Optional[SharedStrings] = None
        self._label = {k: (zh if self.language == "zh" else en) for k, zh, en in STATUS_COLUMNS}

        found = layout.found_columns(result.headers)
        every = all(k in found for k, _, _ in STATUS_COLUMNS)
        if getattr(result, "used", None) is not None:
            self.used = result.used  # found by the reading pass
        else:
            with pkg.zf.open(result.sheet_part) as src:  # later runs need only the header row
                self.used = layout.scan_cells(src, result.header_row, set(found.values()),
                                              self._unreadable, up_to_header=every)
        self.plan = layout.plan_columns(result.headers, self.used)
        if max(self.plan.columns.values()) > MAX_COLUMNS:
            raise self._no_room()
        self._letters_col = self.plan.columns["letters"]
        self.status_cols: Dict[int, str] = {c: k for k, c in self.plan.columns.items()}
        self._ordered = sorted(self.status_cols.items())
        self._styles(pkg.styles())

    def _styles(self, styles) -> None:
        table = self.table
        self.date_style = styles.xf(num_format=table["date_format"])
        office = set(self.result.headers) - set(self.status_cols)
        look = layout.header_style(self.used, office)
        self.header_style = styles.xf_like(look) if look else styles.xf(
            bold=True, wrap=True, valign="center")
        self.wrap_style = styles.xf(wrap=True, valign="top")
        # status words and levels stand centred: beside a right-aligned due time or a
        # left-aligned name they never touch it
        self.center_style = styles.xf(halign="center")
        self.problem_style = styles.xf(fill=table["problem_fill"], wrap=True, valign="top")

    def _dxfs(self, tail: bytes) -> Dict[str, int]:
        """officebot's highlight styles, after every dxfs place the office's rules use."""
        styles, table = self.pkg.styles(), self.table
        styles.keep_dxfs({int(x) for x in DXF_ID.findall(tail)}
                         | self.pkg.dxf_references({self.result.sheet_part}))
        return {"overdue": styles.dxf(fill=table["overdue_fill"], font_color="9C0006"),
                "due_soon": styles.dxf(fill=table["due_soon_fill"], font_color="9C5700"),
                "repeat": styles.dxf(fill=table["repeat_fill"], bold=True)}

    def _no_room(self) -> RegisterError:
        far = column_letters(min(max(self.used.last_col, 1), MAX_COLUMNS))
        n = len(self.plan.added)
        return RegisterError(*pair("columns.no_room", label=self.pkg.label, far=far, n=n))

    def _unreadable(self) -> None:
        raise RegisterError(*pair("columns.unreadable_row", label=self.pkg.label))

    def _cut_short(self) -> None:
        raise damaged(self.pkg.label, "the register sheet is cut short")

    # --- values -------------------------------------------------------------------------
    def _new_values(self, row: int, i: int, old_letters) -> Dict[str, object]:
        """The status values of the ``i``-th judged row (None: an empty cell)."""
        values = self.judged.values(i)
        new_letters = self.letters_by_row.get(row)
        if old_letters is not None or new_letters:
            names = [s.strip() for s in str(old_letters or "").split(LETTER_SEPARATOR.strip())
                     if s.strip()]
            for name in new_letters or ():
                if name not in names:
                    names.append(name)
            values["letters"] = LETTER_SEPARATOR.join(names) or None
        if self.values_by_row:  # the mail status (mail.status), when a letter was mailed
            values.update(self.values_by_row.get(row, ()))
        return values

    def _value(self, attrs: bytes, body: bytes):
        return cell_value(attrs, body, self._shared)

    def _shared(self, index: int):
        if self._strings is None:
            part = next((t for _, k, t, _ in self.pkg.rels(self.pkg.workbook_part)
                         if k.endswith("/sharedStrings")), None)
            self._strings = SharedStrings(self.pkg.zf, part, self.pkg.label)
        return self._strings[index]

    # --- cells --------------------------------------------------------------------------
    def _templates(self, prefix: bytes) -> None:
        """Each status cell is a template (number or text) filled with row number and value."""
        self._text_cells: Dict[str, bytes] = {}
        self._number: Dict[str, bytes] = {}
        self._text: Dict[str, bytes] = {}
        for col, key in self._ordered:
            ref = b'<%sc r="%s%%b"' % (prefix, column_letters(col).encode())
            style = b' s="%d"' % self.date_style if key in DATE_KEYS else \
                b' s="%d"' % self.center_style if key in CENTRED_KEYS else b""
            # %a: repr(), the shortest text that reads back as the same float
            self._number[key] = ref + style + b"><%sv>%%a</%sv></%sc>" % (prefix, prefix, prefix)
            style = b' s="%d"' % self.wrap_style if key == "letters" else \
                b' s="%d"' % self.center_style if key in CENTRED_KEYS else b""
            self._text[key] = ref + style + b' t="inlineStr">%b'
        self._heads = [(col, key, self._number[key], self._text[key])
                       for col, key in self._ordered]
        col = self.plan.columns["note"]
        self._problem_text = b'<%sc r="%s%%b" s="%d" t="inlineStr">%%b' % (
            prefix, column_letters(col).encode(), self.problem_style)

    def _text_body(self, value: str) -> bytes:
        body = self._text_cells.get(value)
        if body is not None:
            return body
        prefix = self.prefix
        text = text_xml(value).encode("utf-8")
        space = b' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else b""
        body = b'<%sis><%st%s>%s</%st></%sis></%sc>' % (
            prefix, prefix, space, text, prefix, prefix, prefix)
        if len(self._text_cells) < 50000:  # status words, names and notes repeat
            self._text_cells[value] = body
        return body

    def _status_cells(self, row_no: int, values: Dict[str, object]) -> List[Tuple[int, bytes]]:
        r = b"%d" % row_no
        cells = []
        cache = self._text_cells
        for col, key, number, text in self._heads:
            value = values[key]
            if value is None:
                continue
            if type(value) is str:
                body = cache.get(value)
                cells.append((col, text % (r, body if body is not None
                                           else self._text_body(value))))
            else:
                cells.append((col, number % (r, value)))
        return cells

    def _header_cells(self, row_no: int) -> List[Tuple[int, bytes]]:
        prefix = self.prefix
        cells = []
        for col, key in self._ordered:
            text = self._label[key]
            existing = self.result.headers.get(col)
            if existing is not None and KEY_OF_HEADER.get(str(existing).strip()) == key:
                text = str(existing).strip()  # keep the language of a column found in place
            cells.append((col, b'<%sc r="%s%d" s="%d" t="inlineStr"><%sis><%st>%s</%st></%sis>'
                          b'</%sc>' % (prefix, column_letters(col).encode(), row_no,
                                       self.header_style, prefix, prefix,
                                       text_xml(text).encode("utf-8"), prefix, prefix, prefix)))
        return cells

    # --- the stream ---------------------------------------------------------------------
    def __call__(self, src: BinaryIO, dst: BinaryIO) -> None:
        buf, m, prefix = find_sheet_data(src, self._no_cells)
        self.prefix = prefix
        self._templates(prefix)
        self._fast = FastRow(self.status_cols, prefix)
        # A first run need not look for old status cells when no cell lies in the new columns.
        self._look = self.plan.found or self.used.any_last_col >= min(self.status_cols) \
            or not self.used.complete
        head = layout.set_dimension(buf[:m.start], self.used, self.plan,
                                    self.result.header_row)
        wanted = status_widths(self.language, [problem_note(p, self.language)
                                               for p in self.problems.values()],
                               [v["mailed"] for v in self.values_by_row.values()
                                if v.get("mailed")])
        widths = [(self.plan.columns[k], wanted[k]) for k in self.plan.added]
        dst.write(layout.add_widths(head, prefix, widths))
        if m.empty:  # <sheetData/>: no rows at all
            dst.write(b"<%ssheetData></%ssheetData>" % (prefix, prefix))
            rest = buf[m.end:]
        else:
            dst.write(buf[m.start:m.end])
            rows = SheetRows(src, buf[m.end:], prefix, self._unreadable, self._cut_short)
            self._rows(rows, dst)
            rest = rows.rest
        dst.write(self._tail(rest + src.read(), prefix))
        if self._strings is not None:
            self._strings.close()

    def _no_cells(self) -> None:
        raise RegisterError(*pair("columns.no_cells", label=self.pkg.label))

    def _rows(self, rows: SheetRows, dst: BinaryIO) -> None:
        header_row = self.result.header_row
        find, problems, capture = self.judged.find, self.problems, self.capture
        own = self.status_cols
        prefix = self.prefix
        out: List[bytes] = []
        append = out.append
        done = 0
        for row_no, xml in rows:
            if row_no is None:
                append(xml)
                continue
            done += 1
            if row_no > self.last_row:
                self.last_row = row_no
            if row_no in capture:
                self.captured.append((row_no, xml))
            if row_no < header_row:
                append(xml)
            elif row_no == header_row:
                append(build_row(parse_row(xml, prefix), row_no, own,
                                 self._header_cells(row_no), prefix))
            elif (i := find(row_no)) >= 0 or row_no in problems:
                append(self._row(xml, row_no, i))
            elif self._look:  # nothing to say: stale status cells go
                append(build_row(parse_row(xml, prefix), row_no, own, (), prefix))
            else:
                append(xml)
            # about 1 MB a block: smaller blocks would hold less, but the compressing thread
            # waits for the GIL several times a block and falls behind (measured at 256 rows)
            if len(out) >= 1024:
                dst.write(b"".join(out))
                out.clear()
                if self.progress and done % 65536 < 1024:
                    self.progress("write", done, None)
        dst.write(b"".join(out))

    def _row(self, xml: bytes, row_no: int, i: int) -> bytes:
        """A judged (the ``i``-th, else -1) or problem row: the office's cells as they are,
        officebot's new."""
        fast = self._fast.split(xml, self._look)
        parsed = None
        if fast is None:
            parsed = parse_row(xml, self.prefix)
        problems = self.problems.get(row_no)
        if problems:
            values = {"note": problem_note(problems, self.language)}
            new = [(self.plan.columns["note"],
                    self._problem_text % (b"%d" % row_no, self._text_body(values["note"])))]
        else:
            col = self._letters_col
            if fast is not None:
                old = self._fast.old_cell(fast.segment, col, row_no) if fast.segment else None
            else:
                old = next((c for c in parsed.cells if c.col == col), None)
            values = self._new_values(row_no, i,
                                      self._value(old.attrs, old.body) if old else None)
            new = self._status_cells(row_no, values)
        joined = b"".join([x for _, x in new])
        if fast is not None:
            segment = fast.segment
            if segment == joined:
                return build_fast(fast, new, joined)  # the same cells as last time
            olds = self._fast.olds(segment) if segment else []
            if olds is not None:
                self._diff(row_no, i, olds, values, new)
                return build_fast(fast, new, joined)
            parsed = parse_row(xml, self.prefix)
        olds = [c for c in parsed.cells if c.col in self.status_cols]
        if not olds or b"".join([c.xml for c in olds]) != joined:
            self._diff(row_no, i, olds, values, new)
        return build_row(parsed, row_no, self.status_cols, new, self.prefix)

    def _diff(self, row_no: int, i: int, olds, values, new) -> None:
        """Note in the change log what differs from the old cells (which differ as bytes)
        in the ``i``-th judged row (-1: a problem row not judged)."""
        j = self.judged.case(i) if i >= 0 else None
        previous = {}
        if olds:
            written = dict(new)
            status_cols = self.status_cols
            for c in olds:  # a cell written as it is written now holds the value it holds now
                key = status_cols[c.col]
                previous[key] = values.get(key) if written.get(c.col) == c.xml else \
                    self._value(c.attrs, c.body)
        where = ""  # a row's name is only needed while samples are being kept
        if len(self.changes.samples) < SAMPLE_LIMIT:
            where = msg(self.language, "columns.row", row=row_no)
        self.changes.compare(row_no, self.plan.columns, previous, values, j,
                             self._label.get, where, WORD_TO_STATUS.get)

    # --- after the rows -----------------------------------------------------------------
    def _tail(self, tail: bytes, prefix: bytes) -> bytes:
        first = self.result.header_row + 1
        last = max(self.judged.last_row or first, first)
        tail, ref = layout.widen_filter(tail, self.result.header_row, self.plan, last)
        if ref is not None:
            a, b = ref.split(":")
            sheet = next((e.name for e in self.pkg.sheets()
                          if e.part == self.result.sheet_part), self.result.sheet)
            self.pkg.update_defined_name("_xlnm._FilterDatabase", self.result.sheet_part,
                                         f"{quote_sheet(sheet)}!{_absolute(a)}:{_absolute(b)}")
        rules = cfrules.status_rules(self.plan.columns, first, self.last_row, self.words,
                                     self._dxfs(cfrules.without_own_rules(tail, prefix)))
        return cfrules.place_rules(tail, rules, prefix)



def _absolute(ref: str) -> str:
    row, col = split_ref(ref)
    return f"${column_letters(col)}${row}"
