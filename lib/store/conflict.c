/* Merge conflict markers: git's rule, for psm check and text for customers. */
#include "psm/conflict.h"

#include <string.h>

#include "psm/error.h"

int psm_conflict_marker(const char *s, size_t len)
{
	size_t i;

	if (len < 7 || !s[0] || !strchr("<=>|", s[0]))
		return 0;
	for (i = 1; i < 7; i++)
		if (s[i] != s[0])
			return 0;
	return len == 7 || s[7] == ' ' || s[7] == '\t' || s[7] == '\r' || s[7] == '\v' ||
	       s[7] == '\f';
}

int psm_conflict_line(const char *text, size_t len)
{
	size_t p = 0;
	int line = 1;

	while (p < len) {
		const char *nl = memchr(text + p, '\n', len - p);
		size_t end = nl ? (size_t)(nl - text) : len;

		if (psm_conflict_marker(text + p, end - p))
			return line;
		p = end + 1;
		line++;
	}
	return 0;
}

/* Does the line at s (length n, without '\n') start with marker m? */
static int is_marker(const char *s, size_t n, const char *m, int exact)
{
	if (n && s[n - 1] == '\r')
		n--;
	if (n < 7 || memcmp(s, m, 7))
		return 0;
	return n == 7 || (!exact && s[7] == ' ');
}

int psm_conflict_block_line(const char *text, size_t len)
{
	static const char *const marks[] = { "<<<<<<<", "=======", ">>>>>>>" };
	size_t p = 0;
	int line = 1, first = 0, want = 0;

	/* all three, in order: a key that merely starts with "<<<<<<<" is no conflict */
	while (p < len && want < 3) {
		const char *nl = memchr(text + p, '\n', len - p);
		size_t end = nl ? (size_t)(nl - text) : len;

		if (is_marker(text + p, end - p, marks[want], want == 1)) {
			if (!want)
				first = line;
			want++;
		}
		p = end + 1;
		line++;
	}
	return want == 3 ? first : 0;
}

int psm_issue_conflict_line(const struct psm_issue *issue)
{
	int line = psm_conflict_line(issue->body.buf, issue->body.len);

	return line ? issue->body_line + line - 1 : 0;
}

int psm_issue_refuse_conflict(const struct psm_issue *issue, const char *what)
{
	const char *id = psm_issue_get(issue, "id");
	int line = psm_issue_conflict_line(issue);

	if (!line)
		return 0;
	return psm_error(PSM_EINVALID,
			 "%s:%d: unresolved merge conflict in '%s': resolve it (keep one side, delete the marker lines) before %s",
			 issue->path ? issue->path : "-", line, id ? id : "?", what);
}

int psm_conflict_escape(struct strbuf *text)
{
	struct strbuf out = STRBUF_INIT;
	size_t p = 0, len = text->len;
	int n = 0;

	if (!psm_conflict_line(text->buf, len))
		return 0;
	while (p < len) {
		const char *nl = memchr(text->buf + p, '\n', len - p);
		size_t end = nl ? (size_t)(nl - text->buf) + 1 : len;

		if (psm_conflict_marker(text->buf + p, (nl ? end - 1 : end) - p)) {
			strbuf_addch(&out, '\\');
			n++;
		}
		strbuf_add(&out, text->buf + p, end - p);
		p = end;
	}
	if (out.oom) {
		strbuf_release(&out);
		return psm_oom();
	}
	strbuf_release(text);
	*text = out;
	return n;
}
