/**
 * vitest globalSetup: decides whether this run can test the PostgreSQL
 * backend, and owns the throwaway cluster's directory. The cluster itself is
 * started lazily by the first test that needs it (test/helpers/postgres.ts),
 * so runs without store tests pay nothing; teardown stops it and removes the
 * directory.
 *
 * Environment:
 * - `RADAR_TEST_PG=off`      skip the PostgreSQL backend;
 * - `RADAR_TEST_PG=require`  fail instead of skipping when PostgreSQL is absent (CI);
 * - `RADAR_TEST_PG_URL=postgres://…`  use that server (tests create and drop databases in it);
 * - `RADAR_PG_BIN=/dir`      where initdb and pg_ctl are (default: /usr/lib/postgresql/<newest>/bin).
 */
import { tmpdir } from 'node:os';
import type { TestProject } from 'vitest/node';
import { destroyCluster, findPgBin, makeClusterDir, reapStale } from './pg-cluster.ts';
import type { PgTestConfig } from './postgres.ts';

const PREFIX = 'radar-pg-';

function decide(env: NodeJS.ProcessEnv): PgTestConfig {
  if (env.RADAR_TEST_PG === 'off') return { mode: 'skip', reason: 'RADAR_TEST_PG=off' };
  if (env.RADAR_TEST_PG_URL) return { mode: 'url', url: env.RADAR_TEST_PG_URL };
  const bin = findPgBin(env);
  if (!bin) {
    const reason =
      'PostgreSQL is not installed here (no initdb/pg_ctl in $RADAR_PG_BIN, /usr/lib/postgresql/*/bin or PATH); ' +
      '`apt-get install postgresql` to run the PostgreSQL backend';
    if (env.RADAR_TEST_PG === 'require') throw new Error(`RADAR_TEST_PG=require, but ${reason}`);
    return { mode: 'skip', reason };
  }
  // A short parent (the server's socket lives in the cluster directory) that the
  // server user can traverse when we are root (a TMPDIR under /root would not be).
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const parent = !root && tmpdir().length <= 60 ? tmpdir() : '/tmp';
  return { mode: 'cluster', dir: makeClusterDir(parent, PREFIX), bin, parent };
}

export default async function setup(project: TestProject) {
  const config = decide(process.env);
  if (config.mode === 'cluster') {
    // Clusters left behind by runs that were killed before their teardown.
    await reapStale(config.parent, PREFIX);
  }
  project.provide('radarPg', config);
  return async () => {
    if (config.mode === 'cluster') await destroyCluster(config.dir);
  };
}
