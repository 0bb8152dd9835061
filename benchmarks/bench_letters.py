"""Letters per second for the whole draft_letters call, next to the floor, in the same run.

    python benchmarks/bench_letters.py [--cases 1000] [--repeat 5] [--dir /dev/shm]

The floor writes the same packages with only their text replaced: the template's parts are
read (and deflated) once, and for each letter document.xml and the footer get their
placeholders swapped by plain str.replace and the package is written to disk with the same
package writer draft_letters uses (unchanged parts copied still compressed). A reference line
shows the naive floor, zipfile recompressing every part of every letter. draft_letters
additionally chooses the letters, formats the values, renders the compiled Jinja template,
fingerprints the package, checks for existing letters and keeps its manifest. Each round runs
both, in alternating order; the ratio is the median over rounds. Goal: at most 1.5x.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from officebot.docx_package import raw_part, write_package  # noqa: E402
from officebot.letter_templates import PACKAGED_DIR  # noqa: E402
from officebot.letters import draft_letters  # noqa: E402
from officebot.records import Case, Judgement  # noqa: E402
from officebot.settings import load_settings  # noqa: E402

AS_OF = dt.datetime(2026, 3, 10, 12, 0)


def make_result(n: int):
    """n cases, each needing one apology letter (reply overdue), Chinese customers."""
    cases, judgements = [], []
    for i in range(n):
        received = AS_OF - dt.timedelta(days=3, minutes=i)
        c = Case(row=i + 3, case_id=f"TS{i:06d}", received_at=received, channel="来电",
                 customer=f"客户{i}", phone="13800138000", category="服务",
                 summary=f"第{i}号投诉：营业厅等候时间过长，工作人员态度冷淡。", department="客服部",
                 handler="李四", resolution="已向客户致歉并优先办理" if i % 2 else "")
        cases.append(c)
        judgements.append(Judgement(c.case_id, c.row, received + dt.timedelta(hours=48),
                                    received + dt.timedelta(days=7), "overdue", "pending", None,
                                    1, "班组长", None, None, None))
    return SimpleNamespace(cases=cases, judgements=judgements, as_of=AS_OF, language="zh")


def _replace(text: str, c) -> str:
    return (text.replace("{{ 投诉编号 }}", c.case_id)
            .replace("{{ 客户姓名 or \"客户\" }}", c.customer)
            .replace("{{ 投诉内容 }}", c.summary)
            .replace("{{ 函件日期 }}", "2026年3月10日")
            .replace("{{ 受理日期 }}", "2026年3月7日"))


def _template_parts():
    with zipfile.ZipFile(PACKAGED_DIR / "apology_zh.docx") as zf:
        return [(info, zf.read(info)) for info in zf.infolist()]


XML_PARTS = ("word/document.xml", "word/footer1.xml")


def floor(result, folder: Path) -> int:
    """The floor: str.replace in the XML parts, unchanged parts copied still compressed."""
    parts = _template_parts()
    raw = [raw_part(info, data) for info, data in parts]
    texts = {info.filename: data.decode("utf-8") for info, data in parts
             if info.filename in XML_PARTS}
    out_dir = folder / "letters" / f"{result.as_of:%Y-%m}"
    out_dir.mkdir(parents=True, exist_ok=True)
    for c in result.cases:
        changes = {name: _replace(text, c).encode("utf-8") for name, text in texts.items()}
        (out_dir / f"{c.case_id}_apology.docx").write_bytes(write_package(raw, changes))
    return len(result.cases)


def naive_floor(result, folder: Path) -> int:
    """For reference: the same with zipfile, which recompresses every part of every letter."""
    parts = _template_parts()
    out_dir = folder / "letters" / f"{result.as_of:%Y-%m}"
    out_dir.mkdir(parents=True, exist_ok=True)
    for c in result.cases:
        with zipfile.ZipFile(out_dir / f"{c.case_id}_apology.docx", "w",
                             zipfile.ZIP_DEFLATED) as zf:
            for info, data in parts:
                if info.filename in XML_PARTS:
                    data = _replace(data.decode("utf-8"), c).encode("utf-8")
                zf.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return len(result.cases)


def docxtpl_per_letter(result, folder: Path, settings) -> int:
    """For reference: docxtpl as documented, loading and parsing the template for every letter."""
    from docxtpl import DocxTemplate

    from officebot.letters import letter_settings, letter_values
    table = letter_settings(settings)
    out_dir = folder / "letters" / f"{result.as_of:%Y-%m}"
    out_dir.mkdir(parents=True, exist_ok=True)
    for c, j in zip(result.cases, result.judgements):
        tpl = DocxTemplate(str(PACKAGED_DIR / "apology_zh.docx"))
        tpl.render(letter_values(c, j, "zh", table, result.as_of), autoescape=True)
        tpl.save(str(out_dir / f"{c.case_id}_apology.docx"))
    return len(result.cases)


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5, help="rounds (default 5)")
    parser.add_argument("--dir", default=os.getcwd(),
                        help="where the letters are written (default: the current folder; "
                             "/dev/shm measures without the disk)")
    args = parser.parse_args()
    result = make_result(args.cases)
    settings = load_settings()
    n = args.cases

    def run(key):
        with tempfile.TemporaryDirectory(dir=args.dir, prefix=".bench-") as tmp:
            if key == "draft":
                seconds, out = timed(lambda: draft_letters(result, settings, Path(tmp),
                                                           kinds=["apology"]))
                assert len(out.drafted) == n and not out.problems, out.problems[:3]
                return seconds
            return timed(lambda: (floor if key == "floor" else naive_floor)(result, Path(tmp)))[0]

    run("draft")  # warm up: imports and first-time costs are not what is compared
    times = {"floor": [], "draft": []}
    ratios = []
    for i in range(args.repeat):  # alternate the order: neither side always follows the other
        order = ("floor", "draft") if i % 2 == 0 else ("draft", "floor")
        got = {key: run(key) for key in order}
        for key in order:
            times[key].append(got[key])
        ratios.append(got["draft"] / got["floor"])
    naive = run("naive")
    few = make_result(min(n, 200))
    with tempfile.TemporaryDirectory(dir=args.dir, prefix=".bench-") as tmp:
        seconds, count = timed(lambda: docxtpl_per_letter(few, Path(tmp), settings))
    per_letter_docxtpl = seconds / count
    best_floor, best_draft = min(times["floor"]), min(times["draft"])
    print(f"cases: {n}, letters: {n}, {args.repeat} rounds, written under {args.dir}")
    print(f"floor (str.replace, parts copied compressed): {best_floor:7.3f} s "
          f"{n / best_floor:8.1f} letters/s  (best round)")
    print(f"draft_letters (whole call):                   {best_draft:7.3f} s "
          f"{n / best_draft:8.1f} letters/s  (best round)")
    print(f"ratio draft_letters / floor: median of rounds {statistics.median(ratios):.2f}x, "
          f"best times {best_draft / best_floor:.2f}x  (goal: at most 1.5x)")
    print(f"reference, zipfile recompressing every part:  {naive:7.3f} s "
          f"{n / naive:8.1f} letters/s")
    print(f"reference, docxtpl parsing the template per letter ({count} letters): "
          f"{1 / per_letter_docxtpl:8.1f} letters/s, "
          f"{per_letter_docxtpl * n / best_floor:.1f}x the floor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
