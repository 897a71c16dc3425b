#include "psm/snapshot.h"

#include <errno.h>
#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "psm/error.h"
#include "psm/git.h"
#include "psm/grow.h"

struct psm_snap {
	git_repository *repo;
	int owns_repo;       /* else borrowed from a sibling snapshot */
	struct psm_store *store;
	git_commit *commit;  /* NULL for the working tree */
	git_tree *root;      /* the commit's tree; HEAD's for the working tree (NULL if unborn) */
	git_tree *issues;    /* root's issues/ subtree, NULL if none */
	int worktree;
	char **dirty;        /* working tree: sorted paths that differ from HEAD */
	size_t ndirty;
	git_tree *shard;     /* the shard tree read last (callers go in path order) */
	char shard_name[3];
	char hex[GIT_OID_HEXSZ + 1];
};

/* A growable list of owned path strings. */
struct paths {
	char **v;
	size_t n, alloc;
};

static int paths_add(struct paths *p, const char *s, size_t len)
{
	if (p->n == p->alloc) {
		char **nv = psm_grow(p->v, p->n, &p->alloc, sizeof(*nv), 64);

		if (!nv)
			return psm_oom();
		p->v = nv;
	}
	if (!(p->v[p->n] = psm_strndup(s, len)))
		return psm_oom();
	p->n++;
	return 0;
}

static void paths_release(struct paths *p)
{
	while (p->n)
		free(p->v[--p->n]);
	free(p->v);
	memset(p, 0, sizeof(*p));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort and drop duplicates, so callers see each path once, in order. */
static void paths_sort_unique(struct paths *p)
{
	size_t i, n = 0;

	if (!p->n)
		return;
	qsort(p->v, p->n, sizeof(*p->v), cmp_str);
	for (i = 0; i < p->n; i++) {
		if (n && !strcmp(p->v[n - 1], p->v[i]))
			free(p->v[i]);
		else
			p->v[n++] = p->v[i];
	}
	p->n = n;
}

static int paths_call(struct paths *p, psm_snap_fn fn, void *data)
{
	size_t i;
	int r;

	paths_sort_unique(p);
	for (i = 0; i < p->n; i++)
		if ((r = fn(p->v[i], data)) < 0)
			return r;
	return 0;
}

static int is_dirty(const struct psm_snap *snap, const char *path)
{
	return snap->ndirty &&
	       bsearch(&path, snap->dirty, snap->ndirty, sizeof(*snap->dirty), cmp_str) != NULL;
}

/* The message for a revision we cannot read, naming the fix. */
static int missing_rev(git_repository *repo, const char *rev)
{
	if (git_repository_is_shallow(repo) == 1)
		return psm_error(PSM_ENOTFOUND,
				 "unknown revision '%s': this is a shallow clone without that history; "
				 "run 'git fetch --unshallow --tags' (in CI: fetch-depth: 0)", rev);
	return psm_error(PSM_ENOTFOUND,
			 "unknown revision '%s': if it is a tag, fetch the tags with 'git fetch --tags'",
			 rev);
}

static int open_commit(struct psm_snap *snap, const char *rev)
{
	git_object *obj = NULL, *peeled = NULL;
	int err;

	err = git_revparse_single(&obj, snap->repo, rev);
	if (err == GIT_ENOTFOUND || err == GIT_EINVALIDSPEC) {
		err = missing_rev(snap->repo, rev);
		goto cleanup;
	}
	if (err < 0) {
		err = psm_error_git(PSM_ERROR, "could not read revision '%s'", rev);
		goto cleanup;
	}
	if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
		err = psm_error(PSM_EINVALID, "revision '%s' does not name a commit", rev);
		goto cleanup;
	}
	snap->commit = (git_commit *)peeled;
	peeled = NULL;
	git_oid_tostr(snap->hex, sizeof(snap->hex), git_commit_id(snap->commit));
	if (git_commit_tree(&snap->root, snap->commit) < 0)
		err = missing_rev(snap->repo, rev); /* a partial or shallow clone */
cleanup:
	git_object_free(peeled);
	git_object_free(obj);
	return err;
}

static int open_head(struct psm_snap *snap)
{
	git_reference *head = NULL;
	git_commit *c = NULL;
	int err = git_repository_head(&head, snap->repo);

	if (err == GIT_EUNBORNBRANCH || err == GIT_ENOTFOUND)
		return 0; /* no commit yet: every file is on disk only */
	if (err < 0)
		return psm_error_git(PSM_ERROR, "could not read HEAD");
	if (git_commit_lookup(&c, snap->repo, git_reference_target(head)) < 0 ||
	    git_commit_tree(&snap->root, c) < 0)
		err = psm_error_git(PSM_ERROR, "could not read the commit HEAD points to");
	git_commit_free(c);
	git_reference_free(head);
	return err;
}

/* Files under issues/ that differ between HEAD and the disk, in the index or not. */
static int read_dirty(struct psm_snap *snap)
{
	git_diff_options o;
	char *spec[] = { PSM_ISSUE_DIR };
	struct paths p = { 0 };
	git_diff *diff = NULL;
	size_t i;
	int err = 0;

	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	o.pathspec.strings = spec;
	o.pathspec.count = 1;
	o.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS;
	if (git_diff_tree_to_workdir_with_index(&diff, snap->repo, snap->root, &o) < 0) {
		err = psm_error_git(PSM_ERROR, "could not compare the working tree with HEAD");
		goto cleanup;
	}
	for (i = 0; i < git_diff_num_deltas(diff); i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		const char *path = d->new_file.path ? d->new_file.path : d->old_file.path;

		if ((err = paths_add(&p, path, strlen(path))) < 0)
			goto cleanup;
	}
	paths_sort_unique(&p);
	snap->dirty = p.v;
	snap->ndirty = p.n;
	memset(&p, 0, sizeof(p));
cleanup:
	paths_release(&p);
	git_diff_free(diff);
	return err;
}

static int find_issues_tree(struct psm_snap *snap)
{
	const git_tree_entry *e;

	if (!snap->root)
		return 0;
	e = git_tree_entry_byname(snap->root, PSM_ISSUE_DIR);
	if (!e || git_tree_entry_type(e) != GIT_OBJECT_TREE)
		return 0;
	if (git_tree_lookup(&snap->issues, snap->repo, git_tree_entry_id(e)) < 0)
		return psm_error_git(PSM_ERROR, "could not read the '%s' tree", PSM_ISSUE_DIR);
	return 0;
}

/* Open a snapshot on repo (NULL: a new handle of the store's repository). */
static int snap_open(struct psm_snap **out, struct psm_store *s, git_repository *repo,
		     const char *rev)
{
	struct psm_snap *snap = calloc(1, sizeof(*snap));
	int err;

	*out = NULL;
	if (!snap)
		return psm_oom();
	psm_git_lib_init();
	/*
	 * Like git, trust the object store when reading: re-hashing every tree
	 * and blob read was most of the cost of a release on a big store. And
	 * keep shard trees (~4 KiB at 100 issues each) in libgit2's cache, so
	 * the diff and the reads after it parse each one once.
	 */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)256 << 10);
	snap->store = s;
	snap->repo = repo;
	/* Our own handle: libpsm's git layer keeps its repository private. */
	if (!repo) {
		snap->owns_repo = 1;
		if ((err = psm_git_reopen(&snap->repo, s->git)) < 0)
			goto fail;
	}
	snap->worktree = !rev;
	if (rev)
		err = open_commit(snap, rev);
	else if (!(err = open_head(snap)))
		err = read_dirty(snap);
	if (err < 0 || (err = find_issues_tree(snap)) < 0)
		goto fail;
	*out = snap;
	return 0;
fail:
	psm_snap_free(snap);
	return err;
}

int psm_snap_open(struct psm_snap **out, struct psm_store *s, const char *rev)
{
	return snap_open(out, s, NULL, rev);
}

int psm_snap_open_sibling(struct psm_snap **out, struct psm_snap *base, const char *rev)
{
	return snap_open(out, base->store, base->repo, rev);
}

void psm_snap_free(struct psm_snap *snap)
{
	size_t i;

	if (!snap)
		return;
	for (i = 0; i < snap->ndirty; i++)
		free(snap->dirty[i]);
	free(snap->dirty);
	git_tree_free(snap->shard);
	git_tree_free(snap->issues);
	git_tree_free(snap->root);
	git_commit_free(snap->commit);
	if (snap->owns_repo)
		git_repository_free(snap->repo);
	free(snap);
	git_libgit2_shutdown();
}

const char *psm_snap_commit(const struct psm_snap *snap)
{
	return snap->commit ? snap->hex : NULL;
}

int64_t psm_snap_time(const struct psm_snap *snap)
{
	return snap->commit ? (int64_t)git_commit_time(snap->commit) : 0;
}

static int read_disk(struct strbuf *out, struct psm_snap *snap, const char *path)
{
	struct strbuf full = STRBUF_INIT;
	int err = 0;

	if (strbuf_addf(&full, "%s%s", snap->store->root, path) < 0)
		err = psm_oom();
	else if (strbuf_read_file(out, full.buf, 16 << 20) < 0)
		err = errno == ENOENT || errno == ENOTDIR
			      ? psm_error(PSM_ENOTFOUND, "no file '%s'", path)
			      : psm_error_errno(PSM_ERROR, "could not read '%s'", path);
	strbuf_release(&full);
	return err;
}

/* issues/<name>: the shard tree, kept until the next shard is asked for. NULL if none. */
static int shard_tree(git_tree **out, struct psm_snap *snap, const char *name)
{
	const git_tree_entry *e;

	*out = NULL;
	if (snap->shard && !strncmp(snap->shard_name, name, 2)) {
		*out = snap->shard;
		return 0;
	}
	git_tree_free(snap->shard);
	snap->shard = NULL;
	e = snap->issues ? git_tree_entry_byname(snap->issues, name) : NULL;
	if (!e || git_tree_entry_type(e) != GIT_OBJECT_TREE)
		return 0;
	if (git_tree_lookup(&snap->shard, snap->repo, git_tree_entry_id(e)) < 0)
		return psm_error_git(PSM_ERROR, "could not read the tree '%s/%s'", PSM_ISSUE_DIR, name);
	memcpy(snap->shard_name, name, 2);
	snap->shard_name[2] = '\0';
	*out = snap->shard;
	return 0;
}

static int read_blob(struct strbuf *out, struct psm_snap *snap, const git_tree_entry *e,
		     const char *path)
{
	git_blob *blob = NULL;
	int err = 0;

	if (!e || git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return psm_error(PSM_ENOTFOUND, "no file '%s'", path);
	if (git_blob_lookup(&blob, snap->repo, git_tree_entry_id(e)) < 0)
		return psm_error_git(PSM_ERROR, "could not read '%s' from git", path);
	if (strbuf_add(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob)) < 0)
		err = psm_oom();
	git_blob_free(blob);
	return err;
}

int psm_snap_read(struct strbuf *out, struct psm_snap *snap, const char *path)
{
	static const char prefix[] = PSM_ISSUE_DIR "/";
	const char *rel = path + sizeof(prefix) - 1;
	git_tree_entry *e = NULL;
	git_tree *shard;
	int err;

	if (snap->worktree && is_dirty(snap, path))
		return read_disk(out, snap, path);
	/* issues/XY/NAME: straight from the shard tree */
	if (!strncmp(path, prefix, sizeof(prefix) - 1) && strlen(rel) > 3 && rel[2] == '/' &&
	    !strchr(rel + 3, '/')) {
		char name[3] = { rel[0], rel[1], 0 };

		if ((err = shard_tree(&shard, snap, name)) < 0)
			return err;
		return read_blob(out, snap, shard ? git_tree_entry_byname(shard, rel + 3) : NULL, path);
	}
	err = snap->root ? git_tree_entry_bypath(&e, snap->root, path) : GIT_ENOTFOUND;
	if (err < 0 && err != GIT_ENOTFOUND)
		return psm_error_git(PSM_ERROR, "could not read '%s' from git", path);
	err = read_blob(out, snap, e, path);
	git_tree_entry_free(e);
	return err;
}

struct walk {
	git_repository *repo;
	struct paths *out;
	struct strbuf path; /* the folder being walked, with a trailing slash */
};

static int walk_trees(struct walk *w, git_tree *a, git_tree *b);

static int walk_add(struct walk *w, const char *name)
{
	size_t len = w->path.len;
	int err;

	strbuf_addstr(&w->path, name);
	err = w->path.oom ? psm_oom() : paths_add(w->out, w->path.buf, w->path.len);
	strbuf_setlen(&w->path, len);
	return err;
}

/* Descend into folder `name` whose trees on each side are ea, eb (either NULL). */
static int walk_sub(struct walk *w, const git_tree_entry *ea, const git_tree_entry *eb,
		    const char *name)
{
	git_tree *ta = NULL, *tb = NULL;
	size_t len = w->path.len;
	int err = 0;

	if ((ea && git_tree_lookup(&ta, w->repo, git_tree_entry_id(ea)) < 0) ||
	    (eb && git_tree_lookup(&tb, w->repo, git_tree_entry_id(eb)) < 0)) {
		err = psm_error_git(PSM_ERROR, "could not read the tree '%s%s'", w->path.buf, name);
		goto cleanup;
	}
	strbuf_addf(&w->path, "%s/", name);
	err = w->path.oom ? psm_oom() : walk_trees(w, ta, tb);
	strbuf_setlen(&w->path, len);
cleanup:
	git_tree_free(ta);
	git_tree_free(tb);
	return err;
}

static int is_tree(const git_tree_entry *e)
{
	return e && git_tree_entry_type(e) == GIT_OBJECT_TREE;
}

static int is_blob(const git_tree_entry *e)
{
	return e && git_tree_entry_type(e) == GIT_OBJECT_BLOB;
}

/* git's tree order: names compare as if folders ended in '/'. */
static int entry_cmp(const git_tree_entry *a, const git_tree_entry *b)
{
	const char *na = git_tree_entry_name(a), *nb = git_tree_entry_name(b);
	size_t la = strlen(na), lb = strlen(nb), l = la < lb ? la : lb;
	int c = memcmp(na, nb, l), ca, cb;

	if (c)
		return c;
	ca = la > l ? (unsigned char)na[l] : is_tree(a) ? '/' : 0;
	cb = lb > l ? (unsigned char)nb[l] : is_tree(b) ? '/' : 0;
	return ca - cb;
}

/*
 * Files that differ between trees a and b (either NULL: empty), walking both
 * sorted entry lists side by side. Equal entries are skipped by id without
 * reading them, which is what makes a small change in a big store cheap.
 */
static int walk_trees(struct walk *w, git_tree *a, git_tree *b)
{
	size_t i = 0, j = 0, na = a ? git_tree_entrycount(a) : 0, nb = b ? git_tree_entrycount(b) : 0;
	int err;

	while (i < na || j < nb) {
		const git_tree_entry *ea = i < na ? git_tree_entry_byindex(a, i) : NULL;
		const git_tree_entry *eb = j < nb ? git_tree_entry_byindex(b, j) : NULL;
		int c = !ea ? 1 : !eb ? -1 : entry_cmp(ea, eb);

		if (c < 0)
			eb = NULL;
		else if (c > 0)
			ea = NULL;
		i += ea != NULL;
		j += eb != NULL;
		if (!c && git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb)) &&
		    git_tree_entry_type(ea) == git_tree_entry_type(eb))
			continue;
		if ((is_tree(ea) || is_tree(eb)) &&
		    (err = walk_sub(w, is_tree(ea) ? ea : NULL, is_tree(eb) ? eb : NULL,
				    git_tree_entry_name(ea ? ea : eb))) < 0)
			return err;
		if ((is_blob(ea) || is_blob(eb)) &&
		    (err = walk_add(w, git_tree_entry_name(ea ? ea : eb))) < 0)
			return err;
	}
	return 0;
}

static int add_dirty(struct paths *p, const struct psm_snap *snap)
{
	size_t i;
	int err;

	for (i = 0; snap && i < snap->ndirty; i++)
		if ((err = paths_add(p, snap->dirty[i], strlen(snap->dirty[i]))) < 0)
			return err;
	return 0;
}

int psm_snap_diff(struct psm_snap *a, struct psm_snap *b, psm_snap_fn fn, void *data)
{
	struct paths p = { 0 };
	struct walk w = { b->repo, &p, STRBUF_INIT };
	int err;

	strbuf_addstr(&w.path, PSM_ISSUE_DIR "/");
	if ((err = walk_trees(&w, a ? a->issues : NULL, b->issues)) < 0 ||
	    (err = add_dirty(&p, a)) < 0 || (err = add_dirty(&p, b)) < 0)
		goto cleanup;
	err = paths_call(&p, fn, data);
cleanup:
	strbuf_release(&w.path);
	paths_release(&p);
	return err;
}

int psm_snap_foreach(struct psm_snap *snap, psm_snap_fn fn, void *data)
{
	return psm_snap_diff(NULL, snap, fn, data);
}

static size_t common_prefix(const char *a, const char *b)
{
	size_t i = 0;

	while (a[i] && a[i] == b[i])
		i++;
	return i;
}

int psm_snap_abbrev(struct strbuf *out, struct psm_snap *snap, const char *id)
{
	git_tree *shard = NULL;
	char name[3] = { 0 };
	size_t i, len = PSM_SHORT_ID_LEN, idlen = strlen(id);
	int err;

	if (snap->worktree || idlen < 2)
		return psm_store_abbrev(out, snap->store, id);
	memcpy(name, id, 2);
	if ((err = shard_tree(&shard, snap, name)) < 0)
		return err;
	for (i = 0; shard && i < git_tree_entrycount(shard); i++) {
		const char *other = git_tree_entry_name(git_tree_entry_byindex(shard, i));
		size_t c = common_prefix(other, id);

		if (c < idlen && strlen(other) == idlen + 3 && c + 1 > len)
			len = c + 1;
	}
	return strbuf_add(out, id, len < idlen ? len : idlen) < 0 ? psm_oom() : 0;
}
