#!/usr/bin/env python3
"""bench/fold.py STORE RUNS PSM: one row of bench/fold.sh's table.

Per run: two intakes that go to the hint's log, an intake with no fold due
(timed), then with PSM_TEST_SIMILAR_LOG_MAX=1 an intake that finds a fold
due (four logged issues: past the limit, not past four times it, where
the hint would fold the log itself), with psm.autoDetach true (timed, and the time until the detached
fold has landed: similar.log and similar.lock gone) and, after two more
logged intakes, with psm.autoDetach false (timed). Prints medians in ms.
"""
import os
import statistics
import subprocess
import sys
import time

store, runs, psm = sys.argv[1], int(sys.argv[2]), sys.argv[3]
os.chdir(store)
log, lock = ".git/psm/similar.log", ".git/psm/similar.lock"
argv = [psm, "intake", "-t", "Bench: export times out", "-m", "Body."]


def intake(due=False):
    env = dict(os.environ)
    if due:
        env["PSM_TEST_SIMILAR_LOG_MAX"] = "1"
    t = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return t, time.perf_counter()


def detach(on):
    subprocess.run(["git", "config", "psm.autoDetach", "true" if on else "false"], check=True)


plain, bg, landed, fg = [], [], [], []
for _ in range(runs):
    intake()
    intake()
    os.sync()
    t0, t1 = intake()
    plain.append(t1 - t0)  # logged too: three, and the next makes four,
    detach(True)           # within four times the limit of one
    os.sync()
    t0, t1 = intake(due=True)
    while os.path.exists(log) or os.path.exists(lock):
        time.sleep(0.002)
    bg.append(t1 - t0)
    landed.append(time.perf_counter() - t0)
    intake()
    intake()
    detach(False)
    os.sync()
    t0, t1 = intake(due=True)
    if os.path.exists(log):
        sys.exit("fold.py: the intake did not fold the log")
    fg.append(t1 - t0)
subprocess.run(["git", "config", "--unset", "psm.autoDetach"], check=True)
row = [statistics.median(v) * 1000 for v in (plain, bg, fg, landed)]
print("| %d | %.1f | %.1f | %.1f | %.0f |" % ((int(sys.argv[4]),) + tuple(row)))
