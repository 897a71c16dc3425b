/*
 * Canonical YAML output: block style, one key per line, quoting only where
 * a YAML 1.1 or 1.2 reader (PyYAML's safe_load among them) would otherwise
 * read something other than the same string.
 */
#include <stdint.h>
#include <string.h>

#include "psm/node.h"
#include "psm/time.h"

static int is_word(const char *s, size_t len, const char *const *words)
{
	for (; *words; words++)
		if (strlen(*words) == len && !memcmp(s, *words, len))
			return 1;
	return 0;
}

/*
 * YAML 1.1 timestamps ("2026-11-22T07:00:00Z", "2026-11-22 07:00:00 -08:00"):
 * four digits, '-', then only characters the timestamp pattern allows.
 * Broader than the pattern: it may quote a string that did not need it,
 * never the other way round.
 */
static int looks_timestamp(const char *s, size_t len)
{
	size_t i;

	if (len < 8 || s[4] != '-')
		return 0;
	for (i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	for (i = 5; i < len; i++)
		if (!strchr("0123456789-:.TtZz+ \t", s[i]))
			return 0;
	return 1;
}

/* Would a plain scalar with this text be read as null, bool, number or time? */
static int looks_typed(const char *s, size_t len)
{
	static const char *const words[] = {
		"~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False",
		"FALSE", "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off",
		"Off", "OFF", "y", "Y", "n", "N", ".inf", ".Inf", ".INF", "-.inf",
		"+.inf", "-.Inf", "+.Inf", ".nan", ".NaN", ".NAN", "<<", "=", NULL
	};
	size_t i;

	if (is_word(s, len, words) || looks_timestamp(s, len))
		return 1;
	/* Numbers, sexagesimals, dates: only digits and number punctuation. */
	if (!strchr("0123456789+-.", s[0]))
		return 0;
	for (i = 0; i < len; i++)
		if (!strchr("0123456789abcdefABCDEFxXoO_.:+-", s[i]))
			return 0;
	return 1;
}

static int needs_double(const unsigned char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] < 0x20 || s[i] == 0x7f)
			return 1;
		/* C1 controls U+0080..U+009F and U+2028/2029, U+FEFF: escape them. */
		if (s[i] == 0xc2 && i + 1 < len && s[i + 1] >= 0x80 && s[i + 1] <= 0x9f)
			return 1;
		if (s[i] == 0xe2 && i + 2 < len && s[i + 1] == 0x80 &&
		    (s[i + 2] == 0xa8 || s[i + 2] == 0xa9))
			return 1;
		if (s[i] == 0xef && i + 2 < len && s[i + 1] == 0xbb && s[i + 2] == 0xbf)
			return 1;
		/* U+FFFE, U+FFFF: not printable in YAML, a reader refuses them raw */
		if (s[i] == 0xef && i + 2 < len && s[i + 1] == 0xbf && s[i + 2] >= 0xbe)
			return 1;
	}
	return 0;
}

/*
 * A plain scalar that YAML would read as syntax: "-" or "? " (a list item,
 * a complex key), a ':' that ends it or is followed by a space, " #", a
 * document marker.
 * looks_typed() texts ("-", "1:", "-1") need this check to stay plain.
 */
static int plain_unsafe(const char *s, size_t len)
{
	size_t i;

	if (!len || (strchr("-?:", s[0]) && (len == 1 || s[1] == ' ')) || s[0] == ' ' ||
	    s[len - 1] == ' ' || s[len - 1] == ':')
		return 1;
	/* "--- x" or "... x" as a top-level key would start or end a document */
	if (len >= 3 && (!memcmp(s, "---", 3) || !memcmp(s, "...", 3)) &&
	    (len == 3 || s[3] == ' ' || s[3] == '\t'))
		return 1;
	for (i = 0; i + 1 < len; i++)
		if ((s[i] == ':' && s[i + 1] == ' ') || (s[i] == ' ' && s[i + 1] == '#'))
			return 1;
	return 0;
}

static int needs_quotes(const char *s, size_t len)
{
	return !len || looks_typed(s, len) || strchr("-?:,[]{}#&*!|>'\"%@`", s[0]) ||
	       plain_unsafe(s, len);
}

static int add_double(struct strbuf *out, const unsigned char *s, size_t len)
{
	size_t i;

	strbuf_addch(out, '"');
	for (i = 0; i < len; i++) {
		unsigned c = s[i];

		if (c == '"' || c == '\\') {
			strbuf_addch(out, '\\');
			strbuf_addch(out, (int)c);
		} else if (c == '\n') {
			strbuf_addstr(out, "\\n");
		} else if (c == '\t') {
			strbuf_addstr(out, "\\t");
		} else if (c < 0x20 || c == 0x7f) {
			strbuf_addf(out, "\\x%02x", c);
		} else if (c == 0xc2 && i + 1 < len && s[i + 1] >= 0x80 && s[i + 1] <= 0x9f) {
			strbuf_addf(out, "\\x%02x", s[i + 1]);
			i++;
		} else if (c == 0xe2 && i + 2 < len && s[i + 1] == 0x80 &&
			   (s[i + 2] == 0xa8 || s[i + 2] == 0xa9)) {
			strbuf_addstr(out, s[i + 2] == 0xa8 ? "\\L" : "\\P");
			i += 2;
		} else if (c == 0xef && i + 2 < len && s[i + 1] == 0xbb && s[i + 2] == 0xbf) {
			strbuf_addstr(out, "\\ufeff");
			i += 2;
		} else if (c == 0xef && i + 2 < len && s[i + 1] == 0xbf && s[i + 2] >= 0xbe) {
			strbuf_addstr(out, s[i + 2] == 0xbe ? "\\ufffe" : "\\uffff");
			i += 2;
		} else {
			strbuf_addch(out, (int)c);
		}
	}
	return strbuf_addch(out, '"');
}

int psm_yaml_quote(struct strbuf *out, const char *s, size_t len)
{
	size_t i;

	if (needs_double((const unsigned char *)s, len))
		return add_double(out, (const unsigned char *)s, len);
	if (!needs_quotes(s, len))
		return strbuf_add(out, s, len);
	strbuf_addch(out, '\'');
	for (i = 0; i < len; i++) {
		if (s[i] == '\'')
			strbuf_addch(out, '\'');
		strbuf_addch(out, s[i]);
	}
	return strbuf_addch(out, '\'');
}

static int emit_value(struct strbuf *out, const struct psm_node *v, size_t indent);

/* Keys whose values are times: written plain, so readers see YAML timestamps. */
static int is_time_key(const char *key)
{
	static const char *const keys[] = {
		"created", "updated", "triaged", "responded", "closed", "first_closed",
		"parked_until", "customer_replied", "at", "done", "bounced", NULL
	};

	return key && is_word(key, strlen(key), keys);
}

/* `key` is the mapping key the value belongs to; NULL in a list. */
static void emit_scalar(struct strbuf *out, const struct psm_node *v, const char *key)
{
	int64_t t;

	/* a valid time under a time key: plain, like the "created:" psm writes */
	if (is_time_key(key) && looks_timestamp(v->str, v->len) && strlen(v->str) == v->len &&
	    !psm_time_parse(v->str, &t)) {
		strbuf_add(out, v->str, v->len);
		return;
	}
	/* plain numbers, booleans and nulls keep their YAML type (reopened: 2) */
	if (v->plain && (psm_node_is_null(v) ||
			 (looks_typed(v->str, v->len) && !plain_unsafe(v->str, v->len) &&
			  !needs_double((const unsigned char *)v->str, v->len))))
		strbuf_add(out, v->str, v->len);
	else
		psm_yaml_quote(out, v->str, v->len);
}

/* After "key:" or "- ": a scalar on the same line, a collection below. */
static void emit_after_colon(struct strbuf *out, const struct psm_node *v, size_t indent,
			     const char *key)
{
	if (v->kind == PSM_SCALAR) {
		if (!(v->plain && !v->len))
			strbuf_addch(out, ' ');
		emit_scalar(out, v, key);
		strbuf_addch(out, '\n');
	} else if (!v->n) {
		strbuf_addstr(out, v->kind == PSM_SEQ ? " []\n" : " {}\n");
	} else {
		strbuf_addch(out, '\n');
		/* Sequences under a key sit at the key's column, as most YAML does. */
		emit_value(out, v, v->kind == PSM_SEQ ? indent : indent + 2);
	}
}

static int emit_value(struct strbuf *out, const struct psm_node *v, size_t indent)
{
	size_t i;

	if (v->kind == PSM_MAP) {
		for (i = 0; i + 1 < v->n; i += 2) {
			strbuf_addchars(out, ' ', indent);
			psm_yaml_quote(out, v->items[i]->str, v->items[i]->len);
			strbuf_addch(out, ':');
			emit_after_colon(out, v->items[i + 1], indent, v->items[i]->str);
		}
	} else if (v->kind == PSM_SEQ) {
		for (i = 0; i < v->n; i++) {
			const struct psm_node *it = v->items[i];

			strbuf_addchars(out, ' ', indent);
			strbuf_addch(out, '-');
			if (it->kind == PSM_MAP && it->n) {
				/* "- k: v" then the other keys aligned under k. */
				struct strbuf tmp = STRBUF_INIT;

				emit_value(&tmp, it, indent + 2);
				strbuf_addch(out, ' ');
				strbuf_add(out, tmp.buf + indent + 2, tmp.len - indent - 2);
				if (tmp.oom)
					out->oom = 1;
				strbuf_release(&tmp);
			} else {
				emit_after_colon(out, it, indent + 2, NULL);
			}
		}
	} else {
		strbuf_addchars(out, ' ', indent);
		emit_scalar(out, v, NULL);
		strbuf_addch(out, '\n');
	}
	return out->oom ? -1 : 0;
}

int psm_node_emit_entry(struct strbuf *out, const char *key, const struct psm_node *v)
{
	psm_yaml_quote(out, key, strlen(key));
	strbuf_addch(out, ':');
	emit_after_colon(out, v, 0, key);
	return out->oom ? -1 : 0;
}
