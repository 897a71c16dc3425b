/*
 * Handing a message over (psm/mail.h): to a sendmail-compatible command
 * (run as git send-email runs it: through the shell, the message on its
 * standard input, recipients from the headers), or to an SMTP server
 * through libcurl, one SMTP transaction per message on one connection.
 */
#define _GNU_SOURCE /* pipe2 */
#include "psm/mail.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "psm/error.h"

#include "curl-int.h"

extern char **environ;

/* Feed the message in and collect what the command says, together, so a
 * command that talks before it reads cannot block on a full pipe (as
 * lib/git/git-run.c does for git). */
static int pump(int in, const char *data, size_t len, int out, struct strbuf *said)
{
	char buf[8192];
	size_t done = 0;

	if (!len) {
		close(in);
		in = -1;
	}
	while (in >= 0 || out >= 0) {
		struct pollfd p[2];
		nfds_t np = 0;
		ssize_t n;

		if (in >= 0)
			p[np].fd = in, p[np].events = POLLOUT, p[np++].revents = 0;
		if (out >= 0)
			p[np].fd = out, p[np].events = POLLIN, p[np++].revents = 0;
		if (poll(p, np, -1) < 0) {
			if (errno == EINTR)
				continue;
			if (in >= 0)
				close(in);
			if (out >= 0)
				close(out);
			return psm_error_errno(PSM_ERROR, "could not talk to the sendmail command");
		}
		if (in >= 0 && p[0].revents) {
			n = write(in, data + done, len - done);
			if (n < 0 && errno != EINTR && errno != EAGAIN) {
				close(in); /* it stopped reading: its exit says why */
				in = -1;
			} else if (n > 0 && (done += (size_t)n) == len) {
				close(in);
				in = -1;
			}
		}
		if (out >= 0 && p[np - 1].revents) {
			n = read(out, buf, sizeof(buf));
			if (n < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (n <= 0) {
				close(out);
				out = -1;
			} else if (said->len < 4096) {
				strbuf_add(said, buf, (size_t)n);
			}
		}
	}
	return said->oom ? psm_oom() : 0;
}

static int run_sendmail(const char *cmd, const char *data, size_t len)
{
	char *argv[] = { (char *)"sh", (char *)"-c", (char *)cmd, NULL };
	int pin[2] = { -1, -1 }, pout[2] = { -1, -1 }, fa_ok = 0, status = 0, r = 0, i;
	struct strbuf said = STRBUF_INIT;
	posix_spawn_file_actions_t fa;
	sigset_t pipe_set, old_set;
	pid_t pid;

	if (pipe2(pin, O_CLOEXEC) < 0 || pipe2(pout, O_CLOEXEC) < 0) {
		r = psm_error_errno(PSM_ERROR, "could not run '%s'", cmd);
		goto cleanup;
	}
	if (posix_spawn_file_actions_init(&fa)) {
		r = psm_oom();
		goto cleanup;
	}
	fa_ok = 1;
	if (posix_spawn_file_actions_adddup2(&fa, pin[0], 0) ||
	    posix_spawn_file_actions_adddup2(&fa, pout[1], 1) ||
	    posix_spawn_file_actions_adddup2(&fa, pout[1], 2)) {
		r = psm_oom();
		goto cleanup;
	}
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
	if ((errno = posix_spawn(&pid, "/bin/sh", &fa, NULL, argv, environ))) {
		r = psm_error_errno(PSM_ERROR, "could not run '%s'", cmd);
	} else {
		close(pin[0]), pin[0] = -1;
		close(pout[1]), pout[1] = -1;
		r = pump(pin[1], data, len, pout[0], &said);
		pin[1] = pout[0] = -1; /* pump closed them */
		while (waitpid(pid, &status, 0) < 0)
			if (errno != EINTR) {
				status = -1;
				break;
			}
	}
	{
		struct timespec zero = { 0, 0 };

		while (sigtimedwait(&pipe_set, NULL, &zero) > 0)
			; /* a SIGPIPE of ours, consumed */
	}
	pthread_sigmask(SIG_SETMASK, &old_set, NULL);
	if (!r && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		strbuf_rtrim(&said);
		if (WIFEXITED(status))
			r = psm_error(PSM_ERROR, "'%s' exited with %d%s%s", cmd, WEXITSTATUS(status),
				      said.len ? ": " : "", said.buf);
		else
			r = psm_error(PSM_ERROR, "'%s' was killed%s%s", cmd, said.len ? ": " : "",
				      said.buf);
	}
cleanup:
	if (fa_ok)
		posix_spawn_file_actions_destroy(&fa);
	for (i = 0; i < 2; i++) {
		if (pin[i] >= 0)
			close(pin[i]);
		if (pout[i] >= 0)
			close(pout[i]);
	}
	strbuf_release(&said);
	return r;
}

struct upload {
	const char *data;
	size_t len, done;
};

static size_t read_cb(char *buf, size_t size, size_t nitems, void *arg)
{
	struct upload *u = arg;
	size_t n = size * nitems;

	if (n > u->len - u->done)
		n = u->len - u->done;
	memcpy(buf, u->data + u->done, n);
	u->done += n;
	return n;
}

/* Is the server this machine? Then a login without TLS sends nothing
 * over a network. */
static int loopback(const char *url)
{
	const char *h = strstr(url, "://");

	h = h ? h + 3 : url;
	return !strncmp(h, "127.", 4) || !strncmp(h, "localhost", 9) || !strncmp(h, "[::1]", 5);
}

static int smtp_send(struct psm_mail_transport *t, const char *from, const char *to,
		     const char *data, size_t len)
{
	const struct psm_curl *cu;
	char errbuf[CURL_ERROR_SIZE] = "";
	struct strbuf crlf = STRBUF_INIT, f = STRBUF_INIT, rc = STRBUF_INIT;
	struct curl_slist *rcpt = NULL;
	struct upload u;
	CURLcode res;
	CURL *c;
	size_t i;
	int r = 0;

	if ((r = psm_curl_load(&cu)) < 0)
		return r;
	if (!t->curl && !(t->curl = cu->easy_init()))
		return psm_oom();
	c = t->curl;
	/* SMTP wants CRLF line ends; libcurl escapes leading dots itself */
	for (i = 0; i < len; i++) {
		if (data[i] == '\n' && (!i || data[i - 1] != '\r'))
			strbuf_addch(&crlf, '\r');
		strbuf_addch(&crlf, data[i]);
	}
	strbuf_addf(&f, "<%s>", from);
	strbuf_addf(&rc, "<%s>", to);
	if (crlf.oom || f.oom || rc.oom || !(rcpt = cu->slist_append(NULL, rc.buf))) {
		r = psm_oom();
		goto cleanup;
	}
	u.data = crlf.buf, u.len = crlf.len, u.done = 0;
	cu->easy_setopt(c, CURLOPT_URL, t->smtp_url);
	cu->easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	cu->easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
	cu->easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	cu->easy_setopt(c, CURLOPT_MAIL_FROM, f.buf);
	cu->easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	cu->easy_setopt(c, CURLOPT_UPLOAD, 1L);
	cu->easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	cu->easy_setopt(c, CURLOPT_READDATA, &u);
	cu->easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)crlf.len);
	/* smtps:// is TLS from the start; smtp:// upgrades with STARTTLS, and
	 * a password goes to another machine over TLS only */
	cu->easy_setopt(c, CURLOPT_USE_SSL, t->user && !loopback(t->smtp_url)
			 ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
	if (t->user) {
		cu->easy_setopt(c, CURLOPT_USERNAME, t->user);
		cu->easy_setopt(c, CURLOPT_PASSWORD, t->password ? t->password : "");
	}
	res = cu->easy_perform(c);
	if (res == CURLE_LOGIN_DENIED)
		r = psm_error(PSM_MAIL_EDENIED, "%s refused the login of '%s': %s", t->smtp_url,
			      t->user ? t->user : "", errbuf[0] ? errbuf : cu->easy_strerror(res));
	else if (res != CURLE_OK)
		r = psm_error(PSM_ERROR, "%s: %s", t->smtp_url,
			      errbuf[0] ? errbuf : cu->easy_strerror(res));
	cu->easy_setopt(c, CURLOPT_MAIL_RCPT, NULL);
	cu->easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
cleanup:
	cu->slist_free_all(rcpt);
	strbuf_release(&crlf);
	strbuf_release(&f);
	strbuf_release(&rc);
	return r;
}

int psm_mail_send(struct psm_mail_transport *t, const char *from, const char *to,
		  const char *data, size_t len)
{
	if (t->smtp_url)
		return smtp_send(t, from, to, data, len);
	return run_sendmail(t->sendmail ? t->sendmail : "/usr/sbin/sendmail -oi -t", data, len);
}

void psm_mail_transport_close(struct psm_mail_transport *t)
{
	const struct psm_curl *cu;

	/* a handle means libcurl was loaded */
	if (t->curl && !psm_curl_load(&cu))
		cu->easy_cleanup(t->curl);
	t->curl = NULL;
}
