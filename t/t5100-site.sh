#!/bin/sh
# ctest-cost: 28

test_description='psm site builds a static site from the store

A page per release tag with what psm changelog ..TAG lists, an index, a
roadmap by status, known issues with workarounds, feeds and a stylesheet.
The same store gives the same bytes wherever and whenever it is built; a
second run rewrites nothing; links are relative; files psm did not write
are never replaced and pages of deleted tags go away.'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-site.sh

command -v python3 >/dev/null 2>&1 && test_set_prereq PYTHON

# text_of FILE: the page's text without tags, one line per line.
text_of () {
	sed -e 's/<[^>]*>//g' "$1"
}

test_expect_success 'setup: a store with three releases, a roadmap and known issues' '
	setup_site_store
'

test_expect_success 'psm site writes the pages, one per release' '
	(cd store && psm site --out ../out >../stdout 2>../stderr) &&
	(cd out && find . -type f | sort) >actual &&
	cat >expect <<-\EOF &&
	./.psm-site
	./feed.xml
	./index.html
	./known-issues.html
	./known-issues.xml
	./logo.svg
	./releases/1.0.html
	./releases/1.1.html
	./releases/1.2.html
	./roadmap.html
	./style.css
	EOF
	test_cmp expect actual &&
	grep "^wrote releases/1.1.html\$" stdout &&
	grep "^../out: 3 releases, roadmap 2 planned, 1 in progress, 1 shipped, 2 known issues; 10 files written, 0 up to date\$" stdout
'

test_expect_success PYTHON 'each release page lists what psm changelog ..TAG lists' '
	for tag in v1.0 v1.1 v1.2
	do
		(cd store && psm changelog "..$tag" --format json) >cl.json &&
		python3 -c "
import json, sys
cl = json.load(open(sys.argv[1]))
for g in cl[\"groups\"]:
    print(g[\"name\"])
    for e in g[\"entries\"]:
        print(e[\"release_note\"] or e[\"title\"])
        print(e[\"short_id\"])
" cl.json >want &&
		test_line_count -gt 3 want &&
		text_of "out/releases/${tag#v}.html" >page.txt &&
		while read -r line
		do
			grep -F "$line" page.txt >/dev/null || {
				echo "releases/${tag#v}.html lacks: $line" >&2
				return 1
			}
		done <want || return 1
	done &&
	grep "Moving a note keeps its tags." out/releases/1.1.html &&
	! grep "Moving a note" out/releases/1.0.html out/releases/1.2.html
'

test_expect_success 'the index: the latest release in full, every release listed' '
	grep "<h1>Acme Notes</h1>" out/index.html &&
	grep "Latest release: <a href=\"releases/1.2.html\">1.2</a>" out/index.html &&
	grep "Share a notebook with your team and edit it together." out/index.html &&
	grep -c "<li><a href=\"releases/" out/index.html >count &&
	echo 3 >expect &&
	test_cmp expect count &&
	sed -n "s/.*<li><a href=\"releases\/\([^\"]*\)\".*/\1/p" out/index.html >order &&
	printf "1.2.html\n1.1.html\n1.0.html\n" >expect &&
	test_cmp expect order
'

test_expect_success 'the roadmap: strategic issues with the opt-in label, by status' '
	sed -n "/id=\"planned\"/,/<\/section>/p" out/roadmap.html >planned &&
	sed -n "/id=\"in-progress\"/,/<\/section>/p" out/roadmap.html >progress &&
	sed -n "/id=\"shipped\"/,/<\/section>/p" out/roadmap.html >shipped &&
	grep "Offline mode for the mobile app" planned &&
	grep "Public API" planned &&
	grep "Read and edit your notes without a connection" planned &&
	grep "Calendar view of notes" progress &&
	grep "Shared notebooks" shipped &&
	grep "Share a notebook with your team and edit it together." shipped &&
	! grep "Acquire" out/roadmap.html &&
	! grep "Merge the" out/roadmap.html
'

test_expect_success 'the roadmap is ranked by demand: the most asked-for first' '
	grep -n "<h3>" planned >h3 &&
	head -n 1 h3 | grep "Offline mode" &&
	grep "Asked for by 2 customers" planned
'

test_expect_success 'known issues: opted in, with summary, workaround and status' '
	grep "<h2>Search misses notes with accented letters</h2>" out/known-issues.html &&
	grep "Searching for <em>cafe</em> does not find notes that say <em>café</em>." out/known-issues.html &&
	grep "<h3>Workaround</h3>" out/known-issues.html &&
	grep "Split the file, or share a link" out/known-issues.html &&
	grep "<span class=\"badge\">Fix in progress</span>" out/known-issues.html &&
	grep "<span class=\"badge\">Open</span>" out/known-issues.html &&
	! grep "Large imports" out/known-issues.html &&
	grep "2 known issues" out/index.html &&
	grep "hint: 2 issues for the roadmap or known issues left off the site: not labelled .public." stderr
'

test_expect_success 'title, description, address, logo and language from the config' '
	grep "<html lang=\"en\">" out/roadmap.html &&
	grep "<title>Roadmap · Acme Notes</title>" out/roadmap.html &&
	grep "<link rel=\"canonical\" href=\"https://updates.acme.example/notes/roadmap.html\">" out/roadmap.html &&
	grep "<link rel=\"canonical\" href=\"https://updates.acme.example/notes/\">" out/index.html &&
	grep "<meta name=\"description\" content=\"What changed in Acme Notes, what is coming" out/index.html &&
	grep "<img src=\"../logo.svg\" alt=\"\"" out/releases/1.0.html &&
	test_cmp store/docs/logo.svg out/logo.svg &&
	! grep "hint: no site.url" stderr
'

test_expect_success 'links are relative: the site works from any folder' '
	cat out/*.html out/releases/*.html >all.html &&
	! grep -E "(href|src)=\"/" all.html &&
	! grep "file:" all.html &&
	grep -o -E "(href|src)=\"[^\"]*\"" all.html | sort -u >links &&
	grep -v -E "\"((\.\./)?[a-z0-9.-]+(/[a-z0-9.-]+)?(#[a-z0-9-]+)?|#main)\"" links >absolute || : &&
	grep -v "https://updates.acme.example/notes/" absolute >other || : &&
	test_line_count = 0 other &&
	grep "href=\"../style.css\"" out/releases/1.1.html &&
	grep "href=\"style.css\"" out/index.html
'

test_expect_success 'a second run rewrites nothing' '
	ls -l -i --time-style=full-iso -R out >before &&
	(cd store && psm site --out ../out >../stdout2) &&
	ls -l -i --time-style=full-iso -R out >after &&
	test_cmp before after &&
	! grep "^wrote" stdout2 &&
	grep "0 files written, 10 up to date" stdout2
'

test_expect_success 'the same store gives the same bytes: a clone, another day' '
	git clone -q store clone &&
	(
		cd clone &&
		PSM_NOW=2031-01-02T03:04:05Z psm site --out ../out-clone >/dev/null 2>&1
	) &&
	diff -r out out-clone
'

test_expect_success 'a change writes only the pages it touches' '
	(
		cd store &&
		p=$(name_file ATTACH) &&
		sed "s/^title: .*/title: Attachments over 25 MB fail to upload/" "$p" >"$p.new" &&
		mv "$p.new" "$p" &&
		psm site --out ../out >../stdout3
	) &&
	sed -n "s/^wrote //p" stdout3 >written &&
	printf "known-issues.html\nknown-issues.xml\n" >expect &&
	test_cmp expect written &&
	grep "Attachments over 25 MB" out/known-issues.html
'

test_expect_success '--url gives the address; without one, no canonical link' '
	(cd clone && psm site --out ../out-url --url https://example.org/sub >/dev/null 2>&1) &&
	grep "<link rel=\"canonical\" href=\"https://example.org/sub/roadmap.html\">" out-url/roadmap.html &&
	(
		cd clone &&
		sed "/^  url: /d" .psm/config.yml >cfg &&
		mv cfg .psm/config.yml &&
		psm site --out ../out-nourl >/dev/null 2>../err-nourl
	) &&
	! grep "canonical" out-nourl/*.html &&
	grep "hint: no site.url" err-nourl &&
	test_expect_code 129 sh -c "cd clone && psm site --out ../x --url" &&
	test_expect_code 128 sh -c "cd clone && psm site --out ../x --url ftp://example.org/" 2>err &&
	grep "invalid site URL .ftp://example.org/." err
'

test_expect_success 'a file psm did not write is not replaced' '
	mkdir mine &&
	echo "my own page" >mine/index.html &&
	test_expect_code 128 sh -c "cd store && psm site --out ../mine" 2>err &&
	grep "fatal: .../mine/index.html. is there and psm site did not write it: not replacing it" err &&
	echo "my own page" >expect &&
	test_cmp expect mine/index.html &&
	! test -e mine/roadmap.html &&
	! test -e mine/.psm-site
'

test_expect_success 'the page of a deleted tag is removed' '
	(
		cd clone &&
		git tag -d v1.1 >/dev/null &&
		psm site --out ../out-clone >../stdout4 2>/dev/null
	) &&
	grep "^removed releases/1.1.html\$" stdout4 &&
	! test -e out-clone/releases/1.1.html &&
	! grep "releases/1.1.html" out-clone/index.html out-clone/.psm-site &&
	grep "<li><a href=\"releases/1.0.html\">" out-clone/index.html
'

test_expect_success 'a manifest line outside the site is never removed' '
	echo keep >precious &&
	printf "../precious\n/etc/passwd\nindex.html\n" >>out-clone/.psm-site &&
	(cd clone && psm site --out ../out-clone >/dev/null 2>&1) &&
	test -f precious &&
	test -f out-clone/index.html
'

test_expect_success 'site.tags picks the release tags; tags before psm are no releases' '
	(
		cd clone &&
		git tag build-42 v1.2 &&
		cat >>.psm/config.yml <<-\EOF &&
		  tags: "v*"
		EOF
		psm site --out ../out-tags >/dev/null 2>&1
	) &&
	ls out-tags/releases >actual &&
	printf "1.0.html\n1.2.html\n" >expect &&
	test_cmp expect actual &&
	git init -q early &&
	(
		cd early &&
		echo code >main.c &&
		git add main.c &&
		git commit -q -m code &&
		git tag v0.1 &&
		psm init >/dev/null &&
		psm site --out ../out-early >../stdout-early 2>/dev/null
	) &&
	! test -e out-early/releases &&
	grep "No releases yet." out-early/index.html &&
	grep "0 releases" stdout-early
'

test_expect_success 'a release with nothing for customers says so' '
	(
		cd early &&
		mk ONLYINT "Move CI to new runners" bug -l internal &&
		close_as ONLYINT fixed &&
		git tag v0.2 &&
		psm site --out ../out-early >/dev/null 2>&1
	) &&
	grep "No customer-facing changes in this release." out-early/releases/0.2.html &&
	! grep "new runners" out-early/releases/0.2.html
'

test_expect_success 'where the site may not go, and usage' '
	test_expect_code 129 sh -c "cd store && psm site" 2>err &&
	grep "say where the site goes: --out <dir>" err &&
	test_expect_code 129 sh -c "cd store && psm site --out x extra" &&
	test_expect_code 128 sh -c "cd store && psm site --out .git/site" 2>err &&
	grep "inside the repository.s git folder" err &&
	test_expect_code 128 sh -c "cd store && psm site --out issues/www" 2>err &&
	grep "inside the store.s issues folder" err &&
	test_expect_code 128 sh -c "cd store && psm site --out .psm" 2>err &&
	! test -e store/.git/site/index.html &&
	! test -e store/issues/www/index.html
'

test_expect_success 'a refused --out makes no folder there' '
	for d in .git/www .git/a/b issues/www .psm/www new/../.git/www
	do
		test_expect_code 128 sh -c "cd store && psm site --out $d" 2>err &&
		grep "inside the" err &&
		! test -e "store/$d" || return 1
	done &&
	! test -e store/new &&
	ln -s .git store/gitlink &&
	test_expect_code 128 sh -c "cd store && psm site --out gitlink/www" 2>err &&
	grep "inside the repository.s git folder" err &&
	! test -e store/.git/www &&
	rm store/gitlink
'

test_expect_success 'a bad site: key names the config line' '
	(
		cd clone &&
		cp .psm/config.yml ../config.good &&
		sed "s|^  logo: .*|  logo: /etc/hostname|" ../config.good >.psm/config.yml &&
		test_expect_code 128 psm site --out ../out-bad 2>../err &&
		sed "s|^  logo: .*|  logo: docs/link.svg|" ../config.good >.psm/config.yml &&
		ln -s /etc/hostname docs/link.svg &&
		test_expect_code 128 psm site --out ../out-bad 2>../err2 &&
		sed "s|^  url: .*|  url: javascript:alert(1)|; s|^  title: .*|&\\n  url: javascript:alert(1)|" ../config.good >.psm/config.yml &&
		test_expect_code 128 psm site --out ../out-bad 2>../err3 &&
		cp ../config.good .psm/config.yml
	) &&
	grep "fatal: .psm/config.yml:[0-9]*:[0-9]*: site.logo must be a path inside the repository" err &&
	grep "site.logo .docs/link.svg. is a symbolic link" err2 &&
	grep "fatal: .psm/config.yml:[0-9]*:[0-9]*: site.url must be an http:// or https:// URL" err3 &&
	! test -e out-bad
'

test_expect_success 'psm help site and the manual' '
	psm help site >help &&
	grep -e "--out <dir>" help &&
	grep -e "--url <url>" help
'

test_done
