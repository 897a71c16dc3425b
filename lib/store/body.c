#include "psm/body.h"

#include <string.h>
#include <strings.h>

#include "psm/conflict.h"
#include "psm/error.h"

/* Code fences: inside one, '#' lines are code, not headings. */
struct fence {
	char ch;     /* '`' or '~'; 0 outside a fence */
	size_t len;  /* length of the opening run */
};

static size_t skip_indent(const char *s, size_t len)
{
	size_t i = 0;

	while (i < 3 && i < len && s[i] == ' ')
		i++;
	return i;
}

/* Update f for this line; returns 1 if the line opens or closes a fence. */
static int fence_line(struct fence *f, const char *s, size_t len)
{
	size_t i = skip_indent(s, len), run = 0;

	if (i >= len || (s[i] != '`' && s[i] != '~'))
		return 0;
	while (i + run < len && s[i + run] == s[i])
		run++;
	if (run < 3)
		return 0;
	if (!f->ch) {
		f->ch = s[i];
		f->len = run;
		return 1;
	}
	if (s[i] != f->ch || run < f->len)
		return 0;
	for (i += run; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	f->ch = 0;
	return 1;
}

/* ATX heading level of a line (1-6), 0 if it is not a heading. */
static int heading_level(const char *s, size_t len, size_t *text)
{
	size_t i = skip_indent(s, len), n = 0;

	while (i + n < len && s[i + n] == '#')
		n++;
	if (!n || n > 6 || (i + n < len && s[i + n] != ' ' && s[i + n] != '\t'))
		return 0;
	*text = i + n;
	return (int)n;
}

static int name_is(const char *s, size_t len, const char *name)
{
	size_t nl = strlen(name);

	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '#'))
		len--;
	return len == nl && !strncasecmp(s, name, nl);
}

/* Line length without '\n' and a trailing '\r'. */
static size_t line_len(const char *s, size_t avail, size_t *next)
{
	const char *nl = memchr(s, '\n', avail);
	size_t l = nl ? (size_t)(nl - s) : avail;

	*next = nl ? l + 1 : l;
	if (l && s[l - 1] == '\r')
		l--;
	return l;
}

int psm_body_find(const struct strbuf *body, const char *name, size_t *heading,
		  size_t *content, size_t *end)
{
	struct fence f = { 0, 0 };
	size_t p = 0, next, text;
	int found = 0;

	while (p < body->len) {
		const char *s = body->buf + p;
		size_t l = line_len(s, body->len - p, &next);
		int level;

		if (fence_line(&f, s, l) || f.ch) {
			p += next;
			continue;
		}
		level = heading_level(s, l, &text);
		if (found && (level == 1 || level == 2)) {
			*end = p;
			return 1;
		}
		if (!found && level == 2 && name_is(s + text, l - text, name)) {
			found = 1;
			*heading = p;
			*content = p + next;
		}
		p += next;
	}
	if (found)
		*end = body->len;
	return found;
}

/* Start a new section at the end of the body. */
static void add_heading(struct strbuf *body, const char *name)
{
	if (body->len && body->buf[body->len - 1] != '\n')
		strbuf_addch(body, '\n');
	if (body->len)
		strbuf_addch(body, '\n');
	strbuf_addf(body, "## %s\n", name);
}

/* Replace body[from, to) with text. */
static int splice(struct strbuf *body, size_t from, size_t to, const struct strbuf *text)
{
	struct strbuf out = STRBUF_INIT;

	strbuf_add(&out, body->buf, from);
	strbuf_addbuf(&out, text);
	strbuf_add(&out, body->buf + to, body->len - to);
	if (out.oom) {
		strbuf_release(&out);
		return psm_oom();
	}
	strbuf_release(body);
	*body = out;
	return 0;
}

int psm_body_append(struct strbuf *body, const char *name, const char *entry)
{
	struct strbuf ins = STRBUF_INIT;
	size_t heading, content, end, p, q, next;
	int r;

	if (!psm_body_find(body, name, &heading, &content, &end)) {
		add_heading(body, name);
		content = end = body->len;
	}
	/* after the section's last non-blank line; keep the blank lines after it */
	for (q = p = content; p < end; p += next) {
		size_t l = line_len(body->buf + p, end - p, &next), i;

		for (i = 0; i < l && (body->buf[p + i] == ' ' || body->buf[p + i] == '\t'); i++)
			;
		if (i < l)
			q = p + next;
	}
	if (q && body->buf[q - 1] != '\n')
		strbuf_addch(&ins, '\n');
	strbuf_addch(&ins, '\n');
	strbuf_addstr(&ins, entry);
	if (q < body->len && body->buf[q] != '\n' && body->buf[q] != '\r')
		strbuf_addch(&ins, '\n');
	r = ins.oom ? psm_oom() : splice(body, q, q, &ins);
	strbuf_release(&ins);
	return r;
}

int psm_body_replace(struct strbuf *body, const char *name, const char *text)
{
	struct strbuf ins = STRBUF_INIT;
	size_t heading, content, end;
	int r;

	if (!psm_body_find(body, name, &heading, &content, &end)) {
		add_heading(body, name);
		content = end = body->len;
	}
	if (content && body->buf[content - 1] != '\n')
		strbuf_addch(&ins, '\n');
	strbuf_addf(&ins, "\n%s\n", text);
	if (end < body->len)
		strbuf_addch(&ins, '\n');
	r = ins.oom ? psm_oom() : splice(body, content, end, &ins);
	strbuf_release(&ins);
	return r;
}

int psm_body_get(struct strbuf *out, const struct strbuf *body, const char *name)
{
	size_t heading, content, end;

	if (!psm_body_find(body, name, &heading, &content, &end))
		return 0;
	while (content < end && strchr(" \t\r\n", body->buf[content]))
		content++;
	while (end > content && strchr(" \t\r\n", body->buf[end - 1]))
		end--;
	strbuf_add(out, body->buf + content, end - content);
	return out->oom ? psm_oom() : 0;
}

int psm_body_quote(struct strbuf *out, const char *text)
{
	struct fence f = { 0, 0 };
	size_t start = out->len, keep = out->len, len = strlen(text), p = 0, next;

	while (p < len) {
		const char *s = text + p;
		size_t l = line_len(s, len - p, &next), i, h;
		int blank;

		p += next;
		for (i = 0; i < l && (s[i] == ' ' || s[i] == '\t'); i++)
			;
		blank = i == l;
		if (blank && out->len == start)
			continue; /* leading blank lines */
		if (!fence_line(&f, s, l) && !f.ch) {
			h = skip_indent(s, l);
			if (h < l && s[h] == '#') {
				strbuf_add(out, s, h);
				strbuf_addch(out, '\\');
				s += h;
				l -= h;
			}
		}
		/* git's marker rule knows no fences: escaped in code too */
		if (psm_conflict_marker(s, l))
			strbuf_addch(out, '\\');
		strbuf_add(out, s, l);
		strbuf_addch(out, '\n');
		if (!blank)
			keep = out->len;
	}
	strbuf_setlen(out, keep); /* trailing blank lines */
	if (f.ch) {
		strbuf_addchars(out, f.ch, f.len);
		strbuf_addch(out, '\n');
	}
	return out->oom ? psm_oom() : 0;
}
