import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Rule } from '../Rule';
import { parseReviewConfig } from './loadReviewConfig';
import { parseServerVersion, versionAtLeast } from './parseServerVersion';
import { patternOption } from './patternOption';
import { resolveRuleOptions, ruleEnabled } from './resolveRuleOptions';

const plain: Rule = { id: 'plain-rule', dialects: ['postgres'], severity: 'warning', docs: { problem: 'p', solution: 's' }, check: () => [] };
const withOptions: Rule<{ limit: number; name?: RegExp }> = {
  id: 'with-options',
  dialects: ['postgres'],
  severity: 'info',
  options: z.strictObject({ limit: z.number().int().default(10), name: patternOption.optional() }),
  docs: { problem: 'p', solution: 's' },
  check: () => [],
};
const optIn: Rule = { ...plain, id: 'opt-in', defaultOff: true };
const config = (yml: string) => {
  const { config, problems } = parseReviewConfig(yml, '.quarry.yml');
  expect(problems).toEqual([]);
  return config;
};

describe('resolveRuleOptions', () => {
  it('gives each rule its schema’s defaults when the file says nothing', () => {
    const resolved = resolveRuleOptions([plain, withOptions], undefined);
    expect(resolved.problems).toEqual([]);
    expect(resolved.options.get('with-options')).toEqual({ limit: 10 });
    expect(resolved.options.has('plain-rule')).toBe(false);
  });

  it('validates and transforms what the file says', () => {
    const resolved = resolveRuleOptions([withOptions], config("rules:\n  with-options: { limit: 3, name: '^a' }\n"));
    expect(resolved.options.get('with-options')).toEqual({ limit: 3, name: /^a/ });
  });

  it.each([
    ['plain-rule', 'rules:\n  plain-rule:\n    level: error\n    limit: 3\n', 4, /plain-rule takes no options/],
    ['with-options', 'rules:\n  with-options:\n    limit: many\n', 3, /rules\.with-options\.limit: /],
    ['with-options', "rules:\n  with-options:\n    name: '*'\n", 3, /not a valid regular expression/],
  ])('reports a bad option of %s at its line and turns the rule off', (id, yml, line, message) => {
    const resolved = resolveRuleOptions([plain, withOptions], config(yml));
    expect(resolved.invalid).toEqual(new Set([id]));
    expect(resolved.problems).toEqual([expect.objectContaining({ ruleId: 'config-error', severity: 'error', location: expect.objectContaining({ line }) })]);
    expect(resolved.problems[0]?.message).toMatch(message);
  });

  it('does not check a rule the file turns off', () => {
    expect(resolveRuleOptions([withOptions], config('rules:\n  with-options: { level: off, limit: x }\n')).problems).toEqual([]);
  });

  it('turns an opt-in rule on only when the file names it', () => {
    expect(ruleEnabled(optIn, undefined)).toBe(false);
    expect(ruleEnabled(optIn, config('rules:\n  opt-in: warning\n'))).toBe(true);
    expect(ruleEnabled(optIn, config('rules:\n  opt-in: off\n'))).toBe(false);
    expect(ruleEnabled(plain, undefined)).toBe(true);
  });
});

describe('parseServerVersion', () => {
  it.each([
    ['16', 'postgres', { major: 16, minor: 0, patch: 0, mariadb: false }],
    ['15.4', 'postgres', { major: 15, minor: 4, patch: 0, mariadb: false }],
    ['8.0.36', 'mysql', { major: 8, minor: 0, patch: 36, mariadb: false }],
    ['10.11.6-MariaDB', 'mysql', { major: 10, minor: 11, patch: 6, mariadb: true }],
    ['5.5.5-10.6.12-MariaDB-log', 'mysql', { major: 10, minor: 6, patch: 12, mariadb: true }],
    ['11.4', 'mysql', { major: 11, minor: 4, patch: 0, mariadb: true }],
  ] as const)('reads %s', (text, dialect, version) => {
    expect(parseServerVersion(text, dialect)).toEqual(version);
  });

  it('refuses text that does not start with a number', () => {
    expect(parseServerVersion('latest', 'postgres')).toBeUndefined();
  });

  it('compares versions part by part', () => {
    const v = parseServerVersion('8.0.28', 'mysql')!;
    expect(versionAtLeast(v, 8, 0, 12)).toBe(true);
    expect(versionAtLeast(v, 8, 0, 29)).toBe(false);
    expect(versionAtLeast(v, 5, 7)).toBe(true);
    expect(versionAtLeast(v, 9)).toBe(false);
  });

  it.each([
    ['15.4', 'postgres', [11], true],
    ['10.23', 'postgres', [11], false],
    ['10.11.6-MariaDB-0+deb12u1', 'mysql', [10, 4], true],
    ['10.3.1-MariaDB', 'mysql', [10, 3, 2], false],
    ['5.5.5-10.6.12-MariaDB', 'mysql', [10, 4], true],
    ['8.0.29', 'mysql', [8, 0, 29], true],
    ['3.53.2', 'sqlite', [3, 35], true],
    ['', 'sqlite', [1], false],
  ] as const)('reads %s (%s) as at least %j: %s', (text, dialect, wanted, expected) => {
    const [major, minor, patch] = wanted as readonly number[];
    expect(versionAtLeast(parseServerVersion(text, dialect), major!, minor, patch)).toBe(expected);
  });
});
