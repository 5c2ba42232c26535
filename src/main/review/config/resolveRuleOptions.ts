import type { Finding } from '../../../shared/domain/review';
import type { AnyRule } from '../Rule';
import type { ReviewConfig } from './ReviewConfig';

export interface ResolvedRuleOptions {
  /** Each enabled rule's validated options (its schema's defaults when none are written; undefined when it takes none). */
  options: Map<string, unknown>;
  /** Rules whose written options are invalid: they do not run, so they cannot misfire on half a convention. */
  invalid: Set<string>;
  /** One 'config-error' finding per problem, at the option's place in the file. */
  problems: Finding[];
}

/** Whether the config turns the rule on: always unless off, and for an opt-in rule only when the file names it. */
export function ruleEnabled(rule: AnyRule, config: ReviewConfig | undefined): boolean {
  const setting = config?.rules[rule.id];
  if (setting?.level === 'off') return false;
  return !rule.defaultOff || setting !== undefined;
}

/** Validates each enabled rule's options from `.quarry.yml` against the rule's own schema. */
export function resolveRuleOptions(rules: readonly AnyRule[], config: ReviewConfig | undefined): ResolvedRuleOptions {
  const resolved: ResolvedRuleOptions = { options: new Map(), invalid: new Set(), problems: [] };
  const file = config?.file ?? '.quarry.yml';
  for (const rule of rules) {
    if (!ruleEnabled(rule, config)) continue;
    const setting = config?.rules[rule.id];
    const written = setting?.options ?? {};
    const placeOf = (name: string | undefined) => (name !== undefined ? setting?.optionLocations?.[name] : undefined) ?? setting?.location ?? { file, line: 1, column: 1 };
    if (!rule.options) {
      const names = Object.keys(written);
      if (names.length) {
        resolved.invalid.add(rule.id);
        resolved.problems.push({ ruleId: 'config-error', severity: 'error', message: `rules.${rule.id}.${names[0]}: ${rule.id} takes no options, only level.`, location: placeOf(names[0]) });
      }
      continue;
    }
    const outcome = rule.options.safeParse(written);
    if (outcome.success) {
      resolved.options.set(rule.id, outcome.data);
      continue;
    }
    resolved.invalid.add(rule.id);
    for (const issue of outcome.error.issues) {
      // An unknown key's issue has an empty path and names the keys instead.
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
      const name = issue.path.length ? String(issue.path[0]) : keys[0];
      const where = [rule.id, ...(issue.path.length ? issue.path.map(String) : keys.slice(0, 1))].join('.');
      resolved.problems.push({ ruleId: 'config-error', severity: 'error', message: `rules.${where}: ${issue.message}.`, location: placeOf(name) });
    }
  }
  return resolved;
}
