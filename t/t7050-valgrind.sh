#!/bin/sh
# ctest-cost: 70

test_description='the core commands under valgrind: no errors, no leaks

Each core command runs under valgrind memcheck (definite and indirect leaks
count as errors); a run that reports anything fails its test. Skipped when
valgrind is missing or psm is built with the sanitizers.'

. ./test-lib.sh

if ! test_have_prereq VALGRIND
then
	test_skip_all 'valgrind is not installed, or psm is built with sanitizers'
fi

# vg ARGS...: psm ARGS under memcheck; the report goes to ../vg.N.
vg () {
	_n=$(($(cat "$TRASH_DIRECTORY/vg-count" 2>/dev/null || echo 0) + 1))
	echo $_n >"$TRASH_DIRECTORY/vg-count"
	valgrind -q --leak-check=full --show-leak-kinds=definite,indirect \
		--errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
		--log-file="$TRASH_DIRECTORY/vg.$_n" psm "$@"
	_code=$?
	if test -s "$TRASH_DIRECTORY/vg.$_n" || test $_code = 99
	then
		echo "valgrind: psm $*:" >&2
		cat "$TRASH_DIRECTORY/vg.$_n" >&2
		return 99
	fi
	return $_code
}

test_expect_success 'init, intake' '
	git init -q store && (
		cd store &&
		vg init >/dev/null &&
		vg intake -t "Login fails" -m "Cannot log in." -l auth --reporter "Dana <d@a.example>" --source email >../id &&
		test_tick &&
		vg intake -t "Second" --format json >/dev/null
	)
'

test_expect_success 'list, show, check' '
	(
		cd store &&
		vg list >/dev/null &&
		vg list --format json label:auth >/dev/null &&
		vg show $(cat ../id) >/dev/null &&
		vg show --format json $(cat ../id) >/dev/null &&
		vg check >/dev/null
	)
'

test_expect_success 'the service loop commands that exist' '
	(
		cd store &&
		id=$(cat ../id) &&
		for c in "tag $id +ui -auth" "assign $id a@example.com" "reply $id -m thanks" \
			 "note $id -m internal" "close $id --resolution fixed" "reopen $id"
		do
			set -- $c
			if have_cmd $1
			then
				test_tick &&
				vg "$@" >/dev/null || exit 1
			fi
		done
	)
'

test_expect_success 'merge-file: clean and conflicting' '
	f=$(ls store/issues/*/*.md | grep -v README | sed 1q) &&
	cp "$f" base.md &&
	sed "s/^title: .*/title: ours/" base.md >ours.md &&
	sed "s/^status: .*/status: blocked/" base.md >theirs.md &&
	vg merge-file -p base.md ours.md theirs.md >/dev/null &&
	sed "s/^title: .*/title: theirs/" base.md >theirs.md &&
	test_expect_code 1 vg merge-file base.md ours.md theirs.md 2>/dev/null
'

test_expect_success 'errors: bad ID, bad file, unknown option' '
	(
		cd store &&
		test_expect_code 128 vg show zzzzzzz 2>/dev/null &&
		printf -- "---\nid: [\n---\n" >issues/README2.md &&
		mkdir -p issues/zz && printf -- "---\nid: [\n---\n" >issues/zz/zzzzzzzzzz.md &&
		test_expect_code 1 vg check >/dev/null &&
		test_expect_code 1 vg list >/dev/null 2>&1 &&
		test_expect_code 129 vg list --no-such-option 2>/dev/null
	)
'

test_done
