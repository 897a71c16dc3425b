# Helpers for the usage tests (t81xx): a config that counts onboarding
# and adoption, and an export of two cohorts whose counts are known by
# construction (t8100 says what they are).

# ev USER EVENT TIME: one event as a JSON line
ev () {
	printf '{"user":"%s","event":"%s","time":"%s","properties":{"plan":"pro"}}\n' "$1" "$2" "$3"
}

# usage_config DIR: onboarding in three steps within 7 days; dashboards
# (release v1.4) and pdf-export (release 1.5)
usage_config () {
	cat >>"$1/.psm/config.yml" <<-\EOF
	onboarding:
	  signup: signed_up
	  steps: [created_project, invited_teammate, shared_report]
	  window: 7d
	adoption:
	  dashboards:
	    events: [dashboard_created, dashboard_shared]
	    release: v1.4
	  pdf-export:
	    events: pdf_exported
	    release: "1.5"
	EOF
}

# usage_export: the export, in time order, on stdout. W46 (Monday
# 2026-11-09) has ten signups: u1-u4 and u10 (in another order, its last
# step at the very end of its window) did all three steps, u9 its third
# after the window, u5 and u6 two, u7 one, u8 none. W47 has four: v1 did
# every step, v2 one; v3 and v4 were inside their window when the data
# ended (v2's ended with it). Dashboards: u1, u2 and v1 in W47 (twice
# each), u1 in W48; pdf-export: u5 in W48; u3 viewed a page in W47.
usage_export () {
	# cohort 2026-W46: ten signups, Monday 2026-11-09 on
	for u in 1 2 3 4
	do
		ev "u$u@acme.example" signed_up 2026-11-09T10:00:00Z &&
		ev "u$u@acme.example" created_project 2026-11-10T10:00:00Z &&
		ev "u$u@acme.example" invited_teammate 2026-11-11T10:00:00Z &&
		ev "u$u@acme.example" shared_report 2026-11-12T10:00:00Z || return 1
	done &&
	for u in 5 6
	do
		ev "u$u@acme.example" signed_up 2026-11-10T08:00:00+01:00 &&
		ev "u$u@acme.example" created_project 2026-11-11T10:00:00Z &&
		ev "u$u@acme.example" invited_teammate 2026-11-12T10:00:00Z || return 1
	done &&
	ev u7@acme.example signed_up 2026-11-11T10:00:00Z &&
	ev u7@acme.example created_project 2026-11-11T11:00:00Z &&
	ev u8@acme.example signed_up 2026-11-13T10:00:00Z &&
	# all three steps, the last two days after the window closed
	ev u9@acme.example signed_up 2026-11-09T12:00:00Z &&
	ev u9@acme.example created_project 2026-11-10T12:00:00Z &&
	ev u9@acme.example invited_teammate 2026-11-11T12:00:00Z &&
	ev u9@acme.example shared_report 2026-11-18T12:00:01Z &&
	# all three steps in another order, within the window
	ev u10@acme.example signed_up 2026-11-15T23:00:00Z &&
	ev u10@acme.example shared_report 2026-11-16T01:00:00Z &&
	ev u10@acme.example invited_teammate 2026-11-17T01:00:00Z &&
	ev u10@acme.example created_project 2026-11-22T23:00:00Z &&
	# cohort 2026-W47: four signups
	ev v1@beta.example signed_up 2026-11-16T10:00:00Z &&
	ev v1@beta.example created_project 2026-11-16T11:00:00Z &&
	ev v1@beta.example invited_teammate 2026-11-16T12:00:00Z &&
	ev v1@beta.example shared_report 2026-11-16T13:00:00Z &&
	ev v2@beta.example signed_up 2026-11-17T10:00:00Z &&
	ev v2@beta.example created_project 2026-11-17T11:00:00Z &&
	ev v3@beta.example signed_up 2026-11-18T10:00:00Z &&
	ev v4@beta.example signed_up 2026-11-22T10:00:00Z &&
	# dashboards in 2026-W47, twice each (duplicates); a page view
	for u in u1@acme.example u2@acme.example v1@beta.example
	do
		ev $u dashboard_created 2026-11-19T10:00:00Z &&
		ev $u dashboard_created 2026-11-19T10:00:00Z || return 1
	done &&
	ev u2@acme.example dashboard_shared 2026-11-20T10:00:00Z &&
	ev u3@acme.example page_view 2026-11-21T10:00:00Z &&
	# 2026-W48: the data ends on Tuesday 2026-11-24 (v4 still has time)
	ev u1@acme.example dashboard_created 2026-11-23T10:00:00Z &&
	ev u5@acme.example pdf_exported 2026-11-24T10:00:00Z
}
