/*
 * The back half of the index patch (gitindex.c): the extensions after the
 * entries, the cache tree among them, and writing the result with its
 * checksum.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "gitindex-int.h"

static int oom(void)
{
	return psm_error(PSM_ENOMEM, "out of memory");
}

/* A decimal number at *p (optionally negative), bounded by end. */
static int read_num(const unsigned char **p, const unsigned char *end, int neg_ok, long *val)
{
	int neg = neg_ok && *p < end && **p == '-';
	const unsigned char *q = *p + neg;

	*val = 0;
	if (q == end || *q < '0' || *q > '9')
		return -1;
	while (q < end && *q >= '0' && *q <= '9') {
		if (*val > (INT_MAX - 9) / 10)
			return -1;
		*val = *val * 10 + (*q++ - '0');
	}
	*val = neg ? -*val : *val;
	*p = q;
	return 0;
}

/* Does some change's path lie under prefix (a directory with '/', or "")? */
static int touched(const struct psm_index_change *c, size_t n, const struct strbuf *prefix)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(c[mid].path, prefix->buf) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && !strncmp(c[lo].path, prefix->buf, prefix->len);
}

/*
 * The cache tree with the nodes on the changed paths invalidated, appended
 * to out. Nodes come depth first: "name\0count nsub\n" plus a tree id when
 * count >= 0; an explicit stack, as the nesting depth is the file's to say.
 */
static int rewrite_tree(struct strbuf *out, const struct index *ix, const unsigned char *p,
			const unsigned char *end, const struct psm_index_change *c, size_t n)
{
	struct level { long left; size_t plen; } *stack = NULL, *grown;
	struct strbuf dir = STRBUF_INIT;
	size_t depth = 1, alloc = 16;
	int err = 0;

	if (!(stack = malloc(alloc * sizeof(*stack)))) {
		err = oom();
		goto cleanup;
	}
	stack[0].left = 1;
	stack[0].plen = 0;
	while (depth) {
		const unsigned char *node = p, *name_end, *nsub_at;
		long count, nsub;

		if (!stack[depth - 1].left) {
			depth--;
			continue;
		}
		stack[depth - 1].left--;
		strbuf_setlen(&dir, stack[depth - 1].plen);
		if (!(name_end = memchr(p, 0, (size_t)(end - p)))) {
			err = psm_index_malformed(ix, "bad cache tree");
			goto cleanup;
		}
		p = name_end + 1;
		if (read_num(&p, end, 1, &count) < 0 || p == end || *p++ != ' ') {
			err = psm_index_malformed(ix, "bad cache tree");
			goto cleanup;
		}
		nsub_at = p;
		if (read_num(&p, end, 0, &nsub) < 0 || p == end || *p++ != '\n' ||
		    (count >= 0 && end - p < HASH_SIZE)) {
			err = psm_index_malformed(ix, "bad cache tree");
			goto cleanup;
		}
		if (count >= 0)
			p += HASH_SIZE;
		if (depth > 1) { /* the root's name is empty and not part of paths */
			strbuf_add(&dir, node, (size_t)(name_end - node));
			strbuf_addch(&dir, '/');
		}
		if (dir.oom) {
			err = oom();
			goto cleanup;
		}
		if (touched(c, n, &dir)) {
			strbuf_add(out, node, (size_t)(name_end - node) + 1);
			strbuf_addstr(out, "-1 ");
			strbuf_add(out, nsub_at, (size_t)(p - nsub_at) - (count >= 0 ? HASH_SIZE : 0));
		} else {
			strbuf_add(out, node, (size_t)(p - node));
		}
		if (depth == alloc) {
			if (!(grown = realloc(stack, 2 * alloc * sizeof(*stack)))) {
				err = oom();
				goto cleanup;
			}
			stack = grown;
			alloc *= 2;
		}
		stack[depth].left = nsub;
		stack[depth++].plen = dir.len;
	}
	if (p != end)
		err = psm_index_malformed(ix, "bad cache tree");
	else if (out->oom)
		err = oom();
cleanup:
	free(stack);
	strbuf_release(&dir);
	return err;
}

int psm_index_find_ext(const unsigned char **data, size_t *len, const struct index *ix,
		       const char *sig)
{
	size_t pos = ix->off[ix->count], end = ix->size - HASH_SIZE, l;
	const unsigned char *e;

	*data = NULL;
	*len = 0;
	for (; pos < end; pos += 8 + l) {
		e = ix->map + pos;
		if (end - pos < 8 || (l = get32(e + 4)) > end - pos - 8)
			return psm_index_malformed(ix, "extension runs past the end");
		if (!memcmp(e, sig, 4)) {
			*data = e + 8;
			*len = l;
			return 0;
		}
	}
	return 0;
}

int psm_index_extensions(struct out *o, struct strbuf *tree, const struct index *ix,
			 const struct psm_index_change *c, size_t n, const struct strbuf *link)
{
	size_t pos = ix->off[ix->count], end = ix->size - HASH_SIZE, len;
	const unsigned char *e;
	int err;

	while (pos < end) {
		e = ix->map + pos;
		if (end - pos < 8 || (len = get32(e + 4)) > end - pos - 8)
			return psm_index_malformed(ix, "extension runs past the end");
		if (!memcmp(e, "link", 4) && link) {
			if ((err = psm_index_push(o, link->buf, link->len)) < 0)
				return err;
		} else if (e[0] < 'A' || e[0] > 'Z') {
			return PSM_INDEX_UNSUPPORTED; /* e.g. sparse "sdir" */
		}
		if (!memcmp(e, "TREE", 4)) {
			if (tree->len)
				return psm_index_malformed(ix, "two cache trees");
			if (strbuf_add(tree, e, 8) < 0)
				return oom();
			if ((err = rewrite_tree(tree, ix, e + 8, e + 8 + len, c, n)) < 0)
				return err;
			put32((unsigned char *)tree->buf + 4, (uint32_t)(tree->len - 8));
			if ((err = psm_index_push(o, tree->buf, tree->len)) < 0)
				return err; /* tree stays as it is from here on */
		} else if (!memcmp(e, "REUC", 4) && (err = psm_index_push(o, e, 8 + len)) < 0) {
			return err;
		}
		pos += 8 + len;
	}
	return 0;
}

int psm_index_write(const char *path, struct out *o, unsigned char *hash)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	struct iovec *v;
	size_t i, left;
	int fd = -1, err = 0;

	if (!md || !EVP_DigestInit_ex(md, EVP_sha1(), NULL)) {
		err = psm_error(PSM_ERROR, "could not hash the index: no sha-1");
		goto cleanup;
	}
	for (i = 0; i < o->n; i++)
		if (!EVP_DigestUpdate(md, o->v[i].iov_base, o->v[i].iov_len))
			break;
	if (i < o->n || !EVP_DigestFinal_ex(md, hash, NULL)) {
		err = psm_error(PSM_ERROR, "could not hash the index");
		goto cleanup;
	}
	if ((err = psm_index_push(o, hash, HASH_SIZE)) < 0)
		goto cleanup;
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666)) < 0) {
		err = psm_error_errno(PSM_ERROR, "could not create '%s'", path);
		goto cleanup;
	}
	for (v = o->v, left = o->n; left;) {
		ssize_t w = writev(fd, v, left < IOV_MAX ? (int)left : IOV_MAX);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			err = psm_error_errno(PSM_ERROR, "could not write '%s'", path);
			goto cleanup;
		}
		/* a short write: go on from where it stopped */
		for (; left && (size_t)w >= v->iov_len; v++, left--)
			w -= (ssize_t)v->iov_len;
		if (left) {
			v->iov_base = (char *)v->iov_base + w;
			v->iov_len -= (size_t)w;
		}
	}
	if (close(fd) < 0)
		err = psm_error_errno(PSM_ERROR, "could not write '%s'", path);
	fd = -1;
cleanup:
	if (fd >= 0)
		close(fd);
	EVP_MD_CTX_free(md);
	return err;
}

