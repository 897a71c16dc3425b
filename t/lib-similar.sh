# Helpers for the similar-issue tests (t402x): the first reports of a store.

# take_in_first_reports: psm init, then three unrelated reports whose short
# IDs land in the files signin, csv and dark.
take_in_first_reports () {
	psm init &&
	psm intake -t "Cannot sign in after password reset" \
		-m "After resetting my password the login page says invalid credentials." >signin &&
	test_tick &&
	psm intake -t "Export to CSV drops the last row" \
		-m "The exported CSV file is missing the final row of the report." >csv &&
	test_tick &&
	psm intake -t "Dark mode for the dashboard" -m "A dark theme would be easier on the eyes." >dark &&
	test_tick
}
