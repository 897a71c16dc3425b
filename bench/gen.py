#!/usr/bin/env python3
"""Write N realistic psm issue files into a store, straight to disk.

bench/store.sh uses this to build stores of 1,000 to 100,000 issues without
running `psm intake` that many times. The files follow docs/format.md (key
order, quoting, sharding) so `psm check` accepts them. Deterministic: the
same --seed gives the same store.

usage: gen.py [--seed S] [--start YYYY-MM-DD] STORE N
"""
import argparse
import datetime as dt
import os
import random
import re
import unicodedata

ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"

TYPED = set("~ null Null NULL true True TRUE false False FALSE yes Yes YES no No NO "
            "on On ON off Off OFF y Y n N .inf .Inf .INF -.inf +.inf -.Inf +.Inf "
            ".nan .NaN .NAN << =".split())


def quote(s):
    """A YAML scalar as psm writes it (lib/yaml/emit.c)."""
    if re.search(r"[\x00-\x1f\x7f\u0080-\u009f\u2028\u2029\ufeff]", s):
        out = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        out = out.replace("\t", "\\t")
        return '"' + re.sub(r"[\x00-\x1f\x7f\u0080-\u009f]",
                            lambda m: "\\x%02x" % ord(m.group()), out) + '"'
    typed = s in TYPED or (s and s[0] in "0123456789+-." and
                           re.fullmatch(r"[0-9a-fA-FxXoO_.:+-]*", s))
    if (not s or typed or s[0] in "-?:,[]{}#&*!|>'\"%@` " or s[-1] in " :"
            or ": " in s or " #" in s):
        return "'" + s.replace("'", "''") + "'"
    return s


SUBJECTS = ["CSV import", "password reset", "billing page", "checkout", "onboarding tour",
            "mobile app", "invoice PDF", "search", "dashboard", "API token", "webhook",
            "export to Excel", "team invites", "SSO login", "notifications", "calendar sync",
            "dark mode", "file upload", "audit log", "payment form", "sign in with Google",
            "report builder", "time zone settings", "email digest", "user roles"]
PROBLEMS = ["fails on mixed-case headers", "shows a blank page", "is slow with large accounts",
            "times out after 30 seconds", "loses unsaved changes", "sends duplicate e-mails",
            "ignores the locale", "crashes on iOS 17", "is confusing for new users",
            "does not explain the error", "rounds amounts wrongly", "breaks on Safari",
            "needs a keyboard shortcut", "should support bulk edit", "returns 500: internal error",
            "docs are out of date", "spinner never stops", "drops the last row"]
FIRST = ["Dana", "Lee", "Priya", "Tomás", "Mei", "Olu", "Sven", "Ana", "Noah", "Fatima",
         "Kenji", "Zoë", "Ivan", "Grace", "Ravi", "Chloé", "Amir", "Lucía"]
LAST = ["Ortiz", "Kim", "Patel", "García", "Chen", "Adeyemi", "Larsen", "Silva", "Brown",
        "Haddad", "Sato", "Müller", "Petrov", "Hopper", "Rao", "Dubois", "Nazari", "Fernández"]
CUSTOMERS = ["Acme", "Globex", "Initech", "Umbrella Health", "Stark Logistics", "Wayne Retail",
             "Hooli", "Pied Piper", "Vandelay Imports", "Soylent Foods", "Tyrell Labs",
             "Cyberdyne", "Wonka Sweets", "Oscorp", "Gringotts Bank"]
SOURCES = ["email", "chat", "call", "app-store", "dm", "form", "github", "other"]
TYPES = ["bug", "usability", "feature", "docs", "account"]
IMPACTS = {"core": "fix-fast", "repeated": "investigate", "explanation": "docs",
           "edge": "park", "strategic": "roadmap"}
LABELS = ["import", "login", "billing", "mobile", "api", "performance", "ui", "i18n",
          "accessibility", "security", "regression", "enterprise", "onboarding"]
OWNERS = ["ana@example.com", "ravi@example.com", "mei@example.com", "sven@example.com"]
RESOLUTIONS = ["fixed", "documented", "answered", "wontfix", "cannot-reproduce"]
SENTENCES = [
    "When I open the page after logging in, nothing happens for a long time.",
    "We have about 4,000 rows in the file and the first 3,998 arrive fine.",
    "Steps: go to Settings, then Billing, then click *Download invoice*.",
    "This worked last week; I think it broke with the latest release.",
    "Our finance team needs this before the end of the quarter.",
    "I tried Chrome and Firefox, same result. Safari shows an error: `TypeError`.",
    "The message says \"something went wrong\" but not what to do about it.",
    "Three people on my team hit this today.",
    "Could you add a way to do this for many items at once?",
    "The documentation still shows the old screen.",
    "Expected: the import keeps the column names as they are.",
    "Workaround for now: we rename the headers by hand.",
]


def rfc3339(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def new_id(rng, taken):
    while True:
        i = "".join(rng.choice(ALPHABET) for _ in range(10))
        if i not in taken:
            taken.add(i)
            return i


def reporter(rng, source, at):
    first, last = rng.choice(FIRST), rng.choice(LAST)
    lines = ["- name: " + quote(first + " " + last)]
    if source in ("dm", "app-store") and rng.random() < 0.5:
        lines.append("  contact: " + quote("@" + first.lower() + str(rng.randrange(100))))
    else:
        local = unicodedata.normalize("NFKD", "%s.%s" % (first, last)).encode("ascii", "ignore")
        email = "%s@%s.example" % (local.decode().lower(), rng.choice(CUSTOMERS).split()[0].lower())
        lines.append("  email: " + quote(email))
    lines.append("  channel: " + source)
    lines.append("  at: " + rfc3339(at))
    return lines


def body(rng, created, closed):
    paras = []
    for _ in range(rng.randint(1, 4)):
        paras.append(" ".join(rng.choice(SENTENCES) for _ in range(rng.randint(1, 4))))
    if rng.random() < 0.3:
        t = created + dt.timedelta(hours=rng.randint(1, 72))
        paras.append("## Timeline")
        paras.append("### %s reply — %s\n\n%s" % (rfc3339(t), rng.choice(OWNERS),
                                                   "Thanks, we can reproduce it and are on it."))
        if closed:
            paras.append("### %s note — %s\n\n%s" % (rfc3339(closed), rng.choice(OWNERS),
                                                      "Fixed in the import parser."))
    return "\n\n".join(paras) + "\n"


def issue(rng, iid, start, span):
    created = start + dt.timedelta(seconds=rng.randrange(span))
    source = rng.choice(SOURCES)
    status = rng.choices(["new", "triaged", "in-progress", "blocked", "parked", "closed"],
                         [20, 15, 10, 3, 7, 45])[0]
    closed = None
    if status == "closed":
        closed = created + dt.timedelta(hours=rng.randint(1, 24 * 60))
    updated = closed or created + dt.timedelta(hours=rng.randint(0, 24 * 10))
    fm = ["id: " + iid,
          "title: " + quote("%s %s" % (rng.choice(SUBJECTS), rng.choice(PROBLEMS))),
          "status: " + status]
    if rng.random() < 0.9:
        fm.append("type: " + rng.choice(TYPES))
    if status != "new":
        impact = rng.choice(list(IMPACTS))
        fm.append("impact: " + impact)
        fm.append("response: " + IMPACTS[impact])
    labels = sorted(set(rng.sample(LABELS, rng.randint(0, 3))))
    if labels:
        fm.append("labels:")
        fm.extend("- " + quote(x) for x in labels)
    if status in ("in-progress", "blocked", "closed") or rng.random() < 0.3:
        fm.append("owner: " + rng.choice(OWNERS))
    if rng.random() < 0.8:
        fm.append("customer: " + quote(rng.choice(CUSTOMERS)))
    fm.append("source: " + source)
    nrep = rng.choices([0, 1, 2, 3, 5], [10, 60, 18, 8, 4])[0]
    if nrep:
        fm.append("reporters:")
        at = created
        for _ in range(nrep):
            fm.extend(reporter(rng, source, at))
            at += dt.timedelta(hours=rng.randint(1, 48))
    fm.append("created: " + rfc3339(created))
    fm.append("updated: " + rfc3339(updated))
    if status != "new":
        fm.append("triaged: " + rfc3339(created + dt.timedelta(hours=rng.randint(1, 48))))
    if closed:
        fm.append("closed: " + rfc3339(closed))
        fm.append("first_closed: " + rfc3339(closed))
        fm.append("resolution: " + rng.choice(RESOLUTIONS))
    if rng.random() < 0.2:
        fm.append("release: " + quote("2.%d.%d" % (rng.randint(0, 9), rng.randint(0, 9))))
    return "---\n" + "\n".join(fm) + "\n---\n" + body(rng, created, closed)


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
        iid = new_id(rng, taken)
        d = os.path.join(a.store, "issues", iid[:2])
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, iid + ".md"), "w", encoding="utf-8", newline="\n") as f:
            f.write(issue(rng, iid, start, span))
    print(sorted(taken)[0])


if __name__ == "__main__":
    main()
