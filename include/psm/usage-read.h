#ifndef PSM_USAGE_READ_H
#define PSM_USAGE_READ_H
/*
 * Event exports from product analytics, read as a stream: one event per
 * line of JSON (JSONL) or per CSV record, each with a user id, an event name
 * and a time. Where those live is a preset's (posthog, mixpanel, amplitude,
 * segment) or --map's business (docs/import.md). Memory stays bounded
 * whatever the file's length: a line longer than PSM_USAGE_MAX_LINE is an
 * error, not a reason to grow.
 */
#include <stdint.h>
#include <stdio.h>

#define PSM_USAGE_MAX_LINE (1 << 20)
#define PSM_USAGE_MAX_LINE_NAME "1 MiB"

enum psm_usage_format { PSM_USAGE_AUTO, PSM_USAGE_JSONL, PSM_USAGE_CSV };
enum { PSM_USAGE_USER, PSM_USAGE_EVENT, PSM_USAGE_TIME, PSM_USAGE_FIELDS };

struct psm_usage_event {
	const char *user;  /* not NUL-free: a user id is bytes */
	size_t user_len;
	const char *name;
	int64_t time;      /* Unix seconds */
	long line;         /* where it started in its file */
};

struct psm_usage_reader {
	enum psm_usage_format format;
	/* each field's columns or JSON paths ("properties.time"), tried in order */
	char **fields[PSM_USAGE_FIELDS];
	size_t nfields[PSM_USAGE_FIELDS];
	void *tz;          /* --tz (a GTimeZone), or NULL */
	int zoneless_utc;  /* the preset says times without a zone are UTC */
	int epoch_local;   /* numeric times count seconds in a local zone (Mixpanel) */
	int only_track;    /* skip records whose "type" is not "track" (Segment) */

	/* Called for each event and for each line that cannot be read (its
	 * message); a negative return stops the read with that code. */
	int (*on_event)(void *data, const struct psm_usage_event *ev);
	int (*on_bad)(void *data, long line, const char *msg);
	void *data;

	/* What the last psm_usage_read() saw. */
	size_t lines, events, anonymous, skipped, bad;
};

/* The presets, for messages: "posthog, mixpanel, amplitude, segment". */
extern const char *const psm_usage_presets[];

/*
 * Set up a reader: preset NULL (columns named user, event, time) or one of
 * psm_usage_presets; maps "COLUMN=FIELD" (FIELD user, event or time) replace
 * what the preset looks for; tz an IANA zone or an offset (+02:00) for times
 * written without one. PSM_EINVALID on a bad preset, map or zone.
 */
int psm_usage_reader_init(struct psm_usage_reader *r, const char *preset,
			  const char *const *maps, size_t nmaps, const char *tz);
void psm_usage_reader_release(struct psm_usage_reader *r);

/*
 * Read one export to its end. name is how messages and format detection
 * (.csv, .jsonl, .ndjson, .json; else the first line) know it. Bad lines
 * go to on_bad and the read goes on; a file that cannot be what it should
 * (a CSV header without an event column) is PSM_EINVALID.
 */
int psm_usage_read(struct psm_usage_reader *r, FILE *in, const char *name);

/*
 * A time as exports write it (docs/import.md): RFC 3339 or ISO 8601 with a
 * space, fractions and a zone (Z, +02:00, +0200, +02) or without one, or a
 * Unix time in s, ms, us or ns. PSM_EINVALID with a message saying why.
 */
int psm_usage_parse_time(const struct psm_usage_reader *r, const char *s, int64_t *out);

#endif
