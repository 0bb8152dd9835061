"""Benchmark `officebot check` against openpyxl.load_workbook on the same large register.

    python benchmarks/bench_check.py [--rows 100000] [--seed 0] [--file REGISTER] [--repeat 1]
        [--strings shared,inline]

Generates a register of each string kind with sample_workbooks/generate.py (unless --file
names one): "shared" as Excel and WPS save it (a shared-strings table), "inline" as systems
export it (inline strings, characters written as &#NNNNN; references, like Apache POI's
streaming writer). Then, for each register, runs each in its own fresh Python process:
  (a) python -m officebot check FILE --json --as-of "2026-11-22 09:00"   (stdout to /dev/null)
  (b) python -c "openpyxl.load_workbook(FILE)"                            (normal mode)
  (c) python -c "python_calamine ... .to_python()"                       (bare read, Rust)
and prints the wall time, peak resident memory and CPU time of each, and the ratios
check/openpyxl and check/calamine. The goals: check takes at most 0.15x the time and 0.15x the
peak memory of openpyxl, and at most 2x the time of calamine's bare read of the first sheet.
python-calamine is in setup.cfg's `bench` extra; without it (c) is skipped with one line.
Peak memory is the child's own ru_maxrss (os.wait4); where wait4 is missing (Windows), psutil
polls the child's RSS every 10 ms instead.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "sample_workbooks"))

from generate import generate  # noqa: E402

AS_OF = "2026-11-22 09:00"
GOAL_TIME, GOAL_MEMORY = 0.15, 0.15
GOAL_CALAMINE = 2.0
CALAMINE = ("import sys, python_calamine; "
            "python_calamine.CalamineWorkbook.from_path(sys.argv[1])"
            ".get_sheet_by_index(0).to_python()")


def precompile() -> None:
    """Compile officebot's modules to bytecode first, as installing it does: the children
    would otherwise compile every module from source on each start (and where
    PYTHONDONTWRITEBYTECODE is set, never keep the result), while openpyxl, installed, is
    read from bytecode."""
    import compileall

    compileall.compile_dir(str(ROOT / "officebot"), quiet=1)


def run_child(argv):
    """Run argv with stdout discarded; return (wall seconds, peak RSS in MB, returncode, stderr,
    CPU seconds: user + system, of the child and the children it waited for)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p))
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, cwd=ROOT, env=env)
        if hasattr(os, "wait4"):
            _, status, usage = os.wait4(child.pid, 0)
            wall = time.perf_counter() - started
            child.returncode = os.waitstatus_to_exitcode(status)
            # ru_maxrss is in kilobytes on Linux, in bytes on macOS
            peak = usage.ru_maxrss / (1 << 20 if sys.platform == "darwin" else 1 << 10)
            cpu = usage.ru_utime + usage.ru_stime
        else:
            peak = poll_peak(child) / (1 << 20)
            wall = time.perf_counter() - started
            cpu = float("nan")
        err.seek(0)
        return wall, peak, child.returncode, err.read().decode("utf-8", "replace"), cpu


def poll_peak(child) -> int:
    """Peak RSS in bytes of a running child, by polling with psutil until it exits."""
    import psutil

    proc, peak = psutil.Process(child.pid), 0
    while child.poll() is None:
        try:
            peak = max(peak, proc.memory_info().rss)
        except psutil.Error:
            break
        time.sleep(0.01)
    child.wait()
    return peak


def measure(name, argv, repeat):
    """Best wall time, highest peak memory and least CPU time over `repeat` runs; stop the
    script on failure. (On a loaded machine the CPU time is the steadier figure.)"""
    walls, peaks, cpus = [], [], []
    for _ in range(repeat):
        wall, peak, code, err, cpu = run_child(argv)
        if code != 0:
            sys.exit(f"{name} failed with exit code {code}:\n{err.strip()[-2000:]}")
        walls.append(wall)
        peaks.append(peak)
        cpus.append(cpu)
    return min(walls), max(peaks), min(cpus)


def main(argv=None):
    """Generate (or take) a register, measure both children, print the table and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows to generate (100000)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (0)")
    parser.add_argument("--file", action="append",
                        help="benchmark this register instead of generating (repeatable)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; best time is kept")
    parser.add_argument("--strings", default="shared,inline",
                        help="string kinds of the generated registers (shared,inline)")
    parser.add_argument("--no-openpyxl", action="store_true",
                        help="measure officebot only (e.g. at 1,048,575 rows)")
    args = parser.parse_args(argv)
    precompile()
    with tempfile.TemporaryDirectory(prefix="officebot-bench-") as tmp:
        registers = []
        for name in args.file or []:
            path = Path(name)
            registers.append((f"{path.name} ({path.stat().st_size / 1e6:.1f} MB)", path))
        for kind in ([] if args.file else args.strings.split(",")):
            path = Path(tmp) / f"register_{args.rows}_{kind}.xlsx"
            started = time.perf_counter()
            generate(path, args.rows, args.seed, strings=kind)
            registers.append((f"{args.rows:,} rows, {kind} strings, "
                              f"{path.stat().st_size / 1e6:.1f} MB, generated in "
                              f"{time.perf_counter() - started:.1f} s", path))
        for label, path in registers:
            print(f"\nregister: {label}")
            bench_one(path, args.repeat, not args.no_openpyxl)


def bench_one(path: Path, repeat: int, baseline: bool = True) -> None:
    """Measure check (and openpyxl) on one register and print the table and ratios."""
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    check = measure("officebot check", [sys.executable, "-m", "officebot", "check", str(path),
                                        "--json", "--as-of", AS_OF], repeat)
    load = baseline and measure("openpyxl.load_workbook", [
        sys.executable, "-c", "import sys, openpyxl; openpyxl.load_workbook(sys.argv[1])",
        str(path)], repeat)
    calamine = baseline and has_calamine() and measure(
        "python-calamine", [sys.executable, "-c", CALAMINE, str(path)], repeat)
    if hasattr(os, "getloadavg"):
        print("load average before/after: %.2f / %.2f" % (load_before, os.getloadavg()[0]))
    print(f"{'':32}{'wall s':>10}{'peak MB':>10}")
    print(f"{'officebot check --json':32}{check[0]:10.2f}{check[1]:10.1f}")
    if not load:
        return
    print(f"{'openpyxl.load_workbook':32}{load[0]:10.2f}{load[1]:10.1f}")
    if calamine:
        print(f"{'python-calamine bare read':32}{calamine[0]:10.2f}{calamine[1]:10.1f}")
    print_cpu("check", check, load, 32)
    print_ratios("check/openpyxl", "goal (at most)", check, load, GOAL_TIME, GOAL_MEMORY, 32)
    if not calamine:
        print("python-calamine is not installed (pip install python-calamine): "
              "its baseline is skipped")
        return
    print_cpu("check", check, calamine, 32, "calamine")
    time_ratio = check[0] / calamine[0]
    print(f"{'ratio check/calamine':32}{time_ratio:10.3f}{check[1] / calamine[1]:10.3f}")
    print(f"time goal (at most {GOAL_CALAMINE:g}x calamine) "
          f"{'met' if time_ratio <= GOAL_CALAMINE else 'MISSED'}")


def has_calamine() -> bool:
    """Whether python-calamine can be imported (it is an optional benchmark baseline)."""
    import importlib.util
    return importlib.util.find_spec("python_calamine") is not None


def print_cpu(name, ours, base, width, base_name="openpyxl"):
    """The CPU seconds (user + system) of both and their ratio: on a loaded machine, where
    wall times swing, the steadier comparison."""
    print(f"{'cpu s ' + name + ' / ' + base_name:{width}}{ours[2]:10.2f}{base[2]:10.2f}"
          f"   ratio {ours[2] / base[2]:.3f}")


def print_ratios(label, goal_label, ours, base, goal_time, goal_memory, width):
    """Print (time, memory) of ours over base, the goals, and whether each goal is met."""
    time_ratio, memory_ratio = ours[0] / base[0], ours[1] / base[1]
    print(f"{'ratio ' + label:{width}}{time_ratio:10.3f}{memory_ratio:10.3f}")
    print(f"{goal_label:{width}}{goal_time:10.3f}{goal_memory:10.3f}")
    verdict = lambda ok: "met" if ok else "MISSED"  # noqa: E731
    print(f"time goal {verdict(time_ratio <= goal_time)}, "
          f"memory goal {verdict(memory_ratio <= goal_memory)}")


if __name__ == "__main__":
    main()
