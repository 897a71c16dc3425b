/*
 * Patching git's index file in place of a libgit2 load-modify-write (why,
 * and what is handled, in gitindex.h). The format is git's
 * Documentation/gitformat-index.txt: a 12-byte header, the entries sorted by
 * name then stage, extensions, and a SHA-1 of everything before it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "error.h"
#include "gitindex-int.h"
#include "grow.h"

static int oom(void)
{
	return psm_error(PSM_ENOMEM, "out of memory");
}

/* Where a change lands: the first entry not sorting before its path. */
struct spot {
	size_t pos;
	int found;          /* entry pos is the path's stage-0 entry */
};

static int cmp_change(const void *key, const void *elem)
{
	return strcmp(key, ((const struct psm_index_change *)elem)->path);
}

/*
 * Where change k goes, or PSM_INDEX_UNSUPPORTED when the entry has a
 * conflict or flags to keep, or an entry or other change is a directory of
 * the path, or sits under it (git would have to remove one for the other).
 */
static int locate(struct spot *s, const struct index *ix, const struct psm_index_change *c,
		  size_t n, size_t k, struct strbuf *key)
{
	const char *path = c[k].path, *name, *slash;
	size_t plen = strlen(path), len;
	int r;

	s->pos = psm_index_lower_bound(ix, path, plen);
	s->found = 0;
	if (s->pos < ix->count) {
		name = psm_index_name(ix, s->pos, &len);
		if (len == plen && !memcmp(name, path, plen)) {
			if (psm_index_flags(ix, s->pos) & (F_ASSUME | F_EXTENDED | F_STAGE))
				return PSM_INDEX_UNSUPPORTED;
			s->found = 1;
			if (s->pos + 1 < ix->count) {
				name = psm_index_name(ix, s->pos + 1, &len);
				if (len == plen && !memcmp(name, path, plen))
					return PSM_INDEX_UNSUPPORTED; /* stage 0 beside 1-3 */
			}
		}
	}
	for (slash = strchr(path, '/'); slash; slash = strchr(slash + 1, '/')) {
		strbuf_reset(key);
		if (strbuf_add(key, path, (size_t)(slash - path)) < 0)
			return oom();
		if (bsearch(key->buf, c, n, sizeof(*c), cmp_change))
			return PSM_INDEX_UNSUPPORTED;
	}
	if ((r = psm_index_df_clash(ix, path, key)) < 0)
		return r;
	return r ? PSM_INDEX_UNSUPPORTED : 0;
}

/*
 * One edit of the entry list, at entry pos: that entry dropped (skip),
 * and an entry put in before it (ent, unless NULL). Applied in the order
 * of pos, then name.
 */
struct edit {
	size_t pos;
	int skip;
	const unsigned char *ent;
	size_t len;
	const char *name;   /* not NUL-terminated when it points into the map */
	size_t nlen;
};

struct edits {
	struct edit *v;
	size_t n, alloc;
};

static int add_edit(struct edits *ed, size_t pos, int skip, const unsigned char *ent,
		    size_t len, const char *name, size_t nlen)
{
	struct edit *v = psm_grow(ed->v, ed->n, &ed->alloc, sizeof(*v), 16);

	if (!v)
		return oom();
	ed->v = v;
	ed->v[ed->n].pos = pos;
	ed->v[ed->n].skip = skip;
	ed->v[ed->n].ent = ent;
	ed->v[ed->n].len = len;
	ed->v[ed->n].name = name ? name : "";
	ed->v[ed->n++].nlen = name ? nlen : 0;
	return 0;
}

static int cmp_edit(const void *a, const void *b)
{
	const struct edit *x = a, *y = b;

	int r;

	if (x->pos != y->pos)
		return x->pos < y->pos ? -1 : 1;
	r = memcmp(x->name, y->name, x->nlen < y->nlen ? x->nlen : y->nlen);
	return r ? r : (x->nlen > y->nlen) - (x->nlen < y->nlen);
}

/* Is name[0..len) (not NUL-terminated) one of the changes' paths? */
static int changes_have(const struct psm_index_change *c, size_t n, const char *name, size_t len)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2, plen = strlen(c[mid].path);
		int r = memcmp(c[mid].path, name, plen < len ? plen : len);

		if (!r)
			r = (plen > len) - (plen < len);
		if (!r)
			return 1;
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/*
 * A split index: the changes' effect on the shared entries (a removal
 * marks the path's shared entry deleted, and drops its replacement), and
 * the shared entries that look racily clean against the front, which go
 * into the front smudged, as git puts them there.
 */
static int split_edits(struct edits *ed, struct split *sp, const struct index *front,
		       uint32_t front_sec, const struct psm_index_change *c, size_t n,
		       struct strbuf *key)
{
	struct index *base = &sp->base;
	size_t k, i, found, drop, len;
	int err;

	for (k = 0; k < n; k++) {
		if ((err = psm_index_df_clash(base, c[k].path, key)) < 0)
			return err;
		if (err)
			return PSM_INDEX_UNSUPPORTED;
		if ((err = psm_split_find(sp, front, c[k].path, &found)))
			return err;
		if (c[k].exists || found == SIZE_MAX)
			continue;
		if ((err = psm_split_remove(sp, found, &drop)) < 0)
			return err;
		if (drop != SIZE_MAX && (err = add_edit(ed, drop, 1, NULL, 0, NULL, 0)) < 0)
			return err;
	}
	for (i = 0; front_sec && sp->max_mtime >= front_sec && i < base->count; i++) {
		size_t esize;
		/* the map is private: smudging it below never reaches the file */
		unsigned char *e = (unsigned char *)psm_index_entry(base, i, &esize);
		const char *name;

		if (!e)
			return 0; /* base->bad: the caller starts again */
		if (get32(e + 8) < front_sec || !get32(e + 36) || !psm_split_live(sp, i))
			continue;
		name = psm_index_name(base, i, &len);
		if (changes_have(c, n, name, len) || psm_index_has(front, name, len))
			continue;
		if ((psm_index_flags(base, i) & F_EXTENDED) && front->version < 3)
			return PSM_INDEX_UNSUPPORTED;
		put32(e + 36, 0);
		if ((err = add_edit(ed, psm_index_lower_bound(front, name, len), 0, e, esize, name,
				    len)) < 0)
			return err;
	}
	return 0;
}

int psm_index_push(struct out *o, const void *base, size_t len)
{
	struct iovec *v;

	if (!len)
		return 0;
	if (!(v = psm_grow(o->v, o->n, &o->alloc, sizeof(*v), 64)))
		return oom();
	o->v = v;
	o->v[o->n].iov_base = (void *)base;
	o->v[o->n++].iov_len = len;
	return 0;
}

/* A fresh stage-0 entry, as git add writes it; returns its length. */
static size_t make_entry(unsigned char *e, const struct psm_index_change *c)
{
	size_t len = strlen(c->path), esize = (ENTRY_FIXED + len + 8) & ~(size_t)7;
	const struct stat *st = &c->st;

	memset(e, 0, esize);
	/* git keeps the low 32 bits of each stat field */
	put32(e, (uint32_t)st->st_ctim.tv_sec);
	put32(e + 4, (uint32_t)st->st_ctim.tv_nsec);
	put32(e + 8, (uint32_t)st->st_mtim.tv_sec);
	put32(e + 12, (uint32_t)st->st_mtim.tv_nsec);
	put32(e + 16, (uint32_t)st->st_dev);
	put32(e + 20, (uint32_t)st->st_ino);
	put32(e + 24, 0100644);
	put32(e + 28, (uint32_t)st->st_uid);
	put32(e + 32, (uint32_t)st->st_gid);
	put32(e + 36, (uint32_t)st->st_size);
	memcpy(e + 40, c->oid, 20);
	e[60] = (unsigned char)((len < F_NAMEMASK ? len : F_NAMEMASK) >> 8);
	e[61] = (unsigned char)(len < F_NAMEMASK ? len : F_NAMEMASK);
	memcpy(e + ENTRY_FIXED, c->path, len);
	return esize;
}

/* The header, with the entry count the edits leave. */
static int push_header(struct out *o, unsigned char *header, const struct index *ix,
		       const struct edits *ed)
{
	size_t count = ix->count, k;

	for (k = 0; k < ed->n; k++)
		count += (ed->v[k].ent != NULL) - (size_t)ed->v[k].skip;
	if (count > UINT32_MAX)
		return psm_index_malformed(ix, "too many entries");
	memcpy(header, ix->map, 8);
	put32(header + 8, (uint32_t)count);
	return psm_index_push(o, header, HDR_SIZE);
}

/* The header, the entries with the edits applied (sorted), as pieces. */
static int emit_entries(struct out *o, unsigned char *header, const struct index *ix,
			const struct edits *ed)
{
	size_t cur = ix->off[0], k;
	int err;

	if ((err = push_header(o, header, ix, ed)) < 0)
		return err;
	/* Untouched runs of entries go out straight from the map. */
	for (k = 0; k < ed->n; k++) {
		const struct edit *d = &ed->v[k];

		if (ix->off[d->pos] < cur)
			return psm_error(PSM_ERROR, "index edits overlap at '%.*s'", (int)d->nlen,
					 d->name);
		if ((err = psm_index_push(o, ix->map + cur, ix->off[d->pos] - cur)) < 0 ||
		    (d->ent && (err = psm_index_push(o, d->ent, d->len)) < 0))
			return err;
		cur = ix->off[d->pos + (size_t)d->skip];
	}
	return psm_index_push(o, ix->map + cur, ix->off[ix->count] - cur);
}

/* Append entry (fixed part, then name) encoded against prev, version 4's way. */
static void put_v4(struct strbuf *arena, const unsigned char *fixed, size_t hdr, const char *name,
		   size_t nlen, const char *prev, size_t prevlen)
{
	unsigned char v[16];
	size_t common = 0;

	while (common < nlen && common < prevlen && name[common] == prev[common])
		common++;
	strbuf_add(arena, fixed, hdr);
	strbuf_add(arena, v, psm_index_put_varint(v, prevlen - common));
	strbuf_add(arena, name + common, nlen - common);
	strbuf_addch(arena, 0);
}

/*
 * Version 4 stores each name against the one before it, so the first
 * untouched entry after an edit is written again against its new
 * predecessor, and so are inserted entries; the rest of each untouched run
 * goes out straight from the map. The arena is sized first (pass 0), so
 * pieces can point into it while it is filled (pass 1).
 */
static int emit_entries_v4(struct out *o, unsigned char *header, const struct index *ix,
			   const struct edits *ed, struct strbuf *arena)
{
	size_t need = 0, j, k, stop, plen, nlen, at;
	const char *prev, *name;
	int pass, err;

	if ((err = push_header(o, header, ix, ed)) < 0)
		return err;
	for (pass = 0; pass < 2; pass++) {
		if (pass && strbuf_grow(arena, need) < 0)
			return oom();
		for (k = 0, j = 0, prev = "", plen = 0; k <= ed->n; k++) {
			const struct edit *d = k < ed->n ? &ed->v[k] : NULL;

			stop = d ? d->pos : ix->count;
			if (stop < j)
				return psm_error(PSM_ERROR, "index edits overlap at '%.*s'",
						 (int)d->nlen, d->name);
			if (j < stop) {
				name = psm_index_name(ix, j, &nlen);
				need += 64 + 16 + nlen + 1;
				if (pass) {
					at = arena->len;
					put_v4(arena, ix->map + ix->off[j], psm_index_hdr(ix, j), name,
					       nlen, prev, plen);
					if ((err = psm_index_push(o, arena->buf + at, arena->len - at)) < 0 ||
					    (err = psm_index_push(o, ix->map + ix->off[j + 1],
								  ix->off[stop] - ix->off[j + 1])) < 0)
						return err;
				}
				prev = psm_index_name(ix, stop - 1, &plen);
			}
			if (!d)
				break;
			if (d->ent) {
				need += 64 + 16 + d->nlen + 1;
				if (pass) {
					at = arena->len;
					put_v4(arena, d->ent, entry_hdr(d->ent),
					       d->name, d->nlen, prev, plen);
					if ((err = psm_index_push(o, arena->buf + at, arena->len - at)) < 0)
						return err;
				}
				prev = d->name;
				plen = d->nlen;
			}
			j = stop + (size_t)d->skip;
		}
	}
	return 0;
}

/*
 * Does opts want a one-file index split: does opts->split_prefix (or the
 * whole index) hold at least opts->split_at entries once the changes are
 * made?
 */
static int want_split(const struct psm_index_opts *opts, const struct index *ix,
		      const struct psm_index_change *c, size_t n, const struct spot *spots)
{
	const char *prefix = opts && opts->split_prefix ? opts->split_prefix : "";
	size_t plen = strlen(prefix), count = ix->count, k;
	char *end;

	if (!opts || !opts->split_at)
		return 0;
	if (plen) {
		if (prefix[plen - 1] != '/')
			return psm_error(PSM_EINVALID, "split index prefix '%s' is not a directory",
					 prefix);
		if (!(end = strdup(prefix)))
			return oom();
		end[plen - 1]++; /* "issues0": just past every "issues/..." */
		count = psm_index_lower_bound(ix, end, plen) - psm_index_lower_bound(ix, prefix, plen);
		free(end);
	}
	for (k = 0; k < n; k++) {
		if (strncmp(c[k].path, prefix, plen))
			continue;
		if (c[k].exists && !spots[k].found)
			count++;
		else if (!c[k].exists && spots[k].found)
			count--;
	}
	return count >= opts->split_at;
}

/*
 * The front of a newly split index (psm_split_create has written the
 * entries as the shared index): a header with no entries, the link, then
 * the extensions, git's order.
 */
static int emit_front(struct out *o, unsigned char *header, struct strbuf *link,
		      struct strbuf *tree, const struct index *ix,
		      const struct psm_index_change *c, size_t n)
{
	int err;

	o->n = 0;
	memcpy(header, ix->map, 8);
	put32(header + 8, 0);
	if ((err = psm_index_push(o, header, HDR_SIZE)) < 0 ||
	    (err = psm_index_push(o, link->buf, link->len)) < 0)
		return err;
	return psm_index_extensions(o, tree, ix, c, n, NULL);
}

/* patch_once's answer when the offsets cache misplaced a shared entry. */
#define CACHE_VOID 2

static int patch_once(const char *index_path, const char *out_path,
		      const struct psm_index_change *c, size_t n, struct psm_index_opts *opts,
		      int use_cache)
{
	struct index ix = { .path = index_path };
	struct split sp = { .path = STRBUF_INIT, .cache_path = STRBUF_INIT };
	struct strbuf key = STRBUF_INIT, tree = STRBUF_INIT, link = STRBUF_INIT;
	struct strbuf arena = STRBUF_INIT;
	struct out o = { NULL, 0, 0 };
	struct edits ed = { NULL, 0, 0 };
	struct spot *spots = NULL;
	unsigned char header[HDR_SIZE], hash[HASH_SIZE], *entries = NULL, *e;
	const unsigned char *ext = NULL;
	size_t k, total = 0, extlen = 0;
	struct stat st;
	int fd, split = 0, err = 0;

	if (opts)
		opts->split_done = 0;
	if ((fd = open(index_path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return PSM_INDEX_UNSUPPORTED; /* libgit2 creates one */
		return psm_error_errno(PSM_ERROR, "could not open '%s'", index_path);
	}
	if (fstat(fd, &st) < 0) {
		err = psm_error_errno(PSM_ERROR, "could not stat '%s'", index_path);
		goto cleanup;
	}
	if ((err = psm_index_map(&ix, fd, &st)) ||
	    (err = psm_index_parse(&ix, (uint32_t)st.st_mtim.tv_sec)) < 0 ||
	    (err = psm_index_find_ext(&ext, &extlen, &ix, "link")) < 0 ||
	    (ext && (err = psm_split_open(&sp, &ix, ext, extlen, use_cache))))
		goto cleanup;
	if (!(spots = calloc(n ? n : 1, sizeof(*spots)))) {
		err = oom();
		goto cleanup;
	}
	for (k = 0; k < n; k++) {
		if (k && strcmp(c[k - 1].path, c[k].path) >= 0) {
			err = psm_error(PSM_EINVALID, "index changes not sorted: '%s'", c[k].path);
			goto cleanup;
		}
		if ((err = locate(&spots[k], &ix, c, n, k, &key)))
			goto cleanup;
		if (c[k].exists)
			total += (ENTRY_FIXED + strlen(c[k].path) + 8) & ~(size_t)7;
	}
	if (!(entries = malloc(total ? total : 1))) {
		err = oom();
		goto cleanup;
	}
	for (k = 0, e = entries; k < n; k++) {
		size_t len = c[k].exists ? make_entry(e, &c[k]) : 0;

		if ((c[k].exists || spots[k].found) &&
		    (err = add_edit(&ed, spots[k].pos, spots[k].found, len ? e : NULL, len,
				    c[k].path, strlen(c[k].path))) < 0)
			goto cleanup;
		e += len;
	}
	if (ext)
		err = split_edits(&ed, &sp, &ix, (uint32_t)st.st_mtim.tv_sec, c, n, &key);
	if (ext && sp.base.bad) {
		psm_split_drop_cache(&sp);
		err = CACHE_VOID;
	}
	if (err)
		goto cleanup;
	if (!ext && (split = want_split(opts, &ix, c, n, spots)) < 0) {
		err = split;
		goto cleanup;
	}
	if (ed.n)
		qsort(ed.v, ed.n, sizeof(*ed.v), cmp_edit);
	if ((err = ix.version == 4 ? emit_entries_v4(&o, header, &ix, &ed, &arena)
				   : emit_entries(&o, header, &ix, &ed)) < 0)
		goto cleanup;
	if (split) {
		struct out scratch = { NULL, 0, 0 };

		/* Extensions first, so a mandatory one leaves no shared index behind. */
		err = psm_index_extensions(&scratch, &tree, &ix, c, n, NULL);
		free(scratch.v);
		strbuf_reset(&tree);
		if (err || (err = psm_split_create(&link, &o, index_path)) < 0 ||
		    (err = emit_front(&o, header, &link, &tree, &ix, c, n)) ||
		    (err = psm_index_write(out_path, &o, hash)) < 0)
			goto cleanup;
		opts->split_done = 1;
		goto cleanup;
	}
	if ((ext && (err = psm_split_link(&link, &sp, ext, extlen)) < 0) ||
	    (err = psm_index_extensions(&o, &tree, &ix, c, n, ext ? &link : NULL)) ||
	    (err = psm_index_write(out_path, &o, hash)) < 0)
		goto cleanup;
	if (ext)
		psm_split_freshen(&sp);
cleanup:
	psm_index_release(&ix);
	close(fd);
	psm_split_close(&sp);
	free(spots);
	free(entries);
	free(ed.v);
	free(o.v);
	strbuf_release(&key);
	strbuf_release(&tree);
	strbuf_release(&link);
	strbuf_release(&arena);
	return err;
}

int psm_index_patch(const char *index_path, const char *out_path,
		    const struct psm_index_change *c, size_t n, struct psm_index_opts *opts)
{
	int r = patch_once(index_path, out_path, c, n, opts, 1);

	/* a cache that does not fit is dropped, and the shared index walked */
	return r == CACHE_VOID ? patch_once(index_path, out_path, c, n, opts, 0) : r;
}
