#include "psm/json-safe.h"

#include "psm/error.h"

unsigned psm_json_unsafe_at(const unsigned char *s, size_t left, size_t *n)
{
	unsigned cp;

	if (s[0] == 0x7f) {
		*n = 1;
		return 0x7f;
	}
	if (s[0] == 0xc2 && left >= 2 && s[1] >= 0x80 && s[1] <= 0x9f) {
		*n = 2;
		return s[1];
	}
	if (s[0] == 0xd8 && left >= 2 && s[1] == 0x9c) { /* U+061C arabic letter mark */
		*n = 2;
		return 0x61c;
	}
	if ((s[0] == 0xe2 || s[0] == 0xef) && left >= 3) {
		cp = (unsigned)(s[0] & 0x0f) << 12 | (unsigned)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
		if (cp == 0x200e || cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff) {
			*n = 3;
			return cp;
		}
	}
	return 0;
}

int psm_json_make_safe(struct strbuf *out, const char *json, size_t len)
{
	const unsigned char *s = (const unsigned char *)json;
	size_t i = 0, n;

	while (i < len) {
		unsigned cp;
		size_t run = i;

		/* only these bytes can start an unsafe character: the rest is
		 * copied a run at a time */
		while (run < len && s[run] != 0x7f && s[run] != 0xc2 && s[run] != 0xd8 &&
		       s[run] != 0xe2 && s[run] != 0xef)
			run++;
		if (run > i) {
			strbuf_add(out, json + i, run - i);
			i = run;
			continue;
		}
		cp = psm_json_unsafe_at(s + i, len - i, &n);
		if (cp) {
			strbuf_addf(out, "\\u%04X", cp);
			i += n;
		} else {
			strbuf_addch(out, s[i++]);
		}
	}
	return out->oom ? psm_oom() : 0;
}
