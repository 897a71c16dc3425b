/*
 * Unit tests for customer text made one line (lib/util/utf8.c,
 * psm_one_line): what a title or a name becomes when a batch takes it in.
 * TAP on stdout.
 */
#include <string.h>

#include "psm/strbuf.h"
#include "psm/utf8.h"
#include "tap.h"

/* psm_one_line(in) appended after `before` equals before + want. */
static void check(const char *before, const char *in, const char *want, const char *what)
{
	struct strbuf sb = STRBUF_INIT;
	struct strbuf expect = STRBUF_INIT;
	int r;

	strbuf_addstr(&sb, before);
	strbuf_addstr(&expect, before);
	strbuf_addstr(&expect, want);
	r = psm_one_line(&sb, in, strlen(in));
	if (!ok(r == 0 && sb.len == expect.len && !memcmp(sb.buf, expect.buf, sb.len), "%s", what))
		printf("# got '%s', want '%s'\n", sb.buf, expect.buf);
	strbuf_release(&sb);
	strbuf_release(&expect);
}

int main(void)
{
	check("", "Export fails", "Export fails", "plain text is kept");
	check("", "  Export\n\tfails \r\n", "Export fails", "breaks and runs of space are one space, trimmed");
	check("", "Crash \033[31mred\033[0m on save", "Crash red on save",
	      "a CSI sequence goes whole, parameters too");
	check("", "Title\033]0;pwned\007 here", "Title here", "an OSC sequence goes up to BEL");
	check("", "Title\033]8;;http://x\033\\link\033]8;;\033\\", "Titlelink",
	      "OSC hyperlinks go up to ST");
	check("", "bel\007 and del\177x", "bel and del x", "other controls are a space");
	check("", "line\xe2\x80\xa8two", "line two", "U+2028 is a line break");
	check("", "C1 \xc2\x9b" "31mred", "C1 red", "a C1 CSI goes whole too");
	check("", "Café — ünïcode ✓", "Café — ünïcode ✓", "UTF-8 is kept");
	check("", "bad \xff byte", "bad \xff byte", "a byte that is not UTF-8 is kept as it is");
	check("Attachments: ", " a.pdf ", "a.pdf", "appends after what the buffer holds");
	check("", "\033[2J\n", "", "nothing but controls: nothing");
	check("", "a\033\xe2\x80\x94" "b", "a\xe2\x80\x94" "b",
	      "ESC before a multi-byte character goes alone, the character stays");
	check("", "a\033(Bb\0337c", "abc", "ESC, intermediates and a final byte are one escape");
	return tap_done();
}
