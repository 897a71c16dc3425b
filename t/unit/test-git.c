/*
 * Unit tests for lib/git/git.c and lib/util/fs.c, TAP on stdout. Each test runs
 * in a fresh directory under $TMPDIR; git config outside it is hidden so the
 * identity tests see only what they set up.
 */
#define _GNU_SOURCE /* RTLD_NEXT */
#include <dirent.h>
#include <dlfcn.h>
#include <git2.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "psm/error.h"
#include "psm/fs.h"
#include "psm/git.h"
#include "psm/strbuf.h"
#include "tap.h"

#define NAME "Test User"
#define EMAIL "test@example.com"
#define WHEN ((int64_t)1700000000)

static struct strbuf root = STRBUF_INIT;
static struct psm_git *g;        /* psm's handle on the repo under test */
static git_repository *repo;     /* the "user's" own handle on the same repo */


/* root/rel; a small ring of buffers so a few can be live at once. */
static const char *at(const char *rel)
{
	static struct strbuf ring[8];
	static unsigned next;
	struct strbuf *sb = &ring[next++ % 8];

	if (!sb->buf)
		strbuf_init(sb, 0);
	strbuf_reset(sb);
	strbuf_addf(sb, "%s/%s", root.buf, rel);
	return sb->buf;
}

static int put(const char *rel, const char *content)
{
	return psm_write_file_atomic(at(rel), content, strlen(content));
}

static int file_is(const char *path, const char *content)
{
	struct strbuf sb = STRBUF_INIT;
	int same = strbuf_read_file(&sb, path, 0) == 0 && !strcmp(sb.buf, content);

	strbuf_release(&sb);
	return same;
}

static int commit1(const char *path, const char *msg, struct strbuf *hex)
{
	const char *paths[] = { path };

	return psm_git_commit(g, paths, 1, msg, WHEN, hex);
}

static git_commit *head_commit(void)
{
	git_object *obj = NULL;

	if (git_revparse_single(&obj, repo, "HEAD") < 0)
		return NULL;
	return (git_commit *)obj;
}

static int head_is(const char *hex)
{
	git_commit *c = head_commit();
	char buf[GIT_OID_HEXSZ + 1];
	int same = c && !strcmp(git_oid_tostr(buf, sizeof(buf), git_commit_id(c)), hex);

	git_commit_free(c);
	return same;
}

/* The blob id at path in commit c; -1 if absent. */
static int blob_at(git_commit *c, const char *path, git_oid *out)
{
	git_tree_entry *e = NULL;
	git_tree *t = NULL;
	int r = -1;

	if (c && git_commit_tree(&t, c) == 0 && git_tree_entry_bypath(&e, t, path) == 0) {
		git_oid_cpy(out, git_tree_entry_id(e));
		r = 0;
	}
	git_tree_entry_free(e);
	git_tree_free(t);
	return r;
}

static int has_path(git_commit *c, const char *path)
{
	git_oid id;

	return blob_at(c, path, &id) == 0;
}

static int blob_is(git_commit *c, const char *path, const char *content)
{
	git_oid want, got;

	git_odb_hash(&want, content, strlen(content), GIT_OBJECT_BLOB);
	return blob_at(c, path, &got) == 0 && git_oid_equal(&want, &got);
}

static size_t root_entries(git_commit *c)
{
	git_tree *t = NULL;
	size_t n = 0;

	if (c && git_commit_tree(&t, c) == 0)
		n = git_tree_entrycount(t);
	git_tree_free(t);
	return n;
}

/* The index entry id for path, freshly read; -1 if absent. */
static int index_at(const char *path, git_oid *out, uint32_t *mode)
{
	const git_index_entry *e;
	git_index *idx = NULL;
	int r = -1;

	if (git_repository_index(&idx, repo) == 0 && git_index_read(idx, 1) == 0 &&
	    (e = git_index_get_bypath(idx, path, 0))) {
		git_oid_cpy(out, &e->id);
		if (mode)
			*mode = e->mode;
		r = 0;
	}
	git_index_free(idx);
	return r;
}

static int index_is(const char *path, const char *content)
{
	git_oid want, got;

	git_odb_hash(&want, content, strlen(content), GIT_OBJECT_BLOB);
	return index_at(path, &got, NULL) == 0 && git_oid_equal(&want, &got);
}

static int stage(const char *path)
{
	git_index *idx = NULL;
	int r = git_repository_index(&idx, repo);

	if (!r)
		r = git_index_read(idx, 1);
	if (!r)
		r = git_index_add_bypath(idx, path);
	if (!r)
		r = git_index_write(idx);
	git_index_free(idx);
	return r;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

static void test_unborn(void)
{
	struct strbuf hex = STRBUF_INIT;
	git_reflog *log = NULL;
	git_commit *c;
	const git_signature *sig;

	ok(psm_git_init(&g, at("r1/")) == 0, "init creates a repository in a new directory");
	ok(g && ends_with(psm_git_workdir(g), "/r1/"), "workdir ends with a slash");
	ok(g && ends_with(psm_git_gitdir(g), "/r1/.git/"), "gitdir ends with a slash");
	if (!g || git_repository_open(&repo, at("r1")) < 0)
		exit(1);
	ok(git_repository_head_unborn(repo) == 1, "fresh repository has an unborn HEAD");
	ok(put("r1/a.md", "alpha\n") == 0, "write a.md");
	ok(commit1("a.md", "add a", &hex) == 0, "commit on an unborn branch");
	ok(hex.len == 40, "commit id is 40 hex digits");
	ok(head_is(hex.buf), "HEAD's branch now points at the commit");
	c = head_commit();
	ok(c && git_commit_parentcount(c) == 0, "first commit has no parent");
	ok(root_entries(c) == 1 && blob_is(c, "a.md", "alpha\n"),
	   "first commit holds exactly a.md");
	ok(c && !strcmp(git_commit_message(c), "add a\n"), "message gets a final newline");
	sig = c ? git_commit_author(c) : NULL;
	ok(sig && !strcmp(sig->name, NAME) && !strcmp(sig->email, EMAIL) &&
	   sig->when.time == WHEN && sig->when.offset == 0, "author and time as given");
	ok(git_reflog_read(&log, repo, "HEAD") == 0 && git_reflog_entrycount(log) == 1 &&
	   !strcmp(git_reflog_entry_message(git_reflog_entry_byindex(log, 0)), "psm: add a"),
	   "HEAD reflog says psm");
	ok(index_is("a.md", "alpha\n"), "a.md is in the index");
	git_reflog_free(log);
	git_commit_free(c);
	strbuf_release(&hex);
}

static void test_second(void)
{
	struct strbuf c2 = STRBUF_INIT, c3 = STRBUF_INIT;
	git_commit *c;
	git_oid p;

	put("r1/tracked.txt", "v1\n");
	ok(commit1("tracked.txt", "add tracked", &c2) == 0, "second commit");
	c = head_commit();
	ok(c && git_commit_parentcount(c) == 1 && root_entries(c) == 2,
	   "second commit has a parent and two files");
	if (c)
		git_oid_cpy(&p, git_commit_id(c));
	git_commit_free(c);

	/* The user's own work: one new file staged, one tracked file edited. */
	put("r1/staged.txt", "staged\n");
	ok(stage("staged.txt") == 0, "user stages staged.txt");
	put("r1/tracked.txt", "v2 unstaged\n");
	put("r1/b.md", "bravo\n");
	ok(commit1("b.md", "add b", &c3) == 0, "commit b.md over the user's work");
	c = head_commit();
	ok(c && git_commit_parentcount(c) == 1 && git_oid_equal(git_commit_parent_id(c, 0), &p),
	   "third commit's parent is the second");
	ok(root_entries(c) == 3 && blob_is(c, "b.md", "bravo\n") && blob_is(c, "a.md", "alpha\n"),
	   "commit has a.md, b.md, tracked.txt");
	ok(!has_path(c, "staged.txt"), "user's staged file is not in psm's commit");
	ok(blob_is(c, "tracked.txt", "v1\n"), "user's unstaged edit is not in psm's commit");
	ok(index_is("staged.txt", "staged\n"), "user's staged file is still staged");
	ok(index_is("tracked.txt", "v1\n"), "user's unstaged edit is still unstaged");
	ok(file_is(at("r1/tracked.txt"), "v2 unstaged\n"), "user's edit is untouched on disk");
	git_commit_free(c);
	strbuf_release(&c2);
	strbuf_release(&c3);
}

static void test_index_entry(void)
{
	git_commit *c = head_commit();
	git_oid in_tree, in_index;
	uint32_t mode = 0;

	ok(blob_at(c, "b.md", &in_tree) == 0 && index_at("b.md", &in_index, &mode) == 0 &&
	   git_oid_equal(&in_tree, &in_index), "index entry for b.md matches the commit");
	ok(mode == 0100644, "index entry mode is 0100644");
	git_commit_free(c);
}

static void test_remove(void)
{
	const char *paths[] = { "a.md", "never-existed.md" };
	git_commit *before = head_commit(), *c;
	git_oid id;

	unlink(at("r1/a.md"));
	ok(psm_git_commit(g, paths, 2, "remove a", WHEN, NULL) == 0,
	   "commit a removal (with an absent path alongside)");
	c = head_commit();
	ok(c && !has_path(c, "a.md") && has_path(c, "b.md"), "a.md is gone from the tree");
	ok(c && before && git_oid_equal(git_commit_parent_id(c, 0), git_commit_id(before)),
	   "removal commit follows the previous one");
	ok(index_at("a.md", &id, NULL) < 0, "a.md is gone from the index");
	ok(index_is("staged.txt", "staged\n"), "user's staged file survives the removal");
	ok(commit1("never-existed.md", "nothing", NULL) == PSM_EUNCHANGED,
	   "removing only absent paths changes nothing");
	git_commit_free(before);
	git_commit_free(c);
}

static void test_unchanged(void)
{
	struct strbuf before = STRBUF_INIT, hex = STRBUF_INIT;
	git_commit *c = head_commit();
	char buf[GIT_OID_HEXSZ + 1];

	if (c)
		strbuf_addstr(&before, git_oid_tostr(buf, sizeof(buf), git_commit_id(c)));
	ok(commit1("b.md", "again", &hex) == PSM_EUNCHANGED, "unchanged content: PSM_EUNCHANGED");
	ok(head_is(before.buf), "HEAD did not move");
	ok(hex.len == 0, "no commit id reported");
	git_commit_free(c);
	strbuf_release(&before);
	strbuf_release(&hex);
}

static void test_identity(void)
{
	struct strbuf name = STRBUF_INIT, email = STRBUF_INIT;
	git_config *cfg = NULL;

	unsetenv("GIT_AUTHOR_NAME");
	unsetenv("GIT_AUTHOR_EMAIL");
	ok(psm_git_identity(&name, &email, g) == PSM_EIDENTITY, "no identity: PSM_EIDENTITY");
	ok(strstr(psm_error_last(), "git config user.email") != NULL,
	   "message says how to set it");
	put("r1/b.md", "bravo 2\n");
	ok(commit1("b.md", "no ident", NULL) == PSM_EIDENTITY, "commit without identity fails");

	if (git_repository_config(&cfg, repo) == 0) {
		git_config_set_string(cfg, "user.name", "Config Name");
		git_config_set_string(cfg, "user.email", "config@example.com");
	}
	git_config_free(cfg);
	ok(psm_git_identity(&name, &email, g) == 0 && !strcmp(name.buf, "Config Name") &&
	   !strcmp(email.buf, "config@example.com"), "identity from repository config");
	setenv("GIT_COMMITTER_NAME", "Committer Env", 1);
	ok(psm_git_identity(&name, &email, g) == 0 && !strcmp(name.buf, "Committer Env") &&
	   !strcmp(email.buf, "config@example.com"), "GIT_COMMITTER_NAME overrides config");
	setenv("GIT_AUTHOR_NAME", NAME, 1);
	setenv("GIT_AUTHOR_EMAIL", EMAIL, 1);
	ok(psm_git_identity(&name, &email, g) == 0 && !strcmp(name.buf, NAME) &&
	   !strcmp(email.buf, EMAIL), "GIT_AUTHOR_* override the rest");
	unsetenv("GIT_COMMITTER_NAME");
	ok(commit1("b.md", "with ident", NULL) == 0, "commit works once identity is set");
	strbuf_release(&name);
	strbuf_release(&email);
}

static void test_fsutil(void)
{
	struct stat st;
	DIR *d;
	struct dirent *de;
	int stray = 0;

	ok(psm_write_file_atomic(at("f/x/y/z.txt"), "one", 3) == 0, "write creates parents");
	ok(file_is(at("f/x/y/z.txt"), "one"), "content written");
	ok(psm_write_file_atomic(at("f/x/y/z.txt"), "two!", 4) == 0 &&
	   file_is(at("f/x/y/z.txt"), "two!"), "rewrite replaces content");
	ok(stat(at("f/x/y/z.txt"), &st) == 0 && (st.st_mode & 0777) == 0644, "file mode 0644");
	ok(psm_write_file_atomic(at("f/empty"), "", 0) == 0 && file_is(at("f/empty"), ""),
	   "empty file");
	if ((d = opendir(at("f/x/y")))) {
		while ((de = readdir(d)))
			stray += !strncmp(de->d_name, ".z.txt.tmp", 10);
		closedir(d);
	}
	ok(!stray, "no temporary files left behind");
	ok(symlink(at("f/x/y/z.txt"), at("f/link")) == 0, "make a symlink");
	ok(psm_write_file_atomic(at("f/link"), "evil", 4) == PSM_EINVALID &&
	   strstr(psm_error_last(), "symlink") != NULL, "refuses to write through a symlink");
	ok(file_is(at("f/x/y/z.txt"), "two!"), "symlink target untouched");
	ok(psm_write_file_atomic(at("f/x/y/z.txt/sub"), "x", 1) < 0,
	   "a file in the way of a parent directory is an error");
	ok(psm_mkdir_parents(at("f/a//b/c")) == 0 && psm_path_exists(at("f/a/b")),
	   "mkdir_parents copes with doubled slashes");
	ok(psm_path_exists(at("f/link")) && !psm_path_exists(at("f/nope")), "path_exists");
}

static void test_subdirs(void)
{
	const char *paths[] = { "issues/ab/abc.md", "issues/cd/x.md", "issues/ab/abd.md",
				"issues/ab/abc.md" };
	git_oid abd, cd, abd2, cd2, in_index, in_tree;
	git_tree *t = NULL;
	git_tree_entry *e = NULL;
	git_commit *c;

	put("r1/issues/ab/abc.md", "abc 1\n");
	put("r1/issues/ab/abd.md", "abd\n");
	put("r1/issues/cd/x.md", "x\n");
	ok(psm_git_commit(g, paths, 4, "add issues", WHEN, NULL) == 0,
	   "commit paths in subdirectories (one listed twice)");
	c = head_commit();
	ok(blob_is(c, "issues/ab/abc.md", "abc 1\n") && blob_at(c, "issues/ab/abd.md", &abd) == 0 &&
	   blob_is(c, "issues/cd/x.md", "x\n"), "all three files committed");
	if (c && git_commit_tree(&t, c) == 0 && git_tree_entry_bypath(&e, t, "issues/cd") == 0)
		git_oid_cpy(&cd, git_tree_entry_id(e));
	git_tree_entry_free(e);
	git_tree_free(t);
	git_commit_free(c);
	e = NULL;
	t = NULL;

	put("r1/issues/ab/abc.md", "abc 2\n");
	ok(commit1("issues/ab/abc.md", "edit abc", NULL) == 0, "commit one file in a subtree");
	c = head_commit();
	ok(blob_is(c, "issues/ab/abc.md", "abc 2\n"), "the edit is committed");
	ok(blob_at(c, "issues/ab/abd.md", &abd2) == 0 && git_oid_equal(&abd, &abd2),
	   "sibling in the same subtree untouched");
	if (c && git_commit_tree(&t, c) == 0 && git_tree_entry_bypath(&e, t, "issues/cd") == 0)
		git_oid_cpy(&cd2, git_tree_entry_id(e));
	ok(e && git_oid_equal(&cd, &cd2), "other subtree is the very same tree");
	ok(blob_at(c, "issues/ab/abc.md", &in_tree) == 0 &&
	   index_at("issues/ab/abc.md", &in_index, NULL) == 0 && git_oid_equal(&in_tree, &in_index),
	   "index entry in a subdirectory matches the commit");
	git_tree_entry_free(e);
	git_tree_free(t);
	git_commit_free(c);
	e = NULL;
	t = NULL;

	unlink(at("r1/issues/cd/x.md"));
	ok(commit1("issues/cd/x.md", "remove x", NULL) == 0, "remove the only file of a subtree");
	c = head_commit();
	ok(c && git_commit_tree(&t, c) == 0 &&
	   git_tree_entry_bypath(&e, t, "issues/cd") == GIT_ENOTFOUND,
	   "the emptied subtree is gone");
	ok(has_path(c, "issues/ab/abd.md"), "the other subtree stays");
	git_tree_entry_free(e);
	git_tree_free(t);
	git_commit_free(c);
}

static void test_open(void)
{
	struct psm_git *h = NULL;
	git_repository *bare = NULL;

	ok(psm_git_open(&h, at("r1/issues/ab")) == 0 && h &&
	   !strcmp(psm_git_workdir(h), psm_git_workdir(g)), "open searches upwards");
	psm_git_free(h);
	h = NULL;
	mkdir(at("norepo"), 0777);
	ok(psm_git_open(&h, at("norepo")) == PSM_ENOTFOUND && !h &&
	   strstr(psm_error_last(), "not a git repository") != NULL, "not a repository");
	ok(git_repository_init(&bare, at("bare.git"), 1) == 0, "make a bare repository");
	ok(psm_git_open(&h, at("bare.git")) == PSM_ENOSTORE && !h &&
	   strstr(psm_error_last(), "work tree") != NULL, "a bare repository is refused");
	git_repository_free(bare);
	ok(psm_git_init(&h, at("r1")) == 0, "init on an existing repository is fine");
	psm_git_free(h);
}

static void test_lock_and_detached(void)
{
	struct strbuf hex = STRBUF_INIT, before = STRBUF_INIT;
	git_reference *branch = NULL, *branch_now = NULL;
	git_commit *c = head_commit(), *n;
	char buf[GIT_OID_HEXSZ + 1];
	FILE *f;

	if (c)
		strbuf_addstr(&before, git_oid_tostr(buf, sizeof(buf), git_commit_id(c)));
	put("r1/b.md", "bravo locked\n");
	if ((f = fopen(at("r1/.git/index.lock"), "w")))
		fclose(f);
	ok(commit1("b.md", "locked", NULL) == PSM_ELOCKED &&
	   strstr(psm_error_last(), "index.lock") != NULL, "index.lock: PSM_ELOCKED naming it");
	ok(head_is(before.buf), "no commit made while the index is locked");
	unlink(at("r1/.git/index.lock"));

	git_repository_head(&branch, repo);
	ok(c && git_repository_set_head_detached(repo, git_commit_id(c)) == 0, "detach HEAD");
	ok(commit1("b.md", "detached", &hex) == 0, "commit on a detached HEAD");
	n = head_commit();
	ok(head_is(hex.buf) && git_repository_head_detached(repo) == 1, "HEAD moved, detached");
	ok(n && c && git_oid_equal(git_commit_parent_id(n, 0), git_commit_id(c)),
	   "parent is the old HEAD");
	ok(branch && git_reference_lookup(&branch_now, repo, git_reference_name(branch)) == 0 &&
	   git_oid_equal(git_reference_target(branch_now), git_commit_id(c)),
	   "the branch stays where it was");
	git_reference_free(branch_now);
	git_commit_free(n);
	git_reference_free(branch);
	git_commit_free(c);
	strbuf_release(&hex);
	strbuf_release(&before);
}

static void test_config_and_paths(void)
{
	struct strbuf v = STRBUF_INIT;
	git_config *cfg = NULL;
	const char *bad[] = { "../x", "/abs", ".git/config", "a//b", "", "a/./b", "dir/" };
	size_t i;
	int all = 1;

	ok(psm_git_config_get(&v, g, "psm.commit") == PSM_ENOTFOUND, "unset key: PSM_ENOTFOUND");
	if (git_repository_config(&cfg, repo) == 0)
		git_config_set_string(cfg, "psm.commit", "false");
	git_config_free(cfg);
	ok(psm_git_config_get(&v, g, "psm.commit") == 0 && !strcmp(v.buf, "false"),
	   "config_get reads a value");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		all &= commit1(bad[i], "bad", NULL) == PSM_EINVALID;
	ok(all, "invalid paths are refused");
	strbuf_release(&v);
}

/*
 * Content the crlf or ident filter would change goes through them, as in
 * git add; the rest is stored as it is (lib/git/git.c store_blob).
 */
static void test_filters(void)
{
	const char *paths[] = { "crlf.md", "plain.md", "x.id" };
	struct psm_git *h = NULL;
	git_config *cfg = NULL;
	git_commit *c;

	if (git_repository_config(&cfg, repo) == 0)
		git_config_set_string(cfg, "core.autocrlf", "true");
	put("r1/.gitattributes", "*.id ident\n");
	put("r1/crlf.md", "one\r\ntwo\r\n");
	put("r1/plain.md", "one\ntwo\n");
	put("r1/x.id", "v $Id: 0123 $\n");
	/* a new handle: libgit2 caches core.autocrlf per repository handle */
	ok(psm_git_open(&h, at("r1")) == 0 && psm_git_commit(h, paths, 3, "filters", WHEN, NULL) == 0,
	   "commit files the filters apply to");
	psm_git_free(h);
	c = head_commit();
	ok(blob_is(c, "crlf.md", "one\ntwo\n") && index_is("crlf.md", "one\ntwo\n"),
	   "autocrlf: CRLF stored as LF, in the commit and the index");
	ok(blob_is(c, "plain.md", "one\ntwo\n") && index_is("plain.md", "one\ntwo\n"),
	   "autocrlf: LF content stored as it is");
	ok(has_path(c, "x.id") && blob_is(c, "x.id", "v $Id$\n") && index_is("x.id", "v $Id$\n"),
	   "ident: the expanded $Id is collapsed");
	if (cfg)
		git_config_delete_entry(cfg, "core.autocrlf");
	git_config_free(cfg);
	git_commit_free(c);
}

/* Hide every config file outside root: HOME, XDG and libgit2's search paths. */
static void isolate(void)
{
	const int levels[] = { GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_XDG,
			       GIT_CONFIG_LEVEL_GLOBAL, GIT_CONFIG_LEVEL_PROGRAMDATA };
	size_t i;

	mkdir(at("home"), 0777);
	setenv("HOME", at("home"), 1);
	setenv("XDG_CONFIG_HOME", at("home"), 1);
	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, levels[i], at("home"));
	unsetenv("GIT_COMMITTER_NAME");
	unsetenv("GIT_COMMITTER_EMAIL");
	setenv("GIT_AUTHOR_NAME", NAME, 1);
	setenv("GIT_AUTHOR_EMAIL", EMAIL, 1);
}

/*
 * lib/git/git-tls.c defines mbedTLS's two CA loaders so that libgit2's
 * set-up in psm_git_lib_init() loads no certificates; at any other time
 * they must be mbedTLS's own. This test's git_libgit2_init() went through
 * them (and loaded the bundle); called now, each answers as mbedTLS's does.
 */
struct mbedtls_x509_crt;
int mbedtls_x509_crt_parse_file(struct mbedtls_x509_crt *chain, const char *path);
int mbedtls_x509_crt_parse_path(struct mbedtls_x509_crt *chain, const char *path);

static void test_tls(void)
{
	typedef int (*fn)(struct mbedtls_x509_crt *, const char *);
	fn file = (fn)(uintptr_t)dlsym(RTLD_NEXT, "mbedtls_x509_crt_parse_file");
	fn path = (fn)(uintptr_t)dlsym(RTLD_NEXT, "mbedtls_x509_crt_parse_path");
	int r;

	if (!file || !path) {
		ok(1, "# skip libgit2 is not built on mbedTLS here");
		return;
	}
	r = mbedtls_x509_crt_parse_file(NULL, "/nonexistent/ca.crt");
	ok(r < 0 && r == file(NULL, "/nonexistent/ca.crt"),
	   "tls: outside libgit2's set-up a CA file is mbedTLS's to load (%d)", r);
	r = mbedtls_x509_crt_parse_path(NULL, "/nonexistent/certs");
	ok(r < 0 && r == path(NULL, "/nonexistent/certs"),
	   "tls: and a CA folder too (%d)", r);
	ok(psm_git_lib_init() >= 2, "tls: psm_git_lib_init counts as git_libgit2_init does");
	git_libgit2_shutdown();
}

int main(void)
{
	if (tap_scratch_dir(&root, "test-git") < 0)
		return 1;
	git_libgit2_init();
	isolate();

	test_unborn();
	test_second();
	test_index_entry();
	test_remove();
	test_unchanged();
	test_identity();
	test_fsutil();
	test_subdirs();
	test_open();
	test_lock_and_detached();
	test_config_and_paths();
	test_filters();
	test_tls();

	git_repository_free(repo);
	psm_git_free(g);
	git_libgit2_shutdown();
	tap_remove(root.buf);
	strbuf_release(&root);
	return tap_done();
}
