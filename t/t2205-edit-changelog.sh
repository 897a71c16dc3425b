#!/bin/sh

test_description='what psm changelog --check flags is fixed with psm edit

A closed issue without a type, with a type the config no longer has,
without the release note the config requires, or that psm cannot read:
each is fixed by psm edit (options, or the editor on a terminal), so the
release needs no commit made by hand.'

. ./test-lib.sh

test_expect_success 'setup: a release, then three bad entries' '
	psm init &&
	printf "changelog:\n  require_release_note: true\n" >>.psm/config.yml &&
	git commit -q -m "release notes are required" .psm/config.yml &&
	git tag v1.0 &&
	psm intake -t "Export drops the last row" >notype &&
	psm close $(cat notype) --resolution fixed --release-note "Exports keep every row." &&
	psm intake -t "Settings page is confusing" --type usability >oldtype &&
	psm close $(cat oldtype) --resolution fixed --release-note "Settings are grouped by task." &&
	psm intake -t "Dark mode" --type feature >nonote &&
	psm close $(cat nonote) --resolution fixed &&
	# the team drops a type the closed issue still has
	sed "/^- usability\$/d" .psm/config.yml >cfg && mv cfg .psm/config.yml &&
	git commit -q -m "no more usability type" .psm/config.yml &&
	git rev-parse HEAD >base &&
	test_expect_code 1 psm changelog --check v1.0..HEAD >out 2>err &&
	grep "closed issue $(cat notype) has no .type." out &&
	grep "type .usability. is not in the config" out &&
	grep "closed issue $(cat nonote) has no .## Release note. section" out &&
	test_line_count = 3 out
'

test_expect_success 'psm edit fixes each; --check passes; every commit is psm'"'"'s' '
	psm edit $(cat notype) --type bug &&
	psm edit $(cat oldtype) --type feature &&
	psm edit $(cat nonote) --release-note "Dark mode follows the system setting." &&
	psm changelog --check v1.0..HEAD >out 2>err &&
	test_line_count = 0 out &&
	git log --format=%s $(cat base)..HEAD >subjects &&
	test_line_count = 3 subjects &&
	! grep -v "^psm edit " subjects &&
	psm changelog v1.0..HEAD >notes.md &&
	grep "Dark mode follows the system setting." notes.md &&
	grep "Exports keep every row." notes.md
'

test_expect_success TTY 'an unreadable closed issue is fixed in the editor' '
	psm intake -t "Crash on start" --type bug >broken &&
	psm close $(cat broken) --resolution fixed --release-note "No more crash on start." &&
	p=$(ls issues/*/$(cat broken)*.md) &&
	# what a bad merge resolution leaves behind
	sed "s/^type: bug\$/type: [bug/" "$p" >tmp && mv tmp "$p" &&
	git commit -q -m "merge" "$p" &&
	git rev-parse HEAD >base &&
	test_expect_code 1 psm changelog --check v1.0..HEAD >out 2>err &&
	grep "^$p:" out &&
	cat >ed.sh <<-\EOF &&
	#!/bin/sh
	sed "s/^type: \[bug\$/type: bug/" "$1" >"$1.new" && mv "$1.new" "$1"
	EOF
	chmod +x ed.sh &&
	VISUAL="\"$HOME/ed.sh\"" test_terminal psm edit $(cat broken) </dev/null >o 2>e &&
	psm changelog --check v1.0..HEAD >out 2>err &&
	test_line_count = 0 out &&
	git log --format=%s $(cat base)..HEAD >subjects &&
	echo "psm edit $(cat broken): Crash on start" >expect &&
	test_cmp expect subjects
'

test_done
