/* Keywords found the ways people write them (keyword.h). */
#include "psm/keyword.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "psm/error.h"
#include "psm/grow.h"

enum { SEP_START, SEP_SPACE, SEP_HYPHEN, SEP_BREAK };
enum { C_WORD, C_SPACE, C_HYPHEN, C_APOS, C_OTHER };

struct word {
	size_t start, end; /* its bytes in the text */
	size_t off, len;   /* the word lower-cased, apostrophes dropped, in norm */
	int sep;           /* what stands between it and the word before */
};

struct words {
	struct word *v;
	size_t n, alloc;
	struct strbuf norm;
};

/* What the character at p is, and its length in bytes. */
static int char_class(const unsigned char *p, size_t left, size_t *clen)
{
	*clen = 1;
	if (*p < 0x80) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))
			return C_WORD;
		if (*p == ' ' || (*p >= '\t' && *p <= '\r') || !*p) /* NUL too, as strchr() had it */
			return C_SPACE;
		if (*p == '-' || *p == '_')
			return C_HYPHEN;
		return *p == '\'' ? C_APOS : C_OTHER;
	}
	if (left >= 2 && p[0] == 0xc2 && p[1] == 0xa0) { /* no-break space */
		*clen = 2;
		return C_SPACE;
	}
	if (left >= 3 && p[0] == 0xe2 && (p[1] == 0x80 || p[1] == 0x81)) {
		*clen = 3; /* General Punctuation: spaces, dashes, quotes */
		if (p[1] == 0x80 && p[2] <= 0x8a)
			return C_SPACE;
		if (p[1] == 0x80 && (p[2] == 0x90 || p[2] == 0x91))
			return C_HYPHEN;
		return p[1] == 0x80 && p[2] == 0x99 ? C_APOS : C_OTHER;
	}
	if (left >= 3 && p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80) {
		*clen = 3;
		return C_SPACE;
	}
	return C_WORD; /* other UTF-8: letters of other scripts, compared as bytes */
}

static int tokenize(struct words *w, const char *text, size_t len)
{
	const unsigned char *t = (const unsigned char *)text;
	int space = 0, hyphen = 0, other = 0, cls;
	size_t i = 0, clen, c2;
	char *norm;

	/* the words take at most the text's bytes: written straight in, not
	 * a checked append a byte (the queue tokenizes every open body) */
	if (strbuf_grow(&w->norm, len) < 0)
		return psm_oom();
	norm = w->norm.buf;
	while (i < len) {
		struct word *wd;

		cls = char_class(t + i, len - i, &clen);
		if (cls != C_WORD) {
			space |= cls == C_SPACE;
			hyphen |= cls == C_HYPHEN;
			other |= cls == C_APOS || cls == C_OTHER;
			i += clen;
			continue;
		}
		if (!(wd = psm_grow(w->v, w->n, &w->alloc, sizeof(*w->v), 64)))
			return psm_oom();
		w->v = wd;
		wd = &w->v[w->n++];
		wd->start = i;
		wd->off = w->norm.len;
		wd->sep = w->n == 1 ? SEP_START : other || (space && hyphen) ? SEP_BREAK
			  : hyphen ? SEP_HYPHEN : SEP_SPACE;
		space = hyphen = other = 0;
		while (i < len) {
			cls = char_class(t + i, len - i, &clen);
			if (cls == C_APOS && i + clen < len &&
			    char_class(t + i + clen, len - i - clen, &c2) == C_WORD) {
				i += clen; /* can't: cant */
				continue;
			}
			if (cls != C_WORD)
				break;
			for (c2 = 0; c2 < clen; c2++)
				norm[w->norm.len++] = (char)(t[i + c2] >= 'A' && t[i + c2] <= 'Z'
							       ? t[i + c2] + 'a' - 'A' : t[i + c2]);
			i += clen;
		}
		wd->end = i;
		wd->len = w->norm.len - wd->off;
	}
	norm[w->norm.len] = '\0';
	return 0;
}

static void words_release(struct words *w)
{
	free(w->v);
	strbuf_release(&w->norm);
}

/* A phrase: its words run together, and where each but the last ends. */
struct phrase {
	struct words w;
	const char *k;
	size_t klen;
};

static int phrase_init(struct phrase *ph, const char *s)
{
	memset(ph, 0, sizeof(*ph));
	strbuf_init(&ph->w.norm, 0);
	if (tokenize(&ph->w, s, strlen(s)) < 0) {
		words_release(&ph->w);
		return PSM_ENOMEM;
	}
	ph->k = ph->w.norm.buf;
	ph->klen = ph->w.norm.len;
	return 0;
}

/* Is off (into the run-together words) the end of a word of the phrase? */
static int boundary(const struct phrase *ph, size_t off)
{
	size_t i;

	for (i = 0; i < ph->w.n; i++)
		if (ph->w.v[i].off + ph->w.v[i].len == off)
			return 1;
	return 0;
}

static int vowel(int c)
{
	return strchr("aeiou", c) != NULL;
}

/* Is t (tl bytes) w (wl bytes) with an inflection added? */
static int inflects(const char *t, size_t tl, const char *w, size_t wl)
{
	static const char *const plain[] = { "s", "es", "ed", "ing", NULL };
	const char *suf;
	size_t i, sl;
	char last;

	if (wl < 2 || tl <= wl - 1)
		return 0;
	last = w[wl - 1];
	if (tl > wl && !memcmp(t, w, wl)) {
		suf = t + wl;
		sl = tl - wl;
		for (i = 0; plain[i]; i++)
			if (sl == strlen(plain[i]) && !memcmp(suf, plain[i], sl))
				return 1;
		if (last == 'e' && sl == 1 && *suf == 'd')
			return 1; /* charged */
		/* logged, logging: the consonant doubled */
		if (*suf == last && !vowel(last) && last != 'w' && last != 'x' && last != 'y' &&
		    ((sl == 3 && !memcmp(suf + 1, "ed", 2)) || (sl == 4 && !memcmp(suf + 1, "ing", 3))))
			return 1;
	}
	if (memcmp(t, w, wl - 1))
		return 0;
	suf = t + wl - 1;
	sl = tl - (wl - 1);
	if (last == 'e' && sl == 3 && !memcmp(suf, "ing", 3))
		return 1; /* charging */
	return last == 'y' && wl >= 3 && !vowel(w[wl - 2]) && sl == 3 &&
	       (!memcmp(suf, "ies", 3) || !memcmp(suf, "ied", 3)); /* applies, applied */
}

/* Does the phrase match from text word i? The end (exclusive) or 0. */
static size_t match_at(const struct words *tw, size_t i, const struct phrase *ph)
{
	size_t kpos = 0, j = i, b;

	if (!ph->klen || tw->norm.buf[tw->v[i].off] != ph->k[0])
		return 0;
	while (j < tw->n) {
		const char *t = tw->norm.buf + tw->v[j].off;
		size_t tl = tw->v[j].len, rl = ph->klen - kpos;

		if (j > i && (tw->v[j].sep == SEP_BREAK ||
			      (tw->v[j].sep == SEP_SPACE && !boundary(ph, kpos))))
			return 0;
		if (tl <= rl && !memcmp(t, ph->k + kpos, tl)) {
			kpos += tl;
		} else {
			for (b = kpos + 1; b <= ph->klen; b++)
				if ((b == ph->klen || boundary(ph, b)) &&
				    inflects(t, tl, ph->k + kpos, b - kpos))
					break;
			if (b > ph->klen)
				return 0;
			kpos = b;
		}
		j++;
		if (kpos == ph->klen)
			return j;
	}
	return 0;
}

/*
 * A text's words by their first byte, in order: first[c] the first word
 * starting with c, next[k] the next one after word k (NONE: no more). A
 * phrase can only match from a word that starts as it does, so each
 * phrase tries those words alone (the queue looks for some thirty phrases
 * in every open title and body: most of its scoring was trying the others).
 */
#define NONE ((size_t)-1)

struct starts {
	size_t first[256];
	size_t *next;
};

static int starts_init(struct starts *st, const struct words *tw)
{
	size_t k;

	for (k = 0; k < 256; k++)
		st->first[k] = NONE;
	if (!(st->next = malloc((tw->n ? tw->n : 1) * sizeof(*st->next))))
		return psm_oom();
	for (k = tw->n; k-- > 0;) {
		unsigned char c = (unsigned char)tw->norm.buf[tw->v[k].off];

		st->next[k] = st->first[c];
		st->first[c] = k;
	}
	return 0;
}

/* The word to try after k for ph (from k == NONE: the first). */
static size_t next_start(const struct starts *st, const struct phrase *ph, size_t k)
{
	if (!ph->klen)
		return NONE;
	return k == NONE ? st->first[(unsigned char)ph->k[0]] : st->next[k];
}

/* The phrase's first match in tw not inside an exception: 1 with [*i, *j). */
static int find_phrase(size_t *i, size_t *j, const struct words *tw, const struct starts *st,
		       const struct phrase *ph, const unsigned char *excluded)
{
	size_t k, e;

	for (k = next_start(st, ph, NONE); k != NONE; k = next_start(st, ph, k)) {
		if (!(e = match_at(tw, k, ph)))
			continue;
		if (excluded) {
			size_t x;

			for (x = k; x < e && !excluded[x]; x++)
				;
			if (x < e)
				continue;
		}
		*i = k;
		*j = e;
		return 1;
	}
	return 0;
}

/*
 * The config's phrases, split into words once per config rather than once
 * per text (the queue looks for them in every open issue's title and
 * body: 23 phrases in the default config). Kept on the config, which frees
 * it (psm_config's keywords slot), made on first use under a lock.
 */
struct entry {
	const char *kw;    /* the config's keyword */
	const char *s;     /* the keyword itself or one of its variants */
	struct phrase ph;
};

struct compiled {
	struct phrase *ex; /* keyword_exceptions */
	size_t nex, exalloc;
	struct entry *v;   /* each keyword, then its variants, in the config's order */
	size_t n, alloc;
};

static pthread_mutex_t compile_lock = PTHREAD_MUTEX_INITIALIZER;

static void compiled_free(void *p)
{
	struct compiled *c = p;
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->nex; i++)
		words_release(&c->ex[i].w);
	for (i = 0; i < c->n; i++)
		words_release(&c->v[i].ph.w);
	free(c->ex);
	free(c->v);
	free(c);
}

static int add_entry(struct compiled *c, const char *kw, const char *s)
{
	struct entry *nv;

	if (!s)
		return 0;
	if (!(nv = psm_grow(c->v, c->n, &c->alloc, sizeof(*nv), 16)))
		return PSM_ENOMEM;
	c->v = nv;
	if (phrase_init(&c->v[c->n].ph, s) < 0)
		return PSM_ENOMEM;
	c->v[c->n].kw = kw;
	c->v[c->n++].s = s;
	return 0;
}

/* The variants of keyword kw: a list (or one string) under keyword_variants. */
static const struct psm_node *variants_of(const struct psm_config *cfg, const char *kw)
{
	const struct psm_node *m = psm_node_get(cfg->root, "keyword_variants");
	size_t i;

	for (i = 0; m && m->kind == PSM_MAP && i + 1 < m->n; i += 2)
		if (m->items[i]->str && !strcasecmp(m->items[i]->str, kw))
			return m->items[i + 1];
	return NULL;
}

static int compile(struct compiled *c, const struct psm_config *cfg)
{
	const struct psm_node *kws = psm_config_list(cfg, "keywords");
	const struct psm_node *ex = psm_config_list(cfg, "keyword_exceptions"), *v;
	size_t i, k;
	int r = 0;

	for (i = 0; ex && i < ex->n && !r; i++) {
		const char *s = psm_node_str(ex->items[i]);
		struct phrase *ne;

		if (!s)
			continue;
		if (!(ne = psm_grow(c->ex, c->nex, &c->exalloc, sizeof(*ne), 4)))
			return PSM_ENOMEM;
		c->ex = ne;
		if (phrase_init(&c->ex[c->nex], s) < 0)
			return PSM_ENOMEM;
		c->nex++;
	}
	for (i = 0; kws && i < kws->n && !r; i++) {
		const char *kw = psm_node_str(kws->items[i]);

		if (!kw)
			continue;
		r = add_entry(c, kw, kw);
		v = variants_of(cfg, kw);
		if (!r && v && v->kind == PSM_SCALAR)
			r = add_entry(c, kw, psm_node_str(v));
		for (k = 0; !r && v && v->kind == PSM_SEQ && k < v->n; k++)
			r = add_entry(c, kw, psm_node_str(v->items[k]));
	}
	return r;
}

/* The config's compiled phrases: NULL when out of memory. */
static const struct compiled *compiled_for(const struct psm_config *cfg)
{
	struct psm_config *mut = (struct psm_config *)cfg; /* a cache of what cfg says */
	struct compiled *c;

	pthread_mutex_lock(&compile_lock);
	if (!(c = mut->keywords) && (c = calloc(1, sizeof(*c)))) {
		if (compile(c, cfg) < 0) {
			compiled_free(c);
			c = NULL;
		} else {
			mut->keywords = c;
			mut->keywords_free = compiled_free;
		}
	}
	pthread_mutex_unlock(&compile_lock);
	return c;
}

/* Mark the words of every match of every exception phrase. */
static int mark_exceptions(unsigned char **out, const struct words *tw, const struct starts *st,
			   const struct compiled *c)
{
	size_t i, k, e;

	*out = NULL;
	if (!c->nex || !tw->n)
		return 0;
	if (!(*out = calloc(tw->n, 1)))
		return psm_oom();
	for (i = 0; i < c->nex; i++)
		for (k = next_start(st, &c->ex[i], NONE); k != NONE;
		     k = next_start(st, &c->ex[i], k))
			if ((e = match_at(tw, k, &c->ex[i])))
				memset(*out + k, 1, e - k);
	return 0;
}

/* Look for one phrase; 1 and *out filled on a match. */
static int find_in(struct psm_keyword_hit *out, const struct words *tw, const struct starts *st,
		   const unsigned char *excluded, const char *kw, const char *s,
		   const struct phrase *ph)
{
	size_t i, j;

	if (!find_phrase(&i, &j, tw, st, ph, excluded))
		return 0;
	out->keyword = kw;
	out->phrase = s;
	out->at = tw->v[i].start;
	out->len = tw->v[j - 1].end - tw->v[i].start;
	return 1;
}

/* Try one phrase, split here; 1 and *out filled on a match. */
static int try_phrase(struct psm_keyword_hit *out, const struct words *tw,
		      const struct starts *st, const unsigned char *excluded, const char *kw,
		      const char *s)
{
	struct phrase ph;
	int found;

	if (!s || phrase_init(&ph, s) < 0)
		return s ? PSM_ENOMEM : 0;
	found = find_in(out, tw, st, excluded, kw, s, &ph);
	words_release(&ph.w);
	return found;
}

int psm_keyword_find(struct psm_keyword_hit *out, const struct psm_config *cfg,
		     const char *text, size_t len)
{
	const struct psm_node *kws = psm_config_list(cfg, "keywords");
	struct words tw = { NULL, 0, 0, STRBUF_INIT };
	struct starts st = { { 0 }, NULL };
	const struct compiled *c;
	unsigned char *excluded = NULL;
	size_t i;
	int r = 0;

	memset(out, 0, sizeof(*out));
	if (!kws || !kws->n)
		return 0;
	if (!(c = compiled_for(cfg)))
		return psm_oom();
	if ((r = tokenize(&tw, text, len)) < 0 || !tw.n || (r = starts_init(&st, &tw)) < 0 ||
	    (r = mark_exceptions(&excluded, &tw, &st, c)) < 0)
		goto out;
	for (i = 0; i < c->n && !r; i++)
		r = find_in(out, &tw, &st, excluded, c->v[i].kw, c->v[i].s, &c->v[i].ph);
out:
	free(excluded);
	free(st.next);
	words_release(&tw);
	return r;
}

int psm_keyword_phrase_in(const char *phrase, const char *text, size_t len)
{
	struct words tw = { NULL, 0, 0, STRBUF_INIT };
	struct starts st = { { 0 }, NULL };
	struct psm_keyword_hit hit;
	int r;

	if ((r = tokenize(&tw, text, len)) >= 0 && (r = starts_init(&st, &tw)) >= 0)
		r = try_phrase(&hit, &tw, &st, NULL, phrase, phrase);
	free(st.next);
	words_release(&tw);
	return r;
}
