"""The huge-cell benchmark still runs (it shares bench_check's measuring helper)."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_huge_cell_benchmark_prints_its_table():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_huge_cell.py"),
                           "--sizes", "1", "--commands", "check", "--kinds", "inline"],
                          capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    rows = [line.split() for line in done.stdout.splitlines() if line.startswith("inline")]
    assert rows and rows[0][1] == "check" and rows[0][-1] == "0"
