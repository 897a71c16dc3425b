#!/usr/bin/env python3
"""Time two shell commands in alternation: A, B, A, B, ... (after one
warm-up run of each), so that a load that drifts during the run weighs on
both alike. Prints one Markdown table row: label, A's median ms, B's
median ms, A/B, runs.

usage: pair.py [--runs N] LABEL COMMAND_A COMMAND_B
"""
import argparse
import statistics
import subprocess
import time


def run(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, shell=True, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return (time.perf_counter() - t) * 1000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("label")
    ap.add_argument("a")
    ap.add_argument("b")
    o = ap.parse_args()
    subprocess.run("sync", shell=True)
    run(o.a)
    run(o.b)
    ta, tb = [], []
    for _ in range(o.runs):
        ta.append(run(o.a))
        tb.append(run(o.b))
    ma, mb = statistics.median(ta), statistics.median(tb)
    print("| %s | %.1f | %.1f | %.2f | %d |" % (o.label, ma, mb, ma / mb, o.runs))


if __name__ == "__main__":
    main()
