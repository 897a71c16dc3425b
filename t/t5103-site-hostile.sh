#!/bin/sh

test_description='psm site escapes customer text everywhere

Titles, release notes, public summaries and workarounds written to break
out of HTML or XML (script, iframe, event handlers, javascript: links, raw
HTML, terminal escapes, headings) come out as text: no markup of theirs,
no control characters, one h1 per page, and tidy finds no error. Raw HTML
is shown as the text it is, not dropped with the words around it; an
HTML comment (a note the team left itself) is not shown, nor a formatting
tag like <kbd> (its content is).'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-site.sh

test_expect_success 'setup: hostile titles, notes and sections' '
	mkdir store &&
	(
		cd store &&
		psm init >/dev/null &&
		mk TITLE "<script>alert(\"t\")</script> & Co'"'"'s \"export\"" feature &&
		close_as TITLE fixed &&
		mk NOTE "Faster sync" bug &&
		close_as NOTE fixed --release-note "Now <img src=x onerror=alert(1)> faster, see [docs](javascript:alert(2)) and <b>bold</b> &amp; more." &&
		mk HEAD "Heading note" bug &&
		close_as HEAD fixed --release-note "# Big heading that is not one" &&
		mk LIST "List note" bug &&
		close_as LIST fixed --release-note "1. not a list ]]> </content> <![CDATA[" &&
		mk KEYS "Search box" bug &&
		close_as KEYS fixed --release-note "Pressing <Enter> in search works; Vec<T>, <kbd>Ctrl</kbd>+<kbd>K</kbd> and<br>this too." &&
		test_tick &&
		git tag v1.0 &&
		mk KNOWN "placeholder" bug -l known-issue -l public &&
		p=$(name_file KNOWN) &&
		sed "s/^title: .*/title: \"Login loops \\\\e]0;pwned\\\\a\\\\e[31mred\"/" "$p" >"$p.new" &&
		mv "$p.new" "$p" &&
		printf "\n## Public summary\n\n### A heading in the summary\n\n<iframe src=\"https://evil.example\"></iframe>\n\nSee [this](javascript:alert(3)).\n\nAsk <!-- not Acme, they pay 40k -->support.\n\n<!-- internal: Acme pays 40k -->\n\n## Workaround\n\n<script>steal()</script>\n\n- use the *app* <em>x</em>\n" >>"$p" &&
		test_tick &&
		git commit -q -am "hostile known issue" &&
		mk ROAD "placeholder" feature -l public &&
		psm triage "$(id ROAD)" --impact strategic >/dev/null &&
		edit_commit ROAD "s/^title: .*/title: \"\\\\\"><svg onload=alert(1)>\"/" &&
		psm show "$(id ROAD)" --format json | grep "svg onload" &&
		psm show "$(id KNOWN)" --format json | grep "pwned" &&
		psm site --out ../out >/dev/null 2>&1
	)
'

test_expect_success 'no markup of theirs in any page or feed' '
	cat out/*.html out/releases/*.html out/*.xml >all &&
	! grep -i "<script" all &&
	! grep -i "<iframe" all &&
	! grep -i "<svg" all &&
	! grep -i "<img src=.x" all &&
	! grep -i "<b>bold" all &&
	! grep -i "javascript:" all &&
	! grep -i "onerror=\|onload=" out/*.html out/releases/*.html | grep -v "&lt;\|&quot;" &&
	! grep "<!\[CDATA\[" all
'

test_expect_success 'their words are shown as text' '
	grep -F "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; &amp; Co&#39;s &quot;export&quot;" out/releases/1.0.html &&
	grep -F "&quot;&gt;&lt;svg onload=alert(1)&gt;" out/roadmap.html &&
	grep -F "# Big heading that is not one" out/releases/1.0.html &&
	grep -F "1. not a list ]]&gt; &lt;/content&gt; &lt;![CDATA[" out/releases/1.0.html &&
	grep -F "<li>Now &lt;img src=x onerror=alert(1)&gt; faster, see docs and bold &amp; more." out/releases/1.0.html &&
	grep -F "<li>Pressing &lt;Enter&gt; in search works; Vec&lt;T&gt;, Ctrl+K and<br />" out/releases/1.0.html &&
	grep -F "<p>&lt;iframe src=&quot;https://evil.example&quot;&gt;&lt;/iframe&gt;</p>" out/known-issues.html &&
	grep -F "<p>&lt;script&gt;steal()&lt;/script&gt;</p>" out/known-issues.html &&
	grep -F "<p>See this.</p>" out/known-issues.html &&
	grep -F "Login loops" out/known-issues.html &&
	grep -F "<p>A heading in the summary</p>" out/known-issues.html &&
	grep -F "<li>use the <em>app</em> x</li>" out/known-issues.html &&
	! grep "raw HTML omitted" all &&
	grep -F "<p>Ask support.</p>" out/known-issues.html &&
	! grep "40k" all
'

test_expect_success 'no control characters; one h1 per page' '
	! LC_ALL=C grep -l "$(printf "\\033")" out/* out/releases/* &&
	! LC_ALL=C grep -l "$(printf "\\007")" out/* out/releases/* &&
	for f in out/*.html out/releases/*.html
	do
		test "$(grep -c "<h1" "$f")" = 1 || return 1
	done
'

test_expect_success TIDY 'tidy finds no error in the hostile pages' '
	for f in out/*.html out/releases/*.html
	do
		tidy -q -e "$f" >/dev/null 2>tidy.out
		test $? -lt 2 || { cat tidy.out >&2; return 1; }
		! grep -v "proprietary attribute \"aria-current\"" tidy.out || return 1
	done
'

test_expect_success FEEDPARSER 'the feeds are well-formed XML with the text intact' '
	"$FEED_PYTHON" -c "
import sys, xml.dom.minidom
for f in sys.argv[1:]:
    xml.dom.minidom.parse(f)
" out/feed.xml out/known-issues.xml
'

test_done
