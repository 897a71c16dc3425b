/* Words for similarity: lower case, Latin accents folded, camelCase split,
 * HTML comments skipped, stopwords dropped, English endings stripped. */
#include "psm/similar.h"

#include <stdlib.h>
#include <string.h>

#include "psm/error.h"

#define WORD_MAX 32 /* longer "words" are hashes, tokens, base64: not language */

/* Sorted (bsearch); t/unit/test-similar.c checks the order. English's
 * function words, and the courtesies of customer mail (please, thanks,
 * hi, regards): in half of all feedback and about no topic, they made
 * "Please merge my two accounts" a likely duplicate of "Please add dark
 * mode". */
static const char *const stopwords[] = {
	"about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
	"are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
	"but", "by", "can", "cheers", "com", "could", "dear", "did", "didn", "do", "does",
	"doesn", "doing", "don", "down", "during", "each", "eg", "etc", "few", "for", "from",
	"further", "get", "got", "had", "has", "have", "having", "he", "hello", "her", "here",
	"hers", "hey", "hi", "him", "his", "how", "http", "https", "ie", "if", "in", "into", "is",
	"isn", "it", "its", "just", "ll", "me", "more", "most", "my", "no", "nor", "not", "now",
	"of", "off", "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own",
	"please", "re", "regards", "same", "she", "should", "so", "some", "such", "than", "thank",
	"thanks", "that", "the", "their", "them", "then", "there", "these", "they", "this",
	"those", "through", "thx", "to", "too", "under", "until", "up", "ve", "very", "was", "we",
	"were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with",
	"won", "would", "www", "you", "your", "yours",
};

const char *const *psm_similar_stopwords(size_t *n);
const char *const *psm_similar_stopwords(size_t *n)
{
	*n = sizeof(stopwords) / sizeof(stopwords[0]);
	return stopwords;
}

static int cmp_word(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

/* Latin-1 letters U+00C0..U+00FF, folded to ASCII ("" for × and ÷). */
static const char *const latin1_fold[64] = {
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss",
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y",
};

static int ends(const char *w, size_t len, const char *suf)
{
	size_t l = strlen(suf);

	return len > l && !memcmp(w + len - l, suf, l);
}

static int has_vowel(const char *w, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (strchr("aeiouy", w[i]))
			return 1;
	return 0;
}

/* A light English stemmer (plural, -ed, -ing, final e): enough to make
 * "fails", "failed" and "failing" one word. Returns the new length. */
static size_t stem(char *w, size_t len)
{
	size_t i;
	int cut = 0;

	for (i = 0; i < len; i++)
		if ((unsigned char)w[i] >= 0x80 || (w[i] >= '0' && w[i] <= '9'))
			return len; /* not an English word */
	if (ends(w, len, "sses"))
		len -= 2;
	else if (ends(w, len, "ies") && len > 4)
		w[len - 3] = 'y', len -= 2;
	else if (ends(w, len, "s") && len > 3 && !ends(w, len, "ss") && !ends(w, len, "us") &&
		 !ends(w, len, "is"))
		len -= 1;
	if (ends(w, len, "ing") && len >= 6 && has_vowel(w, len - 3))
		len -= 3, cut = 1;
	else if (ends(w, len, "ed") && len >= 5 && has_vowel(w, len - 2))
		len -= 2, cut = 1;
	if (cut && len >= 2 && w[len - 1] == w[len - 2] && !strchr("aeioulsz", w[len - 1]))
		len--; /* running -> run, logged -> log */
	if (len > 4 && w[len - 1] == 'e')
		len--;
	return len;
}

static void emit_word(struct strbuf *out, char *w, size_t len)
{
	if (len < 2 || len > WORD_MAX)
		return;
	w[len] = '\0';
	if (bsearch(w, stopwords, sizeof(stopwords) / sizeof(stopwords[0]), sizeof(stopwords[0]),
		    cmp_word))
		return;
	len = stem(w, len);
	strbuf_add(out, w, len);
	strbuf_addch(out, ' ');
}

int psm_similar_words(struct strbuf *out, const char *text, size_t n)
{
	const unsigned char *s = (const unsigned char *)text;
	char w[WORD_MAX + 8], ch[1];
	size_t i = 0, len = 0;
	int overlong = 0;

	while (i <= n) {
		unsigned c = i < n ? s[i] : 0;
		const char *add = NULL; /* NULL: a separator; "": a letter that folds to nothing */
		size_t step = 1, addlen = 0;

		if (c == '<' && n - i >= 4 && !memcmp(s + i, "<!--", 4)) {
			/* HTML comments are markup (templates' section markers), not words */
			size_t j = i + 4;

			while (j + 3 <= n && memcmp(s + j, "-->", 3))
				j++;
			step = (j + 3 <= n ? j + 3 : n) - i;
		} else if (c < 0x80) {
			if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
				ch[0] = (char)c, add = ch, addlen = 1;
			} else if (c >= 'A' && c <= 'Z') {
				/* camelCase is two words: autoCommit = auto commit */
				if (len && i && s[i - 1] >= 'a' && s[i - 1] <= 'z') {
					if (!overlong)
						emit_word(out, w, len);
					len = 0;
					overlong = 0;
				}
				ch[0] = (char)(c + 32), add = ch, addlen = 1;
			}
		} else if (c == 0xc3 && i + 1 < n && s[i + 1] >= 0x80 && s[i + 1] < 0xc0) {
			add = latin1_fold[s[i + 1] - 0x80];
			addlen = strlen(add);
			step = 2;
		} else if (c == 0xc5 && i + 1 < n && (s[i + 1] == 0x92 || s[i + 1] == 0x93)) {
			add = "oe", addlen = 2, step = 2;
		} else if (c >= 0xc4 && c < 0xf5) {
			/* other letters (and CJK...) stay as they are; General
			 * Punctuation (U+2000-U+206F: dashes, quotes) separates */
			size_t l = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4, k;

			for (k = 1; k < l && i + k < n && (s[i + k] & 0xc0) == 0x80; k++)
				;
			step = k;
			if (k == l && !(c == 0xe2 && (s[i + 1] == 0x80 || s[i + 1] == 0x81)))
				add = (const char *)s + i, addlen = l;
		}
		if (add) {
			if (len + addlen > WORD_MAX)
				overlong = 1;
			else
				memcpy(w + len, add, addlen), len += addlen;
		} else {
			if (!overlong)
				emit_word(out, w, len);
			len = 0;
			overlong = 0;
		}
		i += step;
	}
	return out->oom ? psm_oom() : 0;
}
