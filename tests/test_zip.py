"""The package's zip writer (local, central and zip64 records) read back by ``zipfile``."""

import io
import os
import struct
import zipfile
import zlib

import pytest

from officebot.package import Zip, ZipWriter, copy_entry

DATE = (2026, 3, 5, 14, 20, 36)


def entries(*items):
    """ZipWriter calls: ("add", name, data) / ("stream", name, [chunks])."""
    return list(items)


def write(fh, calls):
    out = ZipWriter(fh)
    for how, name, data in calls:
        if how == "add":
            out.add(name, data, DATE)
        else:
            with out.open(name, DATE) as dst:
                for chunk in data:
                    dst.write(chunk)
    out.close()


CASES = {
    "empty archive": entries(),
    "one part": entries(("add", "[Content_Types].xml", b"<Types/>")),
    "empty part": entries(("add", "xl/empty.xml", b"")),
    "text part": entries(("add", "docProps/app.xml", "<Properties>中文</Properties>")),
    "non-ASCII name": entries(("add", "xl/media/图 1.png", b"\x89PNG" + bytes(range(256)))),
    "streamed part": entries(("stream", "xl/worksheets/sheet1.xml",
                              [b"<sheetData>", b"<row r='1'/>" * 5000, b"</sheetData>"])),
    "streamed empty": entries(("stream", "xl/worksheets/sheet2.xml", [])),
    "incompressible": entries(("add", "xl/bin.bin", os.urandom(100_000))),
    "mixed": entries(("add", "a.xml", b"a" * 10), ("stream", "b.xml", [b"b" * 70_000]),
                     ("add", "c/d.xml", b"<c/>")),
}


@pytest.mark.parametrize("name", list(CASES))
def test_zipfile_reads_every_entry_as_written(name):
    calls = CASES[name]
    buf = io.BytesIO()
    write(buf, calls)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zf:
        assert zf.testzip() is None  # every CRC and size agrees
        assert zf.namelist() == [n for _, n, _ in calls]
        for (how, part, data), info in zip(calls, zf.infolist()):
            want = data.encode("utf-8") if isinstance(data, str) else (
                data if how == "add" else b"".join(data))
            assert zf.read(info) == want
            assert info.date_time == DATE
            assert info.compress_type == zipfile.ZIP_DEFLATED
            assert bool(info.flag_bits & 0x800) == (not part.isascii())
            assert info.external_attr >> 16 == 0o600


def test_a_writer_after_other_bytes_numbers_offsets_from_its_own_start():
    buf = io.BytesIO(b"prefix")
    buf.seek(0, io.SEEK_END)
    write(buf, CASES["mixed"])
    with zipfile.ZipFile(io.BytesIO(buf.getvalue()[6:])) as zf:
        assert zf.testzip() is None and zf.read("c/d.xml") == b"<c/>"


def test_raw_copies_keep_the_stored_bytes_of_stored_and_deflated_entries(tmp_path):
    src = tmp_path / "src.xlsx"
    with zipfile.ZipFile(src, "w") as zf:
        zf.writestr(zipfile.ZipInfo("stored.xml", DATE), b"<s/>" * 100, zipfile.ZIP_STORED)
        zf.writestr(zipfile.ZipInfo("deflated.xml", DATE), b"<d/>" * 1000,
                    zipfile.ZIP_DEFLATED)
        zf.writestr(zipfile.ZipInfo("名字.xml", DATE), "中文".encode(), zipfile.ZIP_DEFLATED)
    buf = io.BytesIO()
    with Zip(src) as source:
        out = ZipWriter(buf)
        for info in source.infolist():
            copy_entry(source, info, out)
        out.close()
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(io.BytesIO(buf.getvalue())) as b:
        assert b.testzip() is None
        for x, y in zip(a.infolist(), b.infolist()):
            assert (y.filename, y.compress_type, y.CRC, y.file_size, y.compress_size,
                    y.date_time) == (x.filename, x.compress_type, x.CRC, x.file_size,
                                     x.compress_size, x.date_time)
            assert b.read(y) == a.read(x)


def test_a_short_raw_copy_is_refused():
    out = ZipWriter(io.BytesIO())
    with pytest.raises(ValueError, match="expected"):
        out.add_raw("x.xml", zipfile.ZIP_STORED, 0, 10, 10, DATE, [b"12345"])


def test_65535_entries_get_the_zip64_end_records():
    buf = io.BytesIO()
    out = ZipWriter(buf)
    packed = zlib.compress(b"", 1)[2:-4]
    for i in range(0xFFFF):  # as zipfile: 65535 entries already need them
        out.add_raw(f"p/{i}", zipfile.ZIP_DEFLATED, 0, 0, len(packed), DATE, packed)
    out.close()
    data = buf.getvalue()
    assert b"PK\x06\x06" in data[-200:] and b"PK\x06\x07" in data[-200:]
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
        assert len(infos) == 0xFFFF and infos[-1].filename == "p/65534"
        assert zf.read("p/65534") == b""


HOLE = bytes(1 << 24)


class SparseFile(io.RawIOBase):
    """A real file where HOLE's zero bytes become a hole: a 4 GiB entry costs no disk."""

    def __init__(self, path):
        self.fh = open(path, "w+b")

    def write(self, data):
        if data is HOLE:
            self.fh.seek(len(data), io.SEEK_CUR)
        else:
            self.fh.write(data)
        return len(data)

    def seek(self, offset, whence=io.SEEK_SET):
        return self.fh.seek(offset, whence)

    def tell(self):
        return self.fh.tell()

    def flush(self):
        self.fh.truncate(max(self.fh.tell(), os.fstat(self.fh.fileno()).st_size))
        self.fh.flush()

    def close(self):
        self.fh.close()


def test_entries_and_offsets_past_4_gib_get_zip64_fields(tmp_path):
    """A stored entry of 2**32 + 16 bytes (sizes past 0xFFFFFFFF), then a small entry whose
    local header starts past 4 GiB (an offset past 0xFFFFFFFF), then the central directory
    past 4 GiB (the zip64 end records): zipfile finds all of it."""
    big = (1 << 32) + 16
    path = tmp_path / "big.zip"
    fh = SparseFile(path)
    out = ZipWriter(fh)
    out.add("first.xml", b"<first/>", DATE)

    def zeros():
        for _ in range(big // len(HOLE)):
            yield HOLE
        yield bytes(big % len(HOLE))
    # The CRC of the zeros is not computed (4 GiB of work): the test never reads that entry.
    out.add_raw("huge.bin", zipfile.ZIP_STORED, 0x12345678, big, big, DATE, zeros())
    out.add("after.xml", b"<after/>", DATE)
    with out.open("streamed.xml", DATE) as dst:
        dst.write(b"<s>" + b"x" * 1000 + b"</s>")
    out.close()
    fh.close()
    with zipfile.ZipFile(path) as zf:
        first, huge, after, streamed = zf.infolist()
        assert (huge.file_size, huge.compress_size, huge.CRC) == (big, big, 0x12345678)
        assert after.header_offset > 0xFFFFFFFF and streamed.header_offset > after.header_offset
        assert zf.read("first.xml") == b"<first/>"
        assert zf.read("after.xml") == b"<after/>"
        assert zf.read("streamed.xml") == b"<s>" + b"x" * 1000 + b"</s>"
    with open(path, "rb") as raw:
        raw.seek(huge.header_offset)
        local = raw.read(30 + len("huge.bin") + 20)
    version, = struct.unpack("<H", local[4:6])
    sizes = struct.unpack("<LL", local[18:26])
    assert version == 45 and sizes == (0xFFFFFFFF, 0xFFFFFFFF)  # the real ones in the extra
    assert struct.unpack("<HHQQ", local[38:58]) == (1, 16, big, big)
