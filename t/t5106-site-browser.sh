#!/bin/sh
# ctest-label: browser
# ctest-cost: 95

test_description='the site in a real browser

Headless Chromium (no network, a fresh profile) loads every page of the
site from file:// at a desktop and a phone width, light and dark:
no console errors, no broken links or anchors, every page reachable from
the index, lang, one h1, headings in order, landmarks, aria-current="page"
only on a link to the page itself, text contrast of WCAG AA, nothing
wider than the phone. Screenshots are taken of each. The
same check run on broken copies of the site fails, naming the fault. A
script slipped into a page (customer text that escaped escaping) does
not run: the pages forbid scripts (Content-Security-Policy).'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-site.sh

test_have_prereq CHROMIUM ||
	test_skip_all "chromium is not installed (scripts/deps.sh)"

BROWSE="$TEST_DIRECTORY/lib/site-browser.py"

test_expect_success 'setup: the store and its site' '
	setup_site_store &&
	(cd store && psm site --out ../out >/dev/null 2>&1)
'

test_expect_success 'every page loads cleanly at every width' '
	"$BROWSER_PYTHON" "$BROWSE" out shots >browse.out 2>browse.err ||
		{ cat browse.out browse.err >&2; false; } &&
	! grep "^problem:" browse.out &&
	grep -c "^loaded " browse.out >count &&
	echo 18 >expect &&
	test_cmp expect count
'

test_expect_success 'screenshots of every page, desktop and phone' '
	for p in index roadmap known-issues releases-1.0 releases-1.1 releases-1.2
	do
		for w in desktop:1280 phone:390 dark:1280
		do
			f=shots/$p-${w%:*}.png &&
			test -s "$f" &&
			"$BROWSER_PYTHON" -c "
import struct, sys
b = open(sys.argv[1], \"rb\").read(24)
assert b[:8] == b\"\\x89PNG\\r\\n\\x1a\\n\", sys.argv[1]
w, h = struct.unpack(\">II\", b[16:24])
assert w == int(sys.argv[2]) and h >= 300, (sys.argv[1], w, h)
" "$f" "${w#*:}" || return 1
		done
	done
'

test_expect_success 'the same check fails on a broken copy, naming each fault' '
	cp -R out broken &&
	rm broken/style.css broken/releases/1.0.html &&
	printf "p.meta { color: #bbbbbb; }\n" >broken/extra.css &&
	sed -e "s|</head>|<link rel=\"stylesheet\" href=\"extra.css\"></head>|" \
	    -e "s|<h1>Known issues</h1>|<h1>Known issues</h1><h4>Oops</h4><div style=\"width: 2000px\">x</div>|" \
		out/known-issues.html >broken/known-issues.html &&
	cp out/roadmap.html broken/old-roadmap.html &&
	sed "s|<a href=\"known-issues.html\">2 known issues|<a href=\"known-issues.html#k-nothere\">2 known issues|" \
		out/index.html >broken/index.html &&
	sed "s|aria-current=\"true\"|aria-current=\"page\"|" out/releases/1.1.html >broken/releases/1.1.html &&
	test_must_fail "$BROWSER_PYTHON" "$BROWSE" broken shots-broken >out1 2>&1 &&
	grep "^problem: index.html (desktop): console: Failed to load resource" out1 &&
	grep "^problem: index.html: broken link to file://.*/broken/releases/1.0.html" out1 &&
	grep "^problem: known-issues.html (desktop): contrast [0-9.]* < 4.5" out1 &&
	grep "^problem: known-issues.html (desktop): heading H4 \"Oops\" after h1" out1 &&
	grep "^problem: known-issues.html (phone): page is [0-9]*px wide in a 390px window" out1 &&
	grep "^problem: old-roadmap.html: no link leads to it from index.html" out1 &&
	grep "^problem: index.html: link to known-issues.html#k-nothere, which has no such id" out1 &&
	grep "^problem: releases/1.1.html (desktop): aria-current=\"page\" on a link to another page: ../index.html" out1
'

test_expect_success 'a script slipped into a page does not run' '
	cp -R out slipped &&
	sed "s|<h1>Roadmap</h1>|<h1>Roadmap</h1><script>console.error(\"customer script ran\")</script><p><a href=\"#\" onclick=\"x()\">x</a><img alt=\"\" src=\"nothere.png\" onerror=\"console.error(\&quot;customer handler ran\&quot;)\"></p>|" \
		out/roadmap.html >slipped/roadmap.html &&
	grep "customer script ran" slipped/roadmap.html &&
	test_must_fail "$BROWSER_PYTHON" "$BROWSE" slipped shots-slipped >out2 2>&1 &&
	grep "^problem: roadmap.html (desktop): console: .*inline script.*Content Security Policy directive .script-src .none.." out2 &&
	grep "^problem: roadmap.html (desktop): console: .*inline event handler.*Content Security Policy directive .script-src .none.." out2 &&
	! grep "customer script ran" out2 &&
	! grep "customer handler ran" out2
'

test_done
