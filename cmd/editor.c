#include "editor.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "psm/fs.h"

void run_editor(const char *path)
{
	const char *editor = getenv("VISUAL");
	pid_t pid;
	int status;

	if (!editor || !*editor)
		editor = getenv("EDITOR");
	if (!editor || !*editor)
		editor = "vi";
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		die("could not start the editor '%s'", editor);
	if (!pid) {
		/* as git does: the shell splits "$EDITOR" so "code --wait" works */
		execl("/bin/sh", "sh", "-c", "eval \"$0\" '\"$@\"'", editor, path, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		die("the editor '%s' failed; nothing was written", editor);
}

int edit_text(struct strbuf *out, struct psm_store *s, const char *name, const char *template)
{
	struct strbuf path = STRBUF_INIT, raw = STRBUF_INIT;
	const char *p;

	strbuf_addf(&path, "%s%s", psm_git_gitdir(s->git), name);
	strbuf_addf(&raw, "\n%s\n%s", EDIT_SCISSORS, template);
	if (raw.oom)
		die("out of memory");
	if (psm_write_file_atomic(path.buf, raw.buf, raw.len) < 0)
		die_psm();
	strbuf_reset(&raw);
	run_editor(path.buf);
	if (strbuf_read_file(&raw, path.buf, 1 << 24) < 0)
		die("could not read '%s' back from the editor", path.buf);
	/* everything from the scissors line down is psm's, the rest the user's:
	 * a '#' line is Markdown (a heading), not a comment */
	p = strstr(raw.buf, EDIT_SCISSORS);
	while (p && p != raw.buf && p[-1] != '\n')
		p = strstr(p + 1, EDIT_SCISSORS);
	strbuf_add(out, raw.buf, p ? (size_t)(p - raw.buf) : raw.len);
	strbuf_rtrim(out);
	unlink(path.buf);
	strbuf_release(&path);
	strbuf_release(&raw);
	return 0;
}

void split_title_body(struct strbuf *title, struct strbuf *body, const char *text)
{
	size_t l;

	while (*text == '\n' || *text == ' ')
		text++;
	l = strcspn(text, "\n");
	strbuf_add(title, text, l);
	strbuf_rtrim(title);
	text += l;
	while (*text == '\n')
		text++;
	if (*text) {
		strbuf_addstr(body, text);
		strbuf_rtrim(body);
		strbuf_addch(body, '\n');
	}
}
