import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding, MigrationSet } from '../../shared/domain/review';
import { offsetToPosition } from '../../shared/sql/offsetToPosition';
import { splitStatements } from '../../shared/sql/splitStatements';
import { loadReviewConfig } from './config/loadReviewConfig';
import { reviewMigrations } from './reviewMigrations';
import { rules } from './rules/registry';

const SHOP = path.resolve('test/fixtures/review/rules/shop-postgres');

/** A Flyway-shaped set read straight from the fixture folder (the readers are tested on their own). */
function readShop(): { set: MigrationSet; sources: Map<string, string> } {
  const sources = new Map<string, string>();
  const files = readdirSync(SHOP).filter((f) => f.endsWith('.sql')).sort();
  const migrations = files.map((file) => {
    const text = readFileSync(path.join(SHOP, file), 'utf8');
    sources.set(file, text);
    const up = splitStatements(text, 'postgres').map((s) => {
      const { line, column } = offsetToPosition(text, s.start);
      return { sql: s.text, location: { file, line, column } };
    });
    return { id: file, version: file.slice(1, file.indexOf('__')), description: file, format: 'flyway' as const, file, up };
  });
  return { set: { root: SHOP, format: 'flyway', migrations, problems: [] }, sources };
}

const brief = (f: Finding): string => `${f.location.file}:${f.location.line}:${f.location.column} ${f.severity} ${f.ruleId}`;

describe('reviewMigrations', () => {
  it('reviews a Flyway folder with its .quarry.yml: rules, ignores, config levels, syntax errors, sorted by place', async () => {
    const { set, sources } = readShop();
    const { config, problems } = loadReviewConfig(SHOP);
    expect(problems).toEqual([]);
    const findings = await reviewMigrations(set, { dialect: 'postgres', config, sources });
    expect(findings.map(brief)).toEqual([
      `${path.join(SHOP, '.quarry.yml')}:7:3 warning unknown-rule`,
      'V2__order_status.sql:4:1 warning adding-field-with-volatile-default',
      'V2__order_status.sql:10:1 warning require-concurrent-index-creation',
      'V3__cleanup.sql:4:1 warning backfill-mixed-with-ddl',
      'V3__cleanup.sql:4:1 warning delete-or-update-without-where',
      'V3__cleanup.sql:5:48 error syntax-error',
    ]);
    const volatile = findings.find((f) => f.ruleId === 'adding-field-with-volatile-default');
    expect(volatile).toMatchObject({ migrationId: 'V2__order_status.sql', help: expect.stringContaining('backfill') });
    expect(volatile?.message).toContain('gen_random_uuid()');
  });

  it('without the sources, comments outside statements are unseen and the defaults apply', async () => {
    const { set } = readShop();
    const ids = (await reviewMigrations(set, { dialect: 'postgres' })).map((f) => `${f.location.file}:${f.location.line} ${f.ruleId}`);
    expect(ids).toContain('V2__order_status.sql:7 require-concurrent-index-creation');
    expect(ids).toContain('V3__cleanup.sql:3 dropping-table');
    // V1 creates the table it indexes, so no CONCURRENTLY is needed there.
    expect(ids).not.toContain('V1__create_orders.sql:14 require-concurrent-index-creation');
  });

  it('reviews a golang-migrate MySQL folder, up and down', async () => {
    const dir = path.resolve('test/fixtures/review/rules/shop-mysql');
    const sources = new Map<string, string>();
    const read = (file: string) => {
      const text = readFileSync(path.join(dir, file), 'utf8');
      sources.set(file, text);
      return splitStatements(text, 'mysql').map((s) => {
        const { line, column } = offsetToPosition(text, s.start);
        return { sql: s.text, location: { file, line, column } };
      });
    };
    const ups = readdirSync(dir).filter((f) => f.endsWith('.up.sql')).sort();
    const set: MigrationSet = {
      root: dir,
      format: 'golang-migrate',
      migrations: ups.map((up) => ({ id: up.slice(0, 6), description: up, format: 'golang-migrate', file: up, up: read(up), down: read(up.replace('.up.', '.down.')) })),
      problems: [],
    };
    const findings = await reviewMigrations(set, { dialect: 'mysql', sources });
    expect(findings.map(brief)).toEqual([
      '000002_order_changes.up.sql:1:1 warning changing-column-type',
      '000002_order_changes.up.sql:1:1 warning mysql-algorithm-copy',
      '000002_order_changes.up.sql:1:1 warning mysql-enum-change',
      '000002_order_changes.up.sql:2:1 warning money-as-float',
      '000002_order_changes.up.sql:3:1 warning backfill-mixed-with-ddl',
      '000002_order_changes.up.sql:5:8 warning unparsed-statement',
    ]);
  });

  it('treats server version 10 as rewriting for any default', async () => {
    const { set } = readShop();
    const hits = (await reviewMigrations(set, { dialect: 'postgres', serverVersion: '10.23' })).filter((f) => f.ruleId === 'adding-field-with-volatile-default');
    expect(hits.map((f) => f.location.line)).toEqual([3, 4]);
  });

  it('keeps reader problems and runs only the dialect’s rules', async () => {
    const problem: Finding = { ruleId: 'read-error', severity: 'error', message: 'binary file', location: { file: 'a.bin', line: 1, column: 1 } };
    const set: MigrationSet = {
      root: 'x',
      format: 'sql',
      migrations: [{ id: 'm', description: 'm', format: 'sql', file: 'm.sql', up: [{ sql: 'CREATE INDEX ix ON orders (a)', location: { file: 'm.sql', line: 1, column: 1 } }] }],
      problems: [problem],
    };
    expect(await reviewMigrations(set, { dialect: 'mysql' })).toEqual([problem]);
    const pg = await reviewMigrations(set, { dialect: 'postgres' });
    expect(pg.map((f) => f.ruleId)).toEqual(['read-error', 'missing-lock-timeout', 'require-concurrent-index-creation', 'require-if-not-exists']);
  });

  it('reports a statement Quarry cannot parse, never skipping it silently', async () => {
    const set: MigrationSet = {
      root: 'x',
      format: 'sql',
      migrations: [{ id: 'p', description: 'p', format: 'sql', file: 'p.sql', up: [{ sql: 'CREATE PROCEDURE p() BEGIN SELECT 1; END', location: { file: 'p.sql', line: 3, column: 1 } }] }],
      problems: [],
    };
    const [finding] = await reviewMigrations(set, { dialect: 'mysql' });
    expect(finding).toMatchObject({ ruleId: 'unparsed-statement', severity: 'warning', location: { file: 'p.sql', line: 3 } });
  });

  it('reports a failing rule as a finding and still runs the others', async () => {
    const broken = { id: 'broken-rule', dialects: ['postgres'] as const, severity: 'error' as const, docs: { problem: 'p', solution: 's' }, check: () => { throw new Error('boom'); } };
    const set: MigrationSet = {
      root: 'x',
      format: 'sql',
      migrations: [{ id: 'm', description: 'm', format: 'sql', file: 'm.sql', up: [{ sql: 'DROP TABLE orders', location: { file: 'm.sql', line: 2, column: 1 } }] }],
      problems: [],
    };
    const findings = await reviewMigrations(set, { dialect: 'postgres', rules: [broken, ...rules] });
    expect(findings.map((f) => f.ruleId)).toEqual(['dropping-table', 'missing-lock-timeout', 'require-if-exists', 'rule-failed']);
    expect(findings.find((f) => f.ruleId === 'rule-failed')?.message).toContain('broken-rule');
  });

  it('parses the down part for syntax errors but runs no rules on it', async () => {
    const loc = (line: number) => ({ file: '20240101_orders.down.sql', line, column: 1 });
    const set: MigrationSet = {
      root: 'x',
      format: 'golang-migrate',
      migrations: [
        {
          id: '20240101',
          description: 'orders',
          format: 'golang-migrate',
          file: '20240101_orders.up.sql',
          up: [{ sql: "SET lock_timeout = '1s'", location: { file: '20240101_orders.up.sql', line: 1, column: 1 } }],
          down: [
            { sql: 'DROP TABLE orders', location: loc(1) },
            { sql: 'DROP INDX orders_idx', location: loc(2) },
          ],
        },
      ],
      problems: [],
    };
    const findings = await reviewMigrations(set, { dialect: 'postgres' });
    expect(findings.map((f) => `${f.location.line}:${f.location.column} ${f.ruleId}`)).toEqual(['2:6 syntax-error']);
  });

  it('runs a rule only from its minimum server version on, and when the version is unknown', async () => {
    const modern = { id: 'modern-only', dialects: ['postgres'] as const, minServerVersion: { postgres: 14 }, severity: 'info' as const, docs: { problem: 'p', solution: 's' }, check: () => [{ message: 'seen' }] };
    const set: MigrationSet = {
      root: 'x',
      format: 'sql',
      migrations: [{ id: 'm', description: 'm', format: 'sql', file: 'm.sql', up: [{ sql: 'SELECT 1', location: { file: 'm.sql', line: 1, column: 1 } }] }],
      problems: [],
    };
    const count = async (serverVersion?: string) => (await reviewMigrations(set, { dialect: 'postgres', serverVersion, rules: [modern] })).length;
    expect(await count('13.9')).toBe(0);
    expect(await count('14')).toBe(1);
    expect(await count(undefined)).toBe(1);
  });

  it('handles a long file where every statement is flagged and many are ignored', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => (i % 2 ? `DROP TABLE t${i}; -- quarry-ignore dropping-table` : `DROP TABLE t${i};`));
    const text = lines.join('\n');
    const up = splitStatements(text, 'postgres').map((st) => {
      const { line, column } = offsetToPosition(text, st.start);
      return { sql: st.text, location: { file: 'big.sql', line, column } };
    });
    const set: MigrationSet = { root: 'x', format: 'flyway', migrations: [{ id: 'big', description: 'big', format: 'flyway', file: 'big.sql', up }], problems: [] };
    const findings = await reviewMigrations(set, { dialect: 'postgres', sources: new Map([['big.sql', text]]) });
    const dropped = findings.filter((f) => f.ruleId === 'dropping-table');
    expect(dropped).toHaveLength(2500);
    expect(dropped.every((f) => f.location.line % 2 === 1)).toBe(true);
  });

  it('rejects a server version that is not a number', async () => {
    const set: MigrationSet = { root: 'x', format: 'sql', migrations: [], problems: [] };
    await expect(reviewMigrations(set, { dialect: 'postgres', serverVersion: 'latest' })).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('latest') });
  });

  it('refuses to guess the dialect', async () => {
    const set: MigrationSet = { root: 'x', format: 'sql', migrations: [], problems: [] };
    await expect(reviewMigrations(set, {})).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(reviewMigrations({ ...set, dialectHint: 'sqlite' }, {})).resolves.toEqual([]);
  });

  it('registers every rule once, with a kebab-case id, dialects and docs', () => {
    const ids = rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of rules) {
      expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(rule.dialects.length).toBeGreaterThan(0);
      expect(rule.docs.problem).not.toBe('');
    }
  });

  it('keeps each registered rule in its own file named after its id, with its tests beside it', () => {
    const dir = path.resolve('src/main/review/rules');
    for (const rule of rules) {
      expect(existsSync(path.join(dir, `${rule.id}.ts`)), rule.id).toBe(true);
      expect(readFileSync(path.join(dir, `${rule.id}.ts`), 'utf8')).toContain(`id: '${rule.id}'`);
      expect(existsSync(path.join(dir, `${rule.id}.test.ts`)), `${rule.id}.test.ts`).toBe(true);
    }
  });
});
