import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Node as YamlNode, type YAMLMap } from 'yaml';
import { dialects, type Dialect } from '../../../shared/domain/connection';
import type { Finding, SourceLocation } from '../../../shared/domain/review';
import type { ReviewConfig, RuleLevel, RuleSetting } from './ReviewConfig';

export const CONFIG_FILE_NAME = '.quarry.yml';
/** Larger configs are not hand-written; refusing them keeps a stray file from costing memory. */
const MAX_CONFIG_BYTES = 256 * 1024;
const LEVELS: readonly RuleLevel[] = ['off', 'error', 'warning', 'info'];

export interface LoadedReviewConfig {
  /** Undefined when no config file was found or it could not be read at all. */
  config?: ReviewConfig;
  /** Problems in the file, each with its location; ruleId 'config-error'. */
  problems: Finding[];
}

/**
 * Finds `.quarry.yml` in `dir`, else in the enclosing repository root (the nearest ancestor holding `.git`), and
 * reads it. Bad content never throws: each problem is a Finding pointing into the file.
 */
export function loadReviewConfig(dir: string): LoadedReviewConfig {
  const file = findConfigFile(path.resolve(dir));
  if (!file) return { problems: [] };
  const size = statSync(file).size;
  if (size > MAX_CONFIG_BYTES) {
    return { problems: [problem(`${CONFIG_FILE_NAME} is ${size} bytes; the limit is ${MAX_CONFIG_BYTES}.`, { file, line: 1, column: 1 })] };
  }
  return parseReviewConfig(readFileSync(file, 'utf8'), file);
}

function findConfigFile(dir: string): string | undefined {
  const here = path.join(dir, CONFIG_FILE_NAME);
  if (existsSync(here)) return here;
  for (let d = dir; ; d = path.dirname(d)) {
    if (existsSync(path.join(d, '.git'))) {
      const atRoot = path.join(d, CONFIG_FILE_NAME);
      return existsSync(atRoot) ? atRoot : undefined;
    }
    if (path.dirname(d) === d) return undefined;
  }
}

function problem(message: string, location: SourceLocation): Finding {
  return { ruleId: 'config-error', severity: 'error', message, location };
}

/** Parses the text of a `.quarry.yml`; `file` is only used in locations. */
export function parseReviewConfig(text: string, file: string): LoadedReviewConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number | undefined): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    return { file, line, column: col };
  };
  const nodeAt = (node: unknown): SourceLocation => at((node as YamlNode | null)?.range?.[0]);
  const problems: Finding[] = doc.errors.map((e) => problem(`${CONFIG_FILE_NAME}: ${e.message.split('\n')[0]}`, at(e.pos[0])));
  if (problems.length) return { problems };

  let root: unknown;
  try {
    // Aliases are legitimate YAML but a config has no use for many; the cap stops a "billion laughs" file.
    root = doc.toJS({ maxAliasCount: 50 });
  } catch (error) {
    return { problems: [problem(`${CONFIG_FILE_NAME}: ${error instanceof Error ? error.message : String(error)}`, at(0))] };
  }
  const config: ReviewConfig = { file, rules: {} };
  if (root === null || root === undefined) return { config, problems };
  if (!isMap(doc.contents)) return { problems: [problem(`${CONFIG_FILE_NAME} must be a mapping (rules:, serverVersion:, dialect:).`, nodeAt(doc.contents))] };

  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value;
    if (key === 'serverVersion') {
      const v = isScalar(value) ? String(value.value) : '';
      if (/^\d+(\.\d+){0,2}(-[A-Za-z0-9.+-]+)?$/.test(v)) config.serverVersion = v;
      else problems.push(problem(`serverVersion must look like 16, 15.4, 8.0.36 or 10.11.6-MariaDB, not ${JSON.stringify(v || null)}.`, nodeAt(value ?? pair.key)));
    } else if (key === 'dialect') {
      const v = isScalar(value) ? String(value.value) : '';
      if ((dialects as readonly string[]).includes(v)) config.dialect = v as Dialect;
      else problems.push(problem(`dialect must be one of ${dialects.join(', ')}, not ${JSON.stringify(v || null)}.`, nodeAt(value ?? pair.key)));
    } else if (key === 'rules') {
      if (value === null || (isScalar(value) && value.value === null)) continue;
      if (!isMap(value)) {
        problems.push(problem('rules must be a mapping of rule id to off, error, warning or info (or to a mapping of level: and options).', nodeAt(value)));
        continue;
      }
      const written = ((root as Record<string, unknown>).rules ?? {}) as Record<string, unknown>;
      for (const rule of value.items) {
        const id = isScalar(rule.key) ? String(rule.key.value) : '';
        if (isMap(rule.value)) {
          const setting = ruleMapping(id, rule.value, written[id] as Record<string, unknown>, nodeAt, problems);
          if (setting) config.rules[id] = { ...setting, location: nodeAt(rule.key) };
          continue;
        }
        const level = isScalar(rule.value) ? String(rule.value.value) : '';
        if (!isLevel(level)) {
          problems.push(problem(`rules.${id}: must be off, error, warning or info (or a mapping of level: and the rule's options), not ${JSON.stringify(level || null)}.`, nodeAt(rule.value ?? rule.key)));
          continue;
        }
        config.rules[id] = { level, location: nodeAt(rule.key) };
      }
    } else {
      problems.push(problem(`Unknown key ${JSON.stringify(key)} in ${CONFIG_FILE_NAME}; expected rules, serverVersion or dialect.`, nodeAt(pair.key)));
    }
  }
  return { config, problems };
}

function isLevel(text: string): text is RuleLevel {
  return (LEVELS as readonly string[]).includes(text);
}

/**
 * `rule-id: { level: warning, pattern: '…' }`: the level, if written, and every other key as an option with its
 * place. Undefined when the level is bad (reported), so the rule keeps its defaults rather than half a setting.
 */
function ruleMapping(id: string, map: YAMLMap, js: Record<string, unknown> | undefined, nodeAt: (node: unknown) => SourceLocation, problems: Finding[]): Omit<RuleSetting, 'location'> | undefined {
  const setting: Omit<RuleSetting, 'location'> = {};
  for (const item of map.items) {
    const name = isScalar(item.key) ? String(item.key.value) : '';
    if (name === 'level') {
      const level = isScalar(item.value) ? String(item.value.value) : '';
      if (!isLevel(level)) {
        problems.push(problem(`rules.${id}.level: must be off, error, warning or info, not ${JSON.stringify(level || null)}.`, nodeAt(item.value ?? item.key)));
        return undefined;
      }
      setting.level = level;
      continue;
    }
    setting.options ??= {};
    setting.optionLocations ??= {};
    setting.options[name] = js?.[name];
    setting.optionLocations[name] = nodeAt(item.value ?? item.key);
  }
  return setting;
}
