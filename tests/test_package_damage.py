"""Damaged parts and bombs: one sentence, exit 1, within seconds, bounded memory, file untouched.

The damaged and bomb packages are built by hand here: a CRC patched wrong in both zip
headers, a sheet that inflates to 3 GB (1 MB of rows deflated once with a full flush, so the
same compressed bytes repeat), a sheet whose header claims a small size, and parts with
entity declarations.
"""

import hashlib
import json
import os
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest
import xlsxwriter
from click.testing import CliRunner

from officebot.cli import cli
from officebot.errors import RegisterError
from officebot.package import Limits, Zip
from officebot.register import read_cases
from officebot.settings import load_settings

from conftest import row, write_register

ROOT = Path(__file__).resolve().parents[1]
SHEET = "xl/worksheets/sheet1.xml"
AS_OF = "2026-03-10 12:00"


def _register(path: Path, rows: int = 5) -> Path:
    """A small register as XlsxWriter writes it (with a shared-strings part)."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("台账")
    ws.write_row(0, 0, ["编号", "受理时间", "客户姓名", "投诉类别"])
    for i in range(rows):
        ws.write_row(i + 1, 0, [f"C{i}", "2026-03-05 09:00", "张三", "服务"])
    wb.close()
    return path


def _central_entries(data: bytes):
    """(name, offset of the central record, local header offset) of every zip entry."""
    end = data.rfind(b"PK\x05\x06")
    count, _, start = struct.unpack("<HLL", data[end + 10:end + 20])
    pos = start
    for _ in range(count):
        name_len, extra_len, comment_len = struct.unpack("<HHH", data[pos + 28:pos + 34])
        local = struct.unpack("<L", data[pos + 42:pos + 46])[0]
        yield data[pos + 46:pos + 46 + name_len].decode("utf-8"), pos, local
        pos += 46 + name_len + extra_len + comment_len


def wrong_crc(src: Path, dst: Path, part: str) -> Path:
    """A copy of ``src`` whose ``part`` has a wrong CRC in both its headers."""
    data = bytearray(src.read_bytes())
    for name, central, local in _central_entries(bytes(data)):
        if name == part:
            crc = struct.unpack("<L", data[central + 16:central + 20])[0] ^ 0x5A5A5A5A
            data[central + 16:central + 20] = struct.pack("<L", crc)
            data[local + 14:local + 18] = struct.pack("<L", crc)
            break
    else:
        raise AssertionError(f"{part} not in {src}")
    dst.write_bytes(bytes(data))
    with zipfile.ZipFile(dst) as zf, pytest.raises(zipfile.BadZipFile):
        zf.read(part)
    return dst


def garbled(src: Path, dst: Path, part: str) -> Path:
    """A copy of ``src`` with bytes in the middle of ``part``'s deflated data overwritten
    (an invalid block: the inflate itself fails, whichever inflate officebot uses), three
    quarters in: past what the package's first look at each part reads."""
    data = bytearray(src.read_bytes())
    for name, central, local in _central_entries(bytes(data)):
        if name == part:
            packed = struct.unpack("<L", data[central + 20:central + 24])[0]
            name_len, extra_len = struct.unpack("<HH", data[local + 26:local + 30])
            start = local + 30 + name_len + extra_len + packed * 3 // 4
            data[start:start + 16] = b"\xff" * 16
            break
    else:
        raise AssertionError(f"{part} not in {src}")
    dst.write_bytes(bytes(data))
    with zipfile.ZipFile(dst) as zf, pytest.raises((zlib.error, zipfile.BadZipFile)):
        zf.read(part)
    return dst


def replaced(src: Path, dst: Path, changes: dict) -> Path:
    """A copy of ``src`` with some parts' bytes changed by functions."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename in changes:
                data = changes[info.filename](data)
            zout.writestr(info.filename, data)
    return dst


def bomb(src: Path, dst: Path, inflated: int = 3 << 30, claim: int = 0) -> Path:
    """A copy of ``src`` whose sheet inflates to ``inflated`` bytes of rows (built in well
    under a second: one deflated megabyte repeated). ``claim`` > 0: the zip headers declare
    that size instead (a lying header)."""
    with zipfile.ZipFile(src) as zin:
        head = zin.read(SHEET)
        others = [(i, zin.read(i)) for i in zin.infolist() if i.filename != SHEET]
    start = head[:head.index(b"<sheetData>") + len(b"<sheetData>")]
    tail = b"</sheetData></worksheet>"
    chunk = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 20000
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(start) + c.flush(zlib.Z_FULL_FLUSH)
    piece = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    assert piece == again  # after a full flush the same input deflates to the same bytes
    last = c.compress(tail) + c.flush()
    n = (inflated - len(start) - len(tail)) // len(chunk)
    size = len(start) + n * len(chunk) + len(tail)
    packed = len(first) + n * len(piece) + len(last)
    declared = claim or size
    name = SHEET.encode()
    with open(dst, "wb") as out:
        central = []
        for info, data in others:
            deflated = zlib.compress(data)[2:-4]
            central.append(_entry(out, info.filename.encode(), zlib.crc32(data), len(data),
                                  deflated, [deflated]))
        central.append(_entry(out, name, 0x12345678, declared, None,
                              [first] + [piece] * n + [last], packed))
        _finish(out, central)
    return dst


def _entry(out, name: bytes, crc: int, size: int, data, chunks, packed=None):
    packed = len(data) if packed is None else packed
    offset = out.tell()
    big = size >= 0xFFFFFFFF or packed >= 0xFFFFFFFF
    extra = struct.pack("<HHQQ", 1, 16, size, packed) if big else b""
    s32, p32 = (0xFFFFFFFF, 0xFFFFFFFF) if big else (size, packed)
    out.write(struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", 45, 0, 0, 8, 0, 33, crc, p32, s32,
                          len(name), len(extra)) + name + extra)
    for chunk in chunks:
        out.write(chunk)
    cextra = (struct.pack("<HHQQQ", 1, 24, size, packed, offset) if big else b"")
    o32 = 0xFFFFFFFF if big else offset
    return struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 45, 3, 45, 0, 0, 8, 0, 33, crc, p32,
                       s32, len(name), len(cextra), 0, 0, 0, 0o600 << 16, o32) + name + cextra


def _finish(out, central):
    start = out.tell()
    for record in central:
        out.write(record)
    length = out.tell() - start
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), length,
                          start, 0))


DOCTYPE = b'<!DOCTYPE x [<!ENTITY boom "boom">]>'


def with_doctype(data: bytes) -> bytes:
    """XML with an entity declaration after its XML declaration."""
    if data.startswith(b"<?xml"):
        cut = data.index(b"?>") + 2
        return data[:cut] + DOCTYPE + data[cut:]
    return DOCTYPE + data


DAMAGED_PARTS = ["[Content_Types].xml", "_rels/.rels", "xl/styles.xml", "xl/workbook.xml",
                 SHEET, "xl/sharedStrings.xml"]


def _damaged_files(folder: Path):
    """(kind, path) of every damaged and bomb file, each alone in its own folder."""
    def place(kind: str) -> Path:
        sub = folder / kind
        sub.mkdir()
        return sub / "台账.xlsx"

    base = _register(folder / "base.xlsx")
    out = []
    for part in DAMAGED_PARTS:
        kind = "crc-" + part.replace("/", "_").strip("[]")
        out.append((kind, wrong_crc(base, place(kind), part)))
    for part in ("xl/workbook.xml", SHEET, "xl/sharedStrings.xml", "xl/styles.xml"):
        kind = "entity-" + part.replace("/", "_")
        out.append((kind, replaced(base, place(kind), {part: with_doctype})))
    large = _register(folder / "large.xlsx", 20000)
    for part in (SHEET, "xl/sharedStrings.xml"):
        kind = "deflate-" + part.replace("/", "_")
        out.append((kind, garbled(large, place(kind), part)))
    out.append(("bomb-3gb", bomb(base, place("bomb-3gb"))))
    out.append(("bomb-lying", bomb(base, place("bomb-lying"), inflated=1 << 30, claim=50000)))
    return out


@pytest.fixture(scope="module")
def damaged_files(tmp_path_factory):
    return _damaged_files(tmp_path_factory.mktemp("damaged"))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _invoke(*args):
    started = time.monotonic()
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result, time.monotonic() - started


@pytest.mark.parametrize("index", range(len(DAMAGED_PARTS) + 8))
def test_damaged_files_get_one_sentence_from_every_command(damaged_files, index):
    kind, path = damaged_files[index]
    before = _digest(path)
    for command in (["check", path, "--as-of", AS_OF], ["run", path, "--as-of", AS_OF],
                    ["letters", path, "--as-of", AS_OF]):
        result, seconds = _invoke(*command)
        assert result.exit_code == 1, (kind, command[0], result.output)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("officebot: "), (kind, result.stderr)
        assert "已损坏" in lines[0] or "实体声明" in lines[0], (kind, lines[0])
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert seconds < 5, (kind, command[0], seconds)
        assert _digest(path) == before
    result, seconds = _invoke("doctor", path.parent)
    assert result.exit_code == 1 and "Traceback" not in result.output
    register_lines = [ln for ln in result.output.splitlines() if "台账.xlsx" in ln]
    assert register_lines and ("已损坏" in register_lines[0] or "实体声明" in register_lines[0])
    assert seconds < 5 and _digest(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["台账.xlsx"]  # nothing written


_MEASURE = """
import resource, sys
sys.argv = ["officebot"] + sys.argv[1:]
try:
    from officebot.cli import cli
    cli()
finally:
    # VmHWM is this program's own peak; ru_maxrss may carry the parent's size over the exec
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        with open("/proc/self/status") as status:
            peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration, ValueError):
        pass
    with open(__import__("os").environ["OB_PEAK"], "w") as fh:
        fh.write(str(peak))
"""


@pytest.mark.parametrize("kind", ["bomb-3gb", "bomb-lying"])
@pytest.mark.parametrize("command", ["check", "run"])
def test_bombs_are_refused_fast_with_little_memory(damaged_files, tmp_path, kind, command):
    path = dict(damaged_files)[kind]
    before = _digest(path)
    peak_file = tmp_path / "peak"
    env = dict(os.environ, PYTHONPATH=str(ROOT), OB_PEAK=str(peak_file))
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", _MEASURE, command, str(path), "--as-of", AS_OF],
                          capture_output=True, text=True, env=env, timeout=60)
    seconds = time.monotonic() - started
    assert proc.returncode == 1, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    assert seconds < 5
    peak_mb = int(peak_file.read_text()) / 1024
    assert peak_mb < 150, peak_mb  # an interpreter with officebot loaded is ~60 MB
    assert _digest(path) == before


def test_a_lying_size_stops_at_the_declared_size(damaged_files):
    path = dict(damaged_files)["bomb-lying"]
    with pytest.raises(RegisterError, match="damaged") as caught:
        read_cases(path, load_settings())
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("setting, value, words", [
    ("max_part_mb", 500, "would inflate to 3,071 MB, over 500 MB"),
    ("max_ratio", 5000, "would inflate to 3,071 MB, over 2,048 MB"),
])
def test_the_limits_are_settings(damaged_files, tmp_path, setting, value, words):
    path = dict(damaged_files)["bomb-3gb"]
    (tmp_path / "officebot.toml").write_text(f"[package]\n{setting} = {value}\n",
                                             encoding="utf-8")
    settings = load_settings(folder=tmp_path)
    with pytest.raises(RegisterError, match=words):
        read_cases(path, settings)


def test_a_high_ratio_part_is_refused_below_the_size_limit(tmp_path):
    base = _register(tmp_path / "base.xlsx")
    path = bomb(base, tmp_path / "ratio.xlsx", inflated=200 << 20)
    with pytest.raises(RegisterError, match=r"compressed [\d,]+:1, over 200:1"):
        read_cases(path, load_settings())


def test_a_real_register_is_far_below_the_limits(tmp_path):
    """The generated 1,048,575-row register's sheet is ~600 MB, compressed ~7:1; a smaller
    one shows the ratio (the size grows with the rows)."""
    sys.path.insert(0, str(ROOT / "sample_workbooks"))
    from generate import generate
    path = generate(tmp_path / "r.xlsx", 2000)
    limits = Limits.of(load_settings())
    with Zip(path) as zf:
        for info in zf.infolist():
            ratio = info.file_size / max(info.compress_size, 1)
            assert ratio < limits.max_ratio / 10
            assert info.file_size * (1_048_575 / 2000) < limits.max_part / 2 or \
                not info.filename.startswith("xl/worksheets/")


def test_bad_limits_are_a_settings_error(tmp_path):
    from officebot.errors import SettingsError
    (tmp_path / "officebot.toml").write_text("[package]\nmax_ratio = 0\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="package.max_ratio"):
        Limits.of(load_settings(folder=tmp_path))


def test_a_header_with_line_breaks_keeps_the_refusal_on_one_line(tmp_path):
    path = write_register(tmp_path / "r.xlsx", [row("C1", "2026-03-05")],
                          headers=["编\n号", "什么\r\n时间", "备注\t说明"])
    result, _ = _invoke("check", path, "--as-of", AS_OF)
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "编 号" in result.stderr and "什么 时间" in result.stderr


def test_check_json_is_unaffected_by_the_limits_on_a_good_register(tmp_path):
    path = _register(tmp_path / "r.xlsx")
    result, _ = _invoke("check", path, "--as-of", AS_OF, "--json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["cases"]) == 5
