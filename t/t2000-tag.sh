#!/bin/sh

test_description='psm tag: add and remove labels, by ID or by search terms

notmuch-style +label/-label arguments, one commit per call touching only
the labels lines, refusals for bad labels, and no commit when nothing
changes.'

. ./test-lib.sh

test_expect_success 'setup' '
	psm init &&
	psm intake -t "Login fails after reset" --source email \
		--reporter "Dana Ortiz <dana@acme.example>" >id1 &&
	test_tick &&
	psm intake -t "Export to CSV is slow" -l perf >id2 &&
	test_tick &&
	psm intake -t "Typo on the pricing page" >id3
'

test_expect_success 'two labels added in one call give one commit' '
	id=$(cat id1) &&
	before=$(test_commit_count) &&
	test_tick &&
	psm tag $id +login +urgent >out &&
	test_cmp id1 out &&
	test $(test_commit_count) = $((before + 1)) &&
	git log -1 --format=%s >msg &&
	echo "psm tag $id: Login fails after reset" >expect &&
	test_cmp expect msg &&
	psm show --format json $id >json &&
	grep -A3 "\"labels\"" json >labels &&
	grep "\"login\"" labels && grep "\"urgent\"" labels
'

test_expect_success 'git show --stat of a psm commit lists one file' '
	git show --stat --format= HEAD >stat &&
	grep "issues/" stat >files &&
	test_line_count = 1 files &&
	grep "1 file changed" stat
'

test_expect_success 'the diff of a tag call touches only the labels lines' '
	id=$(cat id1) &&
	test_tick &&
	psm tag $id +billing -urgent &&
	git diff HEAD~1 -U0 >diff &&
	grep "^[-+]" diff | grep -v -e "^--- a/" -e "^+++ b/" >changed &&
	# the labels, and updated (every write sets it)
	! grep -v -e "^[-+]- [a-z]*\$" -e "^[-+]updated: " changed &&
	test_line_count = 4 changed &&
	grep "^+- billing\$" changed &&
	grep "^-- urgent\$" changed
'

test_expect_success 'labels are kept sorted' '
	id=$(cat id1) &&
	psm tag $id +aardvark +zebra &&
	path=$(git show --stat --format= HEAD | sed -n "s/^ *\(issues[^ ]*\).*/\1/p") &&
	sed -n "/^labels:/,/^[a-z]/p" "$path" | sed -n "s/^- //p" >labels &&
	sort labels >sorted &&
	test_cmp sorted labels &&
	test_line_count = 4 labels
'

test_expect_success 'adding a label already there or removing one absent: no commit' '
	id=$(cat id1) &&
	before=$(git rev-parse HEAD) &&
	psm tag $id +login -nosuchlabel 2>err >out &&
	test "$(git rev-parse HEAD)" = "$before" &&
	grep "nothing to change" err &&
	test_cmp id1 out &&
	git status --porcelain --untracked-files=no >status &&
	test_line_count = 0 status
'

test_expect_success 'tag accepts ID prefixes and several IDs' '
	id2=$(cat id2) && id3=$(cat id3) &&
	before=$(test_commit_count) &&
	psm tag $(echo $id2 | cut -c1-5) $id3 +web &&
	test $(test_commit_count) = $((before + 1)) &&
	git show --stat --format= HEAD | grep -c "issues/" >n &&
	echo 2 >expect &&
	test_cmp expect n &&
	git log -1 --format=%s >msg &&
	echo "psm tag 2 issues: +web" >expect &&
	test_cmp expect msg
'

test_expect_success 'tag +LABEL -- TERMS tags every match in one commit' '
	before=$(test_commit_count) &&
	psm tag +triaged-batch -- label:web >out &&
	test $(test_commit_count) = $((before + 1)) &&
	test_line_count = 2 out &&
	psm list label:triaged-batch --format tsv >list &&
	test_line_count = 2 list &&
	! grep "$(cat id1)" list
'

test_expect_success 'tag -- TERMS that match nothing makes no commit' '
	before=$(git rev-parse HEAD) &&
	psm tag +x -- label:nothing-has-this 2>err &&
	grep "no issue matches" err &&
	test "$(git rev-parse HEAD)" = "$before"
'

test_expect_success 'tag --format json prints the resulting issue' '
	id=$(cat id3) &&
	psm tag --format json $id +docs >json &&
	grep "\"docs\"" json &&
	grep "\"short_id\": \"$id\"" json &&
	head -c 1 json | grep "{"
'

test_expect_success JQ 'tag --format json with a query prints an array' '
	psm tag --format json +web2 -- label:web >json &&
	jq -e "type == \"array\" and length == 2" json
'

test_expect_success 'invalid labels are refused, nothing written' '
	id=$(cat id1) &&
	before=$(git rev-parse HEAD) &&
	test_must_fail psm tag $id "+two words" 2>err &&
	grep "invalid label .two words." err &&
	test_must_fail psm tag $id +a,b 2>err &&
	grep "invalid label .a,b." err &&
	test_must_fail psm tag $id + 2>err &&
	grep "invalid label" err &&
	test_must_fail psm tag $id ++plus 2>err &&
	grep "invalid label .+plus." err &&
	test_expect_code 129 psm tag $id -- 2>err &&
	test_must_fail psm tag $id +x -x 2>err &&
	grep "both added and removed" err &&
	test "$(git rev-parse HEAD)" = "$before" &&
	git status --porcelain --untracked-files=no >status &&
	test_line_count = 0 status
'

test_expect_success 'usage errors: no operation, no issue, IDs and terms together' '
	id=$(cat id1) &&
	test_expect_code 129 psm tag $id 2>err &&
	grep "give +<label> or -<label>" err &&
	test_expect_code 129 psm tag +x 2>err &&
	grep "which issues" err &&
	test_expect_code 129 psm tag $id +x -- label:web 2>err &&
	grep "not both" err &&
	test_expect_code 129 psm tag +x -- 2>err &&
	grep "search terms after" err
'

test_expect_success 'an unknown or ambiguous ID is refused' '
	test_must_fail psm tag ZZZZZZZ +x 2>err &&
	grep -i "no issue" err &&
	git status --porcelain --untracked-files=no >status &&
	test_line_count = 0 status
'

test_expect_success 'a bad search term is refused' '
	test_must_fail psm tag +x -- nosuchkey:foo 2>err &&
	grep "unknown search term" err
'

test_expect_success 'tag --no-commit writes the file only' '
	id=$(cat id2) &&
	before=$(git rev-parse HEAD) &&
	psm tag --no-commit $id +later &&
	test "$(git rev-parse HEAD)" = "$before" &&
	git status --porcelain --untracked-files=no >status &&
	test_line_count = 1 status &&
	git checkout -- issues
'

test_expect_success 'a label like -foo stays an operation, not an option' '
	id=$(cat id2) &&
	psm tag $id +f00 &&
	psm tag $id -f00 -format &&
	psm show --format json $id >json &&
	! grep "\"f00\"" json
'

# Matches are found through the cache, then read again from their files
# to be written: what the cache does not keep (comments, the layout of
# untouched fields) stays; a word of the body finds its issue.
test_expect_success 'tag -- TERMS: a body word matches; the rest of the file stays as it was' '
	id=$(psm intake -t "Reports page blank" -m "The zanzibar widget stays empty." 2>/dev/null) &&
	p=$(path_of $id) &&
	sed "s/^title: .*/# kept as written\n&/" "$p" >tmp && mv tmp "$p" &&
	git commit -q -m "a comment by hand" "$p" &&
	psm list zanzibar --format tsv >list &&
	test_line_count = 1 list &&
	psm tag +widgets -- zanzibar >out &&
	grep "^# kept as written\$" "$p" &&
	git show HEAD -- "$p" | grep "^[-+]" | grep -v -e "^--- a/" -e "^+++ b/" >changed &&
	grep "^+- widgets\$" changed &&
	! grep -v -e "^+labels:\$" -e "^+- widgets\$" -e "^[-+]updated: " changed
'

test_expect_success 'tag -- TERMS refuses while a file is broken, and writes nothing' '
	mkdir -p issues/zz &&
	printf -- "---\ntitle: [unclosed\n---\n" >issues/zz/zzzzzzzzzz.md &&
	before=$(test_commit_count) &&
	test_must_fail psm tag +more -- label:web 2>err &&
	grep "zzzzzzzzzz.md" err &&
	grep "not tagging: some issue files could not be read or are not valid" err &&
	test $(test_commit_count) = $before &&
	git diff --quiet &&
	rm -r issues/zz
'

test_done
