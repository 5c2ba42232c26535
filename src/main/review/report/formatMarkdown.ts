import type { Finding, MigrationSet, Severity } from '../../../shared/domain/review';
import type { Rule } from '../Rule';
import { reportPath, type ReportPaths } from './reportPath';

export interface MarkdownOptions extends ReportPaths {
  /** Rule docs shown under each table. Defaults to none: only a finding's own help is shown. */
  rules?: readonly Rule[];
  /** Rows and rule docs that would make the report longer are left out, with a note saying how many. Defaults to 60,000, under GitHub's 65,536-character comment limit. */
  maxChars?: number;
}

const DEFAULT_MAX_CHARS = 60_000;
/** Room kept for the note on left-out findings. */
const OMISSION_NOTE_CHARS = 200;

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
const ICON: Record<Severity, string> = { error: '🛑', warning: '⚠️', info: 'ℹ️' };

/**
 * The review as GitHub-flavoured Markdown for a CI bot to post on a pull request: counts by severity, one table per
 * file (line, severity, rule, message), and each rule's problem and safe alternative folded in a <details>. Every
 * text that comes from the migrations is escaped, so a `|` or a backtick in SQL cannot break the table.
 */
export function formatMarkdown(set: MigrationSet, findings: readonly Finding[], options: MarkdownOptions): string {
  const count = (s: Severity): number => findings.filter((f) => f.severity === s).length;
  const migrations = `${set.migrations.length} migration${set.migrations.length === 1 ? '' : 's'}`;
  const lines = ['## Quarry migration review', ''];
  lines.push(
    `**${migrations}** (${escapeText(set.format)}) reviewed: ${SEVERITIES.map((s) => `${ICON[s]} ${count(s)} ${plural(s, count(s))}`).join(' · ')}`,
    '',
  );
  if (findings.length === 0) {
    lines.push('✅ No findings.', '');
    return `${lines.join('\n')}`;
  }

  let size = lines.reduce((n, l) => n + l.length + 1, 0);
  const budget = (options.maxChars ?? DEFAULT_MAX_CHARS) - OMISSION_NOTE_CHARS;
  const fits = (more: readonly string[]): boolean => size + more.reduce((n, l) => n + l.length + 1, 0) <= budget;
  const add = (more: readonly string[]): void => {
    lines.push(...more);
    size += more.reduce((n, l) => n + l.length + 1, 0);
  };

  const byFile = new Map<string, Finding[]>();
  for (const finding of findings) {
    const file = reportPath(finding.location.file, options);
    byFile.set(file, [...(byFile.get(file) ?? []), finding]);
  }
  const shown: Finding[] = [];
  for (const [file, fileFindings] of byFile) {
    const header = [`### ${code(file)}`, '', '| Line | Severity | Rule | Message |', '| ---: | --- | --- | --- |'];
    let started = false;
    for (const f of [...fileFindings].sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column)) {
      const changeset = f.location.changeset ? ` (changeset ${code(f.location.changeset)})` : '';
      const row = `| ${f.location.line}:${f.location.column} | ${ICON[f.severity]} ${f.severity} | ${code(f.ruleId)} | ${escapeText(f.message)}${changeset} |`;
      const more = started ? [row] : [...header, row];
      if (!fits([...more, ''])) break;
      add(more);
      started = true;
      shown.push(f);
    }
    if (started) add(['']);
  }

  const docs = new Map((options.rules ?? []).map((r) => [r.id, r.docs]));
  const help: string[] = [];
  for (const id of [...new Set(shown.map((f) => f.ruleId))].sort()) {
    const ruleDocs = docs.get(id);
    const own = shown.find((f) => f.ruleId === id && f.help)?.help;
    const text = ruleDocs ? `${escapeText(ruleDocs.problem)}\n\n**Safe alternative:** ${escapeText(ruleDocs.solution)}` : own && escapeText(own);
    if (!text) continue;
    const block = [`<details><summary><code>${escapeHtml(id)}</code></summary>`, '', text, '', '</details>', ''];
    if (!fits([...(help.length === 0 ? ['### Rules', ''] : []), ...block])) break;
    if (help.length === 0) add(['### Rules', '']);
    add(block);
    help.push(id);
  }
  const omitted = findings.length - shown.length;
  if (omitted > 0) {
    lines.push(`> ${omitted} more finding${omitted === 1 ? '' : 's'} not shown, to keep this comment under GitHub's size limit; \`quarry review --format sarif\` lists them all.`, '');
  }
  return lines.join('\n');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function plural(severity: Severity, n: number): string {
  return severity === 'info' || n === 1 ? severity : `${severity}s`;
}

/**
 * Text safe in a table cell and in running Markdown: Markdown punctuation is backslash-escaped (`|` included, which
 * GFM honours inside tables), HTML is neutralised, and line breaks become spaces so a row stays one line.
 */
export function escapeText(text: string): string {
  return text
    .replace(/[\\`*_[\]|#~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r\n|\r|\n/g, ' ');
}

/**
 * A code span whose fence is longer than any backtick run inside it, as CommonMark requires. `|` still needs its
 * backslash inside a table cell, which GFM removes before the span is parsed.
 */
export function code(text: string): string {
  const flat = text.replace(/\r\n|\r|\n/g, ' ').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
