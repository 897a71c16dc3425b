/*
 * Reading an mbox (email.h: psm_mbox_read) as a stream: read(2) in blocks,
 * never a seek or a map, so standard input may be a pipe that delivers a
 * few bytes at a time (cat inbox | psm intake --mbox). Only the message
 * being read is held in memory; each is parsed on its own (psm_mail_parse),
 * so one broken message does not take the rest with it.
 *
 * A message starts at a line beginning "From " (mboxo and mboxrd, as GMime
 * and mutt split them). In the body, mboxrd's escaping is undone: one '>'
 * is taken off a line of '>'s and "From ", as mutt and notmuch do.
 */
#include "psm/email.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "psm/error.h"

#define BLOCK 65536

struct reader {
	int fd, eof;
	struct strbuf in; /* read, not yet taken */
	size_t pos;       /* next line in `in` */
	int64_t base;     /* input offset of in.buf[0] */
	const char *name;
};

/* The next line, with its newline if any, and its offset; 0 at the end. */
static int next_line(struct reader *rd, const char **line, size_t *len, int64_t *offset)
{
	const char *nl;

	for (;;) {
		nl = memchr(rd->in.buf + rd->pos, '\n', rd->in.len - rd->pos);
		if (nl || rd->eof)
			break;
		if (rd->pos > BLOCK) { /* keep only what is not taken yet */
			memmove(rd->in.buf, rd->in.buf + rd->pos, rd->in.len - rd->pos);
			rd->in.len -= rd->pos;
			rd->base += (int64_t)rd->pos;
			rd->pos = 0;
		}
		if (strbuf_grow(&rd->in, BLOCK) < 0)
			return psm_oom();
		for (;;) {
			ssize_t n = read(rd->fd, rd->in.buf + rd->in.len, BLOCK);

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return psm_error_errno(PSM_ERROR, "could not read '%s'", rd->name);
			rd->in.len += (size_t)n;
			rd->in.buf[rd->in.len] = '\0';
			rd->eof = n == 0;
			break;
		}
	}
	*line = rd->in.buf + rd->pos;
	*len = nl ? (size_t)(nl - *line) + 1 : rd->in.len - rd->pos;
	*offset = rd->base + (int64_t)rd->pos;
	rd->pos += *len;
	return *len > 0;
}

/* An empty line: the end of a message's header. */
static int empty(const char *line, size_t len)
{
	return (len == 1 && line[0] == '\n') || (len == 2 && line[0] == '\r' && line[1] == '\n');
}

/* White space only: before the first "From " line, it holds nothing. */
static int blank(const char *line, size_t len)
{
	while (len && (line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\r' ||
		       line[len - 1] == '\n'))
		len--;
	return !len;
}

/* Hand one message to fn; the blank line the mbox puts before the next
 * "From " line is the separator's, not the message's. */
static int deliver(struct strbuf *msg, int number, int64_t offset, psm_mbox_fn fn, void *data)
{
	struct psm_mail *mail = NULL;
	int r;

	if (msg->oom)
		return psm_oom();
	if (msg->len >= 2 && !memcmp(msg->buf + msg->len - 2, "\n\n", 2))
		msg->len--;
	else if (msg->len >= 4 && !memcmp(msg->buf + msg->len - 4, "\r\n\r\n", 4))
		msg->len -= 2;
	r = psm_mail_parse(&mail, msg->buf, msg->len);
	if (r == PSM_ENOMEM)
		return r;
	r = fn(data, number, offset, mail, mail ? NULL : psm_error_last());
	strbuf_reset(msg);
	return r < 0 ? r : 0;
}

int psm_mbox_read(int fd, const char *name, psm_mbox_fn fn, void *data)
{
	struct reader rd = { fd, 0, STRBUF_INIT, 0, 0, name };
	struct strbuf msg = STRBUF_INIT;
	int64_t offset = 0, start = -1;
	const char *line = NULL;
	size_t len = 0;
	int number = 0, body = 0, r;

	/* GMime missing is one error, not one per message */
	if ((r = psm_mail_ready()) < 0) {
		close(fd);
		return r;
	}
	while ((r = next_line(&rd, &line, &len, &offset)) > 0) {
		if (len >= 5 && !memcmp(line, "From ", 5)) {
			if (start >= 0 && (r = deliver(&msg, number, start, fn, data)) < 0)
				break;
			start = offset;
			number++;
			body = 0;
			continue;
		}
		if (start < 0) {
			if (blank(line, len))
				continue;
			r = psm_error(PSM_EPARSE, "'%s' is not an mbox: no 'From ' line at the start", name);
			break;
		}
		if (body && line[0] == '>') {
			size_t k = 1;

			while (k < len && line[k] == '>')
				k++;
			if (len - k >= 5 && !memcmp(line + k, "From ", 5)) {
				line++;
				len--;
			}
		}
		body |= empty(line, len);
		strbuf_add(&msg, line, len);
	}
	if (r == 0 && start >= 0)
		r = deliver(&msg, number, start, fn, data);
	close(fd);
	strbuf_release(&rd.in);
	strbuf_release(&msg);
	return r;
}
