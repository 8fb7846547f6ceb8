/* LevelDB as the Swift harness's LevelDBPeer drives it: create_if_missing, defaults (4 MiB
 * memtable, 8 MiB block cache, Snappy) plus a 10-bit bloom filter; one leveldb_writebatch per
 * batch (created and destroyed each time), sync=false except the durable batch; leveldb_get
 * returns a malloc'd copy, freed on the next get; one iterator for the scan. */
#include <leveldb/c.h>

#include "workload.h"

static const char *ENGINE_NAME = "leveldb";
static leveldb_t *db;
static leveldb_options_t *options;
static leveldb_filterpolicy_t *policy;
static leveldb_readoptions_t *read_options;
static leveldb_writeoptions_t *bulk_write, *sync_write;
static char *last_value;

static void check(char *error, const char *what) {
    if (error) die(what, error);
}

static void engine_open(const char *dir, size_t n) {
    (void)n;
    if (!read_options) {
        read_options = leveldb_readoptions_create();
        bulk_write = leveldb_writeoptions_create();
        sync_write = leveldb_writeoptions_create();
        leveldb_writeoptions_set_sync(bulk_write, 0);
        leveldb_writeoptions_set_sync(sync_write, 1);
    }
    options = leveldb_options_create();
    leveldb_options_set_create_if_missing(options, 1);
    policy = leveldb_filterpolicy_create_bloom(10);
    leveldb_options_set_filter_policy(options, policy);
    char *error = NULL;
    db = leveldb_open(options, dir, &error);
    check(error, "leveldb_open");
}

static void engine_write(const uint8_t *keys, const uint8_t *values, int count, int durable) {
    leveldb_writebatch_t *batch = leveldb_writebatch_create();
    for (int e = 0; e < count; e++)
        leveldb_writebatch_put(batch, (const char *)keys + e * KEY_LEN, KEY_LEN, (const char *)values + e * VALUE_LEN,
                               VALUE_LEN);
    char *error = NULL;
    leveldb_write(db, durable ? sync_write : bulk_write, batch, &error);
    leveldb_writebatch_destroy(batch);
    check(error, "leveldb_write");
}

static int engine_get(const uint8_t *key, size_t key_len, const uint8_t **value, size_t *len) {
    if (last_value) leveldb_free(last_value);
    char *error = NULL;
    last_value = leveldb_get(db, read_options, (const char *)key, key_len, len, &error);
    check(error, "leveldb_get");
    if (!last_value) return 0;
    *value = (const uint8_t *)last_value;
    return 1;
}

static void engine_scan(visit_fn visit) {
    leveldb_iterator_t *it = leveldb_create_iterator(db, read_options);
    for (leveldb_iter_seek_to_first(it); leveldb_iter_valid(it); leveldb_iter_next(it)) {
        size_t klen, vlen;
        const char *k = leveldb_iter_key(it, &klen);
        const char *v = leveldb_iter_value(it, &vlen);
        visit((const uint8_t *)k, klen, (const uint8_t *)v, vlen);
    }
    char *error = NULL;
    leveldb_iter_get_error(it, &error);
    check(error, "leveldb_iter_get_error");
    leveldb_iter_destroy(it);
}

static void engine_close(void) {
    if (last_value) leveldb_free(last_value);
    last_value = NULL;
    leveldb_close(db);
    db = NULL;
    leveldb_options_destroy(options);
    leveldb_filterpolicy_destroy(policy);
}
