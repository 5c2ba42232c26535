import { describe, expect, it } from 'vitest';
import type { Dialect } from '../../../shared/domain/connection';
import type { MigrationFormat } from '../../../shared/domain/review';
import type { SchemaModel } from '../../../shared/domain/SchemaModel';
import type { AnyRule } from '../Rule';
import { reviewSql } from './reviewSql';

export interface RuleCase {
  sql: string;
  /** Defaults to the rule's first dialect. */
  dialect?: Dialect;
  serverVersion?: string;
  format?: MigrationFormat;
  transactional?: boolean;
  /** How many findings of the rule: must-flag cases default to 1, must-not-flag cases are 0. */
  hits?: number;
  /** 1-based line the first finding must point at. */
  line?: number;
  /** The rule's options as `.quarry.yml` would hold them; an opt-in rule is turned on by the test either way. */
  options?: Record<string, unknown>;
  /** The live schema the tracker starts from. */
  schema?: SchemaModel;
  /** A substring the first finding's message must hold. */
  message?: string;
}

/** Table-driven test of one rule: each must-flag case gives its findings, each must-not-flag case none, and every case parses. */
export function testRule(rule: AnyRule, cases: { flag: (string | RuleCase)[]; pass: (string | RuleCase)[] }): void {
  const run = async (c: RuleCase) => {
    const config = { rules: { [rule.id]: { options: c.options ?? {}, optionLocations: {} } } };
    const findings = await reviewSql(c.sql, { dialect: c.dialect ?? rule.dialects[0] ?? 'postgres', serverVersion: c.serverVersion, format: c.format, transactional: c.transactional, rules: [rule], config, schema: c.schema });
    const unparsed = findings.filter((f) => f.ruleId === 'syntax-error' || f.ruleId === 'unparsed-statement' || f.ruleId === 'config-error');
    expect(unparsed, `fixture must parse and its options be valid: ${c.sql}`).toEqual([]);
    return findings.filter((f) => f.ruleId === rule.id);
  };
  const norm = (c: string | RuleCase): RuleCase => (typeof c === 'string' ? { sql: c } : c);
  describe(rule.id, () => {
    it('documents the problem and the solution', () => {
      expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(rule.docs.problem.length).toBeGreaterThan(20);
      expect(rule.docs.solution.length).toBeGreaterThan(10);
    });
    it.each(cases.flag.map(norm).map((c) => [c.sql, c] as const))('flags %s', async (_sql, c) => {
      const hits = await run(c);
      expect(hits).toHaveLength(c.hits ?? 1);
      expect(hits[0]?.severity).toBe(rule.severity);
      expect(hits[0]?.help).toBe(rule.docs.solution);
      if (c.line !== undefined) expect(hits[0]?.location.line).toBe(c.line);
      if (c.message !== undefined) expect(hits[0]?.message).toContain(c.message);
    });
    it.each(cases.pass.map(norm).map((c) => [c.sql, c] as const))('does not flag %s', async (_sql, c) => {
      expect(await run(c)).toEqual([]);
    });
  });
}
