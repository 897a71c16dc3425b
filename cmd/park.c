/* psm park ID --until DATE: set an issue aside; it returns to the triage
 * queue (psm triage --queue) on that date. */
#include <stdio.h>
#include <string.h>

#include "builtin.h"
#include "hook.h"
#include "loop-util.h"
#include "notify.h"
#include "parse-options.h"
#include "psm/loop.h"
#include "psm/time.h"
#include "psm/query.h"
#include "triage.h"

int park_until(struct strbuf *date, const char *spec, int64_t now)
{
	int64_t t, d;

	if (psm_time_parse(spec, &t) < 0) {
		if (psm_duration_parse(spec, &d) < 0)
			return psm_error(PSM_EINVALID,
					 "invalid date '%s': use YYYY-MM-DD or a duration like 2w or 30d",
					 spec);
		t = now + d;
	}
	psm_error_clear();
	t -= ((t % 86400) + 86400) % 86400; /* the day it comes back, from midnight UTC */
	if (t <= now - ((now % 86400) + 86400) % 86400)
		return psm_error(PSM_EINVALID, "'%s' is not after today: park until a later date", spec);
	if (psm_time_format(date, t) < 0)
		return PSM_ENOMEM;
	strbuf_setlen(date, 10); /* YYYY-MM-DD */
	return 0;
}

int park_apply(struct psm_issue *issue, const char *date, const char *now)
{
	if (!psm_issue_is_open(issue))
		return psm_error(PSM_EINVALID, "issue '%s' is closed: reopen it before parking it",
				 psm_issue_get(issue, "id"));
	if (psm_issue_set(issue, "status", "parked") < 0 ||
	    psm_issue_set(issue, "parked_until", date) < 0 ||
	    psm_issue_set(issue, "triaged", now) < 0 ||
	    psm_issue_set(issue, "updated", now) < 0)
		return psm_error(PSM_ENOMEM, "out of memory");
	return 0;
}

int cmd_park(int argc, const char **argv, struct psm_store *s)
{
	static const char *const usage[] = {
		"psm park <id> --until <date> [-m <reason>]   (YYYY-MM-DD, or a duration like 2w)",
		NULL
	};
	const char *until = NULL, *format = NULL, *reason = NULL;
	int no_commit = 0, code = 0, notify;
	struct option opts[] = {
		OPT_STRING(0, "until", &until, "date", "when it returns to the triage queue"),
		OPT_STRING('m', "message", &reason, "reason", "why, for the reporters (e-mailed when psm.notify has park)"),
		OPT_STRING(0, "format", &format, "fmt", "output: text (the ID) or json"),
		OPT_NO_COMMIT(&no_commit),
		OPT_END(),
	};
	struct strbuf date = STRBUF_INIT, msg = STRBUF_INIT;
	enum output_format fmt;
	struct psm_issue *issue;
	struct psm_txn *t;

	argc = parse_options(argc, argv, opts, usage, 0);
	if (argc != 1)
		usage_error(usage, opts, argc ? "park takes one issue ID" : "which issue? give its ID");
	if (!until)
		usage_error(usage, opts, "--until is required: the date it comes back to the queue");
	fmt = parse_format(format, "text,json");
	s->no_commit |= no_commit;
	if (park_until(&date, until, now_or_die()) < 0)
		die_psm();
	notify = notify_wanted(s, "park");
	if (notify && (!reason || !reason[strspn(reason, " \t\n")]))
		die("psm.notify tells the reporters why it is parked: give the reason with -m <reason>");
	t = begin_or_die(s);
	issue = load_in_txn(t, s, argv[0]);
	if (park_apply(issue, date.buf, now_string()) < 0)
		die_txn_psm(t);
	if (reason && reason[strspn(reason, " \t\n")] &&
	    psm_loop_timeline(issue, "note", who_or_die(s), reason, now_string()) < 0)
		die_txn_psm(t);
	commit_message(&msg, s, "park", issue);
	if (commit_or_die(t, &issue, 1, NULL, msg.buf)) {
		code = run_hook(s, "park", issue);
	} else {
		say_unchanged(s, issue, "already parked until then");
		notify = 0;
	}
	print_issue_result(s, issue, fmt);
	if (notify && psm_issue_count(issue, "reporters"))
		code |= notify_park(s, psm_issue_get(issue, "id"), reason, date.buf);
	psm_issue_free(issue);
	strbuf_release(&date);
	strbuf_release(&msg);
	return code;
}
