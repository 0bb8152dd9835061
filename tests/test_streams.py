"""The write-behind stream: order kept, errors on its thread raised in the caller."""

import io
import subprocess
import threading

import pytest

from officebot.workbook import streams
from officebot.workbook.streams import WriteBehind, XmlCheck


class Recorder(io.RawIOBase):
    """A destination that notes which thread wrote each block; fails on a chosen block."""

    def __init__(self, fail_at=None):
        self.blocks, self.threads, self.fail_at = [], set(), fail_at

    def write(self, data):
        if self.fail_at is not None and len(self.blocks) == self.fail_at:
            raise OSError("disk full")
        self.blocks.append(bytes(data))
        self.threads.add(threading.current_thread().name)
        return len(data)


def test_blocks_arrive_in_order_written_on_another_thread():
    dst = Recorder()
    blocks = [b"%d," % i * 1000 for i in range(200)]
    with WriteBehind(dst) as out:
        for block in blocks:
            assert out.write(block) == len(block)
        out.write(b"")  # an empty write is no block
    assert dst.blocks == blocks
    assert dst.threads == {"officebot-write"}


def test_an_error_on_the_thread_is_raised_in_the_caller():
    dst = Recorder(fail_at=3)
    with pytest.raises(OSError, match="disk full"):
        with WriteBehind(dst) as out:
            for i in range(100):
                out.write(b"x" * 1000)
    assert len(dst.blocks) == 3


def test_the_callers_error_wins_and_the_thread_ends():
    dst = Recorder()
    out = WriteBehind(dst)
    with pytest.raises(ValueError):
        with out:
            out.write(b"first")
            raise ValueError("rewrite failed")
    assert not out._thread.is_alive()
    assert dst.blocks == [b"first"]


@pytest.mark.parametrize("child", [True, False], ids=["second process", "in process"])
def test_the_xml_check_tells_well_formed_from_broken(child, monkeypatch):
    if not child:  # no process can be started: the bytes are parsed here instead
        def no_process(*args, **kwargs):
            raise OSError("no processes left")
        monkeypatch.setattr(streams.subprocess, "Popen", no_process)
    good = XmlCheck()
    assert (good._proc is not None) == child
    for block in (b"<a>", b"<b x='1'>text &amp; more</b>" * 50000, b"</a>"):
        good.write(block)
    assert good.result() is None
    broken = XmlCheck()
    for block in (b"<a><b>", b"</a>", b"x" * 3_000_000):  # keeps writing after the error
        broken.write(block)
    assert "mismatched tag" in broken.result()
    cut = XmlCheck()
    cut.write(b"<a><b/>")
    assert cut.result()  # no end tag: not a whole document


def test_write_behind_feeds_the_check_in_order():
    dst, check = Recorder(), Recorder()
    with WriteBehind(dst, also=check) as out:
        for i in range(50):
            out.write(b"<x>%d</x>" % i)
    assert check.blocks == dst.blocks and len(dst.blocks) == 50


def test_the_check_is_a_module_that_reports_the_first_error(tmp_path, monkeypatch):
    """The child's program is officebot.workbook.xmlcheck, run from where officebot lies:
    an xml package planted in the working folder is not imported instead."""
    import io

    from officebot.workbook import xmlcheck
    out = io.StringIO()
    assert xmlcheck.check(io.BytesIO(b"<a><b/></a>"), out) == 0 and out.getvalue() == ""
    xmlcheck.check(io.BytesIO(b"<a><b></a>"), out)
    assert "mismatched tag" in out.getvalue()
    planted = tmp_path / "xml" / "parsers"
    planted.mkdir(parents=True)
    (tmp_path / "xml" / "__init__.py").write_text("raise SystemExit('planted')\n")
    monkeypatch.chdir(tmp_path)
    check = XmlCheck()
    assert check._proc is not None
    check.write(b"<a>")
    assert "no element found" in check.result()


def test_the_check_child_imports_no_officebot_package():
    """The child starts fast: it loads neither officebot's package __init__s nor site."""
    from officebot.workbook import streams
    argv = streams._CHILD[:1] + ["-X", "importtime"] + streams._CHILD[1:]
    done = subprocess.run(argv, input=b"<a/>", capture_output=True, cwd=streams._ROOT)
    assert done.returncode == 0 and done.stdout == b""
    imported = done.stderr.decode()
    assert "expat" in imported
    assert "officebot" not in imported and " site\n" not in imported
