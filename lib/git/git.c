/* The repository handle, identity, config and HEAD (psm/git.h); commits are
 * made in git-commit.c, the index kept in git-index.c. */
#include "psm/git.h"

#include <errno.h>
#include <git2.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "psm/error.h"
#include "psm/fs.h"
#include "git-int.h"
#include "psm/strbuf.h"

/* A path as git printed it, with a trailing slash or without. */
static char *path_line(const char *line, int slash)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, line);
	while (sb.len > 1 && sb.buf[sb.len - 1] == '/')
		strbuf_setlen(&sb, sb.len - 1);
	if (slash)
		strbuf_addch(&sb, '/');
	return sb.oom ? NULL : strbuf_detach(&sb, NULL);
}

/* git's message on one line, without its "fatal: ". */
static const char *git_message(struct strbuf *err)
{
	size_t i, j = 0;

	strbuf_rtrim(err);
	for (i = 0; i < err->len; i++) {
		int space = err->buf[i] == '\n' || err->buf[i] == '\t' || err->buf[i] == ' ';

		if (!space || (j && err->buf[j - 1] != ' '))
			err->buf[j++] = space ? ' ' : err->buf[i];
	}
	strbuf_setlen(err, j);
	return strncmp(err->buf, "fatal: ", 7) ? err->buf : err->buf + 7;
}

/*
 * Where the repository is, asked of git itself from dir in the user's
 * environment, so that GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE,
 * GIT_CEILING_DIRECTORIES, .git files, worktrees and safe.directory mean
 * to psm what they mean to git. One short process.
 */
static int discover(struct psm_git *g, const char *dir)
{
	static const char *const args[] = {
		"rev-parse", "--path-format=absolute", "--absolute-git-dir",
		"--show-object-format", "--git-path", "index", "--show-toplevel", NULL
	};
	/* English, to tell "not a repository" from other failures */
	static const char *const c_locale[] = { "LC_ALL=C", "LANGUAGE=", NULL };
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	struct psm_git_run run = { 0 };
	char *line, *save = NULL, *lines[4] = { NULL };
	size_t n = 0;
	int r;

	run.dir = dir;
	run.env = c_locale;
	run.out = &out;
	run.err = &err;
	if (!psm_path_exists(dir)) {
		r = psm_error(PSM_ENOTFOUND, "not a git repository: '%s' does not exist", dir);
		goto cleanup;
	}
	if ((r = psm_git__run(NULL, &run, args)) < 0)
		goto cleanup;
	for (line = strtok_r(out.buf, "\n", &save); line && n < 4; line = strtok_r(NULL, "\n", &save))
		lines[n++] = line;
	if (r > 0 && strstr(err.buf, "not a git repository"))
		r = psm_error(PSM_ENOTFOUND, "not a git repository (or any parent): '%s'", dir);
	else if (r > 0 && n >= 3 && strstr(err.buf, "must be run in a work tree"))
		r = psm_error(PSM_ENOSTORE, "psm needs a work tree: '%s' is a bare repository "
			      "(set GIT_WORK_TREE, or use a clone)", lines[0]);
	else if (r > 0 || n < 4)
		r = psm_error(PSM_ENOSTORE, "could not open the git repository at '%s': %s", dir,
			      git_message(&err));
	else if (strcmp(lines[1], "sha1"))
		r = psm_error(PSM_ENOSTORE, "psm cannot use this repository: its object format is "
			      "'%s', and libgit2 %s (the git library psm is built on) reads only "
			      "'sha1'; use psm in a SHA-1 repository", lines[1], LIBGIT2_VERSION);
	else if (!(g->gitdir = path_line(lines[0], 1)) || !(g->index = path_line(lines[2], 0)) ||
		 !(g->workdir = path_line(lines[3], 1)))
		r = psm_oom();
cleanup:
	strbuf_release(&out);
	strbuf_release(&err);
	return r;
}

/*
 * libgit2 refuses a repository with an extension it does not know. These
 * it may open: psm reads config.worktree itself (worktreeConfig), the
 * object format is sha1 by then (discover), and psm never deletes objects
 * (preciousObjects). Any other it refuses, and psm says which.
 */
static int allow_extensions(void)
{
	static const char *ok[] = { "worktreeconfig", "objectformat", "preciousobjects" };

	return git_libgit2_opts(GIT_OPT_SET_EXTENSIONS, ok, sizeof(ok) / sizeof(ok[0]));
}

/* With extensions.worktreeConfig git also reads <gitdir>/config.worktree
 * (where `git sparse-checkout` puts core.sparseCheckout). */
static int add_worktree_config(struct psm_git *g)
{
	struct strbuf path = STRBUF_INIT;
	git_config *cfg = NULL, *snap = NULL;
	int on = 0, r = 0;

	if (git_repository_config(&cfg, g->repo) < 0 || git_config_snapshot(&snap, cfg) < 0) {
		r = psm_error_git(PSM_ERROR, "could not read git config of '%s'", g->gitdir);
		goto cleanup;
	}
	if (git_config_get_bool(&on, snap, "extensions.worktreeconfig") < 0 || !on)
		goto cleanup;
	strbuf_addf(&path, "%sconfig.worktree", g->gitdir);
	if (path.oom)
		r = psm_oom();
	else if (psm_path_exists(path.buf) &&
		 git_config_add_file_ondisk(cfg, path.buf, GIT_CONFIG_LEVEL_APP, g->repo, 0) < 0)
		r = psm_error_git(PSM_ERROR, "could not read '%s'", path.buf);
cleanup:
	git_error_clear();
	git_config_free(snap);
	git_config_free(cfg);
	strbuf_release(&path);
	return r;
}

static int open_found(struct psm_git *g)
{
	const git_error *e;
	const char *ext;

	if (allow_extensions() < 0)
		return psm_error_git(PSM_ERROR, "could not set up libgit2");
	if (git_repository_open_ext(&g->repo, g->gitdir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		e = git_error_last();
		if (e && (ext = strstr(e->message, "extension name extensions.")))
			return psm_error(PSM_ENOSTORE, "psm cannot use this repository: libgit2 %s "
					 "(the git library psm is built on) does not support its "
					 "extension '%s' (git config extensions.%s); use psm in a "
					 "clone without it", LIBGIT2_VERSION, ext + 26, ext + 26);
		return psm_error_git(PSM_ENOSTORE, "could not open git repository '%s'", g->gitdir);
	}
	/* the work tree git named, also for a bare GIT_DIR with GIT_WORK_TREE
	 * (only when libgit2 differs: replacing one leaks in libgit2 1.5) */
	if (!psm_streq(git_repository_workdir(g->repo), g->workdir) &&
	    git_repository_set_workdir(g->repo, g->workdir, 0) < 0)
		return psm_error_git(PSM_ERROR, "could not use the work tree '%s'", g->workdir);
	return add_worktree_config(g);
}

struct init {
	int r;
	char *why; /* libgit2's message: its errors are per thread */
};

static void *init_libgit2(void *arg)
{
	struct init *in = arg;
	const git_error *e;

	if ((in->r = psm_git_lib_init()) < 0 && (e = git_error_last()))
		in->why = psm_strdup(e->message);
	return NULL;
}

/*
 * libgit2's set-up (without the CA certificates: git-tls.c) runs on a
 * thread of its own while git rev-parse runs: every psm command pays the
 * longer of the two, not both.
 */
int psm_git_open(struct psm_git **out, const char *dir)
{
	struct psm_git *g = calloc(1, sizeof(*g));
	struct init in = { -1, NULL };
	pthread_t th;
	int err, threaded;

	*out = NULL;
	if (!g)
		return psm_oom();
	threaded = pthread_create(&th, NULL, init_libgit2, &in) == 0;
	if (!threaded)
		init_libgit2(&in);
	err = discover(g, dir);
	if (threaded)
		pthread_join(th, NULL);
	if (in.r < 0) {
		err = psm_error(PSM_ERROR, "could not initialise libgit2%s%s", in.why ? ": " : "",
				in.why ? in.why : "");
		free(in.why);
		free(g->gitdir);
		free(g->workdir);
		free(g->index);
		free(g);
		return err;
	}
	if (err < 0 || (err = open_found(g)) < 0) {
		psm_git_free(g);
		return err;
	}
	*out = g;
	return 0;
}

int psm_git_init(struct psm_git **out, const char *dir)
{
	static const char *const args[] = { "init", "--quiet", NULL };
	struct psm_git_run run = { 0 };
	int err;

	*out = NULL;
	if ((err = psm_mkdir_parents(dir)) < 0)
		return err;
	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		return psm_error_errno(PSM_ERROR, "could not create '%s'", dir);
	/* git's own init: templates, init.defaultBranch, GIT_DIR, ... */
	run.dir = dir;
	if ((err = psm_git__run(NULL, &run, args)) != 0)
		return err < 0 ? err : psm_error(PSM_ERROR, "could not create a git repository in "
						 "'%s': %s", dir, psm_error_last());
	return psm_git_open(out, dir);
}

int psm_git_reopen(git_repository **out, const struct psm_git *g)
{
	*out = NULL;
	if (git_repository_open_ext(out, g->gitdir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0 ||
	    (!psm_streq(git_repository_workdir(*out), g->workdir) &&
	     git_repository_set_workdir(*out, g->workdir, 0) < 0)) {
		git_repository_free(*out);
		*out = NULL;
		return psm_error_git(PSM_ERROR, "could not open the git repository '%s'", g->gitdir);
	}
	return 0;
}

void psm_git_free(struct psm_git *g)
{
	if (!g)
		return;
	git_repository_free(g->repo);
	free(g->gitdir);
	free(g->workdir);
	free(g->index);
	free(g);
	git_libgit2_shutdown();
}

const char *psm_git_workdir(const struct psm_git *g)
{
	return g->workdir;
}

const char *psm_git_gitdir(const struct psm_git *g)
{
	return g->gitdir;
}

const char *psm_git_index_path(const struct psm_git *g)
{
	return g->index;
}

unsigned psm_git_notes(const struct psm_git *g)
{
	return g->notes;
}

void psm_git_add_note(struct psm_git *g, unsigned note)
{
	g->notes |= note;
}

const char *psm_git_detached_commit(const struct psm_git *g)
{
	return g->detached;
}

int psm_git_config_set(struct psm_git *g, const char *key, const char *value)
{
	const char *args[] = { "config", key, value, NULL };
	struct psm_git_run run = { 0 };
	int r = psm_git__run(g, &run, args);

	if (r > 0)
		r = psm_error(PSM_ERROR, "could not set git config '%s': %s", key,
			      psm_error_last());
	return r;
}

static int set_str(struct strbuf *out, const char *val)
{
	strbuf_reset(out);
	return strbuf_addstr(out, val) < 0 ? psm_oom() : 0;
}

/*
 * One part of the identity: the first non-empty of two environment
 * variables, else the config key. An empty value counts as unset, as git
 * refuses empty idents.
 */
static int identity_part(struct strbuf *out, git_config *cfg, const char *env1,
			 const char *env2, const char *key)
{
	const char *val = getenv(env1);
	int err;

	if (!val || !*val)
		val = getenv(env2);
	if (!val || !*val) {
		err = git_config_get_string(&val, cfg, key);
		if (err == GIT_ENOTFOUND || (!err && !*val))
			return psm_error(PSM_EIDENTITY, "no git identity: run "
					 "'git config user.name \"Your Name\"' and "
					 "'git config user.email you@example.com'");
		if (err < 0)
			return psm_error_git(PSM_ERROR, "could not read git config '%s'", key);
	}
	return set_str(out, val);
}

int psm_git_identity(struct strbuf *name, struct strbuf *email, struct psm_git *g)
{
	git_config *cfg = NULL;
	int err;

	/* A snapshot, so the strings read stay valid while we copy them. */
	if (git_repository_config_snapshot(&cfg, g->repo) < 0)
		return psm_error_git(PSM_ERROR, "could not read git config of '%s'",
				     git_repository_path(g->repo));
	err = identity_part(name, cfg, "GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME", "user.name");
	if (!err)
		err = identity_part(email, cfg, "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL",
				    "user.email");
	git_config_free(cfg);
	return err;
}

int psm_git_config_get(struct strbuf *out, struct psm_git *g, const char *key)
{
	git_config *cfg = NULL;
	const char *val;
	int err;

	if (git_repository_config_snapshot(&cfg, g->repo) < 0)
		return psm_error_git(PSM_ERROR, "could not read git config of '%s'",
				     git_repository_path(g->repo));
	err = git_config_get_string(&val, cfg, key);
	if (err == GIT_ENOTFOUND)
		err = psm_error(PSM_ENOTFOUND, "git config '%s' is not set", key);
	else if (err < 0)
		err = psm_error_git(PSM_ERROR, "could not read git config '%s'", key);
	else
		err = set_str(out, val);
	git_config_free(cfg);
	return err;
}

int psm_git_config_int(int64_t *out, struct psm_git *g, const char *key)
{
	struct strbuf val = STRBUF_INIT;
	int b, err;

	if ((err = psm_git_config_get(&val, g, key)) < 0)
		goto cleanup;
	/* numbers first: libgit2 also reads any number as a boolean */
	if (!git_config_parse_int64(out, val.buf))
		;
	else if (!git_config_parse_bool(&b, val.buf))
		*out = b;
	else
		err = psm_error(PSM_EINVALID, "bad value '%s' for git config '%s': "
				"use true, false or a number", val.buf, key);
cleanup:
	git_error_clear();
	strbuf_release(&val);
	return err;
}

/*
 * The signature for the commit; also set as the repository's ident so the
 * reflog entries name the same person rather than libgit2's "unknown".
 */
int psm_git__signature(git_signature **sig, struct psm_git *g, int64_t when)
{
	struct strbuf name = STRBUF_INIT, email = STRBUF_INIT;
	int err;

	if ((err = psm_git_identity(&name, &email, g)) < 0)
		goto cleanup;
	if (git_signature_new(sig, name.buf, email.buf, (git_time_t)when, 0) < 0) {
		err = psm_error_git(PSM_EIDENTITY, "invalid git identity '%s <%s>'",
				    name.buf, email.buf);
		goto cleanup;
	}
	if (git_repository_set_ident(g->repo, name.buf, email.buf) < 0)
		err = psm_error_git(PSM_ERROR, "could not set reflog identity");
cleanup:
	strbuf_release(&name);
	strbuf_release(&email);
	return err;
}

int psm_git__head_read(struct head *h, git_repository *repo)
{
	git_reference *sym = NULL;
	int err = git_repository_head(&h->ref, repo);

	if (err == GIT_EUNBORNBRANCH) {
		/* No commit yet: remember which branch the first one creates. */
		err = git_reference_lookup(&sym, repo, "HEAD");
		if (err < 0 || git_reference_type(sym) != GIT_REFERENCE_SYMBOLIC) {
			err = psm_error_git(PSM_ERROR, "could not read HEAD");
			goto cleanup;
		}
		h->unborn = psm_strdup(git_reference_symbolic_target(sym));
		err = h->unborn ? 0 : psm_oom();
		goto cleanup;
	}
	if (err < 0) {
		err = psm_error_git(PSM_ERROR, "could not read HEAD");
		goto cleanup;
	}
	if (git_commit_lookup(&h->parent, repo, git_reference_target(h->ref)) < 0 ||
	    git_commit_tree(&h->tree, h->parent) < 0)
		err = psm_error_git(PSM_ERROR, "could not read the commit '%s' points to",
				    git_reference_name(h->ref));
cleanup:
	git_reference_free(sym);
	return err;
}

void psm_git__head_free(struct head *h)
{
	git_tree_free(h->tree);
	git_commit_free(h->parent);
	git_reference_free(h->ref);
	free(h->unborn);
}

int psm_git_head(struct strbuf *oid_hex, struct psm_git *g)
{
	struct head h = { 0 };
	char hex[GIT_OID_HEXSZ + 1];
	int err;

	strbuf_reset(oid_hex);
	if ((err = psm_git__head_read(&h, g->repo)) == 0 && h.parent)
		err = set_str(oid_hex, git_oid_tostr(hex, sizeof(hex), git_commit_id(h.parent)));
	psm_git__head_free(&h);
	return err;
}
