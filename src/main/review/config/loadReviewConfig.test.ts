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
