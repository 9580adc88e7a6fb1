/*
 * Paper Radar's FTS5 ranking functions, a SQLite loadable extension.
 *
 * Why: FTS5's built-in bm25() computes each phrase's IDF by walking that
 * phrase's whole doclist on every query. For a word in a third of a million
 * papers that walk costs more than the rest of the query; these functions
 * take the IDFs as arguments instead (the engine caches document frequencies,
 * see src/store/sqlite/search-stats.ts), so a query costs what its candidate
 * rows cost.
 *
 *   radar_bm25f(fts, k1, w_0..w_{C-1}, b_0..b_{C-1}, idf_0..idf_{P-1})
 *     BM25F: per phrase, tf' = sum over columns of w_c * tf_c / (1 - b_c + b_c * len_c / avglen_c),
 *     score = sum over phrases of idf_p * tf' * (k1 + 1) / (tf' + k1). Higher is better.
 *   radar_coord(fts, g_0..g_{P-1})
 *     how many distinct groups g (0..63; negative = not counted) have a phrase with a hit in this row:
 *     the number of the query's clauses a paper matches.
 *
 * C = columns of the table, P = phrases of the MATCH expression (in the order
 * they appear in it). Built by src/store/sqlite/native.ts.
 */
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT1
#include <string.h>

#define MAX_COLS 16

typedef struct {
  double avg[MAX_COLS];
} Averages;

static Averages *averages(const Fts5ExtensionApi *api, Fts5Context *fts, int nCol, int *rc) {
  Averages *a = (Averages *)api->xGetAuxdata(fts, 0);
  if (a) return a;
  a = (Averages *)sqlite3_malloc(sizeof(Averages));
  if (!a) {
    *rc = SQLITE_NOMEM;
    return 0;
  }
  sqlite3_int64 nRow = 0;
  *rc = api->xRowCount(fts, &nRow);
  for (int c = 0; c < nCol && *rc == SQLITE_OK; c++) {
    sqlite3_int64 total = 0;
    *rc = api->xColumnTotalSize(fts, c, &total);
    a->avg[c] = nRow > 0 && total > 0 ? (double)total / (double)nRow : 1.0;
  }
  if (*rc == SQLITE_OK) *rc = api->xSetAuxdata(fts, a, sqlite3_free);
  else sqlite3_free(a);
  return *rc == SQLITE_OK ? a : 0;
}

static void bm25f(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nVal, sqlite3_value **apVal) {
  int nCol = api->xColumnCount(fts);
  int nPhrase = api->xPhraseCount(fts);
  if (nCol > MAX_COLS || nVal != 1 + 2 * nCol + nPhrase) {
    sqlite3_result_error(ctx, "radar_bm25f: expected k1, a weight and a b per column, and an idf per phrase", -1);
    return;
  }
  int rc = SQLITE_OK;
  Averages *a = averages(api, fts, nCol, &rc);
  if (!a) {
    sqlite3_result_error_code(ctx, rc);
    return;
  }
  double k1 = sqlite3_value_double(apVal[0]);
  double norm[MAX_COLS];
  for (int c = 0; c < nCol; c++) {
    double w = sqlite3_value_double(apVal[1 + c]);
    double b = sqlite3_value_double(apVal[1 + nCol + c]);
    int len = 0;
    if (w != 0.0) {
      rc = api->xColumnSize(fts, c, &len);
      if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
      }
    }
    norm[c] = w == 0.0 ? 0.0 : w / (1.0 - b + b * (double)len / a->avg[c]);
  }
  double score = 0.0;
  for (int p = 0; p < nPhrase; p++) {
    double idf = sqlite3_value_double(apVal[1 + 2 * nCol + p]);
    if (idf == 0.0) continue;
    Fts5PhraseIter it;
    int iCol = -1, iOff = -1;
    double tf = 0.0;
    rc = api->xPhraseFirst(fts, p, &it, &iCol, &iOff);
    if (rc != SQLITE_OK) {
      sqlite3_result_error_code(ctx, rc);
      return;
    }
    for (; iCol >= 0; api->xPhraseNext(fts, &it, &iCol, &iOff)) {
      if (iCol < nCol) tf += norm[iCol];
    }
    if (tf > 0.0) score += idf * tf * (k1 + 1.0) / (tf + k1);
  }
  sqlite3_result_double(ctx, score);
}

static void coord(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nVal, sqlite3_value **apVal) {
  int nPhrase = api->xPhraseCount(fts);
  if (nVal != nPhrase) {
    sqlite3_result_error(ctx, "radar_coord: expected a group per phrase", -1);
    return;
  }
  sqlite3_uint64 seen = 0;
  for (int p = 0; p < nPhrase; p++) {
    int g = sqlite3_value_int(apVal[p]);
    if (g < 0 || g > 63 || (seen >> g) & 1) continue;
    Fts5PhraseIter it;
    int iCol = -1, iOff = -1;
    int rc = api->xPhraseFirst(fts, p, &it, &iCol, &iOff);
    if (rc != SQLITE_OK) {
      sqlite3_result_error_code(ctx, rc);
      return;
    }
    if (iCol >= 0) seen |= (sqlite3_uint64)1 << g;
  }
  int n = 0;
  for (; seen; seen &= seen - 1) n++;
  sqlite3_result_int(ctx, n);
}

static int fts5Api(sqlite3 *db, fts5_api **out) {
  sqlite3_stmt *stmt = 0;
  *out = 0;
  int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, 0);
  if (rc != SQLITE_OK) return rc;
  sqlite3_bind_pointer(stmt, 1, (void *)out, "fts5_api_ptr", 0);
  sqlite3_step(stmt);
  return sqlite3_finalize(stmt);
}

#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_radarfts_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi) {
  SQLITE_EXTENSION_INIT2(pApi);
  fts5_api *api = 0;
  int rc = fts5Api(db, &api);
  if (rc != SQLITE_OK) return rc;
  if (!api || api->iVersion < 2) {
    *pzErrMsg = sqlite3_mprintf("radar_fts: FTS5 is not available");
    return SQLITE_ERROR;
  }
  rc = api->xCreateFunction(api, "radar_bm25f", 0, bm25f, 0);
  if (rc == SQLITE_OK) rc = api->xCreateFunction(api, "radar_coord", 0, coord, 0);
  return rc;
}
