#!/bin/sh

test_description='the site'"'"'s Atom feeds parse with a real feed parser

feed.xml has one entry per release, newest first, dated by the tagged
commit, linking to the release page; known-issues.xml one per known issue,
published when the issue was created. With the site'"'"'s URL links and ids
are absolute; without it they still parse, with relative links.'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-site.sh

test_have_prereq FEEDPARSER ||
	test_skip_all "python3-feedparser is not installed (scripts/deps.sh)"

test_expect_success 'setup: the store and its site' '
	setup_site_store &&
	(cd store && psm site --out ../out >/dev/null 2>&1) &&
	for tag in v1.2 v1.1 v1.0
	do
		TZ=UTC git -C store log -1 --format=%cd --date=format-local:%Y-%m-%dT%H:%M:%SZ "$tag^{commit}" || return 1
	done >tag-times &&
	test_line_count = 3 tag-times
'

test_expect_success 'feed.xml: a release per entry, newest first, with its date and page' '
	"$FEED_PYTHON" - out/feed.xml tag-times <<-\EOF
	import sys, time, feedparser
	d = feedparser.parse(sys.argv[1])
	assert not d.bozo, d.bozo_exception
	assert d.version == "atom10", d.version
	assert d.feed.title == "Acme Notes: releases", d.feed.title
	assert d.feed.id == "https://updates.acme.example/notes/feed.xml", d.feed.id
	times = open(sys.argv[2]).read().split()
	titles = [e.title for e in d.entries]
	assert titles == ["Release 1.2", "Release 1.1", "Release 1.0"], titles
	for e, t in zip(d.entries, times):
	    got = time.strftime("%Y-%m-%dT%H:%M:%SZ", e.updated_parsed)
	    assert got == t, (e.title, got, t)
	    assert time.strftime("%Y-%m-%dT%H:%M:%SZ", e.published_parsed) == t
	    name = e.title.split()[-1]
	    assert e.link == "https://updates.acme.example/notes/releases/%s.html" % name, e.link
	    assert e.id == e.link, e.id
	assert time.strftime("%Y-%m-%dT%H:%M:%SZ", d.feed.updated_parsed) == times[0]
	c = d.entries[1].content[0]
	assert c.type == "text/html", c.type
	assert "Moving a note keeps its tags." in c.value, c.value
	assert "<h2>Fixed</h2>" in c.value, c.value
	assert "Moving a note" not in d.entries[0].content[0].value
	print("ok")
	EOF
'

test_expect_success 'known-issues.xml: an entry per known issue' '
	(cd store && psm show "$(id SEARCH)" --format json) >search.json &&
	"$FEED_PYTHON" - out/known-issues.xml search.json <<-\EOF
	import json, sys, time, feedparser
	d = feedparser.parse(sys.argv[1])
	assert not d.bozo, d.bozo_exception
	assert d.feed.title == "Acme Notes: known issues", d.feed.title
	issue = json.load(open(sys.argv[2]))
	titles = [e.title for e in d.entries]
	assert titles == ["Search misses notes with accented letters",
	                  "Attachments over 20 MB fail to upload"], titles
	e = d.entries[0]
	assert time.strftime("%Y-%m-%dT%H:%M:%SZ", e.published_parsed) == issue["created"]
	assert time.strftime("%Y-%m-%dT%H:%M:%SZ", e.updated_parsed) == issue["updated"]
	assert e.link == "https://updates.acme.example/notes/known-issues.html#k-" + issue["short_id"], e.link
	v = e.content[0].value
	assert "Fix in progress" in v and "Workaround" in v and "caf" in v, v
	print("ok")
	EOF
'

test_expect_success 'the page links to the feeds' '
	grep "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Acme Notes: releases\" href=\"feed.xml\">" out/index.html &&
	grep "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Acme Notes: known issues\" href=\"../known-issues.xml\">" out/releases/1.0.html
'

test_expect_success 'without a site URL: relative links, URN ids, still valid' '
	(
		cd store &&
		sed "/^  url: /d" .psm/config.yml >cfg &&
		mv cfg .psm/config.yml &&
		psm site --out ../out-rel >/dev/null 2>&1
	) &&
	"$FEED_PYTHON" - out-rel/feed.xml out-rel/known-issues.xml <<-\EOF
	import sys, feedparser
	for f in sys.argv[1:]:
	    d = feedparser.parse(f)
	    assert not d.bozo, (f, d.bozo_exception)
	    assert d.entries, f
	    for e in d.entries:
	        assert e.id.startswith("urn:psm:acme-notes:"), e.id
	        assert "://" not in e.link or e.link.startswith("file:"), e.link
	d = feedparser.parse(sys.argv[1])
	assert d.entries[0].id == "urn:psm:acme-notes:release:1.2", d.entries[0].id
	print("ok")
	EOF
'

test_done
