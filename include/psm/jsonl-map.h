#ifndef PSM_JSONL_MAP_H
#define PSM_JSONL_MAP_H
/*
 * psm intake --jsonl --map PATH=FIELD: records from a tool whose export is
 * not psm's shape (a chat tool's conversation_id, author.email) read
 * without jq. PATH is a key of the record, or keys of nested objects joined
 * by dots (author.email; a number indexes an array: messages.0.text; a key
 * holding a dot is found as written first). FIELD is a field as --csv maps
 * them (title, body, external_id, reporter_email, ...) or "-" to drop it.
 * One PATH may fill several fields (text=title and text=body).
 *
 * What the maps leave of the record: its top-level keys that are psm's own
 * fields stay fields (as a CSV header naming one does); everything else is
 * kept at the end of the body as Markdown list items "- path: value", one
 * per value (nested objects by dotted path, a list of plain values joined
 * by ", "), as --csv keeps the columns no field takes. Nothing is lost.
 */
#include <jansson.h>
#include <stddef.h>

struct psm_json_map {
	const char *path;  /* author.email */
	const char *field; /* reporter_email, or "-" */
	int used;          /* set when a record had the path */
};

/* The record as psm_json_to_issue() reads it (a new object in *out). */
int psm_json_map_record(json_t **out, const json_t *in, struct psm_json_map *maps, size_t n);

#endif
