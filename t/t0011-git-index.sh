#!/bin/sh

test_description='the index after psm commits, written by git itself

psm has no reader or writer of git'"'"'s index: git update-index writes the
entries of the paths psm committed, on every index git can write (versions
2, 3 and 4, a split index, a sparse index, feature.manyFiles), with the
files'"'"' stat data as git add leaves them. Checked with git alone: fsck,
the user'"'"'s staged and unstaged work, psm'"'"'s paths staged as in HEAD and
clean by stat, then reset --hard, checkout and merge. A failed write puts
the index back byte for byte. An index split by an earlier psm is made one
file again, once, saying so.'

. ./test-lib.sh
. "$TEST_DIRECTORY/lib-git.sh"

test_expect_success 'each kind of write leaves git index entries clean by stat' '
	git_repo kinds && (
		cd kinds &&
		user_state ../before &&
		a=$(psm intake -t "Login fails" -m "After a reset." --reporter "Ana <ana@a.example>") &&
		git diff-files --quiet -- issues && git_agrees ../before &&
		b=$(psm intake -t "Login broken" -m "Same." --reporter "Bo <bo@b.example>") &&
		for write in "tag $a +auth" "assign $a ana@a.example" "reply $a -m Thanks" \
			"note $a -m internal" "status $a in-progress" "triage $b --impact core" \
			"dup $b --of $a" "close $a --resolution fixed --release-note Fixed." \
			"followup $a --done" "rate $a good --reporter ana@a.example" \
			"reopen $a -m again" "park $a --until 2w"
		do
			psm $write >/dev/null 2>&1 || { echo "psm $write failed" >&2; exit 1; }
			git diff-files --quiet -- issues || { echo "not clean after psm $write" >&2; exit 1; }
			git_agrees ../before || exit 1
		done &&
		printf "%s\n" "{\"title\": \"From chat\", \"body\": \"hi\", \"external_id\": \"c1\"}" \
			"{\"title\": \"From chat 2\", \"body\": \"ho\", \"external_id\": \"c2\"}" |
			psm intake --jsonl --source chat >/dev/null &&
		git diff-files --quiet -- issues && git_agrees ../before &&
		printf "title,body\nFrom the form,Typed in a form\n" | psm intake --csv --source form >/dev/null &&
		git diff-files --quiet -- issues && git_agrees ../before &&
		psm intake --email "$TEST_DIRECTORY/t6000/encoded-q.eml" >/dev/null 2>&1 &&
		git diff-files --quiet -- issues && git_agrees ../before &&
		python3 -c "import json,sys; json.dump(json.load(open(sys.argv[1]))[:2], sys.stdout)" "$TEST_DIRECTORY/t6030/gh-issues.json" >../gh.json &&
		psm import github ../gh.json >/dev/null 2>&1 &&
		git diff-files --quiet -- issues && git_agrees ../before &&
		git_survives
	)
'

test_expect_success 'index version 2 stays 2' '
	git_repo v2 && (
		cd v2 &&
		git update-index --index-version 2 &&
		user_state ../before &&
		several_writes &&
		test "$(index_version)" = 2 &&
		git_agrees ../before &&
		git_survives
	)
'

test_expect_success 'index version 3 (an intent-to-add entry) stays 3' '
	git_repo v3 && (
		cd v3 &&
		echo new >intended.c && git add -N intended.c &&
		test "$(index_version)" = 3 &&
		user_state ../before &&
		several_writes &&
		test "$(index_version)" = 3 &&
		git_agrees ../before &&
		git ls-files --debug intended.c >/dev/null &&
		git_survives
	)
'

test_expect_success 'index version 4 stays 4' '
	git_repo v4 && (
		cd v4 &&
		git update-index --index-version 4 &&
		user_state ../before &&
		several_writes &&
		test "$(index_version)" = 4 &&
		git_agrees ../before &&
		git_survives
	)
'

test_expect_success 'feature.manyFiles (version 4, untracked cache)' '
	git_repo many && (
		cd many &&
		git config feature.manyFiles true &&
		git status >/dev/null && git update-index --index-version 4 &&
		user_state ../before &&
		several_writes &&
		test "$(index_version)" = 4 &&
		git_agrees ../before &&
		git_survives
	)
'

test_expect_success 'a split index the user enabled stays split, git reads it' '
	git_repo split && (
		cd split &&
		git config core.splitIndex true &&
		git update-index --split-index &&
		shared=$(git rev-parse --shared-index-path) &&
		test -n "$shared" &&
		user_state ../before &&
		several_writes 2>../err &&
		test_line_count = 0 ../err &&
		test -n "$(git rev-parse --shared-index-path)" &&
		git_agrees ../before &&
		git_survives &&
		test -n "$(git rev-parse --shared-index-path)"
	)
'

test_expect_success 'a sparse index (index.sparse, cone mode with the store in it)' '
	git_repo sparse && (
		cd sparse &&
		mkdir -p other/deep && echo x >other/deep/f && echo y >other/g &&
		git add other && git commit -q -m other &&
		git sparse-checkout set --cone src issues .psm &&
		git config index.sparse true &&
		git sparse-checkout reapply &&
		test ! -e other/g &&
		git ls-files --sparse >../ls && grep "^other/$" ../ls &&
		user_state ../before &&
		several_writes &&
		git ls-files --sparse >../ls && grep "^other/$" ../ls &&
		git_agrees ../before &&
		git_survives
	)
'

if git -c index.skipHash=true version >/dev/null 2>&1 &&
	git config --help 2>/dev/null | grep -q skipHash
then
	test_set_prereq SKIPHASH
fi
test_expect_success SKIPHASH 'index.skipHash' '
	git_repo skip && (
		cd skip &&
		git config index.skipHash true &&
		git update-index --really-refresh >/dev/null &&
		user_state ../before &&
		several_writes &&
		git_agrees ../before &&
		git_survives
	)
'
test_have_prereq SKIPHASH ||
	echo "# skipped index.skipHash: git $(git version | cut -d" " -f3) predates it (2.40)"

test_expect_success 'a failed write puts the index back byte for byte, user-staged issue included' '
	git_repo rollback && (
		cd rollback &&
		id=$(psm intake -t "Staged by hand" -m "x") &&
		f=$(git ls-files "issues/*/$id*.md") &&
		sed "s/^title: .*/title: Edited and staged by hand/" "$f" >tmp && mv tmp "$f" &&
		git add "$f" &&
		echo "and an unstaged edit" >>"$f" &&
		cp "$f" ../file.before &&
		cp .git/index ../index.before &&
		head=$(git rev-parse HEAD) &&
		: >.git/refs/heads/main.lock &&
		test_expect_code 128 psm tag "$id" +oops 2>../err;
		rm -f .git/refs/heads/main.lock &&
		grep "main.lock" ../err &&
		cmp .git/index ../index.before &&
		test_cmp ../file.before "$f" &&
		test "$(git rev-parse HEAD)" = "$head" &&
		git diff --cached --name-only >../staged &&
		grep "$f" ../staged
	)
'

test_expect_success 'an index an earlier psm split (core.splitIndex unset) is made one file, once' '
	git_repo oldsplit && (
		cd oldsplit &&
		git update-index --split-index &&
		test -n "$(git rev-parse --shared-index-path)" &&
		# a store an earlier psm kept has no marker of the check
		rm -f .git/psm/index-unsplit &&
		user_state ../before &&
		psm intake -t "first after the upgrade" >/dev/null 2>../err &&
		grep "index is one file again" ../err &&
		test -z "$(git rev-parse --shared-index-path)" &&
		psm intake -t "second" >/dev/null 2>../err2 &&
		test_line_count = 0 ../err2 &&
		git_agrees ../before &&
		git_survives &&
		# checked once: a split the user asks for later is left alone
		git update-index --split-index &&
		psm intake -t "third" >/dev/null &&
		test -n "$(git rev-parse --shared-index-path)"
	)
'

test_expect_success 'psm never splits an index itself' '
	git_repo nosplit && (
		cd nosplit &&
		git config psm.splitIndex 1 &&
		several_writes 2>../err &&
		test_line_count = 0 ../err &&
		test -z "$(git rev-parse --shared-index-path)" &&
		! ls .git/sharedindex.* 2>/dev/null
	)
'

# A git in PATH that, once git hash-object has read the file psm commits,
# writes to it as an editor would: the race psm must not hide.
real_git=$(command -v git)
mkdir bin && cat >bin/git <<EOF
#!/bin/sh
"$real_git" "\$@" || exit
if test "\$1" = hash-object && test -n "\$RACE_FILE"
then
	echo "typed meanwhile" >>"\$RACE_FILE"
fi
EOF
chmod +x bin/git

test_expect_success 'a file edited while psm commits: committed blob staged, the edit unstaged' '
	git_repo race && (
		cd race &&
		id=$(psm intake -t "Race" -m "x") &&
		f=$(git ls-files "issues/*/$id*.md") &&
		RACE_FILE=$f PATH="$TRASH_DIRECTORY/bin:$PATH" psm tag "$id" +raced >/dev/null &&
		grep "typed meanwhile" "$f" &&
		git show HEAD:"$f" >../committed &&
		grep "raced" ../committed && ! grep "typed meanwhile" ../committed &&
		git diff --cached --quiet HEAD -- "$f" &&
		git status --porcelain -- "$f" >../st &&
		echo " M $f" >../expect && test_cmp ../expect ../st
	)
'

test_done
