"""The write-behind stream: order kept, errors on its thread raised in the caller."""

import io
import threading

import pytest

from officebot.workbook.streams import WriteBehind


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
