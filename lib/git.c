/* The repository handle, identity, config and HEAD (lib/git.h); commits
 * are made in git-commit.c, the index kept in git-index.c. */
#include "git.h"

#include <errno.h>
#include <git2.h>
#include <git2/sys/repository.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "git-int.h"
#include "strbuf.h"

static int oom(void)
{
	return psm_error(PSM_ENOMEM, "out of memory");
}

/* Take ownership of repo; each handle holds one libgit2 init reference. */
static int wrap(struct psm_git **out, git_repository *repo)
{
	struct psm_git *g = calloc(1, sizeof(*g));

	if (!g)
		return oom();
	g->repo = repo;
	*out = g;
	return 0;
}

int psm_git_open(struct psm_git **out, const char *dir)
{
	git_repository *repo = NULL;
	int err;

	*out = NULL;
	if (git_libgit2_init() < 0)
		return psm_error_git(PSM_ERROR, "could not initialise libgit2");
	err = git_repository_open_ext(&repo, dir, 0, getenv("GIT_CEILING_DIRECTORIES"));
	if (err == GIT_ENOTFOUND) {
		err = psm_error(PSM_ENOSTORE, "not a git repository (or any parent): '%s'", dir);
		goto cleanup;
	}
	if (err < 0) {
		err = psm_error_git(PSM_ENOSTORE, "could not open git repository at '%s'", dir);
		goto cleanup;
	}
	if (git_repository_is_bare(repo)) {
		err = psm_error(PSM_ENOSTORE, "psm needs a work tree: '%s' is a bare repository",
				git_repository_path(repo));
		goto cleanup;
	}
	err = wrap(out, repo);
cleanup:
	if (err < 0) {
		git_repository_free(repo);
		git_libgit2_shutdown();
	}
	return err;
}

int psm_git_init(struct psm_git **out, const char *dir)
{
	git_repository_init_options opts;
	git_repository *repo = NULL;
	int err;

	*out = NULL;
	if (git_libgit2_init() < 0)
		return psm_error_git(PSM_ERROR, "could not initialise libgit2");
	/* initial_head stays NULL: libgit2 then honours init.defaultBranch, as git does. */
	git_repository_init_options_init(&opts, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	opts.flags = GIT_REPOSITORY_INIT_MKPATH;
	if (git_repository_init_ext(&repo, dir, &opts) < 0) {
		err = psm_error_git(PSM_ERROR, "could not create git repository in '%s'", dir);
		goto cleanup;
	}
	err = wrap(out, repo);
cleanup:
	if (err < 0) {
		git_repository_free(repo);
		git_libgit2_shutdown();
	}
	return err;
}

void psm_git_free(struct psm_git *g)
{
	if (!g)
		return;
	git_repository_free(g->repo);
	free(g->split_prefix);
	free(g);
	git_libgit2_shutdown();
}

int psm_git_split_index(struct psm_git *g, const char *prefix, size_t at)
{
	char *copy = NULL;

	if (prefix && !(copy = strdup(prefix)))
		return psm_error(PSM_ENOMEM, "out of memory");
	free(g->split_prefix);
	g->split_prefix = copy;
	g->split_at = at;
	return 0;
}

int psm_git_index_was_split(const struct psm_git *g)
{
	return g->split_done;
}

const char *psm_git_workdir(const struct psm_git *g)
{
	return git_repository_workdir(g->repo);
}

const char *psm_git_gitdir(const struct psm_git *g)
{
	return git_repository_path(g->repo);
}

static int set_str(struct strbuf *out, const char *val)
{
	strbuf_reset(out);
	return strbuf_addstr(out, val) < 0 ? oom() : 0;
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
		err = h->unborn ? 0 : oom();
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
