/* LMDB as the Swift harness's LMDBPeer drives it: map size max(1 GiB, N * 4 KiB), the default
 * database, MDB_NOSYNC with mdb_env_sync(env, 1) after the durable batch, one write txn per
 * batch, gets in one reusable read txn (mdb_txn_renew / mdb_txn_reset per get), zero-copy. */
#include <lmdb.h>

#include "workload.h"

static const char *ENGINE_NAME = "lmdb";
static MDB_env *env;
static MDB_dbi dbi;
static MDB_txn *reader;

static void check(int rc, const char *what) {
    if (rc != MDB_SUCCESS) die(what, mdb_strerror(rc));
}

static void engine_open(const char *dir, size_t n) {
    check(mdb_env_create(&env), "mdb_env_create");
    size_t map = (size_t)1 << 30;
    if (n * 4096 > map) map = n * 4096;
    check(mdb_env_set_mapsize(env, map), "mdb_env_set_mapsize");
    check(mdb_env_open(env, dir, MDB_NOSYNC, 0644), "mdb_env_open");
    MDB_txn *txn;
    check(mdb_txn_begin(env, NULL, 0, &txn), "mdb_txn_begin");
    check(mdb_dbi_open(txn, NULL, 0, &dbi), "mdb_dbi_open");
    check(mdb_txn_commit(txn), "mdb_txn_commit");
}

static void engine_write(const uint8_t *keys, const uint8_t *values, int count, int durable) {
    MDB_txn *txn;
    check(mdb_txn_begin(env, NULL, 0, &txn), "mdb_txn_begin");
    for (int e = 0; e < count; e++) {
        MDB_val k = {KEY_LEN, (void *)(keys + e * KEY_LEN)}, v = {VALUE_LEN, (void *)(values + e * VALUE_LEN)};
        check(mdb_put(txn, dbi, &k, &v, 0), "mdb_put");
    }
    check(mdb_txn_commit(txn), "mdb_txn_commit");
    if (durable) check(mdb_env_sync(env, 1), "mdb_env_sync");
}

static MDB_txn *renew_reader(void) {
    if (reader) check(mdb_txn_renew(reader), "mdb_txn_renew");
    else check(mdb_txn_begin(env, NULL, MDB_RDONLY, &reader), "mdb_txn_begin(MDB_RDONLY)");
    return reader;
}

static int engine_get(const uint8_t *key, size_t key_len, const uint8_t **value, size_t *len) {
    MDB_txn *txn = renew_reader();
    MDB_val k = {key_len, (void *)key}, v;
    int rc = mdb_get(txn, dbi, &k, &v);
    /* The value stays mapped after the reset: the map is not unmapped while the env is open. */
    mdb_txn_reset(txn);
    if (rc == MDB_NOTFOUND) return 0;
    check(rc, "mdb_get");
    *value = v.mv_data;
    *len = v.mv_size;
    return 1;
}

static void engine_scan(visit_fn visit) {
    MDB_txn *txn = renew_reader();
    MDB_cursor *cursor;
    check(mdb_cursor_open(txn, dbi, &cursor), "mdb_cursor_open");
    MDB_val k, v;
    int rc = mdb_cursor_get(cursor, &k, &v, MDB_FIRST);
    while (rc == MDB_SUCCESS) {
        visit(k.mv_data, k.mv_size, v.mv_data, v.mv_size);
        rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT);
    }
    if (rc != MDB_NOTFOUND) check(rc, "mdb_cursor_get");
    mdb_cursor_close(cursor);
    mdb_txn_reset(txn);
}

static void engine_close(void) {
    if (reader) mdb_txn_abort(reader);
    reader = NULL;
    mdb_env_close(env);
    env = NULL;
}
