/*
 * The query parser: the input, split at newlines, is the argument list of
 * `psm list`. Whatever parses must then match (or not) a fixed issue
 * without trouble; whatever does not must leave a message.
 */
#include <string.h>

#include "psm/error.h"
#include "fuzz.h"
#include "psm/issue.h"
#include "psm/query.h"

static const char sample[] =
	"---\nid: 7kq2m9xabc\ntitle: Login fails on Safari\nstatus: triaged\n"
	"type: bug\nimpact: core\nlabels:\n- auth\n- ui\nowner: ana@example.com\n"
	"customer: Acme\nsource: email\nreporters:\n- name: Dana\n  email: d@a.example\n"
	"created: 2026-11-20T10:00:00Z\nupdated: 2026-11-21T10:00:00Z\n---\n"
	"Cannot log in after the reset.\n";

int psm_fuzz_query(const uint8_t *data, size_t size)
{
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	struct psm_query_ctx ctx = { .me = "ana@example.com", .now = 1795168800 };
	struct psm_issue *issue = NULL;
	struct psm_query *q = NULL;
	const char **argv = NULL;
	char *text = malloc(size + 1);
	int argc = 0, r;
	size_t i;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (!(argv = calloc(size / 1 + 2, sizeof(*argv))))
		goto done;
	argv[argc++] = text;
	for (i = 0; i < size; i++)
		if (text[i] == '\n') {
			text[i] = '\0';
			argv[argc++] = text + i + 1;
		}
	argv[argc] = NULL;
	r = psm_query_parse(&q, argc, argv, &ctx);
	if (r < 0) {
		FUZZ_ASSERT(psm_error_last() && *psm_error_last());
		goto done;
	}
	FUZZ_ASSERT(psm_issue_parse(&issue, sample, sizeof(sample) - 1, &err) == 0);
	r = psm_query_match(q, issue);
	FUZZ_ASSERT(r == 0 || r == 1);
	(void)psm_query_needs_me(argc, argv);
done:
	psm_query_free(q);
	psm_issue_free(issue);
	strbuf_release(&err.msg);
	free(argv);
	free(text);
	psm_error_clear();
	return 0;
}

#ifndef PSM_FUZZ_NO_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return psm_fuzz_query(data, size);
}
#endif
