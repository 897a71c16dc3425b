#include "psm/store.h"

#include <dirent.h>
#include <git2.h>
#include <pthread.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "psm/error.h"
#include "psm/fs.h"
#include "psm/grow.h"
#include "psm/limit.h"
#include "psm/validate.h"
#include "psm/merge-driver.h"
#include "psm/time.h"
#include "psm/utf8.h"

static const char id_alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";

static int id_char(int c)
{
	return c && strchr(id_alphabet, c) != NULL;
}

int psm_id_new(char out[PSM_ID_LEN + 1])
{
	unsigned char rnd[8];
	uint64_t v = 0;
	size_t i;

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return psm_error_errno(PSM_ERROR, "could not get random bytes for a new ID");
	for (i = 0; i < sizeof(rnd); i++)
		v = v << 8 | rnd[i];
	for (i = 0; i < PSM_ID_LEN; i++) {
		out[i] = id_alphabet[v & 31];
		v >>= 5;
	}
	out[PSM_ID_LEN] = '\0';
	return 0;
}

int psm_id_prefix_valid(const char *p)
{
	size_t i;

	for (i = 0; p[i]; i++)
		if (i >= PSM_ID_LEN || !id_char(p[i]))
			return 0;
	return i > 0;
}

int psm_id_valid(const char *id)
{
	return psm_id_prefix_valid(id) && strlen(id) == PSM_ID_LEN;
}

int psm_issue_path(struct strbuf *out, const char *id)
{
	if (!psm_id_valid(id))
		return psm_error(PSM_EINVALID, "invalid issue ID '%s'", id);
	strbuf_addf(out, "%s/%.2s/%s.md", PSM_ISSUE_DIR, id, id);
	return out->oom ? psm_oom() : 0;
}

static int read_config(struct psm_store *s)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	int r;

	strbuf_addf(&path, "%s%s", s->root, PSM_CONFIG_PATH);
	if (strbuf_read_file(&text, path.buf, 1 << 20) < 0) {
		if (errno == ENOENT)
			r = psm_error(PSM_ENOSTORE,
				      "not a psm store: '%s' has no %s (run 'psm init')",
				      s->root, PSM_CONFIG_PATH);
		else
			r = psm_error_errno(PSM_ERROR, "could not read '%s'", path.buf);
		goto out;
	}
	if ((r = psm_config_parse(&s->config, text.buf, text.len, &err)) < 0) {
		if (r == PSM_EPARSE)
			psm_error(r, "%s:%d:%d: %s", PSM_CONFIG_PATH, err.line, err.col, err.msg.buf);
		goto out;
	}
	s->config->path = psm_strdup(PSM_CONFIG_PATH);
	s->no_commit = !psm_config_bool(s->config, "commit", 1);
out:
	strbuf_release(&path);
	strbuf_release(&text);
	strbuf_release(&err.msg);
	return r;
}

/*
 * A clone where psm init never ran has the .gitattributes line but not the
 * driver: register it (the caller says so once), or note that it could
 * not be (psm check reports it).
 */
/* What psm must see of the work tree: a sparse checkout must not hide it. */
static const char *const store_dirs[] = { PSM_ISSUE_DIR, ".psm", NULL };

static void ensure_driver(struct psm_store *s)
{
	if (psm_merge_driver_missing(s->git, s->root) != 1)
		return;
	psm_git_add_note(s->git, psm_merge_driver_register(s->git) < 0 ? PSM_GIT_NOTE_NODRIVER
								: PSM_GIT_NOTE_DRIVER);
	psm_error_clear();
}

int psm_store_open(struct psm_store **out, const char *dir)
{
	struct psm_store *s = calloc(1, sizeof(*s));
	int r;

	*out = NULL;
	if (!s)
		return psm_oom();
	if ((r = psm_git_open(&s->git, dir)) < 0) {
		if (r == PSM_ENOTFOUND)
			r = psm_error(PSM_ENOSTORE, "not a psm store (or any parent): '%s' is not "
				      "in a git repository (run 'psm init')", dir);
		goto fail;
	}
	s->root = psm_git_workdir(s->git);
	/* a store psm cannot see is not an empty one */
	if ((r = psm_git_sparse_check(s->git, store_dirs)) < 0 || (r = read_config(s)) < 0)
		goto fail;
	ensure_driver(s);
	*out = s;
	return 0;
fail:
	psm_store_free(s);
	return r;
}

void psm_store_free(struct psm_store *s)
{
	if (!s)
		return;
	if (s->files_free)
		s->files_free(s->files);
	psm_config_free(s->config);
	psm_git_free(s->git);
	free(s);
}

static const char issue_dir_readme[] =
	"# Issues\n\n"
	"One Markdown file with YAML front matter per issue, managed by psm.\n"
	"Files live in folders named after the first two characters of their ID.\n"
	"See docs/format.md in psm for the format.\n";

/* Write path (relative to root) with text unless it exists; record it. */
static int ensure_file(struct psm_store *s, const char *rel, const char *text,
		       const char **written, size_t *nwritten)
{
	struct strbuf path = STRBUF_INIT;
	int r = 0;

	strbuf_addf(&path, "%s%s", s->root, rel);
	if (!psm_path_exists(path.buf)) {
		r = psm_write_file_atomic(path.buf, text, strlen(text));
		if (!r)
			written[(*nwritten)++] = rel;
	}
	strbuf_release(&path);
	return r;
}

/* Would init write (and so commit) a file? 1 if so, 0 if not. */
static int init_needs_commit(struct psm_store *s)
{
	static const char *const files[] = { PSM_CONFIG_PATH, PSM_ISSUE_DIR "/README.md", NULL };
	struct strbuf path = STRBUF_INIT;
	int i, r = 0;

	for (i = 0; files[i] && !r; i++) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s%s", s->root, files[i]);
		r = path.oom ? psm_oom() : !psm_path_exists(path.buf);
	}
	strbuf_release(&path);
	return r ? r : psm_merge_driver_attributes(s->root, 1);
}

int psm_store_init(struct psm_store **out, const char *dir, int no_commit, int *changed)
{
	struct psm_store *s = calloc(1, sizeof(*s));
	struct strbuf name = STRBUF_INIT, email = STRBUF_INIT;
	const char *written[3];
	size_t nwritten = 0;
	int r;

	*out = NULL;
	*changed = 0;
	if (!s)
		return psm_oom();
	r = psm_git_open(&s->git, dir);
	/* a new repository only where git finds none (not in a bare one) */
	if (r == PSM_ENOTFOUND)
		r = psm_git_init(&s->git, dir);
	if (r < 0)
		goto fail;
	s->root = psm_git_workdir(s->git);
	if ((r = psm_git_sparse_check(s->git, store_dirs)) < 0 ||
	    (!no_commit && (r = psm_git_check_writable(s->git)) < 0))
		goto fail;
	/* No identity: say so before writing anything, if there is anything
	 * to commit (a fresh clone has it all; it only registers the driver). */
	if (!no_commit && (r = init_needs_commit(s)) != 0 &&
	    (r < 0 || (r = psm_git_identity(&name, &email, s->git)) < 0))
		goto fail;
	if ((r = ensure_file(s, PSM_CONFIG_PATH, psm_default_config, written, &nwritten)) < 0 ||
	    (r = ensure_file(s, PSM_ISSUE_DIR "/README.md", issue_dir_readme, written, &nwritten)) < 0 ||
	    (r = psm_merge_driver_attributes(s->root, 0)) < 0)
		goto fail;
	if (r > 0)
		written[nwritten++] = PSM_MERGE_ATTRIBUTES;
	/* git config is not cloned: every init (re)registers the merge driver */
	if ((r = psm_merge_driver_register(s->git)) < 0)
		goto fail;
	if ((r = read_config(s)) < 0)
		goto fail;
	*changed = nwritten > 0;
	s->no_commit |= no_commit;
	if (nwritten) {
		r = psm_store_commit(s, written, nwritten, "psm init");
		if (r < 0 && r != PSM_EUNCHANGED)
			goto fail;
	}
	*out = s;
	strbuf_release(&name);
	strbuf_release(&email);
	return 0;
fail:
	strbuf_release(&name);
	strbuf_release(&email);
	psm_store_free(s);
	return r;
}

static int list_dir(char ***names, size_t *n, const char *path);
static void free_names(char **names, size_t n);

static int is_issue_name(const char *name, const char *shard)
{
	size_t l = strlen(name);

	if (l != PSM_ID_LEN + 3 || strcmp(name + PSM_ID_LEN, ".md") || strlen(shard) != 2 ||
	    strncmp(name, shard, 2))
		return 0;
	for (l = 0; l < PSM_ID_LEN; l++)
		if (!id_char(name[l]))
			return 0;
	return 1;
}

/* Issue IDs in one shard that start with prefix; appended to ids (a seq). */
static int shard_ids(struct psm_node *ids, struct psm_store *s, const char *shard,
		     const char *prefix)
{
	struct strbuf path = STRBUF_INIT;
	struct dirent *de;
	DIR *d;
	int r = 0;

	strbuf_addf(&path, "%s%s/%s", s->root, PSM_ISSUE_DIR, shard);
	if (!(d = opendir(path.buf))) {
		strbuf_release(&path);
		return 0;
	}
	while ((de = readdir(d))) {
		if (!is_issue_name(de->d_name, shard) ||
		    strncmp(de->d_name, prefix, strlen(prefix)))
			continue;
		if (psm_node_push(ids, psm_node_scalarn(de->d_name, PSM_ID_LEN)) < 0) {
			r = psm_oom();
			break;
		}
	}
	closedir(d);
	strbuf_release(&path);
	return r;
}

/* A prefix of two characters or more lies in one shard. */
static int prefix_ids(struct psm_node *ids, struct psm_store *s, const char *prefix)
{
	char shard[3] = { prefix[0], prefix[1], 0 };

	return shard_ids(ids, s, shard, prefix);
}

static int cmp_str_nodes(const void *a, const void *b)
{
	return strcmp((*(struct psm_node *const *)a)->str, (*(struct psm_node *const *)b)->str);
}

int psm_store_resolve(struct strbuf *id, struct psm_store *s, const char *prefix)
{
	struct psm_node *ids = psm_node_new(PSM_SEQ);
	struct strbuf lower = STRBUF_INIT, list = STRBUF_INIT;
	size_t i;
	int r;

	if (!ids)
		return psm_oom();
	for (i = 0; prefix[i]; i++)
		strbuf_addch(&lower, prefix[i] >= 'A' && prefix[i] <= 'Z' ? prefix[i] + 32 : prefix[i]);
	if (!psm_id_prefix_valid(lower.buf)) {
		r = psm_error(PSM_EINVALID, "invalid issue ID '%s': IDs are up to %d of '%s'",
			      prefix, PSM_ID_LEN, id_alphabet);
		goto out;
	}
	if (lower.len < PSM_ID_MIN_PREFIX) {
		r = psm_error(PSM_EINVALID,
			      "issue ID '%s' is too short: give at least %d of its characters (psm list shows them)",
			      prefix, PSM_ID_MIN_PREFIX);
		goto out;
	}
	if ((r = prefix_ids(ids, s, lower.buf)) < 0)
		goto out;
	if (!ids->n) {
		r = psm_error(PSM_ENOTFOUND, "no issue '%s' (see 'psm list')", prefix);
		goto out;
	}
	if (ids->n > 1) {
		qsort(ids->items, ids->n, sizeof(*ids->items), cmp_str_nodes);
		for (i = 0; i < ids->n && i < 10; i++)
			strbuf_addf(&list, "%s%s", i ? ", " : "", ids->items[i]->str);
		if (ids->n > 10)
			strbuf_addf(&list, " and %zu more", ids->n - 10);
		r = psm_error(PSM_EAMBIGUOUS, "ambiguous issue ID '%s' matches %s", prefix, list.buf);
		goto out;
	}
	strbuf_addstr(id, ids->items[0]->str);
	r = id->oom ? psm_oom() : 0;
out:
	psm_node_free(ids);
	strbuf_release(&lower);
	strbuf_release(&list);
	return r;
}

int psm_store_list_ids(struct psm_node *ids, struct psm_store *s, const char *prefix, size_t max)
{
	struct strbuf lower = STRBUF_INIT;
	char shard[3] = { 0, 0, 0 };
	size_t i, j;
	int r = 0;

	for (i = 0; prefix[i]; i++)
		strbuf_addch(&lower, prefix[i] >= 'A' && prefix[i] <= 'Z' ? prefix[i] + 32 : prefix[i]);
	if (lower.oom)
		r = psm_oom();
	else if (lower.len && !psm_id_prefix_valid(lower.buf))
		goto out;
	else if (lower.len >= 2)
		r = prefix_ids(ids, s, lower.buf);
	/* shard by shard, to stop once past max */
	for (i = 0; r == 0 && lower.len < 2 && id_alphabet[i]; i++) {
		shard[0] = id_alphabet[i];
		if (lower.len && shard[0] != lower.buf[0])
			continue;
		for (j = 0; r == 0 && id_alphabet[j]; j++) {
			shard[1] = id_alphabet[j];
			if ((r = shard_ids(ids, s, shard, shard)) == 0 && max && ids->n > max)
				r = 1;
		}
	}
	if (r >= 0 && ids->n > 1)
		qsort(ids->items, ids->n, sizeof(*ids->items), cmp_str_nodes);
out:
	strbuf_release(&lower);
	return r;
}

/* The top of issues/, sorted: its shards (two ID characters), or the rest
 * but psm init's README.md; appended to the seq out. */
static int top_entries(struct psm_node *out, struct psm_store *s, int shards)
{
	struct strbuf path = STRBUF_INIT;
	char **names;
	size_t n, i;
	int r;

	strbuf_addf(&path, "%s%s", s->root, PSM_ISSUE_DIR);
	if (path.oom)
		r = psm_oom();
	else if ((r = list_dir(&names, &n, path.buf)) == 0) {
		for (i = 0; r == 0 && i < n; i++) {
			int shard = strlen(names[i]) == 2 && id_char(names[i][0]) &&
				    id_char(names[i][1]);

			if ((shards ? shard : !shard && strcmp(names[i], "README.md")) &&
			    psm_node_push(out, psm_node_scalar(names[i])) < 0)
				r = psm_oom();
		}
		free_names(names, n);
	}
	strbuf_release(&path);
	return r;
}

int psm_store_shards(struct psm_node *shards, struct psm_store *s)
{
	return top_entries(shards, s, 1);
}

int psm_store_foreign(struct psm_node *names, struct psm_store *s)
{
	return top_entries(names, s, 0);
}

static size_t common_prefix(const char *a, const char *b)
{
	size_t i = 0;

	while (a[i] && a[i] == b[i])
		i++;
	return i;
}

int psm_store_abbrev(struct strbuf *out, struct psm_store *s, const char *id)
{
	struct psm_node *ids = psm_node_new(PSM_SEQ);
	char shard[3] = { id[0], id[1], 0 };
	size_t i, len = PSM_SHORT_ID_LEN;
	int r;

	if (!ids)
		return psm_oom();
	if ((r = shard_ids(ids, s, shard, shard)) < 0)
		goto out;
	for (i = 0; i < ids->n; i++) {
		size_t c = common_prefix(ids->items[i]->str, id);

		if (c < PSM_ID_LEN && c + 1 > len)
			len = c + 1;
	}
	strbuf_add(out, id, len > strlen(id) ? strlen(id) : len);
out:
	psm_node_free(ids);
	return r;
}

int psm_store_load_path(struct psm_issue **out, struct psm_store *s, const char *path,
			struct psm_yaml_error *err)
{
	struct strbuf full = STRBUF_INIT, text = STRBUF_INIT;
	int r;

	*out = NULL;
	if (path[0] != '/')
		strbuf_addstr(&full, s->root);
	strbuf_addstr(&full, path);
	if (strbuf_read_file(&text, full.buf, PSM_LIMIT_FILE_SIZE) < 0) {
		err->line = err->col = 0;
		strbuf_reset(&err->msg);
		if (errno == EFBIG) {
			strbuf_addstr(&err->msg, "file is larger than the limit " PSM_LIMIT_FILE_SIZE_NAME);
			r = psm_error(PSM_EPARSE, "'%s': %s", path, err->msg.buf);
		} else {
			r = psm_error_errno(PSM_ERROR, "could not read '%s'", path);
			strbuf_addstr(&err->msg, psm_error_last());
		}
		goto out;
	}
	if ((r = psm_issue_parse(out, text.buf, text.len, err)) < 0) {
		if (r == PSM_EPARSE)
			psm_error(r, "%s:%d:%d: %s", path, err->line, err->col, err->msg.buf);
		goto out;
	}
	if (!((*out)->path = psm_strdup(path))) {
		psm_issue_free(*out);
		*out = NULL;
		r = psm_oom();
	}
out:
	strbuf_release(&full);
	strbuf_release(&text);
	return r;
}

int psm_store_load(struct psm_issue **out, struct psm_store *s, const char *id)
{
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	struct strbuf path = STRBUF_INIT;
	int r;

	*out = NULL;
	if ((r = psm_issue_path(&path, id)) < 0)
		goto out;
	r = psm_store_load_path(out, s, path.buf, &err);
	if (r == PSM_ERROR && errno == ENOENT)
		r = psm_error(PSM_ENOTFOUND, "no issue '%s' (see 'psm list')", id);
out:
	strbuf_release(&path);
	strbuf_release(&err.msg);
	return r;
}

int psm_store_save(struct psm_store *s, const struct psm_issue *issue)
{
	struct strbuf text = STRBUF_INIT, full = STRBUF_INIT;
	int r;

	if ((r = psm_issue_format(&text, issue)) < 0)
		goto out;
	strbuf_addf(&full, "%s%s", s->root, issue->path);
	s->wrote++;
	r = full.oom ? psm_oom()
		     : psm_write_file_atomic(full.buf, text.buf, text.len);
out:
	strbuf_release(&text);
	strbuf_release(&full);
	return r;
}

int psm_issue_set_add(struct psm_issue_set *set, struct psm_issue *issue)
{
	if (set->n == set->alloc) {
		struct psm_issue **nv = psm_grow(set->v, set->n, &set->alloc, sizeof(*nv), 256);

		if (!nv) {
			psm_issue_free(issue);
			return psm_oom();
		}
		set->v = nv;
	}
	set->v[set->n++] = issue;
	return 0;
}

int psm_issue_set_error(struct psm_issue_set *set, const char *path, int line, int col,
			const char *msg)
{
	struct psm_scan_error *e;

	if (set->nerrors == set->ealloc) {
		struct psm_scan_error *ne = psm_grow(set->errors, set->nerrors, &set->ealloc, sizeof(*ne), 8);

		if (!ne)
			return psm_oom();
		set->errors = ne;
	}
	e = &set->errors[set->nerrors];
	e->path = psm_strdup(path);
	e->msg = psm_strdup(msg);
	e->line = line;
	e->col = col;
	if (!e->path || !e->msg) {
		free(e->path);
		free(e->msg);
		return psm_oom();
	}
	set->nerrors++;
	return 0;
}

void psm_issue_set_release(struct psm_issue_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		psm_issue_free(set->v[i]);
	for (i = 0; i < set->nerrors; i++) {
		free(set->errors[i].path);
		free(set->errors[i].msg);
	}
	free(set->v);
	free(set->errors);
	memset(set, 0, sizeof(*set));
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names in a directory, skipping dot files; *names is NULL-terminated. */
static int list_dir(char ***names, size_t *n, const char *path)
{
	struct dirent *de;
	size_t alloc = 0;
	DIR *d;

	*names = NULL;
	*n = 0;
	if (!(d = opendir(path)))
		return errno == ENOENT ? 0 : psm_error_errno(PSM_ERROR, "could not read '%s'", path);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (*n + 1 >= alloc) {
			char **nn = psm_grow(*names, *n + 1, &alloc, sizeof(*nn), 64);

			if (!nn)
				goto oom;
			*names = nn;
		}
		if (!((*names)[*n] = psm_strdup(de->d_name)))
			goto oom;
		(*n)++;
	}
	closedir(d);
	if (*n)
		qsort(*names, *n, sizeof(**names), cmp_names);
	return 0;
oom:
	closedir(d);
	return psm_oom();
}

static void free_names(char **names, size_t n)
{
	while (n)
		free(names[--n]);
	free(names);
}

static int scan_file(struct psm_store *s, struct psm_issue_set *set, const char *rel,
		     const char *name, const char *shard)
{
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	struct psm_issue *issue;
	int r;

	if (!is_issue_name(name, shard)) {
		r = psm_issue_set_error(set, rel, 0, 0,
					"not an issue file name (expected <ID>.md in the folder named by the ID's first two characters)");
		goto out;
	}
	r = psm_store_load_path(&issue, s, rel, &err);
	if (r == PSM_EPARSE || r == PSM_ERROR)
		r = psm_issue_set_error(set, rel, err.line, err.col, err.msg.buf);
	else if (!r)
		r = psm_issue_set_add(set, issue);
out:
	strbuf_release(&err.msg);
	return r;
}

/* One worker's share of a scan: paths [from, to) into its own set. */
struct scan_job {
	struct psm_store *s;
	char **rels;
	size_t from, to;
	struct psm_issue_set set;
	int r;
	struct strbuf err; /* errors are per thread; carried back by hand */
};

static void *scan_worker(void *arg)
{
	struct scan_job *job = arg;
	struct strbuf shard = STRBUF_INIT;
	size_t i;

	for (i = job->from; i < job->to && !job->r; i++) {
		const char *rel = job->rels[i];
		const char *sh = rel + strlen(PSM_ISSUE_DIR) + 1;
		const char *name = strrchr(rel, '/') + 1;

		strbuf_reset(&shard);
		strbuf_add(&shard, sh, (size_t)(name - 1 - sh));
		job->r = scan_file(job->s, &job->set, rel, name, shard.buf);
	}
	if (job->r < 0)
		strbuf_addstr(&job->err, psm_error_last());
	strbuf_release(&shard);
	return NULL;
}

/* Every issue file's path, sorted (shards and names are sorted). */
static int collect_paths(struct psm_store *s, char ***rels, size_t *nrels)
{
	struct strbuf dir = STRBUF_INIT, rel = STRBUF_INIT;
	char **shards = NULL, **files = NULL;
	size_t nshards = 0, nfiles = 0, alloc = 0, i, j;
	struct stat st;
	int r;

	*rels = NULL;
	*nrels = 0;
	strbuf_addf(&dir, "%s%s", s->root, PSM_ISSUE_DIR);
	if ((r = list_dir(&shards, &nshards, dir.buf)) < 0)
		goto out;
	for (i = 0; i < nshards; i++) {
		strbuf_reset(&dir);
		strbuf_addf(&dir, "%s%s/%s", s->root, PSM_ISSUE_DIR, shards[i]);
		if (lstat(dir.buf, &st) < 0 || !S_ISDIR(st.st_mode))
			continue; /* README.md and other plain files beside the shards */
		if ((r = list_dir(&files, &nfiles, dir.buf)) < 0)
			goto out;
		for (j = 0; j < nfiles; j++) {
			if (strlen(files[j]) < 3 || strcmp(files[j] + strlen(files[j]) - 3, ".md"))
				continue;
			if (*nrels == alloc) {
				char **nr = psm_grow(*rels, *nrels, &alloc, sizeof(*nr), 1024);

				if (!nr)
					goto oom;
				*rels = nr;
			}
			strbuf_reset(&rel);
			strbuf_addf(&rel, "%s/%s/%s", PSM_ISSUE_DIR, shards[i], files[j]);
			if (!((*rels)[*nrels] = psm_strdup(rel.buf)))
				goto oom;
			(*nrels)++;
		}
		free_names(files, nfiles);
		files = NULL;
		nfiles = 0;
	}
	r = 0;
	goto out;
oom:
	r = psm_oom();
out:
	free_names(files, nfiles);
	free_names(shards, nshards);
	strbuf_release(&dir);
	strbuf_release(&rel);
	return r;
}

/* Move a worker's results to the end of set, keeping their order. */
static int merge_set(struct psm_issue_set *set, struct psm_issue_set *part)
{
	size_t i;
	int r = 0;

	for (i = 0; i < part->n; i++) {
		if (!r)
			r = psm_issue_set_add(set, part->v[i]);
		else
			psm_issue_free(part->v[i]);
	}
	part->n = 0;
	for (i = 0; i < part->nerrors && !r; i++)
		r = psm_issue_set_error(set, part->errors[i].path, part->errors[i].line,
					part->errors[i].col, part->errors[i].msg);
	psm_issue_set_release(part);
	return r;
}

int psm_store_scan_raw(struct psm_store *s, struct psm_issue_set *set)
{
	struct scan_job jobs[8];
	pthread_t threads[8];
	size_t nrels = 0, i, njobs;
	char **rels = NULL;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int r;

	if ((r = collect_paths(s, &rels, &nrels)) < 0)
		goto out;
	/* Parsing is independent per file: share it out across the cores. */
	njobs = ncpu < 1 ? 1 : ncpu > 8 ? 8 : (size_t)ncpu;
	if (nrels < 512)
		njobs = 1;
	memset(jobs, 0, sizeof(jobs));
	for (i = 0; i < njobs; i++) {
		jobs[i].s = s;
		jobs[i].rels = rels;
		jobs[i].from = nrels * i / njobs;
		jobs[i].to = nrels * (i + 1) / njobs;
		strbuf_init(&jobs[i].err, 0);
	}
	for (i = 1; i < njobs; i++)
		if (pthread_create(&threads[i], NULL, scan_worker, &jobs[i])) {
			njobs = i; /* do the rest on this thread */
			jobs[njobs - 1].to = nrels;
			break;
		}
	scan_worker(&jobs[0]);
	for (i = 1; i < njobs; i++)
		pthread_join(threads[i], NULL);
	r = 0;
	for (i = 0; i < njobs; i++) {
		if (!r && jobs[i].r < 0)
			r = psm_error(jobs[i].r, "%s", jobs[i].err.buf);
		if (!r)
			r = merge_set(set, &jobs[i].set);
		else
			psm_issue_set_release(&jobs[i].set);
		strbuf_release(&jobs[i].err);
	}
out:
	free_names(rels, nrels);
	return r;
}

static int cmp_errors(const void *a, const void *b)
{
	const struct psm_scan_error *x = a, *y = b;

	return strcmp(x->path, y->path);
}

/*
 * A readable file psm check rejects is left out like an unreadable one and
 * named the same way, with its first problem: what read commands show has
 * passed the check every write passes.
 */
int psm_store_scan(struct psm_store *s, struct psm_issue_set *set)
{
	struct psm_issue_set diag = { 0 };
	struct strbuf msg = STRBUF_INIT;
	size_t i, kept = 0;
	int r;

	if ((r = psm_store_scan_raw(s, set)) < 0)
		return r;
	for (i = 0; i < set->n; i++) {
		struct psm_issue *is = set->v[i];
		const struct psm_scan_error *e;

		if ((r = psm_issue_validate(&diag, is, s->config)) < 0)
			break;
		if (!r) {
			set->v[kept++] = is;
			continue;
		}
		e = &diag.errors[0];
		strbuf_reset(&msg);
		strbuf_addstr(&msg, e->msg);
		if (r > 1)
			strbuf_addf(&msg, " (and %d more: see 'psm check')", r - 1);
		if (msg.oom || (r = psm_issue_set_error(set, is->path, e->line, e->col, msg.buf)) < 0) {
			r = psm_oom();
			break;
		}
		psm_issue_free(is);
		psm_issue_set_release(&diag);
		r = 0;
	}
	for (; i < set->n; i++) /* only after a failure */
		set->v[kept++] = set->v[i];
	set->n = kept;
	if (set->nerrors > 1)
		qsort(set->errors, set->nerrors, sizeof(*set->errors), cmp_errors);
	psm_issue_set_release(&diag);
	strbuf_release(&msg);
	return r;
}

size_t psm_issue_set_abbrev(const struct psm_issue_set *set)
{
	size_t i, len = PSM_SHORT_ID_LEN;
	const char *prev = NULL;

	/* The set is sorted by path, and paths sort by ID. */
	for (i = 0; i < set->n; i++) {
		const char *id = psm_issue_get(set->v[i], "id");

		if (!id)
			continue;
		if (prev) {
			size_t c = common_prefix(prev, id);

			if (c < PSM_ID_LEN && c + 1 > len)
				len = c + 1;
		}
		prev = id;
	}
	return len;
}

int psm_store_commit(struct psm_store *s, const char *const *paths, size_t n,
		     const char *message)
{
	struct strbuf safe = STRBUF_INIT;
	int64_t now;
	int r;

	if (s->no_commit)
		return 0;
	if ((r = psm_now(&now)) < 0)
		return r;
	/* Messages carry titles, and git log prints them raw: no escape
	 * sequence, control or bidi character may ride along (render.h). */
	if ((r = psm_sanitize(&safe, message, strlen(message), 1)) == 0)
		r = psm_git_commit(s->git, paths, n, safe.buf, now, NULL);
	strbuf_release(&safe);
	return r;
}
