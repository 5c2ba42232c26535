import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadReviewConfig, parseReviewConfig } from './loadReviewConfig';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A throwaway repository: a `.git` folder at its root and a migrations folder below. */
function repo(): { root: string; migrations: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'quarry-review-config-'));
  made.push(root);
  mkdirSync(path.join(root, '.git'));
  const migrations = path.join(root, 'db', 'migrations');
  mkdirSync(migrations, { recursive: true });
  return { root, migrations };
}

describe('loadReviewConfig', () => {
  it('reads .quarry.yml from the repository root when the folder has none', () => {
    const { root, migrations } = repo();
    writeFileSync(path.join(root, '.quarry.yml'), 'dialect: postgres\nserverVersion: 15.4\nrules:\n  dropping-table: off\n  truncate: error\n');
    const { config, problems } = loadReviewConfig(migrations);
    expect(problems).toEqual([]);
    expect(config).toMatchObject({ file: path.join(root, '.quarry.yml'), dialect: 'postgres', serverVersion: '15.4' });
    expect(config?.rules['dropping-table']).toMatchObject({ level: 'off', location: { line: 4, column: 3 } });
    expect(config?.rules.truncate?.level).toBe('error');
  });

  it('prefers the folder’s own .quarry.yml', () => {
    const { root, migrations } = repo();
    writeFileSync(path.join(root, '.quarry.yml'), 'dialect: postgres\n');
    writeFileSync(path.join(migrations, '.quarry.yml'), 'dialect: mysql\n');
    expect(loadReviewConfig(migrations).config?.dialect).toBe('mysql');
  });

  it('finds nothing above the repository root', () => {
    const { migrations } = repo();
    expect(loadReviewConfig(migrations)).toEqual({ problems: [] });
  });

  it('reads a rule written as a mapping: its level and its options, each with its place', () => {
    const { config, problems } = parseReviewConfig("rules:\n  naming-convention:\n    level: error\n    index: '^ix_'\n  changeset-id-convention: { pattern: '^\\d+$' }\n", 'q.yml');
    expect(problems).toEqual([]);
    expect(config?.rules['naming-convention']).toEqual({
      level: 'error',
      location: { file: 'q.yml', line: 2, column: 3 },
      options: { index: '^ix_' },
      optionLocations: { index: { file: 'q.yml', line: 4, column: 12 } },
    });
    // Options alone keep the rule's own severity.
    expect(config?.rules['changeset-id-convention']).toMatchObject({ options: { pattern: '^\\d+$' } });
    expect(config?.rules['changeset-id-convention']?.level).toBeUndefined();
  });

  it('accepts a MariaDB version as the server reports it', () => {
    expect(parseReviewConfig('serverVersion: 10.11.6-MariaDB\n', 'q.yml').config?.serverVersion).toBe('10.11.6-MariaDB');
  });

  it('accepts an empty file', () => {
    expect(parseReviewConfig('# nothing yet\n', 'q.yml')).toEqual({ config: { file: 'q.yml', rules: {} }, problems: [] });
  });
});

describe('parseReviewConfig: bad input is a finding with its place', () => {
  const cases: [string, string, number, RegExp][] = [
    ['malformed YAML', 'rules:\n  truncate: [error\n', 3, /.+/],
    ['a wrong level', 'rules:\n  truncate: loud\n', 2, /off, error, warning or info/],
    ['a wrong dialect', 'dialect: oracle\n', 1, /dialect must be one of postgres, mysql, sqlite/],
    ['a wrong version', 'serverVersion: latest\n', 1, /serverVersion/],
    ['an unknown key', 'rule:\n  truncate: off\n', 1, /Unknown key "rule"/],
    ['rules not a mapping', 'rules: [truncate]\n', 1, /rules must be a mapping/],
    ['a list at the top', '- truncate\n', 1, /must be a mapping/],
    ['a duplicate key', 'dialect: mysql\ndialect: postgres\n', 2, /.+/],
    ['a wrong level inside a rule mapping', 'rules:\n  truncate:\n    level: loud\n', 3, /rules\.truncate\.level: must be off, error, warning or info/],
  ];
  it.each(cases)('%s', (_name, text, line, message) => {
    const { problems } = parseReviewConfig(text, '.quarry.yml');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatchObject({ ruleId: 'config-error', severity: 'error', location: { file: '.quarry.yml', line } });
    expect(problems[0]?.message).toMatch(message);
  });

  it('stops an alias bomb instead of expanding it', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++) lines.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`);
    const { problems } = parseReviewConfig(lines.join('\n'), '.quarry.yml');
    expect(problems).toEqual([expect.objectContaining({ ruleId: 'config-error', location: expect.objectContaining({ line: 1 }), message: expect.stringMatching(/alias/i) })]);
  });
});
