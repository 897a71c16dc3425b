/*
 * A signed commit. libgit2 cannot sign, and a repository that sets
 * commit.gpgSign wants every commit signed (a protected branch may refuse
 * the rest), so git itself makes the commit object: `git commit-tree -S`
 * with the user's gpg.format, user.signingKey and signing program, the
 * same author, time and message. HEAD is moved by psm as for any commit.
 */
#include <git2.h>
#include <inttypes.h>
#include <string.h>

#include "psm/error.h"
#include "git-int.h"
#include "psm/strbuf.h"

int psm_git__sign_wanted(struct psm_git *g)
{
	git_config *cfg = NULL;
	int on = 0, err;

	if (git_repository_config_snapshot(&cfg, g->repo) < 0)
		return psm_error_git(PSM_ERROR, "could not read git config of '%s'",
				     git_repository_path(g->repo));
	err = git_config_get_bool(&on, cfg, "commit.gpgsign");
	if (err == GIT_ENOTFOUND)
		err = on = 0;
	else if (err < 0)
		err = psm_error_git(PSM_EINVALID, "bad value for git config 'commit.gpgsign'");
	git_config_free(cfg);
	return err < 0 ? err : on;
}

int psm_git__commit_signed(git_oid *id, struct psm_git *g, const git_commit *parent,
			   const git_oid *tree_id, const git_signature *sig,
			   const struct strbuf *msg)
{
	static const char *const role[] = { "AUTHOR", "COMMITTER" };
	struct strbuf env[6], out = STRBUF_INIT, hex = STRBUF_INIT;
	const char *envp[7] = { 0 };
	const char *args[8] = { "commit-tree", "-S", NULL, "-F", "-", NULL, NULL, NULL };
	struct psm_git_run run = { 0 };
	char tree[GIT_OID_HEXSZ + 1], par[GIT_OID_HEXSZ + 1];
	int err = 0, oom = 0;
	size_t i;

	for (i = 0; i < 6; i++)
		strbuf_init(&env[i], 0);
	for (i = 0; i < 2; i++) {
		/* git's own date form: seconds since the epoch and the zone */
		strbuf_addf(&env[3 * i], "GIT_%s_NAME=%s", role[i], sig->name);
		strbuf_addf(&env[3 * i + 1], "GIT_%s_EMAIL=%s", role[i], sig->email);
		strbuf_addf(&env[3 * i + 2], "GIT_%s_DATE=@%" PRId64 " +0000", role[i],
			    (int64_t)sig->when.time);
	}
	for (i = 0; i < 6; i++) {
		oom |= env[i].oom;
		envp[i] = env[i].buf;
	}
	if (oom) {
		err = psm_oom();
		goto cleanup;
	}
	git_oid_tostr(tree, sizeof(tree), tree_id);
	args[2] = tree;
	if (parent) {
		git_oid_tostr(par, sizeof(par), git_commit_id(parent));
		args[5] = "-p";
		args[6] = par;
	}
	run.env = envp;
	run.in = msg->buf;
	run.inlen = msg->len;
	run.out = &out;
	if ((err = psm_git__run(g, &run, args)) > 0)
		/* git's own words say why: no key, no agent, a wrong format */
		err = psm_error(PSM_ERROR, "could not sign the commit (commit.gpgSign is set): %s",
				psm_error_last());
	if (err < 0)
		goto cleanup;
	strbuf_add(&hex, out.buf, strcspn(out.buf, "\n"));
	if (hex.oom) {
		err = psm_oom();
		goto cleanup;
	}
	if (hex.len != GIT_OID_HEXSZ || git_oid_fromstr(id, hex.buf) < 0)
		err = psm_error(PSM_ERROR, "git commit-tree printed '%s', not a commit id",
				hex.buf);
cleanup:
	for (i = 0; i < 6; i++)
		strbuf_release(&env[i]);
	strbuf_release(&out);
	strbuf_release(&hex);
	return err;
}
