# Helpers for the psm changelog tests (t5xxx): a store with a tagged history.
#
# ids/NAME holds the short ID psm intake printed for the issue called NAME;
# expected outputs are written with @NAME@ placeholders and filled in by
# fill_ids.

# mk NAME TITLE TYPE [INTAKE-OPTION...]: a new issue, its ID in ids/NAME.
mk () {
	_mk_name=$1 _mk_title=$2 _mk_type=$3
	shift 3
	mkdir -p ../ids &&
	test_tick &&
	psm intake -t "$_mk_title" --type "$_mk_type" "$@" >../ids/$_mk_name
}

# id NAME: the issue's short ID.
id () {
	cat "../ids/$1"
}

# close_as NAME RESOLUTION [CLOSE-OPTION...]
close_as () {
	_cl_name=$1 _cl_res=$2
	shift 2
	test_tick &&
	psm close "$(id $_cl_name)" --resolution "$_cl_res" "$@" >/dev/null
}

# reopen NAME
reopen () {
	test_tick &&
	psm reopen "$(id $1)" >/dev/null
}

# name_file NAME: the issue's file.
name_file () {
	ls issues/*/"$(id $1)"*.md
}

# edit_commit NAME SED-SCRIPT: edit the issue's file by hand and commit it.
edit_commit () {
	_ec_path=$(name_file "$1") &&
	sed "$2" "$_ec_path" >"$_ec_path.new" &&
	mv "$_ec_path.new" "$_ec_path" &&
	test_tick &&
	git commit -q -m "edit $1" -- "$_ec_path"
}

# fill_ids <IN >OUT: replace @NAME@ with ids/NAME.
fill_ids () {
	_fi_script=
	for _fi in ../ids/*
	do
		_fi_script="$_fi_script
s/@${_fi##*/}@/$(cat "$_fi")/g"
	done
	sed "$_fi_script"
}

# setup_history: in ./store, issues closed before v1.0, between v1.0 and
# v1.1 (fixed, duplicate, wontfix, internal, reopened, closed again), and
# after v1.1 (one committed, one in the working tree only).
setup_history () {
	mkdir store &&
	(
		cd store &&
		psm init >/dev/null &&
		mk OLD "Old crash" bug &&
		mk REFIX "Crash on big files" bug &&
		mk KEEP "Password rules unclear" bug &&
		close_as OLD fixed &&
		close_as REFIX fixed &&
		close_as KEEP answered &&
		test_tick &&
		git tag v1.0 &&
		mk FEAT "Export to CSV" feature --reporter "Ann <ann@example.com>" &&
		mk BUG "Crash when saving a draft" bug --reporter "Bob <bob@example.com>" &&
		mk DUP "App crashes on save" bug --reporter "Cy <cy@example.com>" &&
		mk UX "Settings page is confusing" usability &&
		mk DOC "API docs lack examples" docs &&
		mk HOWTO "How to export?" bug &&
		mk WONT "Support Windows XP" feature &&
		mk INT "Refactor the cache" bug -l internal &&
		mk FLIP "Dark mode flickers" bug &&
		mk KNOWN "Sync is slow on big accounts" bug -l known-issue &&
		mk NEXT "Calendar view" feature &&
		close_as FEAT fixed --release-note "You can now export any list to CSV." &&
		close_as BUG fixed &&
		close_as DUP duplicate --duplicate-of "$(id BUG)" &&
		close_as UX fixed &&
		close_as DOC documented &&
		close_as HOWTO documented &&
		close_as WONT wontfix &&
		close_as INT fixed &&
		close_as FLIP fixed &&
		reopen FLIP &&
		reopen REFIX &&
		close_as REFIX fixed --release-note "Big files no longer crash the app." &&
		close_as KEEP fixed &&
		edit_commit NEXT "s/^status: new\$/status: in-progress/" &&
		git tag v1.1 &&
		mk LATE "Search ignores accents" bug &&
		close_as LATE fixed &&
		mk WT "Typo on the login page" bug &&
		close_as WT fixed --no-commit
	)
}
