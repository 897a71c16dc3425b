# Helpers for the psm site tests (t51xx): a realistic store with releases,
# a roadmap, known issues and private matter, and the tools that look at
# the built site (tidy, a feed parser, headless Chromium) as prerequisites.
#
# Uses lib-changelog.sh's mk, id, close_as, name_file, edit_commit.

. "$TEST_DIRECTORY"/lib-changelog.sh

# Debian's python3 has python3-feedparser; a python3 earlier on PATH may not.
for _py in python3 /usr/bin/python3
do
	if command -v "$_py" >/dev/null 2>&1 && "$_py" -c 'import feedparser' 2>/dev/null
	then
		FEED_PYTHON=$_py
		test_set_prereq FEEDPARSER
		break
	fi
done
command -v tidy >/dev/null 2>&1 && test_set_prereq TIDY
for _py in python3 /usr/bin/python3
do
	if command -v chromium >/dev/null 2>&1 && command -v "$_py" >/dev/null 2>&1
	then
		BROWSER_PYTHON=$_py
		test_set_prereq CHROMIUM
		break
	fi
done

# add_section NAME HEADING TEXT: append "## HEADING" with TEXT to the
# issue's body and commit, as someone editing the file would.
add_section () {
	_as_path=$(name_file "$1") &&
	printf '\n## %s\n\n%s\n' "$2" "$3" >>"$_as_path" &&
	test_tick &&
	git commit -q -m "$2 for $1" -- "$_as_path"
}

# set_field NAME KEY VALUE: replace (or add) a front-matter field and commit.
set_field () {
	_sf_path=$(name_file "$1") &&
	if grep -q "^$2:" "$_sf_path"
	then
		sed "s/^$2: .*/$2: $3/" "$_sf_path" >"$_sf_path.new"
	else
		sed "0,/^title: /s//$2: $3\\ntitle: /" "$_sf_path" >"$_sf_path.new"
	fi &&
	mv "$_sf_path.new" "$_sf_path" &&
	test_tick &&
	git commit -q -m "$2 for $1" -- "$_sf_path"
}

# setup_site_store: ./store, the notes app "Acme Notes": three releases
# (v1.0, v1.1, v1.2), strategic issues planned, in progress and shipped,
# known issues with summaries and workarounds, and private matter (churn,
# an account issue, internal notes, issues left without the opt-in label).
# Reporter addresses and customer names all end in .example or are
# listed in ../private-words, which the privacy test greps for.
setup_site_store () {
	mkdir store &&
	(
		cd store &&
		psm init >/dev/null &&
		mkdir -p docs &&
		cat >docs/logo.svg <<-\EOF &&
		<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#0969da"/><path d="M9 23V9h3l8 9V9h3v14h-3l-8-9v9z" fill="#fff"/></svg>
		EOF
		cat >>.psm/config.yml <<-\EOF &&
		site:
		  title: Acme Notes
		  description: What changed in Acme Notes, what is coming, and what is broken right now.
		  url: https://updates.acme.example/notes/
		  logo: docs/logo.svg
		EOF
		git add docs .psm/config.yml &&
		test_tick &&
		git commit -q -m "site config" &&

		mk SYNC "Sync stops after an hour offline" bug --reporter "Dana Ortiz <dana@initech.example>" --customer Initech &&
		mk PDF "Export a notebook to PDF" feature --reporter "Sam Lee <sam.lee@globex.example>" --customer Globex &&
		mk REFUND "Refund the March invoice for Hooli" account --reporter "Priya Raman <priya@hooli.example>" --customer Hooli &&
		mk LEAVE "Umbrella Corp is moving to another tool" bug -l churn --reporter "Ola Nordmann <ola@umbrella.example>" --customer "Umbrella Corp" &&
		psm note "$(id SYNC)" -m "Dana says their CTO is furious; offer Initech a credit." >/dev/null &&
		close_as SYNC fixed --release-note "Notes keep syncing after a long time offline." &&
		close_as PDF fixed --release-note "You can export a whole notebook to PDF." &&
		close_as REFUND fixed &&
		close_as LEAVE wontfix &&
		test_tick &&
		git tag v1.0 &&

		mk DARK "Dark mode for the editor" feature --reporter "Kim Park <kim@soylent.example>" --customer "Soylent" &&
		mk TAGS "Tags are lost when a note is moved" bug --reporter "Dana Ortiz <dana@initech.example>" --customer Initech &&
		mk INTERNALFIX "Rotate the database credentials" bug -l internal &&
		close_as DARK fixed &&
		close_as TAGS fixed --release-note "Moving a note keeps its tags." &&
		close_as INTERNALFIX fixed &&
		test_tick &&
		git tag -a -m "Acme Notes 1.1" v1.1 &&

		mk SHARE "Shared notebooks" feature --reporter "Sam Lee <sam.lee@globex.example>" --customer Globex -l public &&
		psm triage "$(id SHARE)" --impact strategic >/dev/null &&
		close_as SHARE fixed --release-note "Share a notebook with your team and edit it together." &&
		mk EMOJI "Emoji in titles break sorting" bug --reporter "Kim Park <kim@soylent.example>" &&
		close_as EMOJI fixed &&
		test_tick &&
		git tag v1.2 &&

		mk OFFLINE "Offline mode for the mobile app" feature -l public --reporter "Dana Ortiz <dana@initech.example>" --customer Initech &&
		mk ANDROID "Work offline on Android" feature --reporter "Kim Park <kim@soylent.example>" --customer Soylent &&
		test_tick &&
		psm dup "$(id ANDROID)" --of "$(id OFFLINE)" >/dev/null &&
		psm triage "$(id OFFLINE)" --impact strategic >/dev/null &&
		add_section OFFLINE "Public summary" "Read and edit your notes without a connection; changes sync when you are back online." &&
		mk CAL "Calendar view of notes" feature -l public --reporter "Sam Lee <sam.lee@globex.example>" --customer Globex &&
		psm triage "$(id CAL)" --impact strategic >/dev/null &&
		edit_commit CAL "s/^status: .*/status: in-progress/" &&
		add_section CAL "Public summary" "See your notes on a calendar by the date they were written or are due." &&
		mk API "Public API" feature -l public &&
		psm triage "$(id API)" --impact strategic >/dev/null &&
		mk SECRET "Acquire Initech's note product" feature &&
		psm triage "$(id SECRET)" --impact strategic >/dev/null &&
		mk PRIV "Merge the Globex and Hooli accounts" account -l public &&
		psm triage "$(id PRIV)" --impact strategic >/dev/null &&

		mk SEARCH "Search misses notes with accented letters" bug -l known-issue -l public --reporter "Priya Raman <priya@hooli.example>" --customer Hooli &&
		add_section SEARCH "Public summary" "Searching for *cafe* does not find notes that say *café*." &&
		add_section SEARCH "Workaround" "Search for the word as it is written, with its accents, or search for part of the word (*caf*)." &&
		edit_commit SEARCH "s/^status: .*/status: in-progress/" &&
		mk ATTACH "Attachments over 20 MB fail to upload" bug -l known-issue -l public &&
		add_section ATTACH "Workaround" "Split the file, or share a link to it from your cloud drive." &&
		mk QUIET "Large imports time out for Umbrella Corp" bug -l known-issue --customer "Umbrella Corp" &&
		psm note "$(id ATTACH)" -m "Root cause: nginx client_max_body_size on edge-3; ask Globex before changing it." >/dev/null
	) &&
	cat >private-words <<-\EOF
	dana@initech.example
	sam.lee@globex.example
	priya@hooli.example
	ola@umbrella.example
	kim@soylent.example
	Dana Ortiz
	Sam Lee
	Priya Raman
	Ola Nordmann
	Kim Park
	Initech
	Globex
	Hooli
	Umbrella
	Soylent
	CTO is furious
	edge-3
	credentials
	EOF
}
