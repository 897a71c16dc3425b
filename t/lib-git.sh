# lib-git.sh: what t0011-t0014 share. After psm writes, git itself must find
# the repository sound: the checks below use only git's own commands.

# git_repo DIR: a code repository with history, made a psm store, with the
# user's own work in progress: a staged change and an unstaged one.
git_repo () {
	git init -q "$1" && (
		cd "$1" &&
		mkdir -p src &&
		echo "int main(void) { return 0; }" >src/main.c &&
		echo "A project." >README &&
		git add . && git commit -q -m "the code" &&
		psm init >/dev/null &&
		echo "Staged by the user." >>README && git add README &&
		echo "/* unstaged */" >>src/main.c
	)
}

# user_state FILE: what git says of everything but the store: the index
# entries (mode, blob, stage) and the status of the user's own paths.
user_state () {
	{
		git ls-files -s -- . ":(exclude)issues" ":(exclude).psm" ":(exclude).gitattributes" &&
		git status --porcelain=v2 --untracked-files=all -- . ":(exclude)issues" ":(exclude).psm"
	} >"$1"
}

# git_agrees BEFORE: checked with git itself after psm's writes: fsck
# passes, the user's paths are as they were (BEFORE from user_state), and
# psm's paths are staged as in HEAD and clean by their stat data (as git
# add leaves them: diff-files does not re-read files).
git_agrees () {
	_t=$TRASH_DIRECTORY/.lib-git
	git fsck --full --no-progress >"$_t.fsck" 2>&1 || { cat "$_t.fsck" >&2; return 1; }
	grep -v "^dangling" "$_t.fsck" >"$_t.bad"
	test ! -s "$_t.bad" || { cat "$_t.bad" >&2; return 1; }
	user_state "$_t.after" && test_cmp "$1" "$_t.after" &&
	git diff --cached --quiet HEAD -- issues .psm ||
		{ echo "psm's paths differ from HEAD in the index" >&2; return 1; }
	git diff-files --quiet -- issues .psm ||
		{ echo "psm's paths are not clean by stat" >&2; git diff-files -- issues >&2; return 1; }
	git status --porcelain=v2 --untracked-files=all -- issues .psm >"$_t.st" &&
	test_line_count = 0 "$_t.st"
}

# git_survives: git's everyday commands that an index it cannot read
# would break: reset --hard, checkout of another branch and back, merge.
git_survives () {
	git reset -q --hard &&
	git checkout -q -b psm-check-branch &&
	git checkout -q - &&
	git merge -q psm-check-branch &&
	git branch -q -D psm-check-branch &&
	git status --porcelain --untracked-files=all >"$TRASH_DIRECTORY/.lib-git.all" &&
	test_line_count = 0 "$TRASH_DIRECTORY/.lib-git.all"
}

# index_version: the version number in the index file's header.
index_version () {
	od -An -tu1 -j7 -N1 "${1:-.git/index}" | tr -d " "
}

# several_writes: one of each kind of psm write that changes an issue.
several_writes () {
	id=$(psm intake -t "Export fails" -m "CSV export times out." \
		--reporter "Dana <dana@acme.example>") &&
	psm tag "$id" +export >/dev/null &&
	psm close "$id" --resolution fixed --release-note "Exports finish." >/dev/null
}
