/* The data and timed loops of shared/bench/WORKLOADS.md in C, for checking that the Swift
 * harness (strata-bench) does not handicap a peer. One engine per driver (lmdb.c, leveldb.c);
 * each implements the `engine_*` calls below exactly as the Swift peer adapter does, and
 * main() runs fillseq, then fillrandom, overwrite, readrandom and readseq on one open
 * database: the order and batches of strata-bench --workloads fillseq,fillrandom,readrandom,readseq
 * (which runs overwrite too, since readrandom reads its values). Output: strata-bench's JSON lines,
 * the peer named "<engine>-c". */
#ifndef STRATA_C_HARNESS_WORKLOAD_H
#define STRATA_C_HARNESS_WORKLOAD_H

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define KEY_LEN 16
#define VALUE_LEN 100
#define BATCH 1000

/* Supplied by each driver. */
static const char *ENGINE_NAME;
static void engine_open(const char *dir, size_t n);
/* Puts `count` pairs (keys[i], values[i]) in one batch; `durable` syncs it. */
static void engine_write(const uint8_t *keys, const uint8_t *values, int count, int durable);
/* Returns 1 and sets *value and *len if found (value valid until the next call), else 0. */
static int engine_get(const uint8_t *key, size_t key_len, const uint8_t **value, size_t *len);
/* Calls visit(key, klen, value, vlen) for every pair in key order. */
typedef void (*visit_fn)(const uint8_t *, size_t, const uint8_t *, size_t);
static void engine_scan(visit_fn visit);
static void engine_close(void);

static uint64_t splitmix64(uint64_t *s) {
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint64_t SEED = 42;

static inline void make_key(uint64_t i, uint8_t *k) {
    uint64_t big = __builtin_bswap64(i), zero = 0;
    memcpy(k, &zero, 8);
    memcpy(k + 8, &big, 8);
}

/* value(i, gen): 6 full draws (48 bytes) and 2 bytes of a seventh, each byte written to both
 * halves, fixed trip counts so the compiler unrolls it (as the Swift generator is). */
static inline void make_value(uint64_t i, uint64_t gen, uint8_t *v) {
    uint64_t s = (SEED << 40) + i * 4 + gen;
    for (int d = 0; d < 7; d++) {
        uint64_t r = splitmix64(&s);
        int count = d < 6 ? 8 : 2;
        for (int j = 0; j < count; j++) {
            uint8_t byte = (uint8_t)(32 + ((r >> (8 * j)) & 0xFF) % 95);
            v[d * 8 + j] = byte;
            v[50 + d * 8 + j] = byte;
        }
    }
}

/* The first 8 bytes of value(i, gen), as a little-endian load: one draw, as the Swift harness's valuePrefix. */
static inline uint64_t value_prefix(uint64_t i, uint64_t gen) {
    uint64_t s = (SEED << 40) + i * 4 + gen;
    uint64_t r = splitmix64(&s), p = 0;
    for (int j = 0; j < 8; j++) p |= (uint64_t)(32 + ((r >> (8 * j)) & 0xFF) % 95) << (8 * j);
    return p;
}

static uint32_t *permutation(uint64_t tag, size_t n) {
    uint32_t *a = malloc(n * sizeof *a);
    for (size_t i = 0; i < n; i++) a[i] = (uint32_t)i;
    uint64_t s = SEED * 1000 + tag;
    for (size_t i = n - 1; i >= 1; i--) {
        size_t j = splitmix64(&s) % (i + 1);
        uint32_t t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
    return a;
}

static inline uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* CPU time of every thread of the process, as the Swift harness's ProcessCPUClock. */
static inline uint64_t cpu_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void die(const char *what, const char *message) {
    fprintf(stderr, "%s: %s failed: %s\n", ENGINE_NAME, what, message);
    exit(1);
}

static void remove_tree(const char *path) {
    struct stat st;
    if (lstat(path, &st) != 0) return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            char child[4096];
            snprintf(child, sizeof child, "%s/%s", path, e->d_name);
            remove_tree(child);
        }
        closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

static void fresh_dir(const char *path) {
    remove_tree(path);
    if (mkdir(path, 0755) != 0) die("mkdir", path);
}

static uint64_t bytes_on_disk(const char *path) {
    uint64_t total = 0;
    DIR *d = opendir(path);
    if (!d) return 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char child[4096];
        snprintf(child, sizeof child, "%s/%s", path, e->d_name);
        struct stat st;
        if (lstat(child, &st) != 0) continue;
        if (S_ISREG(st.st_mode)) total += (uint64_t)st.st_blocks * 512;
        else if (S_ISDIR(st.st_mode)) total += bytes_on_disk(child);
    }
    closedir(d);
    return total;
}

static void emit(const char *workload, size_t n, uint64_t nanos, double p50, double p99, long long bytes,
                 long long misses, uint64_t cpu) {
    printf("{\"peer\":\"%s-c\",\"workload\":\"%s\",\"n\":%zu,\"ops_per_s\":%.1f,", ENGINE_NAME, workload, n,
           nanos ? (double)n / ((double)nanos / 1e9) : 0.0);
    if (p50 >= 0) printf("\"p50_us\":%.2f,\"p99_us\":%.2f,", p50, p99);
    else printf("\"p50_us\":null,\"p99_us\":null,");
    if (bytes >= 0) printf("\"bytes_on_disk\":%lld,\"space_amp\":%.3f,", bytes, (double)bytes / ((double)n * 116));
    else printf("\"bytes_on_disk\":null,\"space_amp\":null,");
    if (misses >= 0) printf("\"misses\":%lld,", misses);
    else printf("\"misses\":null,");
    printf("\"ms\":%.1f,\"seed\":%llu,\"cpu_ms\":%.1f}\n", (double)nanos / 1e6, (unsigned long long)SEED,
           (double)cpu / 1e6);
    fflush(stdout);
}

/* The BulkLoader of strata-bench: batches of consecutive entries, the last durable, key and
 * value generation inside the timed region. */
static uint64_t load(size_t n, const uint32_t *order, uint64_t gen) {
    static uint8_t keys[BATCH * KEY_LEN], values[BATCH * VALUE_LEN];
    uint64_t start = now_ns();
    size_t next = 0;
    while (next < n) {
        size_t end = next + BATCH < n ? next + BATCH : n;
        int count = 0;
        for (size_t index = next; index < end; index++, count++) {
            uint64_t i = order ? order[index] : index;
            make_key(i, keys + count * KEY_LEN);
            make_value(i, gen, values + count * VALUE_LEN);
        }
        engine_write(keys, values, count, end == n);
        next = end;
    }
    return now_ns() - start;
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static double percentile_us(uint64_t *sorted, size_t n, int p) {
    size_t rank = ((size_t)p * n + 99) / 100;
    return (double)sorted[(rank ? rank : 1) - 1] / 1000.0;
}

static uint64_t scan_expected, scan_misses, scan_touched;
static void scan_visit(const uint8_t *k, size_t klen, const uint8_t *v, size_t vlen) {
    uint64_t index = 0;
    uint64_t zero;
    memcpy(&zero, k, 8);
    int ok = klen == KEY_LEN && zero == 0;
    for (int b = 0; b < 8 && ok; b++) index = (index << 8) | k[8 + b];
    if (!ok || index != scan_expected) scan_misses++;
    if (vlen == VALUE_LEN) {
        uint64_t first, last;
        memcpy(&first, v, 8);
        memcpy(&last, v + VALUE_LEN - 8, 8);
        scan_touched += first;
        scan_touched ^= last;
    } else {
        scan_misses++;
    }
    scan_expected++;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s DIR [N] [SEED]\n", argv[0]);
        return 2;
    }
    const char *root = argv[1];
    size_t n = argc > 2 ? strtoull(argv[2], NULL, 10) : 1000000;
    if (argc > 3) SEED = strtoull(argv[3], NULL, 10);
    char dir[4096];
    fresh_dir(root);

    /* fillseq */
    snprintf(dir, sizeof dir, "%s/fillseq", root);
    fresh_dir(dir);
    engine_open(dir, n);
    uint64_t cpu = cpu_ns();
    uint64_t nanos = load(n, NULL, 0);
    cpu = cpu_ns() - cpu;
    engine_close();
    sync();
    emit("fillseq", n, nanos, -1, -1, (long long)bytes_on_disk(dir), -1, cpu);
    remove_tree(dir);
    /* For instruction counts of fillseq alone (cachegrind), as strata-bench --workloads fillseq. */
    if (getenv("C_HARNESS_FILLSEQ_ONLY")) {
        remove_tree(root);
        return 0;
    }

    /* fillrandom, overwrite, readrandom, readseq on one open database */
    snprintf(dir, sizeof dir, "%s/db", root);
    fresh_dir(dir);
    engine_open(dir, n);
    uint32_t *order = permutation(1, n);
    cpu = cpu_ns();
    nanos = load(n, order, 0);
    cpu = cpu_ns() - cpu;
    free(order);
    emit("fillrandom", n, nanos, -1, -1, -1, -1, cpu);

    order = permutation(2, n);
    uint64_t overwrite_cpu = cpu_ns();
    uint64_t overwrite_nanos = load(n, order, 1);
    overwrite_cpu = cpu_ns() - overwrite_cpu;
    free(order);

    order = permutation(3, n);
    uint64_t *lat = malloc(n * sizeof *lat);
    long long misses = 0;
    uint8_t key[KEY_LEN];
    uint64_t read_cpu = cpu_ns();
    uint64_t start = now_ns(), previous = start;
    for (size_t index = 0; index < n; index++) {
        uint64_t p = order[index];
        make_key(p, key);
        uint64_t expected = value_prefix(p, 1);
        const uint8_t *value;
        size_t len;
        int ok = 0;
        if (engine_get(key, KEY_LEN, &value, &len)) {
            uint64_t prefix;
            memcpy(&prefix, value, 8);
            ok = len == VALUE_LEN && prefix == expected;
        }
        if (!ok) misses++;
        uint64_t t = now_ns();
        lat[index] = t - previous;
        previous = t;
    }
    uint64_t read_nanos = previous - start;
    read_cpu = cpu_ns() - read_cpu;
    free(order);
    qsort(lat, n, sizeof *lat, cmp_u64);
    double p50 = percentile_us(lat, n, 50), p99 = percentile_us(lat, n, 99);
    free(lat);

    uint64_t scan_cpu = cpu_ns();
    start = now_ns();
    engine_scan(scan_visit);
    uint64_t scan_nanos = now_ns() - start;
    scan_cpu = cpu_ns() - scan_cpu;
    if (scan_expected < n) scan_misses += n - scan_expected;
    engine_close();
    sync();
    long long bytes = (long long)bytes_on_disk(dir);
    emit("overwrite", n, overwrite_nanos, -1, -1, bytes, -1, overwrite_cpu);
    emit("readrandom", n, read_nanos, p50, p99, -1, misses, read_cpu);
    emit("readseq", (size_t)scan_expected, scan_nanos, -1, -1, -1, (long long)scan_misses, scan_cpu);
    fprintf(stderr, "%s-c: touched %llx\n", ENGINE_NAME, (unsigned long long)scan_touched);
    remove_tree(root);
    return 0;
}

#endif
