/*
 * bench/floor.c STORE [ROUNDS]: what a warm read must do at the least,
 * each part alone, in one process, wall and CPU time (medians of ROUNDS,
 * default 9):
 *
 *   listing   psm_files_get(): every folder of issues/ read and every
 *             file lstat'ed, on the threads the scan uses (what
 *             `git status` does for its index, plus reading the folders)
 *   rows      the cache's rows stepped through in path order, each column
 *             read (the scan's SELECT on cache.db, one thread, no psm code)
 *   paths     the same with the path column only
 *   mapped    the same columns written once (untimed) to a flat file of
 *             length-prefixed fields, then mapped and walked in place, as
 *             a hand-written row format would be read: the part of `rows`
 *             that leaving SQLite could save
 *   scan      psm_scan_open()/psm_scan_next() to the end (flags 0): the
 *             listing, the rows, the checks and the unpacking, as list
 *             without a body does before it filters and prints
 *
 * Built and run by bench/floor.sh, which sets them beside git status.
 */
#include <fcntl.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "psm/cache.h"
#include "psm/error.h"
#include "psm/store.h"

struct sample {
	double wall, cpu;
};

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* user + system time of every thread of the process so far */
static double cpu_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static long part_listing(struct psm_store *s)
{
	struct psm_files *f;
	long n;

	if (psm_files_get(&f, s) < 0)
		return -1;
	n = (long)f->n;
	/* the last reference: the next psm_files_get() lists anew */
	psm_files_put(f);
	return n;
}

static long step(const char *db, const char *sql)
{
	sqlite3 *c = NULL;
	sqlite3_stmt *st = NULL;
	long n = 0;
	int i;

	if (sqlite3_open_v2(db, &c, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_exec(c, "PRAGMA cache_size=-4096", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c, sql, -1, &st, NULL) != SQLITE_OK) {
		sqlite3_close(c);
		return -1;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (i = 0; i < sqlite3_column_count(st); i++)
			if (sqlite3_column_blob(st, i))
				sqlite3_column_bytes(st, i);
		n++;
	}
	sqlite3_finalize(st);
	sqlite3_close(c);
	return n;
}

static const char *db_path;

static long part_rows(struct psm_store *s)
{
	(void)s;
	return step(db_path, "SELECT path, stat, oid, cfg, meta, problems FROM file ORDER BY path");
}

static long part_paths(struct psm_store *s)
{
	(void)s;
	return step(db_path, "SELECT path FROM file ORDER BY path");
}

static char flat_path[] = "/tmp/psm-floor-XXXXXX";

/* The rows' columns, each as u32 length and bytes, one row after another. */
static int write_flat(const char *db)
{
	sqlite3 *c = NULL;
	sqlite3_stmt *st = NULL;
	FILE *f;
	int fd = mkstemp(flat_path), i, ok = 1;

	if (fd < 0 || !(f = fdopen(fd, "wb")))
		return -1;
	if (sqlite3_open_v2(db, &c, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c, "SELECT path, stat, oid, cfg, meta, problems FROM file ORDER BY path",
			       -1, &st, NULL) != SQLITE_OK)
		ok = 0;
	while (ok && sqlite3_step(st) == SQLITE_ROW)
		for (i = 0; i < 6; i++) {
			const void *b = sqlite3_column_blob(st, i);
			uint32_t n = (uint32_t)sqlite3_column_bytes(st, i);

			ok = fwrite(&n, 4, 1, f) == 1 && (!n || fwrite(b, n, 1, f) == 1);
		}
	sqlite3_finalize(st);
	sqlite3_close(c);
	return fclose(f) == 0 && ok ? 0 : -1;
}

static long part_mapped(struct psm_store *s)
{
	struct stat st;
	const unsigned char *m, *p, *end;
	unsigned sum = 0;
	long n = 0;
	int fd = open(flat_path, O_RDONLY), i;

	(void)s;
	if (fd < 0 || fstat(fd, &st) < 0 ||
	    (m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0)) == MAP_FAILED) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	/* every field's length and first byte: each page of the file is read */
	for (p = m, end = m + st.st_size; p < end; n++)
		for (i = 0; i < 6 && p + 4 <= end; i++) {
			uint32_t len;

			memcpy(&len, p, 4);
			if (len)
				sum += p[4];
			p += 4 + len;
		}
	munmap((void *)m, (size_t)st.st_size);
	close(fd);
	return sum == 0xffffffffu ? -1 : n; /* sum used: not optimised away */
}

static long part_scan(struct psm_store *s)
{
	struct psm_scan *sc;
	const struct psm_issue *is;
	long n = 0;
	int r;

	if (psm_scan_open(&sc, s, 0) < 0)
		return -1;
	while ((r = psm_scan_next(sc, &is)) > 0)
		n++;
	psm_scan_free(sc);
	return r < 0 ? -1 : n;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		long (*run)(struct psm_store *s);
	} parts[] = {
		{ "listing", part_listing },
		{ "rows", part_rows },
		{ "paths", part_paths },
		{ "mapped", part_mapped },
		{ "scan", part_scan },
	};
	struct psm_store *s = NULL;
	struct strbuf db = STRBUF_INIT;
	int rounds = argc > 2 ? atoi(argv[2]) : 9, i, k;
	double *wall, *cpu;

	if (argc < 2 || rounds < 1 || psm_store_open(&s, argv[1]) < 0 || psm_cache_path(&db, s) < 0) {
		fprintf(stderr, "floor: %s\n", argc < 2 || rounds < 1 ? "usage: floor STORE [ROUNDS]"
								       : psm_error_last());
		return 1;
	}
	db_path = db.buf;
	if (write_flat(db_path) < 0) {
		fprintf(stderr, "floor: could not write '%s'\n", flat_path);
		return 1;
	}
	wall = calloc((size_t)rounds, sizeof(*wall));
	cpu = calloc((size_t)rounds, sizeof(*cpu));
	if (!wall || !cpu)
		return 1;
	for (k = 0; k < (int)(sizeof(parts) / sizeof(parts[0])); k++) {
		long n = 0;

		parts[k].run(s); /* pages and caches warm */
		for (i = 0; i < rounds; i++) {
			double w = now_ms(), c = cpu_ms();

			n = parts[k].run(s);
			wall[i] = now_ms() - w;
			cpu[i] = cpu_ms() - c;
			if (n < 0) {
				fprintf(stderr, "floor: %s: %s\n", parts[k].name, psm_error_last());
				return 1;
			}
		}
		printf("%s\t%ld\t%.1f\t%.1f\n", parts[k].name, n, median(wall, rounds),
		       median(cpu, rounds));
	}
	free(wall);
	free(cpu);
	unlink(flat_path);
	strbuf_release(&db);
	psm_store_free(s);
	return 0;
}
