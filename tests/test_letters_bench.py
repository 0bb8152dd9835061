"""The letters benchmark runs and prints its figures (a small size, to keep it quick)."""

import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_letters.py"


def test_bench_letters_prints_rates_and_ratio(tmp_path):
    res = subprocess.run([sys.executable, str(BENCH), "--cases", "30", "--repeat", "1"],
                         capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert res.returncode == 0, res.stderr
    assert re.search(r"floor .* letters/s", res.stdout)
    assert re.search(r"draft_letters .* letters/s", res.stdout)
    ratio = float(re.search(r"ratio draft_letters / floor: median of rounds ([\d.]+)x",
                            res.stdout).group(1))
    assert ratio > 0
    assert list(tmp_path.iterdir()) == []   # it cleans up after itself
