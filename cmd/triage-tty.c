/*
 * Keys for the triage session. On a terminal: raw single keypresses
 * (termios without ICANON and ECHO), with the terminal put back at exit,
 * on a fatal signal and while suspended (^Z). Otherwise one key per line,
 * so a session can be scripted: printf 'i\n1\ns\nq\n' | psm triage.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "triage-int.h"

static struct termios saved, raw;
static volatile sig_atomic_t raw_on;
static const int fatal_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

static void restore(void)
{
	if (raw_on)
		tcsetattr(0, TCSANOW, &saved);
	raw_on = 0;
}

static void on_signal(int sig)
{
	int e = errno;

	if (raw_on)
		tcsetattr(0, TCSANOW, &saved);
	if (sig == SIGTSTP) {
		/* stop for real with the terminal as the shell expects it;
		 * raw again when continued (SA_NODEFER lets raise() act now) */
		signal(SIGTSTP, SIG_DFL);
		raise(SIGTSTP);
		{
			struct sigaction sa;

			memset(&sa, 0, sizeof(sa));
			sa.sa_handler = on_signal;
			sa.sa_flags = SA_NODEFER;
			sigaction(SIGTSTP, &sa, NULL);
		}
		if (raw_on)
			tcsetattr(0, TCSANOW, &raw);
		errno = e;
		return;
	}
	signal(sig, SIG_DFL);
	raise(sig);
	errno = e;
}

int keys_open(void)
{
	struct sigaction sa;
	size_t i;

	if (!isatty(0) || tcgetattr(0, &saved) < 0)
		return 0;
	raw = saved;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_NODEFER;
	for (i = 0; i < sizeof(fatal_signals) / sizeof(fatal_signals[0]); i++)
		sigaction(fatal_signals[i], &sa, NULL);
	sigaction(SIGTSTP, &sa, NULL);
	atexit(restore); /* die() exits: never leave the terminal raw */
	if (tcsetattr(0, TCSANOW, &raw) < 0)
		return 0;
	raw_on = 1;
	return 1;
}

void keys_close(void)
{
	restore();
}

static int pushed = -1; /* a key read while looking for an escape sequence */

/* A byte from fd 0 if one comes within ms milliseconds; -1 if not. */
static int byte_within(int ms)
{
	struct pollfd p = { 0, POLLIN, 0 };
	unsigned char c;

	if (pushed >= 0) {
		c = (unsigned char)pushed;
		pushed = -1;
		return c;
	}
	if (poll(&p, 1, ms) > 0 && read(0, &c, 1) == 1)
		return c;
	return -1;
}

/* After ESC: swallow an arrow or function key's sequence (ESC [ ... final,
 * ESC O x); a lone ESC is Escape, and a key typed after it is kept. */
static void skip_sequence(void)
{
	int c = byte_within(30);

	if (c == '[' || c == 'O') {
		while ((c = byte_within(30)) >= 0 && c == '[')
			;
		while (c >= 0 && !(c >= 0x40 && c <= 0x7e))
			c = byte_within(30);
	} else if (c >= 0) {
		pushed = c;
	}
}

/* After a UTF-8 lead byte: its continuation bytes. */
static void skip_utf8(unsigned char lead)
{
	int n = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : 1, c;

	while (n-- > 0 && (c = byte_within(30)) >= 0)
		if ((c & 0xc0) != 0x80) {
			pushed = c;
			break;
		}
}

/* A line from stdio, or byte by byte from fd 0 on a terminal (no stdio
 * buffer may hold keys that raw mode should read next). */
static int next_char(int fd)
{
	unsigned char c;
	ssize_t n;

	if (!fd)
		return getchar();
	if (pushed >= 0) {
		c = (unsigned char)pushed;
		pushed = -1;
		return c;
	}
	do
		n = read(0, &c, 1);
	while (n < 0 && errno == EINTR);
	return n == 1 ? c : EOF;
}

static int read_line(struct strbuf *line, int fd)
{
	int c, any = 0;

	strbuf_reset(line);
	while ((c = next_char(fd)) != EOF) {
		any = 1;
		if (c == '\n')
			break;
		strbuf_addch(line, c);
	}
	if (line->oom)
		die("out of memory");
	/* trim: "  i \r" is the key i */
	while (line->len && strchr(" \t\r", line->buf[line->len - 1]))
		strbuf_setlen(line, line->len - 1);
	while (line->len && strchr(" \t", line->buf[0]))
		memmove(line->buf, line->buf + 1, line->len--);
	return any;
}

int key_read(struct strbuf *key)
{
	unsigned char c;
	ssize_t n;

	if (!raw_on) {
		/* keys from a script: echo them so the transcript reads like the screen */
		if (!read_line(key, 0))
			return 0;
		put_safe(stdout, key->buf, 0);
		putchar('\n');
		return 1;
	}
	fflush(stdout);
	strbuf_reset(key);
	if (pushed >= 0) {
		c = (unsigned char)pushed;
		pushed = -1;
		n = 1;
	} else {
		do
			n = read(0, &c, 1);
		while (n < 0 && errno == EINTR);
	}
	if (n <= 0 || c == 0x04) /* ^D */
		return 0;
	if (c == 0x1b) {
		skip_sequence();
		strbuf_addstr(key, "\033");
	} else if (c >= 0x80) {
		skip_utf8(c);
		strbuf_addstr(key, "?");
	} else if (c != '\r' && c != '\n') {
		strbuf_addch(key, c);
	}
	/* show what was pressed, as git add -p does */
	if (key->len && (unsigned char)key->buf[0] >= 0x20)
		printf("%s\n", key->buf);
	else
		putchar('\n');
	return 1;
}

/*
 * After a key that was not understood: the keys typed after it were meant
 * for something else (a word typed at a one-key prompt, say), and each
 * would be answered or, worse, taken as a choice at the next prompt.
 */
void keys_discard(void)
{
	if (!raw_on)
		return; /* a script's keys are what it means */
	pushed = -1;
	tcflush(0, TCIFLUSH);
}

int line_read(struct strbuf *line)
{
	int r;

	if (!raw_on) {
		if (!read_line(line, 0))
			return 0;
		put_safe(stdout, line->buf, 0);
		putchar('\n');
		return 1;
	}
	fflush(stdout);
	tcsetattr(0, TCSANOW, &saved);
	r = read_line(line, 1);
	tcsetattr(0, TCSANOW, &raw);
	return r;
}
