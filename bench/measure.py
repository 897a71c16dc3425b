#!/usr/bin/env python3
"""Time one shell command: median wall time over several runs, and peak memory.

usage: measure.py [--runs N] [--warmup N | --once] LABEL COMMAND

Uses hyperfine when it is installed (its median), else runs the command
itself and takes the median. Peak memory is the maximum resident set size
reported by `/usr/bin/time -v` for one more run. CPU time (user + system,
mean per run) is printed too: on a busy machine it moves much less than
wall time. Prints one tab-separated line: label, median ms, min ms, max ms,
CPU ms, runs, peak RSS in KiB, tool. With --once: a single run, timed
and measured together, for a command whose first run differs from the
rest (it changes what the next run finds).
"""
import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def with_hyperfine(cmd, runs, warmup):
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        p = subprocess.run(["hyperfine", "--style", "none", "--runs", str(runs),
                            "--warmup", str(warmup), "--export-json", out.name, cmd],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if p.returncode:
            sys.exit("measure.py: hyperfine failed on '%s':\n%s" % (cmd, p.stderr))
        r = json.load(open(out.name))["results"][0]
        return r["median"], r["min"], r["max"], r["user"] + r["system"], len(r["times"])


def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def by_hand(cmd, runs, warmup):
    times = []
    for i in range(warmup):
        subprocess.run(cmd, shell=True, check=True, stdout=subprocess.DEVNULL)
    c = cpu()
    for i in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, shell=True, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return statistics.median(times), min(times), max(times), (cpu() - c) / runs, len(times)


def once(cmd):
    """One run under /usr/bin/time -v when there is one: its wall time, CPU, peak RSS."""
    timed = os.access("/usr/bin/time", os.X_OK)
    argv = (["/usr/bin/time", "-v"] if timed else []) + ["sh", "-c", cmd]
    c = cpu()
    t = time.perf_counter()
    p = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t
    if p.returncode:
        sys.exit("measure.py: '%s' failed:\n%s" % (cmd, p.stderr))
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr) if timed else None
    return wall, cpu() - c, m.group(1) if m else "-"


def peak_rss(cmd):
    if not os.access("/usr/bin/time", os.X_OK):
        return "-"
    p = subprocess.run(["/usr/bin/time", "-v", "sh", "-c", cmd], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    if p.returncode or not m:
        sys.exit("measure.py: '%s' failed:\n%s" % (cmd, p.stderr))
    return m.group(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--once", action="store_true")
    ap.add_argument("label")
    ap.add_argument("command")
    a = ap.parse_args()
    if a.once:
        wall, cpu_s, rss = once(a.command)
        print("\t".join([a.label] + ["%.1f" % (x * 1000) for x in (wall, wall, wall, cpu_s)] +
                         ["1", rss, "once"]))
        return
    hf = shutil.which("hyperfine")
    f = with_hyperfine if hf else by_hand
    med, lo, hi, cpu_s, n = f(a.command, a.runs, a.warmup)
    rss = peak_rss(a.command)
    print("\t".join([a.label] + ["%.1f" % (x * 1000) for x in (med, lo, hi, cpu_s)] +
                     [str(n), rss, "hyperfine" if hf else "median"]))


if __name__ == "__main__":
    main()
