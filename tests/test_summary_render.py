"""officebot's sheets as LibreOffice prints them: no word broken or cut, no two texts touching,
the overview on one page, in a Chinese and an English working folder made by init."""

import html
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import need_tool
from officebot.init import init_folder
from officebot.workbook.sheet_kit import OWN_SHEET_NAMES, SHEETS

WORD = re.compile(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


@pytest.fixture(scope="module", params=["zh", "en"])
def rendered(request, tmp_path_factory):
    """(the run register, its PDF) for a folder init made in this language."""
    need_tool("soffice")
    need_tool("pdftotext")
    lang = request.param
    folder = init_folder(tmp_path_factory.mktemp(lang) / "office", lang).folder
    register = next(folder.glob("*.xlsx"))
    subprocess.run([sys.executable, "-m", "officebot", "run", str(register)], check=True,
                   stdout=subprocess.DEVNULL)
    copy = folder.parent / f"{lang}.xlsx"
    copy.write_bytes(register.read_bytes())
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir",
                    str(folder.parent), str(copy)], check=True, timeout=600,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return lang, copy, copy.with_suffix(".pdf")


def pages(pdf: Path):
    """[(sheet name from the page footer, [(x0, y0, x1, y1, word)])] per page."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True,
                         stdout=subprocess.PIPE).stdout.decode("utf-8")
    out = []
    for page in xml.split("<page ")[1:]:
        words = [(float(a), float(b), float(c), float(d), html.unescape(w))
                 for a, b, c, d, w in WORD.findall(page)]
        if not words:
            continue
        bottom = max(w[1] for w in words)
        footer = " ".join(w[4] for w in sorted(words) if abs(w[1] - bottom) < 1 and
                          not re.fullmatch(r"[\d/]+", w[4]))
        out.append((footer, words))
    return out


def known_words(xlsx: Path) -> set:
    """Every Latin word the workbook holds (cells, sheet names, chart titles)."""
    book = openpyxl.load_workbook(xlsx, read_only=True)
    known = set()
    for name in book.sheetnames:
        known.update(re.findall(r"[A-Za-z]+", name))
        for row in book[name].iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str):
                    known.update(re.findall(r"[A-Za-z]+", value))
    with zipfile.ZipFile(xlsx) as z:
        for part in z.namelist():
            if part.startswith("xl/charts/"):
                known.update(re.findall(r"[A-Za-z]+", re.sub(r"<[^>]+>", " ",
                                                             z.read(part).decode("utf-8"))))
    return known


def lines_of(words):
    """Words grouped into printed lines, left to right."""
    lines = []
    for w in sorted(words, key=lambda w: w[3]):
        if lines and abs(lines[-1][-1][3] - w[3]) < 1.0:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [sorted(line) for line in lines]


def test_no_word_is_broken_or_cut(rendered):
    """A Latin word printed that the workbook does not hold is a piece of a broken or
    clipped one ("Departme", "manag"); this holds for the register's pages too."""
    lang, xlsx, pdf = rendered
    known = known_words(xlsx)
    printed = pages(pdf)
    pieces = [(footer, w[4]) for footer, words in printed for w in words
              for part in re.findall(r"[A-Za-z]{2,}", w[4]) if part not in known]
    assert not pieces, pieces[:20]
    # a phone number never breaks at its dash ("0571-" at a line's end)
    phones = [w[4] for _, words in printed for w in words if re.fullmatch(r"0\d{2,3}-\d{7,8}", w[4])]
    assert phones, "the demo has landlines"
    assert not [w[4] for _, words in printed for w in words
                if re.fullmatch(r"\+?\d+-", w[4])]


def test_no_two_texts_touch(rendered):
    lang, xlsx, pdf = rendered
    touching = []
    for footer, words in pages(pdf):
        for line in lines_of(words):
            for a, b in zip(line, line[1:]):
                if b[0] - a[2] < 0.12 * (a[3] - a[1]):
                    touching.append((footer, a[4], b[4]))
    assert not touching, touching[:20]


GROUP_SHEETS = {SHEETS[k][i] for k in ("month", "department", "category", "channel", "handler")
                for i in (0, 1)}


def test_chinese_headers_print_whole(rendered):
    """Each run of Chinese characters in a header of officebot's sheets (升级责任人, 答复状态)
    is printed on one line: a Latin header may wrap between its words, a Chinese one never
    inside (the Latin words are checked whole above)."""
    lang, xlsx, pdf = rendered
    book = openpyxl.load_workbook(xlsx, read_only=True)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          stdout=subprocess.PIPE).stdout.decode("utf-8")
    joined = "\n".join(re.sub(r"\s+", "", line) for line in text.splitlines())
    missing, seen = [], 0
    for name in book.sheetnames:
        if name not in OWN_SHEET_NAMES:
            continue
        last = 2 if name in GROUP_SHEETS else 1
        for row in book[name].iter_rows(min_row=1, max_row=last, values_only=True):
            for value in row:
                for run in re.findall(r"[\u3000-\u9fff\uff00-\uffef]{2,}", str(value or "")):
                    seen += 1
                    if run not in joined:
                        missing.append((name, run))
    assert not missing, missing
    assert seen > 40 if lang == "zh" else True


def test_the_overview_is_one_page(rendered):
    lang, xlsx, pdf = rendered
    name = SHEETS["overview"][0 if lang == "zh" else 1]
    assert [footer for footer, _ in pages(pdf)].count(name) == 1
