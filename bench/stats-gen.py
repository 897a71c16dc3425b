#!/usr/bin/env python3
"""Write N issue files with a service history, straight to disk, for bench/stats.sh.

Each issue gets what psm stats reads: replies (responded), closes and
reopens (closed, first_closed, reopened), follow-ups, ratings and churn
records, spread over two years, so every figure has work to do. The files
follow docs/format.md; the same --seed gives the same store.

usage: stats-gen.py [--seed S] [--start YYYY-MM-DD] STORE N
"""
import argparse
import datetime as dt
import os
import random

ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
SUBJECTS = ["CSV import", "Password reset", "Billing page", "Checkout", "Onboarding tour",
            "Mobile app", "Invoice PDF", "Search", "Dashboard", "API token", "Webhook",
            "Team invites", "SSO login", "Notifications", "Calendar sync", "File upload"]
PROBLEMS = ["fails on mixed-case headers", "shows a blank page", "is slow with large accounts",
            "times out after 30 seconds", "loses unsaved changes", "is confusing for new users",
            "breaks on Safari", "should support bulk edit", "drops the last row"]
CUSTOMERS = ["Acme", "Globex", "Initech", "Umbrella Health", "Stark Logistics", "Hooli",
             "Pied Piper", "Vandelay Imports", "Tyrell Labs", "Wonka Sweets"]
SOURCES = ["email", "chat", "call", "app-store", "dm", "form", "github", "other"]
TYPES = ["bug", "usability", "feature", "docs", "account"]
IMPACTS = {"core": "fix-fast", "repeated": "investigate", "explanation": "docs",
           "edge": "park", "strategic": "roadmap"}
LABELS = ["import", "login", "billing", "mobile", "api", "performance", "ui", "onboarding"]
OWNERS = ["ana@example.com", "ravi@example.com", "mei@example.com", "sven@example.com"]
RESOLUTIONS = ["fixed", "documented", "answered", "wontfix", "cannot-reproduce"]
CHURN = ["bugs", "missing capability", "confusion", "weak onboarding", "bad fit"]


def t(x):
    return x.strftime("%Y-%m-%dT%H:%M:%SZ")


def issue(rng, iid, created):
    hours = lambda lo, hi: dt.timedelta(seconds=rng.randrange(lo * 3600, hi * 3600))
    status = rng.choices(["new", "triaged", "in-progress", "blocked", "closed"],
                         [15, 15, 10, 5, 55])[0]
    impact = rng.choice(list(IMPACTS))
    fm = ["id: " + iid,
          "title: %s %s" % (rng.choice(SUBJECTS), rng.choice(PROBLEMS)),
          "status: " + status,
          "type: " + rng.choice(TYPES),
          "impact: " + impact,
          "response: " + IMPACTS[impact]]
    labels = sorted(set(rng.sample(LABELS, rng.randint(0, 2))))
    churn = rng.random() < 0.03
    if churn:
        labels = sorted(set(labels + ["churn"]))
    if labels:
        fm.append("labels:")
        fm.extend("- " + x for x in labels)
    fm.append("owner: " + rng.choice(OWNERS))
    customer = rng.choice(CUSTOMERS)
    fm.append("customer: " + customer)
    source = rng.choice(SOURCES)
    fm.append("source: " + source)
    nrep = rng.choices([0, 1, 2, 3], [10, 65, 17, 8])[0]
    if nrep:
        fm.append("reporters:")
        for k in range(nrep):
            fm.append("- name: Person %d" % rng.randrange(5000))
            fm.append("  email: p%d@%s.example" % (rng.randrange(5000),
                                                   customer.split()[0].lower()))
            fm.append("  channel: " + source)
            fm.append("  at: " + t(created + hours(0, 48 * k + 1)))
    fm.append("created: " + t(created))
    updated = created
    if rng.random() < 0.85:
        responded = created + hours(0, 72)
        fm.append("responded: " + t(responded))
        updated = responded
    if status == "closed":
        first = created + hours(1, 24 * 30)
        reopened = rng.random() < 0.06
        closed = first + hours(24, 24 * 14) if reopened else first
        fm.append("closed: " + t(closed))
        fm.append("first_closed: " + t(first))
        if reopened:
            fm.append("reopened: 1")
        fm.append("resolution: " + rng.choice(RESOLUTIONS))
        if nrep and rng.random() < 0.7:
            fm.append("followup:")
            fm.append("  done: " + t(closed + hours(1, 72)))
            fm.append("  by: " + rng.choice(OWNERS))
        if nrep and rng.random() < 0.3:
            fm.append("ratings:")
            fm.append("- value: " + rng.choices(["good", "bad"], [80, 20])[0])
            fm.append("  at: " + t(closed + hours(1, 96)))
        updated = closed
    elif rng.random() < 0.04:
        fm.append("first_closed: " + t(created + hours(1, 24 * 10)))
        fm.append("reopened: 1")
    if churn and rng.random() < 0.8:
        fm.append("churn_reason: " + rng.choice(CHURN))
    fm.insert(fm.index("created: " + t(created)) + 1, "updated: " + t(updated))
    return "---\n" + "\n".join(fm) + "\n---\n\nSteps to reproduce, and what was expected.\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store")
    ap.add_argument("count", type=int)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--start", default="2025-01-01")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    start = dt.datetime.strptime(a.start, "%Y-%m-%d")
    span = 2 * 365 * 86400
    taken = set()
    for _ in range(a.count):
        while True:
            iid = "".join(rng.choice(ALPHABET) for _ in range(10))
            if iid not in taken:
                taken.add(iid)
                break
        d = os.path.join(a.store, "issues", iid[:2])
        os.makedirs(d, exist_ok=True)
        created = start + dt.timedelta(seconds=rng.randrange(span))
        with open(os.path.join(d, iid + ".md"), "w", encoding="utf-8", newline="\n") as f:
            f.write(issue(rng, iid, created))


if __name__ == "__main__":
    main()
