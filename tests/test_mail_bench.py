"""The mail benchmark runs and prints both loops and their ratio (a small size, to keep it
quick)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_mail.py"


def test_bench_mail_prints_both_loops_and_the_ratio(tmp_path):
    pytest.importorskip("aiosmtpd")
    res = subprocess.run([sys.executable, str(BENCH), "--letters", "20", "--repeat", "1",
                          "--dir", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert re.search(r"bare smtplib loop: median [\d.]+ s", res.stdout)
    assert re.search(r"officebot deliver: median [\d.]+ s", res.stdout)
    ratio = float(re.search(r"ratio officebot / bare smtplib: median of rounds ([\d.]+)x",
                            res.stdout).group(1))
    assert ratio > 0
    assert list(tmp_path.iterdir()) == []   # it cleans up after itself
