#!/bin/sh

test_description='a batch finds what the store holds, cache or not

A batch indexes the store through the read cache and reads an issue from
its file only when an item matches it. Hand edits the cache has not seen
yet (an external_id changed in place, with the same size and mtime; a file
renamed away) must count as the files say: the same batch, with the cache
and with --no-cache (PSM_NO_CACHE=1) on a copy, skips, threads and adds the
same items and leaves the same files.'

. ./test-lib.sh

test_expect_success 'setup: a store, its cache warm, then hand edits' '
	mkdir main &&
	cd main &&
	git init -q &&
	psm init >/dev/null &&
	printf "%s\n" "title,body,external_id,source" \
		"Login loops,It loops.,t-1,form" \
		"Export slow,It is slow.,t-2,form" \
		"Search empty,Nothing found.,t-3,form" >first.csv &&
	psm intake --csv first.csv >/dev/null &&
	psm list >/dev/null &&
	test -f .git/psm/cache.db &&
	# t-2 becomes t-9 in place: same size, same mtime
	f2=$(grep -l "^external_id: t-2" issues/*/*.md) &&
	touch -r "$f2" stamp &&
	sed "s/^external_id: t-2\$/external_id: t-9/" "$f2" >tmp &&
	cat tmp >"$f2" &&
	touch -r stamp "$f2" &&
	# the t-3 issue moved out of issues/ (gone for both)
	f3=$(grep -l "^external_id: t-3" issues/*/*.md) &&
	mv "$f3" gone.md &&
	git add -A issues && git commit -q -m "hand edits" &&
	printf "%s\n" "title,body,external_id,source" \
		"Login loops,It loops.,t-1,form" \
		"Export slow,Still slow.,t-2,form" \
		"Export slower,Slower now.,t-9,form" \
		"Search empty,Nothing found.,t-3,form" \
		"Brand new,First time.,t-4,form" >second.csv &&
	cd .. &&
	cp -R main copy
'

test_expect_success 'the same batch with and without the cache' '
	(cd main && psm intake --csv second.csv >out 2>err) &&
	(cd copy && PSM_NO_CACHE=1 psm intake --csv second.csv >out 2>err) &&
	cut -f1,4- main/out >actual &&
	cut -f1,4- copy/out >expect &&
	test_cmp expect actual &&
	cat >expect <<-\EOF &&
	skipped	already taken in (same external_id)
	new	Export slow
	skipped	already taken in (same external_id)
	new	Search empty
	new	Brand new
	EOF
	cut -f1,4 main/out >actual &&
	test_cmp expect actual &&
	test $(cd copy && git ls-files "issues/*/*.md" | wc -l) = 5 &&
	for f in $(cd copy && git ls-files "issues/*/*.md")
	do
		x=$(sed -n "s/^external_id: //p" "copy/$f") &&
		g=$(grep -l "^external_id: $x\$" main/issues/*/*.md) &&
		sed "/^id: /d; /^created: /d; /^updated: /d" "copy/$f" >without &&
		sed "/^id: /d; /^created: /d; /^updated: /d" "$g" >with &&
		test_cmp without with || return 1
	done
'

test_done
