/*
 * Every label in use (store.h), for completion. A YAML parse of every
 * issue file is what `psm list` pays (seconds at 100,000 issues); this
 * reads only the `labels:` lines of each front matter, in the two forms a
 * YAML writer uses for a list of words (block "- x" lines, or "[x, y]").
 * A value it cannot read simply is not offered.
 */
#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "psm/error.h"
#include "psm/store.h"
#include "psm/validate.h"

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Insert s into the sorted seq unless it is there. */
static int add_sorted(struct psm_node *set, const char *s)
{
	size_t lo = 0, hi = set->n, i;
	struct psm_node *item;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(set->items[mid]->str, s);

		if (!c)
			return 0;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (psm_node_push(set, psm_node_scalar(s)) < 0)
		return psm_oom();
	item = set->items[set->n - 1];
	for (i = set->n - 1; i > lo; i--)
		set->items[i] = set->items[i - 1];
	set->items[lo] = item;
	return 0;
}

/* One list item (quotes as YAML writes them); kept only when it is a label
 * psm itself would write: what psm_label_normalize leaves as it is. */
static int add_label(struct psm_node *set, const char *s, size_t n)
{
	struct strbuf raw = STRBUF_INIT, norm = STRBUF_INIT;
	size_t i;
	int r = 0;

	while (n && is_space(s[n - 1]))
		n--;
	if (n >= 2 && s[0] == '\'' && s[n - 1] == '\'') {
		for (i = 1; i + 1 < n; i++) {
			strbuf_addch(&raw, s[i]);
			if (s[i] == '\'' && s[i + 1] == '\'')
				i++;
		}
	} else if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		if (!memchr(s, '\\', n))
			strbuf_add(&raw, s + 1, n - 2);
	} else if (n && s[0] != '#') {
		strbuf_add(&raw, s, n);
	}
	if (raw.oom || psm_label_normalize(&norm, raw.buf) < 0)
		r = psm_oom();
	else if (raw.len && !strcmp(raw.buf, norm.buf) && !memchr(raw.buf, 0x7f, raw.len))
		r = add_sorted(set, raw.buf);
	strbuf_release(&raw);
	strbuf_release(&norm);
	return r;
}

/* "[a, b]" */
static int add_flow(struct psm_node *set, const char *p, const char *end)
{
	const char *close = memchr(p, ']', (size_t)(end - p));
	int r = 0;

	if (!close)
		return 0;
	for (p++; r >= 0 && p < close; p++) {
		const char *comma = memchr(p, ',', (size_t)(close - p));
		const char *e = comma ? comma : close;

		while (p < e && is_space(*p))
			p++;
		r = add_label(set, p, (size_t)(e - p));
		p = e;
	}
	return r;
}

static int file_labels(struct psm_node *set, const char *text, size_t len)
{
	const char *end = text + len, *p, *eol;
	int in_list = 0, r;

	if (len < 4 || strncmp(text, "---", 3) || (text[3] != '\n' && text[3] != '\r') ||
	    !(p = memchr(text, '\n', len)))
		return 0;
	for (p++; p < end; p = eol + 1) {
		const char *e, *q;

		if (!(eol = memchr(p, '\n', (size_t)(end - p))))
			eol = end;
		e = eol > p && eol[-1] == '\r' ? eol - 1 : eol;
		if ((e - p == 3 && (!strncmp(p, "---", 3) || !strncmp(p, "...", 3))))
			break;
		if (in_list) {
			for (q = p; q < e && is_space(*q); q++)
				;
			if (q < e && *q == '-' && (q + 1 == e || is_space(q[1]))) {
				for (q++; q < e && is_space(*q); q++)
					;
				if ((r = add_label(set, q, (size_t)(e - q))) < 0)
					return r;
				continue;
			}
			break;
		}
		if (e - p >= 7 && !strncmp(p, "labels:", 7)) {
			for (q = p + 7; q < e && is_space(*q); q++)
				;
			if (q == e)
				in_list = 1;
			else if (*q == '[')
				return add_flow(set, q, e);
			else
				break;
		}
	}
	return 0;
}

/* The labels of the issue files in one shard (opened relative to it:
 * shorter path lookups, a tenth of the time at 100,000 files). */
static int shard_labels(struct psm_node *labels, const char *dir, struct strbuf *text)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int r = 0;

	if (!d)
		return 0; /* gone since it was listed */
	while (r >= 0 && (de = readdir(d))) {
		size_t l = strlen(de->d_name);
		int fd;

		if (l != PSM_ID_LEN + 3 || strcmp(de->d_name + PSM_ID_LEN, ".md"))
			continue;
		/* one that cannot be read now is psm check's business; a FIFO
		 * (a symbolic link can name one) reads as empty, never blocks */
		if ((fd = openat(dirfd(d), de->d_name, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0)
			continue;
		strbuf_reset(text);
		if (strbuf_read_fd(text, fd, 1 << 20) == 0)
			r = file_labels(labels, text->buf, text->len);
		close(fd);
	}
	closedir(d);
	return r;
}

int psm_store_labels(struct psm_node *labels, struct psm_store *s)
{
	struct psm_node *shards = psm_node_new(PSM_SEQ);
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	size_t i;
	int r;

	if (!shards)
		return psm_oom();
	r = psm_store_shards(shards, s);
	for (i = 0; r >= 0 && i < shards->n; i++) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s%s/%s", s->root, PSM_ISSUE_DIR, shards->items[i]->str);
		r = path.oom ? psm_oom() : shard_labels(labels, path.buf, &text);
	}
	if (text.oom && r >= 0)
		r = psm_oom();
	psm_node_free(shards);
	strbuf_release(&path);
	strbuf_release(&text);
	return r;
}
