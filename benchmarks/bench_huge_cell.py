"""Benchmark one huge cell: time and peak memory of `check` and `run` must grow linearly.

    python benchmarks/bench_huge_cell.py [--sizes 10,30,60] [--kinds inline,shared]
        [--commands check,run]

For each size S (MB) and kind, writes a small register by hand (zipfile) whose row 2 holds
one 投诉内容 cell of S MB of text (CJK and ASCII mixed, with XML character references), as an
inline string or as an item of the shared-strings table. Then runs, each in a fresh Python:
    python -m officebot <command> FILE --as-of "2026-03-10 12:00"
and prints wall time, peak resident memory (ru_maxrss, as bench_check.py measures it; it never
shows less than this script's own size), and per MB of cell: seconds, and the memory above the
same command on a 0 MB cell. Linear means the per-MB figures stay about the same from the
smallest size to the largest. Such a cell is far past Excel's 32,767 characters: officebot
reports its row as a problem row when it decodes the text (exit 0).
"""

import argparse
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_check import run_child  # noqa: E402  (peak memory as bench_check measures it)

AS_OF = "2026-03-10 12:00"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
HEADERS = ["编号", "受理时间", "客户姓名", "投诉类别", "投诉内容"]

def _chunk() -> bytes:
    """1 MiB of text that deflates about as real complaints do (random CJK and words, with
    character references): zip bombs aside, officebot refuses parts compressed over 200:1."""
    import random
    rnd = random.Random(0)
    words = ["客户", "反映", "网点", "排队", "&amp;", "&#x4e2d;", "staff", "wait", "服务", "态度"]
    out, size = [], 0
    while size < 1 << 20:
        piece = rnd.choice(words) if rnd.random() < 0.3 else chr(rnd.randint(0x4E00, 0x9FA5))
        out.append(piece)
        size += len(piece.encode("utf-8"))
    return " ".join(out).encode("utf-8")[:1 << 20].rsplit(b" ", 1)[0] + b" "


CHUNK = _chunk()


def text_of_size(mb: float) -> bytes:
    n = int(mb * (1 << 20)) // len(CHUNK) + 1
    return (CHUNK * n)[:int(mb * (1 << 20))].rsplit(b" ", 1)[0]


def write_register(path: Path, mb: float, kind: str) -> Path:
    """A register of three cases, case TS-1's 投诉内容 of ``mb`` MB."""
    rows = [HEADERS, ["TS-1", "2026-03-01 09:00", "张三", "服务", None],
            ["TS-2", "2026-03-05 09:00", "李四", "服务", "短"],
            ["TS-3", "2026-03-08 09:00", "王五", "服务", "短"]]
    strings, index, sheet = [], {}, []
    big = text_of_size(mb)
    for r, values in enumerate(rows, 1):
        cells = []
        for c, value in enumerate(values):
            ref = f"{'ABCDE'[c]}{r}"
            if value is None:
                if kind == "inline":
                    cells.append(b'<c r="%s" t="inlineStr"><is><t>%s</t></is></c>'
                                 % (ref.encode(), big))
                    continue
                index[None] = len(strings)
                strings.append(big)
                cells.append(b'<c r="%s" t="s"><v>%d</v></c>' % (ref.encode(), index[None]))
                continue
            if value not in index:
                index[value] = len(strings)
                strings.append(value.encode("utf-8"))
            cells.append(b'<c r="%s" t="s"><v>%d</v></c>' % (ref.encode(), index[value]))
        sheet.append(b'<row r="%d">%s</row>' % (r, b"".join(cells)))
    decl = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", decl + (
            f'<Types xmlns="{CT}"><Default Extension="rels" ContentType="application/vnd.'
            'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
            '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
            '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/'
            'sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sharedStrings+xml"/></Types>').encode())
        zf.writestr("_rels/.rels", decl + (
            f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>').encode())
        zf.writestr("xl/workbook.xml", decl + (
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="台账" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>').encode())
        zf.writestr("xl/_rels/workbook.xml.rels", decl + (
            f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/worksheet" '
            f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{REL}/'
            'sharedStrings" Target="sharedStrings.xml"/></Relationships>').encode())
        zf.writestr("xl/sharedStrings.xml", decl + b'<sst xmlns="%s">%s</sst>' % (
            MAIN.encode(), b"".join(b"<si><t>%s</t></si>" % s for s in strings)))
        zf.writestr("xl/worksheets/sheet1.xml", decl + b'<worksheet xmlns="%s"><sheetData>%s'
                    b'</sheetData></worksheet>' % (MAIN.encode(), b"".join(sheet)))
    return path


def measure(command: str, path: Path):
    """(seconds, peak MB, exit code, last stderr line) of one command in a fresh Python."""
    seconds, peak, code, err, _cpu = run_child([sys.executable, "-m", "officebot", command, str(path),
                                          "--as-of", AS_OF])
    said = [line for line in err.splitlines() if line]
    return seconds, peak, code, said[-1] if said else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,30,60", help="cell sizes in MB")
    parser.add_argument("--kinds", default="inline,shared")
    parser.add_argument("--commands", default="check,run")
    args = parser.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    print(f"{'kind':7} {'command':7} {'MB':>5} {'s':>7} {'peak MB':>8} {'s/MB':>7} "
          f"{'+MB/MB':>7}  exit")
    with tempfile.TemporaryDirectory(prefix="bench-huge-cell-") as tmp:
        for kind in args.kinds.split(","):
            for command in args.commands.split(","):
                folder = Path(tmp) / f"{kind}-{command}-0"
                folder.mkdir()
                _, base, _, _ = measure(command, write_register(folder / "台账.xlsx", 0, kind))
                for mb in sizes:
                    folder = Path(tmp) / f"{kind}-{command}-{mb:g}"
                    folder.mkdir()
                    path = write_register(folder / "台账.xlsx", mb, kind)
                    seconds, peak, code, said = measure(command, path)
                    print(f"{kind:7} {command:7} {mb:5g} {seconds:7.2f} {peak:8.0f} "
                          f"{seconds / mb:7.3f} {(peak - base) / mb:7.2f}  {code}"
                          + (f"  {said[:90]}" if code else ""), flush=True)


if __name__ == "__main__":
    main()
