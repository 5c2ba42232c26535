import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll } from 'vitest';
import { openSqlite } from './queryHarness';
import { describeQueryService } from './querySuite';

const dir = mkdtempSync(join(tmpdir(), 'quarry-query-sqlite-'));
const file = join(dir, 'test.sqlite');
new Database(file).close();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeQueryService('SQLite', () => openSqlite(file), {
  series: (n) => `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ${n}) SELECT x AS id, 'row ' || x AS label FROM c`,
  longRunning: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c',
  createItems: ['drop table if exists qs_items', 'create table qs_items (id integer primary key, note text)'],
});
