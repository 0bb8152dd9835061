"""What every officebot-owned sheet is made with: its name, its cell formats, its page.

The summary sheets (summary.py) and the letters sheet (letters_sheet.py) both stand on this
module, and neither imports the other's internals.
"""

import datetime as dt
from typing import Dict, List, Optional, Sequence, Tuple

from ..messages import msg
from .measure import fit_width, row_height
from .package import NewSheet
from .sheetxml import Cell, SheetBuilder

# Sheet keys and their names in each language. The names are stable: officebot finds and
# replaces its own sheets by them.
SHEETS: Dict[str, Tuple[str, str]] = {
    key: (msg("zh", "sheet." + key), msg("en", "sheet." + key))
    for key in ("overview", "month", "department", "category", "channel", "handler", "overdue",
                "due_soon", "repeats", "escalated", "problems", "run_log")}
# Sheets only some runs make: the letters sheet (letters_sheet.py) comes with the runs that
# draft or mail letters.
EXTRA_SHEETS: Dict[str, Tuple[str, str]] = {"letters": (msg("zh", "sheet.letters"),
                                                         msg("en", "sheet.letters"))}
OWN_SHEET_NAMES = {name for pair in (*SHEETS.values(), *EXTRA_SHEETS.values()) for name in pair}
LOG_SHEET_NAMES = set(SHEETS["run_log"])
# A sheet-local defined name marking a sheet as officebot's (survives Excel re-saving it).
OWNER_NAME = ("officebot_sheet", '"officebot"')

DATE_FORMAT = "yyyy-mm-dd hh:mm"
PERCENT_FORMAT = "0.0%"
HOURS_FORMAT = "0.0"
RED_FILL, RED_FONT = "FFC7CE", "9C0006"
GREEN_FILL, GREEN_FONT = "C6EFCE", "006100"
HEADER_FILL = "D9E1F2"


class SheetStyles:
    """The cell formats officebot's sheets use, appended to the workbook's StyleBook."""

    def __init__(self, book):
        self.header = book.xf(bold=True, fill=HEADER_FILL, border=True, wrap=True,
                              valign="center", halign="center")
        self.title = book.xf(bold=True, size=14)
        self.date = book.xf(num_format=DATE_FORMAT)
        self.percent = book.xf(num_format=PERCENT_FORMAT)
        self.percent_bad = book.xf(num_format=PERCENT_FORMAT, fill=RED_FILL,
                                   font_color=RED_FONT, bold=True)
        self.percent_good = book.xf(num_format=PERCENT_FORMAT, fill=GREEN_FILL,
                                    font_color=GREEN_FONT)
        # words beside a right-aligned number stand centred, so the two never touch
        self.bad = book.xf(fill=RED_FILL, font_color=RED_FONT, bold=True, halign="center")
        self.good = book.xf(fill=GREEN_FILL, font_color=GREEN_FONT, halign="center")
        self.center = book.xf(halign="center")
        self.top_center = book.xf(halign="center", valign="top")
        self.wrap_center = book.xf(wrap=True, halign="center", valign="top")
        self.hours = book.xf(num_format=HOURS_FORMAT)
        self.bold = book.xf(bold=True)
        self.wrap = book.xf(wrap=True, valign="top")
        self.top = book.xf(valign="top")
        self.top_date = book.xf(num_format=DATE_FORMAT, valign="top")
        self.top_hours = book.xf(num_format=HOURS_FORMAT, valign="top")
        self.link = book.xf(font_color="0563C1", valign="top")
        self.center_date = book.xf(num_format=DATE_FORMAT, halign="center", valign="top")


class SheetKit:
    """Makes officebot's sheets in one language: builders with the page set up, header rows
    as tall as their words need, rows whose texts wrap whole, and the finished NewSheet."""

    def __init__(self, styles: SheetStyles, lang: str, paper_size: int, date1904: bool):
        self.styles = styles
        self.lang = lang
        self.paper_size = paper_size
        self.date1904 = date1904

    def name(self, key: str) -> str:
        """The sheet's name in this language."""
        pair = SHEETS.get(key) or EXTRA_SHEETS[key]
        return pair[0 if self.lang == "zh" else 1]

    def builder(self, title_rows: int = 1) -> SheetBuilder:
        """A sheet printed on the set paper, fitted to the page width, its first
        ``title_rows`` rows frozen and repeated on every printed page."""
        b = SheetBuilder(self.date1904, self.styles.date)
        b.paper_size = self.paper_size
        b.freeze_rows = title_rows
        b.print_title_rows = (1, title_rows)
        return b

    def widths(self, base: Sequence[float], columns: Sequence[Sequence[object]],
               titles: Sequence[str], most: float = 40.0) -> List[float]:
        """Column widths for this language: each at least its base width and as wide as
        its header's and its values' longest word (never a word broken inside)."""
        out = []
        for i, width in enumerate(base):
            values = [str(v) for v in (columns[i] if i < len(columns) else ())
                      if isinstance(v, str)]
            width = fit_width(values, width, most)
            width = fit_width([titles[i]] if i < len(titles) else [], width, most, bold=True)
            out.append(width)
        return out

    def header(self, b: SheetBuilder, titles: Sequence[Optional[str]],
               widths: Optional[Sequence[float]] = None) -> None:
        """The header row, as tall as its longest wrapped title."""
        widths = widths or [w for _, w in b.widths]
        height = max(20.0, row_height(zip([t or "" for t in titles], widths), bold=True))
        b.add_row([Cell(t, self.styles.header) for t in titles], height=height)

    def wrapped_row(self, values: Sequence[object],
                    widths: Sequence[float]) -> Tuple[list, float]:
        """(cells, row height): texts wrap at the top of their cells and the row is tall
        enough for the longest of them."""
        st = self.styles
        cells, texts = [], []
        for value, width in zip(values, widths):
            if isinstance(value, Cell):
                cells.append(value)
                if isinstance(value.value, str):
                    texts.append((value.value, width))
            elif isinstance(value, str) and value:
                cells.append(Cell(value, st.wrap))
                texts.append((value, width))
            elif isinstance(value, dt.datetime):
                cells.append(Cell(value, st.top_date))
            elif isinstance(value, float):
                cells.append(Cell(value, st.top_hours))
            elif value is None or value == "":
                cells.append(None)
            elif isinstance(value, int) and not isinstance(value, bool):
                cells.append(Cell(value, st.top_center))
            else:
                cells.append(Cell(value, st.top))
        return cells, row_height(texts)

    def sheet(self, key: str, b: SheetBuilder, rels=(), parts=()) -> NewSheet:
        """The finished sheet, marked as officebot's."""
        name = self.name(key)
        return NewSheet(name, b.render(), list(rels), list(parts),
                        b.defined_names(name) + [OWNER_NAME])
