#!/usr/bin/env python3
"""The read commands against `git status --porcelain`, interleaved.

usage: cache.py [--rounds N] PSM STORE

In STORE (a psm store, e.g. from bench/store.sh), with the cache warm:
every round runs `git status --porcelain` and then each read command once,
output to a pipe, so that a load that drifts during the run weighs on all
alike. Then cold rounds (the cache removed before each `psm list`) against
a plain read of every issue file, and `psm list` right after one file is
edited by hand and after one `psm intake`, against a warm `psm list`.
Peak RSS is each process's own (wait4's ru_maxrss), the largest over the
runs. Prints Markdown tables, with the load average before and after.
"""
import argparse
import os
import statistics
import subprocess
import time

READS = [
    "list",
    "list is:closed",
    "list crash",
    "list --format json",
    "triage --queue",
    "stats",
    "review",
    "roadmap",
    "check",
    "followup",
    "triage --queue --format json",
    "followup --format json",
]


def run(cmd, cwd):
    """Wall ms of one shell command, its output to a pipe."""
    t = time.perf_counter()
    subprocess.run(["sh", "-c", cmd + " | cat >/dev/null"], cwd=cwd, check=True)
    return (time.perf_counter() - t) * 1000


def run_rss(cmd, cwd):
    """As run(), with the command's own peak RSS (no pipe in between)."""
    t = time.perf_counter()
    with open(os.devnull, "w") as null:
        p = subprocess.Popen(["sh", "-c", "exec " + cmd], cwd=cwd, stdout=subprocess.PIPE,
                             stderr=null)
        while p.stdout.read(1 << 16):
            pass
        _, status, ru = os.wait4(p.pid, 0)
    return (time.perf_counter() - t) * 1000, ru.ru_maxrss


def load():
    return "%.1f %.1f %.1f" % os.getloadavg()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("psm")
    ap.add_argument("store")
    o = ap.parse_args()
    store, psm = o.store, o.psm
    n = sum(len(f) for _, _, f in os.walk(os.path.join(store, "issues")))
    print("### %d issue files in %s, %s\n" % (n, store, time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())))
    print("load average before: %s\n" % load())
    db = os.path.join(store, ".git", "psm", "cache.db")

    # warm: every command once, then the rounds
    cmds = ["git status --porcelain"] + ["%s %s" % (psm, c) for c in READS]
    times = {c: [] for c in cmds}
    rss = {c: 0 for c in cmds}
    for c in cmds:
        run_rss(c, store)
    for _ in range(o.rounds):
        for c in cmds:
            ms, kb = run_rss(c, store)
            times[c].append(ms)
            rss[c] = max(rss[c], kb)
    git = statistics.median(times[cmds[0]])
    print("| command (warm cache) | median ms | ratio to git status | peak RSS MiB | runs |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for c in cmds:
        m = statistics.median(times[c])
        label = c.replace(psm, "psm")
        print("| `%s` | %.0f | %.2fx | %.0f | %d |" % (label, m, m / git, rss[c] / 1024, len(times[c])))

    # cold: no cache, the files' pages warm (a plain read just before)
    plain = "find issues -name '*.md' -print0 | xargs -0 cat"
    cold, rd, crss = [], [], 0
    run(plain, store)
    for _ in range(max(2, o.rounds // 2)):
        rd.append(run(plain, store))
        for suffix in ("", "-wal", "-shm"):
            try:
                os.unlink(db + suffix)
            except FileNotFoundError:
                pass
        ms, kb = run_rss(psm + " list", store)
        cold.append(ms)
        crss = max(crss, kb)
    print()
    print("| cold (no cache) | median ms | ratio | peak RSS MiB | runs |")
    print("| --- | ---: | ---: | ---: | ---: |")
    print("| `%s` (plain read) | %.0f | 1.00x | | %d |" % (plain.replace("|", "\\|"), statistics.median(rd), len(rd)))
    print("| `psm list`, no cache | %.0f | %.2fx | %.0f | %d |" % (
        statistics.median(cold), statistics.median(cold) / statistics.median(rd), crss / 1024, len(cold)))

    # after one change: a hand edit, an intake
    run_rss(psm + " list", store)
    warm, edit, intake = [], [], []
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(store, "issues")) for f in fs)
    for i in range(o.rounds):
        warm.append(run_rss(psm + " list", store)[0])
        with open(files[(i * 7919) % len(files)], "a") as f:
            f.write("\nEdited by hand, round %d.\n" % i)
        edit.append(run_rss(psm + " list", store)[0])
        subprocess.run([psm, "intake", "-t", "bench intake %d" % i, "-m", "a new issue"], cwd=store,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        intake.append(run_rss(psm + " list", store)[0])
    w = statistics.median(warm)
    print()
    print("| `psm list` after | median ms | ratio to warm | runs |")
    print("| --- | ---: | ---: | ---: |")
    print("| nothing (warm) | %.0f | 1.00x | %d |" % (w, len(warm)))
    print("| one file edited by hand | %.0f | %.2fx | %d |" % (statistics.median(edit), statistics.median(edit) / w, len(edit)))
    print("| one `psm intake` | %.0f | %.2fx | %d |" % (statistics.median(intake), statistics.median(intake) / w, len(intake)))
    print("\nload average after: %s\n" % load())


if __name__ == "__main__":
    main()
