#!/bin/sh

test_description='psm edit: change any field of any issue, in one commit

Field options on open and closed issues, --set for any other key and
key= to remove one, validation against the config and psm check'"'"'s
write check (nothing written on a refusal), the keys other commands own,
--no-commit, the hook, and no commit when nothing changes.'

. ./test-lib.sh

test_expect_success 'setup' '
	psm init &&
	psm intake -t "Login broken" --source email \
		--reporter "Dana Ortiz <dana@acme.example>" >open &&
	psm intake -t "Export drops a row" --type bug --source chat >closed &&
	test_tick &&
	psm close $(cat closed) --resolution fixed >/dev/null
'

test_expect_success 'several fields at once: one commit of the one file' '
	id=$(cat open) &&
	before=$(test_commit_count) &&
	test_tick &&
	psm edit $id --title "Login broken after a password reset" --customer Acme \
		--type bug --source form --release 1.4.0 --churn-reason confusion >out &&
	test_cmp open out &&
	test $(test_commit_count) = $((before + 1)) &&
	git log -1 --format=%s >msg &&
	echo "psm edit $id: Login broken after a password reset" >expect &&
	test_cmp expect msg &&
	git show --stat --format= HEAD >stat &&
	test_line_count = 2 stat &&
	test "$(field $id title)" = "\"Login broken after a password reset\"" &&
	test "$(field $id customer)" = "\"Acme\"" &&
	test "$(field $id type)" = "\"bug\"" &&
	test "$(field $id source)" = "\"form\"" &&
	test "$(field $id release)" = "\"1.4.0\"" &&
	test "$(field $id churn_reason)" = "\"confusion\"" &&
	test "$(field $id updated)" = "\"2026-11-20T10:02:00Z\"" &&
	psm check
'

test_expect_success 'only the changed lines change' '
	id=$(cat open) &&
	test_tick &&
	psm edit $id --customer "Acme, Inc." &&
	git diff HEAD~1 -U0 | grep "^[-+][a-z]" >changed &&
	grep "^+customer: Acme, Inc.\$" changed &&
	! grep -v -e "^[-+]customer:" -e "^[-+]updated:" changed
'

test_expect_success 'a closed issue too, and it stays closed' '
	id=$(cat closed) &&
	psm edit $id --type usability --release-note "Exports keep every row." &&
	test "$(field $id type)" = "\"usability\"" &&
	test "$(field $id status)" = "\"closed\"" &&
	psm show --format json $id | grep "## Release note\\\\n\\\\nExports keep every row.\\\\n"
'

test_expect_success '--set: any key, and key= removes it' '
	id=$(cat open) &&
	psm edit $id --set acme_sla=gold --set impact=core &&
	test "$(field $id impact)" = "\"core\"" &&
	psm show $id >show &&
	grep "^acme_sla  *gold$" show &&
	psm edit $id --set acme_sla= --customer "" &&
	psm show --format json $id >json &&
	! grep acme_sla json &&
	test "$(field $id customer)" = "null"
'

test_expect_success 'values not in the config are refused, nothing written' '
	id=$(cat open) &&
	before=$(git rev-parse HEAD) &&
	cp issues/*/$id*.md before.md &&
	test_must_fail psm edit $id --type nonsense 2>err &&
	grep "unknown type .nonsense. (the config.s types: bug, usability" err &&
	test_must_fail psm edit $id --source pigeon 2>err &&
	grep "unknown source .pigeon." err &&
	test_must_fail psm edit $id --set impact=huge 2>err &&
	grep "refusing to write .*: impact .huge. is not in the config.s impacts" err &&
	test_must_fail psm edit $id --set created=yesterday 2>err &&
	grep "created. is not an RFC 3339 time" err &&
	test_must_fail psm edit $id --title "" 2>err &&
	grep "the title cannot be empty" err &&
	test_must_fail psm edit $id --set "title=two
lines" 2>err &&
	grep "must be one line" err &&
	test_cmp before.md issues/*/$id*.md &&
	test "$(git rev-parse HEAD)" = "$before" &&
	git status --porcelain --untracked-files=no >st &&
	test_line_count = 0 st
'

test_expect_success 'keys other commands own are refused with the command to use' '
	id=$(cat open) &&
	test_must_fail psm edit $id --set status=closed 2>err &&
	grep "use psm status, close, reopen or park" err &&
	test_must_fail psm edit $id --set labels=a 2>err &&
	grep "use psm tag" err &&
	test_must_fail psm edit $id --set id=0000000000 2>err &&
	grep "names the file" err &&
	test_must_fail psm edit $id --set reporters=x 2>err &&
	grep "holds a list" err &&
	test_must_fail psm edit $id --set "bad key=1" 2>err &&
	grep "invalid field name" err &&
	test_expect_code 129 psm edit $id --set novalue 2>err &&
	grep "key=value" err
'

test_expect_success 'nothing to change: no commit' '
	id=$(cat open) &&
	before=$(git rev-parse HEAD) &&
	psm edit $id --type bug --release 1.4.0 2>err &&
	grep "nothing to change" err &&
	test "$(git rev-parse HEAD)" = "$before"
'

test_expect_success '--no-commit writes the file only; --format json prints the issue' '
	id=$(cat open) &&
	before=$(git rev-parse HEAD) &&
	psm edit --no-commit --format json $id --release 1.5.0 >json &&
	grep "\"release\": \"1.5.0\"" json &&
	test "$(git rev-parse HEAD)" = "$before" &&
	git status --porcelain --untracked-files=no >st &&
	test_line_count = 1 st &&
	git checkout -- issues
'

test_expect_success 'the post-edit hook runs after a change' '
	id=$(cat open) &&
	mkdir -p .git/psm/hooks &&
	printf "#!/bin/sh\necho \"hook \$PSM_HOOK \$1\" >\"\$HOME/hook.out\"\n" >.git/psm/hooks/post-edit &&
	chmod +x .git/psm/hooks/post-edit &&
	psm edit $id --release 1.6.0 &&
	grep "^hook post-edit $(field $id id | tr -d \")" hook.out
'

test_expect_success 'without a field option and no terminal: a usage error' '
	test_expect_code 129 psm edit $(cat open) </dev/null 2>err &&
	grep "what should change" err
'

test_done
