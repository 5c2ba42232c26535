import { createHash } from 'node:crypto';
import type { Finding, MigrationSet, MigrationStatement, Severity } from '../../../shared/domain/review';
import { offsetToPosition } from '../../../shared/sql/offsetToPosition';
import { impactFindingDocs } from '../impact/impactFindingDocs';
import type { Rule } from '../Rule';
import { reportPath, type ReportPaths } from './reportPath';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

export interface SarifOptions extends ReportPaths {
  /** Quarry's version, as tool.driver.version. */
  toolVersion: string;
  /** Where the rules are documented, as tool.driver.informationUri. Defaults to none. */
  informationUri?: string;
}

type SarifLevel = 'error' | 'warning' | 'note';

export interface SarifReportingDescriptor {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  defaultConfiguration: { level: SarifLevel; enabled?: boolean };
  properties?: { tags: string[] };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations: {
    physicalLocation: {
      artifactLocation: { uri: string; uriBaseId: '%SRCROOT%' };
      region: { startLine: number; startColumn: number; endLine?: number; endColumn?: number };
    };
  }[];
  partialFingerprints: Record<string, string>;
  properties?: { migrationId?: string; changeset?: string };
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: {
    tool: { driver: { name: 'Quarry'; informationUri?: string; version: string; rules: SarifReportingDescriptor[] } };
    columnKind: 'utf16CodeUnits';
    results: SarifResult[];
  }[];
}

const LEVEL: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note' };
/** Bump when the hashed input changes, so old and new fingerprints never collide by accident. */
const FINGERPRINT_KEY = 'quarryStatementHash/v1';

/**
 * The review as a SARIF 2.1.0 log, the shape GitHub code scanning uploads: every rule of `rules` is described
 * (so a result's ruleIndex stays valid when another rule is switched off), plus engine and reader ids
 * (syntax-error, read-error …) that occur. Each result carries a fingerprint of its rule, file and statement text,
 * so moving a migration's lines does not reopen the alert, while editing the statement does.
 */
export function formatSarif(set: MigrationSet, findings: readonly Finding[], rules: readonly Rule[], options: SarifOptions): SarifLog {
  const descriptors = rules.map(describeRule);
  const indexById = new Map(descriptors.map((d, i) => [d.id, i]));
  for (const finding of findings) {
    if (indexById.has(finding.ruleId)) continue;
    indexById.set(finding.ruleId, descriptors.length);
    descriptors.push(describeFindingId(finding));
  }

  const statements = new StatementIndex(set);
  const seen = new Map<string, number>();
  const results = findings.map((finding): SarifResult => {
    const uri = reportPath(finding.location.file, options);
    const statement = statements.at(finding);
    // Reader problems have no statement; their message is what stays the same while lines move.
    const subject = statement ? normalizeSql(statement.sql) : finding.message;
    const hash = createHash('sha256').update(`${finding.ruleId}\0${uri}\0${subject}`).digest('hex');
    // Two identical statements in one file with the same finding must still be two alerts.
    const occurrence = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, occurrence);
    const properties = {
      ...(finding.migrationId !== undefined ? { migrationId: finding.migrationId } : {}),
      ...(finding.location.changeset !== undefined ? { changeset: finding.location.changeset } : {}),
    };
    return {
      ruleId: finding.ruleId,
      ruleIndex: indexById.get(finding.ruleId)!,
      level: LEVEL[finding.severity],
      message: { text: finding.message },
      locations: [{ physicalLocation: { artifactLocation: { uri, uriBaseId: '%SRCROOT%' }, region: region(finding) } }],
      partialFingerprints: { [FINGERPRINT_KEY]: `${hash}:${occurrence}` },
      ...(Object.keys(properties).length > 0 ? { properties } : {}),
    };
  });

  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Quarry',
            ...(options.informationUri !== undefined ? { informationUri: options.informationUri } : {}),
            version: options.toolVersion,
            rules: descriptors,
          },
        },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

function describeRule(rule: Rule): SarifReportingDescriptor {
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: firstSentence(rule.docs.problem) },
    fullDescription: { text: rule.docs.problem },
    help: { text: rule.docs.solution, markdown: `**Problem.** ${rule.docs.problem}\n\n**Safe alternative.** ${rule.docs.solution}` },
    // An opt-in rule is off unless .quarry.yml names it.
    defaultConfiguration: rule.defaultOff ? { level: LEVEL[rule.severity], enabled: false } : { level: LEVEL[rule.severity] },
    properties: { tags: ['migration', ...rule.dialects] },
  };
}

/** What the engine's and readers' own finding ids mean; they have no Rule to carry docs. */
const FINDING_ID_DOCS: Record<string, string> = {
  'syntax-error': 'The database would reject this statement: it does not parse for the dialect.',
  'unparsed-statement': 'No parser could read this statement, so no rule checked it.',
  'unknown-rule': '.quarry.yml names a rule Quarry does not have.',
  'rule-failed': 'A rule failed on this statement; the other rules still ran.',
  'read-error': 'A file could not be read as a migration (malformed, binary, too large, or outside the folder).',
  'parse-error': 'A changelog or migration file could not be parsed.',
  'config-error': 'The review configuration (.quarry.yml) has a problem.',
  'duplicate-version': 'Two migrations claim the same version.',
  'empty-migration': 'The migration holds no statement.',
  'orphan-down': 'A down migration has no matching up migration.',
  'orphan-undo': 'A Flyway undo migration has no matching versioned migration.',
  'unrecognized-file': 'A file in the folder is not a migration the detected format knows.',
  'proof-not-run': 'Reversibility could not be proven: no sandbox was allowed or reachable for the dialect.',
  'impact-failed': 'Impact analysis against the connection failed as a whole; the rules and the proof still ran.',
  ...impactFindingDocs,
};

/** Engine and reader findings have no Rule; the table above, else the first finding of the id, describes it. */
function describeFindingId(finding: Finding): SarifReportingDescriptor {
  const text = FINDING_ID_DOCS[finding.ruleId] ?? `Quarry reports ${finding.ruleId} when it cannot read or check part of the input.`;
  const help = finding.help ?? 'Fix the input at the reported location; the rest of the input is still reviewed.';
  return {
    id: finding.ruleId,
    name: pascalCase(finding.ruleId),
    shortDescription: { text },
    fullDescription: { text },
    help: { text: help, markdown: help },
    defaultConfiguration: { level: LEVEL[finding.severity] },
  };
}

/** SARIF requires startLine and startColumn ≥ 1, and an end that does not precede the start. */
function region(finding: Finding): SarifResult['locations'][number]['physicalLocation']['region'] {
  const startLine = Math.max(1, Math.trunc(finding.location.line) || 1);
  const startColumn = Math.max(1, Math.trunc(finding.location.column) || 1);
  const { endLine, endColumn } = finding.location;
  if (endLine === undefined || endColumn === undefined || endLine < startLine) return { startLine, startColumn };
  if (endLine === startLine && endColumn < startColumn) return { startLine, startColumn };
  return { startLine, startColumn, endLine, endColumn: Math.max(1, endColumn) };
}

/** Whitespace and a trailing `;` carry no meaning, and reformatting a migration should keep its alerts. */
function normalizeSql(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim().replace(/\s*;$/, '');
}

function firstSentence(text: string): string {
  const match = /^.*?[.!?](?=\s|$)/s.exec(text);
  return match ? match[0] : text;
}

function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

interface Located {
  statement: MigrationStatement;
  start: number;
  end: number;
}

/** Finds the statement a finding points into, per file, by line and column. */
class StatementIndex {
  private readonly byFile = new Map<string, Located[]>();

  constructor(set: MigrationSet) {
    for (const migration of set.migrations) {
      for (const statement of [...migration.up, ...(migration.down ?? [])]) {
        const { line, column } = statement.location;
        const last = offsetToPosition(statement.sql, statement.sql.length);
        const endLine = line + last.line - 1;
        const endColumn = last.line === 1 ? column + last.column - 1 : last.column;
        const list = this.byFile.get(statement.location.file) ?? [];
        list.push({ statement, start: key(line, column), end: key(endLine, endColumn) });
        this.byFile.set(statement.location.file, list);
      }
    }
    for (const list of this.byFile.values()) list.sort((a, b) => a.start - b.start);
  }

  at(finding: Finding): MigrationStatement | undefined {
    const list = this.byFile.get(finding.location.file);
    if (!list) return undefined;
    const at = key(finding.location.line, finding.location.column);
    let lo = 0;
    let hi = list.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.start <= at) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    // Liquibase changesets generated from one change share a location; the changeset tells them apart.
    for (let i = found; i >= 0 && list[i]!.start === list[found]!.start; i--) {
      const candidate = list[i]!;
      if (at > candidate.end) break;
      if (candidate.statement.location.changeset === finding.location.changeset) return candidate.statement;
    }
    return found >= 0 && at <= list[found]!.end ? list[found]!.statement : undefined;
  }
}

/** Orders (line, column) pairs as one number; columns past a million are clamped, which only blurs the order. */
function key(line: number, column: number): number {
  return line * 1_000_000 + Math.min(column, 999_999);
}
