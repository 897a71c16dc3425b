#!/usr/bin/env python3
"""An analytics export whose onboarding and adoption figures are known by
construction, and those figures (for bench/usage.sh and t8105).

    usage-gen.py --lines N [--weeks W] [--scale S] [--csv] [--expect FILE] >export

Cohort i (the users who sign up in week i, from Monday 2026-09-07, for W
weeks) has 40 + 10 * i * S users; user j of a cohort, by j % 5:
  0: signs up only; 1: also creates a project; 2: also invites a teammate;
  3: also shares a report, all within the 7-day window;
  4: as 3, but shares the report on day 10, after the window.
So of every five signups, four reached step 1, three step 2 and one did
every step. Users with j % 3 == 0 create a dashboard on the Wednesday of
every week from their signup week or the release week (week 3), whichever
is later. Everyone sends page_view events (not in the config) every day
from signup to the end of the export, W + 2 weeks (so every window has
closed), as many as --lines needs; each user's first event comes twice (a
duplicate). Users are written one after the other in a shuffled order and
each user's events shuffled too, so times run back and forth.
The --expect file holds, per week, what psm must count (JSON).
"""
import argparse
import datetime
import json
import random

DAY = 86400
WEEK = 7 * DAY
START = 1788739200  # Monday 2026-09-07T00:00:00Z
STEPS = ["created_project", "invited_teammate", "shared_report"]
RELEASE_WEEK = 3


def iso(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def week_name(w):
    y, n, _ = datetime.datetime.fromtimestamp(START + w * WEEK, datetime.timezone.utc).isocalendar()
    return "%04d-W%02d" % (y, n)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=10000)
    ap.add_argument("--weeks", type=int, default=8)
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--csv", action="store_true")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--expect")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    nweeks = a.weeks + 2
    end = START + nweeks * WEEK

    users = [(i, j) for i in range(a.weeks) for j in range(40 + 10 * i * a.scale)]
    expect = {week_name(w): {"active": 0, "dashboards": 0, "signups": 0,
                             "steps": [0, 0, 0], "waiting": 0} for w in range(nweeks)}
    # the events a user must send; page views fill up to --lines
    must = 0
    plans = []
    for i, j in users:
        signup = START + i * WEEK + (j % 7) * DAY + 3600 * (1 + j % 20)
        ev = [("signed_up", signup)]
        cat = j % 5
        for k in range(min(cat, 3)):
            ev.append((STEPS[k], signup + (k + 1) * DAY))
        if cat == 4:
            ev[-1] = (STEPS[2], signup + 10 * DAY)
        if j % 3 == 0:
            for w in range(max(i, RELEASE_WEEK), nweeks):
                t = max(signup, START + w * WEEK + 2 * DAY + 60 * (j % 600))
                if t < START + (w + 1) * WEEK:
                    ev.append(("dashboard_created", t))
        plans.append((signup, ev))
        must += len(ev) + 1
        e = expect[week_name(i)]
        e["signups"] += 1
        for k in range(min(cat, 3) if cat != 4 else 2):
            e["steps"][k] += 1
    views = max(1, -(-(a.lines - must) // len(users)))

    order = list(range(len(users)))
    rnd.shuffle(order)
    buf, written = [], 0
    if a.csv:
        buf.append("user,event,time")
    for ui in order:
        i, j = users[ui]
        signup, ev = plans[ui]
        uid = "user-%d-%d@example.com" % (i, j)
        days = (end - signup) // DAY
        ev = ev + [("page_view", signup + (v % days) * DAY + 61 * (v // days + 1)) for v in range(views)]
        ev = [e for e in ev if e[1] < end]
        ev.append(ev[0])
        rnd.shuffle(ev)
        for name, t in ev:
            if a.csv:
                buf.append("%s,%s,%s" % (uid, name, iso(t)))
            else:
                buf.append(json.dumps({"user": uid, "event": name, "time": iso(t),
                                       "properties": {"plan": "free", "cohort": i}}))
        written += len(ev)
        for w in {(t - START) // WEEK for _, t in ev}:
            expect[week_name(w)]["active"] += 1
        for w in {(t - START) // WEEK for nm, t in ev if nm == "dashboard_created"}:
            expect[week_name(w)]["dashboards"] += 1
        if len(buf) > 20000:
            print("\n".join(buf))
            buf = []
    if buf:
        print("\n".join(buf))
    if a.expect:
        with open(a.expect, "w") as f:
            json.dump(expect, f, indent=1, sort_keys=True)
            f.write("\n")


if __name__ == "__main__":
    main()
