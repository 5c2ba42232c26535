import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding, MigrationSet } from '../../../shared/domain/review';
import { readMigrationSources } from '../readers/readMigrations';
import { reviewMigrations } from '../reviewMigrations';
import { rules } from '../rules/registry';
import { formatSarif, type SarifLog } from './formatSarif';
import { sarifValidator } from './sarifValidator';

const fixture = path.resolve(import.meta.dirname, '../../../../test/fixtures/review/report/flyway-shop');

async function reviewFixture(dir = fixture): Promise<{ set: MigrationSet; findings: Finding[] }> {
  const { set, sources } = await readMigrationSources(dir, { dialect: 'postgres' });
  return { set, findings: await reviewMigrations(set, { dialect: 'postgres', sources }) };
}

describe('formatSarif', () => {
  const validate = sarifValidator();

  it('writes a log the SARIF 2.1.0 schema accepts, and the validator does reject a broken one', async () => {
    const { set, findings } = await reviewFixture();
    const log = formatSarif(set, findings, rules, { baseDir: fixture, toolVersion: '0.1.0', informationUri: 'https://example.com/quarry' });
    expect(validate(log)).toEqual([]);
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);

    const broken = structuredClone(log);
    broken.runs[0]!.results[0]!.locations[0]!.physicalLocation.region.startLine = 0;
    expect(validate(broken).join('\n')).toMatch(/startLine/);
    const badLevel = structuredClone(log) as unknown as { runs: { results: { level: string }[] }[] };
    badLevel.runs[0]!.results[0]!.level = 'info';
    expect(validate(badLevel)).not.toEqual([]);
  });

  it('describes every registered rule and each engine id that occurs, and points results at them by index', async () => {
    const { set, findings } = await reviewFixture();
    const log = formatSarif(set, findings, rules, { baseDir: fixture, toolVersion: '1.2.3' });
    const run = log.runs[0]!;
    expect(run.tool.driver).toMatchObject({ name: 'Quarry', version: '1.2.3' });
    expect(run.tool.driver.informationUri).toBeUndefined();
    const ids = run.tool.driver.rules.map((r) => r.id);
    expect(ids.slice(0, rules.length)).toEqual(rules.map((r) => r.id));
    expect(ids).toContain('syntax-error');
    expect(ids.filter((id) => id === 'syntax-error')).toHaveLength(1);
    expect(run.tool.driver.rules.find((r) => r.id === 'syntax-error')).toMatchObject({
      name: 'SyntaxError',
      shortDescription: { text: expect.stringContaining('does not parse') },
      defaultConfiguration: { level: 'error' },
    });

    const concurrent = run.tool.driver.rules.find((r) => r.id === 'require-concurrent-index-creation')!;
    const rule = rules.find((r) => r.id === 'require-concurrent-index-creation')!;
    expect(concurrent).toMatchObject({
      name: 'RequireConcurrentIndexCreation',
      fullDescription: { text: rule.docs.problem },
      help: { text: rule.docs.solution },
      defaultConfiguration: { level: 'warning' },
    });
    expect(concurrent.help.markdown).toContain(rule.docs.solution);
    expect(concurrent.defaultConfiguration).not.toHaveProperty('enabled');
    // Opt-in rules are described, but off until .quarry.yml names them.
    expect(run.tool.driver.rules.find((r) => r.id === 'naming-convention')!.defaultConfiguration).toEqual({ level: 'warning', enabled: false });
    expect(validate(log)).toEqual([]);

    expect(run.results).toHaveLength(findings.length);
    for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
  });

  it('maps severities to levels and locations to relative URIs with 1-based regions', async () => {
    const { set, findings } = await reviewFixture();
    const run = formatSarif(set, findings, rules, { baseDir: fixture, srcRoot: path.resolve(fixture, '../../..'), toolVersion: '0' }).runs[0]!;
    const syntax = run.results.find((r) => r.ruleId === 'syntax-error')!;
    expect(syntax.level).toBe('error');
    expect(syntax.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'review/report/flyway-shop/V4__broken.sql', uriBaseId: '%SRCROOT%' },
      region: { startLine: 2, startColumn: 3, endLine: 2, endColumn: 16 },
    });
    const index = run.results.find((r) => r.ruleId === 'require-concurrent-index-creation')!;
    expect(index).toMatchObject({ level: 'warning', message: { text: expect.stringContaining('orders_customer_idx') }, properties: { migrationId: '2' } });
    expect(index.locations[0]!.physicalLocation.region).toMatchObject({ startLine: 2, startColumn: 1 });

    const info: Finding = { ruleId: 'some-note', severity: 'info', message: 'a note', location: { file: 'V1__create_orders.sql', line: 0, column: 0 } };
    const noted = formatSarif(set, [info], rules, { baseDir: fixture, toolVersion: '0' });
    expect(noted.runs[0]!.results[0]).toMatchObject({ level: 'note', locations: [{ physicalLocation: { region: { startLine: 1, startColumn: 1 } } }] });
    expect(validate(noted)).toEqual([]);
  });

  it('writes an absolute config path relative to the source root', () => {
    const set: MigrationSet = { root: '/repo/db/migrations', format: 'flyway', migrations: [], problems: [] };
    const finding: Finding = { ruleId: 'config-error', severity: 'error', message: 'bad level', location: { file: '/repo/.quarry.yml', line: 3, column: 5 } };
    const log = formatSarif(set, [finding], [], { baseDir: '/repo/db/migrations', srcRoot: '/repo', toolVersion: '0' });
    expect(log.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('.quarry.yml');
    expect(log.runs[0]!.tool.driver.rules).toEqual([expect.objectContaining({ id: 'config-error', defaultConfiguration: { level: 'error' } })]);
    expect(validate(log)).toEqual([]);
  });

  it('stays valid for Liquibase changelogs, good and malformed, and carries the changeset', async () => {
    for (const dir of ['xml', 'bad']) {
      const root = path.resolve(fixture, '../../liquibase', dir);
      const { set, findings } = await reviewFixture(root);
      expect(findings.length).toBeGreaterThan(0);
      const log = formatSarif(set, findings, rules, { baseDir: root, toolVersion: '0' });
      expect(validate(log)).toEqual([]);
      expect(log.runs[0]!.results).toHaveLength(findings.length);
      const withChangeset = findings.filter((f) => f.location.changeset !== undefined);
      expect(log.runs[0]!.results.filter((r) => r.properties?.changeset !== undefined)).toHaveLength(withChangeset.length);
      if (dir === 'xml') expect(withChangeset.length).toBeGreaterThan(0);
    }
  });

  describe('partialFingerprints', () => {
    /** Only the index rule's results: other rules (a missing undo …) may flag these files too. */
    function fingerprints(log: SarifLog, ruleId = 'require-concurrent-index-creation'): string[] {
      return log.runs[0]!.results.filter((r) => r.ruleId === ruleId).map((r) => Object.values(r.partialFingerprints)[0]!);
    }

    async function logOf(files: Record<string, string>): Promise<SarifLog> {
      const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
      const { tmpdir } = await import('node:os');
      const dir = mkdtempSync(path.join(tmpdir(), 'quarry-sarif-'));
      try {
        for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
        const { set, findings } = await reviewFixture(dir);
        return formatSarif(set, findings, rules, { baseDir: dir, toolVersion: '0' });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }

    it('stay the same when lines move or whitespace changes, and change when the statement does', async () => {
      const before = await logOf({ 'V1__idx.sql': "SET lock_timeout = '2s';\nCREATE INDEX a_idx ON orders (customer_id);\n" });
      const moved = await logOf({ 'V1__idx.sql': "-- moved down\n\nSET lock_timeout = '2s';\nCREATE   INDEX a_idx\n  ON orders (customer_id) ;\n" });
      const edited = await logOf({ 'V1__idx.sql': "SET lock_timeout = '2s';\nCREATE INDEX a_idx ON orders (total);\n" });
      expect(fingerprints(before)).toHaveLength(1);
      expect(fingerprints(moved)).toEqual(fingerprints(before));
      expect(fingerprints(edited)[0]).not.toBe(fingerprints(before)[0]);
    });

    it('tell apart identical findings on identical statements in one file', async () => {
      const log = await logOf({ 'V1__trunc.sql': 'TRUNCATE orders;\nTRUNCATE orders;\n' });
      const prints = fingerprints(log, 'truncate');
      expect(prints).toHaveLength(2);
      expect(new Set(prints).size).toBe(2);
    });
  });
});
