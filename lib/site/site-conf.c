/* The config's site: key (docs/site.md, "Configuration"). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "psm/error.h"
#include "psm/render.h"
#include "site-int.h"
#include "psm/store.h"

static int bad_key(const struct psm_node *at, const char *key, const char *what)
{
	return psm_error(PSM_EINVALID, "%s:%d:%d: site.%s must be %s", PSM_CONFIG_PATH,
			 at ? at->line : 1, at ? at->col : 1, key, what);
}

/* site.KEY as sanitized one-line text, or dflt (NULL: none). */
static int conf_text(char **out, const struct psm_node *site, const char *key, const char *dflt)
{
	const struct psm_node *n = site ? psm_node_get(site, key) : NULL;
	struct strbuf sb = STRBUF_INIT;
	const char *v = dflt;

	*out = NULL;
	if (n && !psm_node_is_null(n)) {
		if (n->kind != PSM_SCALAR)
			return bad_key(n, key, "text");
		v = n->str;
	}
	if (!v)
		return 0;
	if (psm_sanitize(&sb, v, strlen(v), 0) < 0 || !(*out = strbuf_detach(&sb, NULL)))
		return psm_oom();
	return 0;
}

static int url_ok(const char *u)
{
	size_t i;

	if (strncmp(u, "https://", 8) && strncmp(u, "http://", 7))
		return 0;
	for (i = 0; u[i]; i++)
		if ((unsigned char)u[i] <= ' ' || strchr("\"'<>\\`{}|^", u[i]))
			return 0;
	return 1;
}

static int set_url(struct psm_site_conf *c, const char *u, const struct psm_node *at)
{
	size_t len = strlen(u);

	free(c->url);
	c->url = NULL;
	if (!len)
		return !(c->url = psm_strdup("")) ? psm_oom() : 0;
	if (!url_ok(u))
		return at ? bad_key(at, "url", "an http:// or https:// URL")
			  : psm_error(PSM_EINVALID, "invalid site URL '%s': give an http:// or https:// URL", u);
	if (!(c->url = malloc(len + 2)))
		return psm_oom();
	memcpy(c->url, u, len + 1);
	if (u[len - 1] != '/')
		memcpy(c->url + len, "/", 2);
	return 0;
}

static const char *const logo_ext[] = { ".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", NULL };

/* A logo is a URL, or a file in the repository that the site carries. */
static int set_logo(struct psm_site_conf *c, const struct psm_node *n)
{
	const char *v = n->str, *dot = strrchr(v, '.');
	size_t i;

	if (!strncmp(v, "https://", 8) || !strncmp(v, "http://", 7)) {
		if (!url_ok(v))
			return bad_key(n, "logo", "a file in the repository or an http(s) URL");
		return !(c->logo = psm_strdup(v)) ? psm_oom() : 0;
	}
	if (*v == '/' || !strcmp(v, "..") || !strncmp(v, "../", 3) || strstr(v, "/../") ||
	    (strlen(v) > 3 && !strcmp(v + strlen(v) - 3, "/..")))
		return bad_key(n, "logo", "a path inside the repository");
	for (i = 0; dot && logo_ext[i]; i++)
		if (!strcasecmp(dot, logo_ext[i]))
			break;
	if (!dot || !logo_ext[i])
		return bad_key(n, "logo", "an .svg, .png, .jpg, .gif or .webp file");
	if (!(c->logo_path = psm_strdup(v)) || !(c->logo = malloc(strlen(logo_ext[i]) + 5)))
		return psm_oom();
	memcpy(c->logo, "logo", 4);
	memcpy(c->logo + 4, logo_ext[i], strlen(logo_ext[i]) + 1);
	return 0;
}

int psm_site_conf_load(struct psm_site_conf *c, const struct psm_config *cfg, const char *url)
{
	const struct psm_node *site = psm_node_get(cfg->root, "site"), *n;
	struct psm_cl_rules *r = NULL;
	const char *next;
	int e;
	size_t i;

	memset(c, 0, sizeof(*c));
	if (site && psm_node_is_null(site))
		site = NULL;
	if (site && site->kind != PSM_MAP)
		return psm_error(PSM_EINVALID, "%s:%d:%d: 'site' must be a mapping", PSM_CONFIG_PATH,
				 site->line, site->col);
	if ((e = conf_text(&c->title, site, "title", "Product updates")) < 0 ||
	    (e = conf_text(&c->description, site, "description", NULL)) < 0 ||
	    (e = conf_text(&c->lang, site, "lang", "en")) < 0 ||
	    (e = conf_text(&c->tags, site, "tags", NULL)) < 0 ||
	    (e = conf_text(&c->label, site, "label", "public")) < 0 ||
	    (e = conf_text(&c->url, site, "url", "")) < 0)
		return e;
	for (i = 0; c->lang[i]; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", c->lang[i]))
			break;
	if (!*c->lang || c->lang[i])
		return bad_key(psm_node_get(site, "lang"), "lang", "a language tag like en or pt-BR");
	if (!*c->label || strpbrk(c->label, " \t,"))
		return bad_key(psm_node_get(site, "label"), "label", "a label");
	if (url) {
		if ((e = set_url(c, url, NULL)) < 0)
			return e;
	} else {
		char *u = c->url;

		c->url = NULL;
		e = set_url(c, u, psm_node_get(site, "url"));
		free(u);
		if (e < 0)
			return e;
	}
	n = site ? psm_node_get(site, "logo") : NULL;
	if (n && !psm_node_is_null(n)) {
		if (n->kind != PSM_SCALAR)
			return bad_key(n, "logo", "a file in the repository or an http(s) URL");
		if ((e = set_logo(c, n)) < 0)
			return e;
	}
	if ((e = psm_cl_rules_new(&r, cfg)) < 0)
		return e;
	next = psm_cl_rules_next_status(r);
	if (!(c->next_status = psm_strdup(next ? next : "in-progress")))
		e = psm_oom();
	psm_cl_rules_free(r);
	return e;
}

void psm_site_conf_release(struct psm_site_conf *c)
{
	free(c->title);
	free(c->description);
	free(c->lang);
	free(c->url);
	free(c->logo);
	free(c->logo_path);
	free(c->tags);
	free(c->label);
	free(c->next_status);
	memset(c, 0, sizeof(*c));
}
