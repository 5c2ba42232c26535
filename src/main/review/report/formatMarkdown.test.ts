import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding, MigrationSet } from '../../../shared/domain/review';
import { readMigrationSources } from '../readers/readMigrations';
import { reviewMigrations } from '../reviewMigrations';
import { rules } from '../rules/registry';
import { code, escapeText, formatMarkdown } from './formatMarkdown';

const fixture = path.resolve(import.meta.dirname, '../../../../test/fixtures/review/report/flyway-shop');

describe('formatMarkdown', () => {
  it('counts by severity, writes one table per file and folds each rule’s docs', async () => {
    const { set, sources } = await readMigrationSources(fixture, { dialect: 'postgres' });
    const findings = await reviewMigrations(set, { dialect: 'postgres', sources });
    const md = formatMarkdown(set, findings, { baseDir: fixture, rules });
    const count = (s: Finding['severity']) => findings.filter((f) => f.severity === s).length;

    expect(md).toMatch(/^## Quarry migration review$/m);
    expect(md).toContain(`**4 migrations** (flyway) reviewed: 🛑 ${count('error')} error`);
    expect(md).toContain(`⚠️ ${count('warning')} warnings`);
    const headings = md.match(/^### `V\d__\w+\.sql`$/gm);
    expect(headings).toEqual(expect.arrayContaining(['### `V2__index_orders.sql`', '### `V3__archive.sql`', '### `V4__broken.sql`']));
    expect(new Set(headings).size).toBe(headings!.length);
    expect(md).toMatch(/^\| 2:1 \| ⚠️ warning \| `require-concurrent-index-creation` \| CREATE INDEX orders\\_customer\\_idx on orders blocks writes/m);
    expect(md).toMatch(/^\| 2:3 \| 🛑 error \| `syntax-error` \| The database would reject this statement: syntax error at or near "DEFALT" \|$/m);
    // Every table row has exactly the four cells: no unescaped | leaks from a message.
    for (const row of md.split('\n').filter((l) => /^\| \d/.test(l))) expect(row.split(/(?<!\\)\|/)).toHaveLength(6);

    const concurrent = rules.find((r) => r.id === 'require-concurrent-index-creation')!;
    expect(md).toContain('<details><summary><code>require-concurrent-index-creation</code></summary>');
    expect(md).toContain(escapeText(concurrent.docs.solution));
    const documented = new Set(findings.filter((f) => rules.some((r) => r.id === f.ruleId) || f.help).map((f) => f.ruleId));
    expect(md.match(/<details>/g)).toHaveLength(documented.size);
  });

  it('escapes pipes, backticks and HTML from SQL so the table holds', () => {
    const set: MigrationSet = { root: '/m', format: 'sql', migrations: [], problems: [] };
    const finding: Finding = {
      ruleId: 'mysql-algorithm-copy',
      severity: 'error',
      message: 'ALTER TABLE `a|b` uses ALGORITHM=COPY; <script> & *all* rows\nare copied',
      location: { file: 'we|ird `name`.sql', line: 7, column: 2, changeset: 'ann:1|2' },
      help: 'Use `ALGORITHM=INPLACE` | INSTANT.',
    };
    const md = formatMarkdown(set, [finding], { baseDir: '/m' });
    const row = md.split('\n').find((l) => l.startsWith('| 7:2'))!;
    expect(row).toBe(
      '| 7:2 | 🛑 error | `mysql-algorithm-copy` | ALTER TABLE \\`a\\|b\\` uses ALGORITHM=COPY; &lt;script&gt; &amp; \\*all\\* rows are copied (changeset `ann:1\\|2`) |',
    );
    expect(row.split(/(?<!\\)\|/)).toHaveLength(6);
    expect(md).toContain('### ``we\\|ird `name`.sql``');
    expect(md).toContain('Use \\`ALGORITHM=INPLACE\\` \\| INSTANT.');
  });

  it('says so when there is nothing to report', () => {
    const set: MigrationSet = { root: '/m', format: 'golang-migrate', migrations: [], problems: [] };
    const md = formatMarkdown(set, [], { baseDir: '/m' });
    expect(md).toContain('**0 migrations** (golang-migrate) reviewed: 🛑 0 errors · ⚠️ 0 warnings · ℹ️ 0 info');
    expect(md).toContain('✅ No findings.');
    expect(md).not.toContain('|');
  });

  it('fences code spans longer than the backtick runs inside them', () => {
    expect(code('plain')).toBe('`plain`');
    expect(code('a``b')).toBe('```a``b```');
    expect(code('`edge')).toBe('`` `edge ``');
  });
});

describe('formatMarkdown size limit', () => {
  it('leaves out rows past maxChars and says how many, so the comment fits on GitHub', () => {
    const set: MigrationSet = { root: '/m', format: 'sql', migrations: [], problems: [] };
    const findings: Finding[] = Array.from({ length: 500 }, (_, i) => ({
      ruleId: 'truncate',
      severity: 'warning',
      message: `TRUNCATE table_${i} deletes every row.`,
      location: { file: `${String(i % 5).padStart(3, '0')}_cleanup.sql`, line: i + 1, column: 1 },
    }));
    const full = formatMarkdown(set, findings, { baseDir: '/m', rules, maxChars: 1_000_000 });
    expect(full.match(/^\| \d+:1 \|/gm)).toHaveLength(500);
    expect(full).not.toContain('not shown');

    const cut = formatMarkdown(set, findings, { baseDir: '/m', rules, maxChars: 8_000 });
    expect(cut.length).toBeLessThanOrEqual(8_000);
    const rows = cut.match(/^\| \d+:1 \|/gm)!.length;
    expect(rows).toBeGreaterThan(10);
    expect(rows).toBeLessThan(500);
    expect(cut).toContain(`> ${500 - rows} more findings not shown`);
    expect(cut).toContain('**0 migrations** (sql) reviewed: 🛑 0 errors · ⚠️ 500 warnings');
  });
});
