import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Finding, ReviewReport, RuleDoc, Severity, SourceLocation } from '../../../../shared/domain/review';
import { errorMessage } from '../../api';
import { useClient } from '../../app/ClientContext';
import { formatDuration } from '../results/ResultsPanel';
import { buildFileTree, countBySeverity, firstFile, foldersAbove, initiallyExpanded, normalize, severities } from './fileTree';
import { ImpactPanel } from './ImpactPanel';
import { ReversibilityPanel } from './ReversibilityPanel';
import { ReviewFileTree } from './ReviewFileTree';
import { RuleIdLabel } from './RuleIdLabel';
import { SourceView } from './SourceView';
import { VirtualList } from './VirtualList';

interface ReviewResultProps {
  report: ReviewReport;
  rules: ReadonlyMap<string, RuleDoc>;
  theme: 'quarry-light' | 'quarry-dark';
}

const severityLabels: Record<Severity, string> = { error: 'Errors', warning: 'Warnings', info: 'Info' };
const severityIcons: Record<Severity, string> = { error: '✕', warning: '⚠', info: 'ℹ' };

/** Texts of files already opened in this review; a review's files do not change once it is done. */
type SourceState = { file: string; text: string } | { file: string; error: string } | undefined;

/** A finished review: folder tree, the open file with its findings, the findings list and the proof and impact. */
export function ReviewResult({ report, rules, theme }: ReviewResultProps) {
  const client = useClient();
  const tree = useMemo(() => buildFileTree(report.files, report.findings), [report]);
  const [expanded, setExpanded] = useState(() => initiallyExpanded(tree, report.files.length));
  const [shown, setShown] = useState<ReadonlySet<Severity>>(() => new Set(severities));
  const [selected, setSelected] = useState<string | undefined>(() => {
    const withFinding = report.findings.find((f) => f.location.file)?.location.file;
    return withFinding ? normalize(withFinding) : firstFile(tree)?.path;
  });
  const [reveal, setReveal] = useState<{ file: string; line: number; column: number; seq: number } | undefined>();
  const [onlyFile, setOnlyFile] = useState(false);
  const [source, setSource] = useState<SourceState>();
  const [cache] = useState(() => new Map<string, string>());

  const counts = useMemo(() => countBySeverity(report.findings), [report]);
  // Grouped once: the per-file views below then cost what the file holds, not what the review holds.
  const byFile = useMemo(() => {
    const map = new Map<string, Finding[]>();
    for (const f of report.findings) {
      const file = normalize(f.location.file);
      const list = map.get(file);
      if (list) list.push(f);
      else map.set(file, [f]);
    }
    return map;
  }, [report]);
  const visible = useMemo(() => (shown.size === severities.length ? report.findings : report.findings.filter((f) => shown.has(f.severity))), [report, shown]);
  const inFile = useCallback((file: string | undefined) => (file ? (byFile.get(file) ?? []).filter((f) => shown.has(f.severity)) : []), [byFile, shown]);
  const listed = useMemo(() => (onlyFile ? inFile(selected) : visible), [visible, onlyFile, selected, inFile]);
  const fileFindings = useMemo(() => inFile(selected), [inFile, selected]);
  // The editor keeps the previous file until the next one's text arrives: its markers must be that file's.
  const shownFile = source && 'text' in source ? source.file : undefined;
  const sourceFindings = useMemo(() => inFile(shownFile), [inFile, shownFile]);

  useEffect(() => {
    if (!selected) return;
    const cached = cache.get(selected);
    let live = true;
    Promise.resolve(cached ?? client.call('review.source', { reviewId: report.reviewId, file: selected }).then((r) => r.text)).then(
      (text) => {
        cache.set(selected, text);
        if (live) setSource({ file: selected, text });
      },
      (e) => live && setSource({ file: selected, error: errorMessage(e) }),
    );
    return () => {
      live = false;
    };
  }, [client, report.reviewId, selected, cache]);

  const toggle = useCallback((path: string, open?: boolean) => {
    setExpanded((s) => {
      const next = new Set(s);
      if (open ?? !next.has(path)) next.add(path);
      else next.delete(path);
      return next;
    });
  }, []);

  const open = useCallback((location: SourceLocation) => {
    const file = normalize(location.file);
    setSelected(file);
    setExpanded((s) => new Set([...s, ...foldersAbove(file)]));
    setReveal((r) => ({ file, line: location.line, column: location.column, seq: (r?.seq ?? 0) + 1 }));
  }, []);

  const toggleSeverity = (s: Severity) =>
    setShown((prev) => {
      const next = new Set(prev);
      if (next.has(s)) next.delete(s);
      else next.add(s);
      return next;
    });

  const countText = severities.map((s) => `${counts[s]} ${s === 'info' ? 'info' : counts[s] === 1 ? s : `${s}s`}`).join(', ');
  const hasSide = Boolean(report.proof || report.impact);

  return (
    <div className={`review-result${hasSide ? ' with-side' : ''}`}>
      <div className="review-summary">
        <p aria-label="Review summary">
          <strong>{report.root}</strong>: {report.migrations.length} {report.migrations.length === 1 ? 'migration' : 'migrations'} · {report.format} · {report.dialect} · {countText} · {formatDuration(report.durationMs)}
        </p>
        <span className="spacer" />
        <div role="group" aria-label="Severity filter" className="severity-filter">
          {severities.map((s) => (
            <label key={s} className={`checkbox sev-toggle sev-${s}`}>
              <input type="checkbox" checked={shown.has(s)} onChange={() => toggleSeverity(s)} />
              <span>
                {severityLabels[s]} ({counts[s]})
              </span>
            </label>
          ))}
        </div>
      </div>
      <nav className="review-files" aria-label="Files">
        <ReviewFileTree nodes={tree} expanded={expanded} onToggle={toggle} selected={selected} onSelect={(file) => open({ file, line: 1, column: 1 })} />
      </nav>
      <div className="review-centre">
        <div className="review-file-header">
          <h2 className="mono">{selected ?? 'No file'}</h2>
          {selected && <span className="dim">{fileFindings.length === 1 ? '1 finding shown' : `${fileFindings.length} findings shown`}</span>}
        </div>
        <div className="review-source-area">
          {source && 'text' in source && (
            <SourceView file={source.file} text={source.text} dialect={report.dialect} findings={sourceFindings} rules={rules} theme={theme} reveal={reveal} />
          )}
          {source && 'error' in source && source.file === selected && (
            <p className="review-message error" role="alert">
              Could not open {source.file}: {source.error}
            </p>
          )}
        </div>
        <section className="review-findings" aria-label="Findings panel">
          <div className="review-findings-header">
            <h3>Findings</h3>
            <span className="dim">
              {listed.length} of {report.findings.length}
            </span>
            <span className="spacer" />
            <label className="checkbox">
              <input type="checkbox" checked={onlyFile} onChange={(e) => setOnlyFile(e.target.checked)} />
              <span>Only the open file</span>
            </label>
          </div>
          <VirtualList
            items={listed}
            role="list"
            label="Findings"
            estimateSize={26}
            className="findings-list"
            itemKey={findingKey}
            rowProps={(f) => ({ className: `finding sev-${f.severity}`, 'data-rule': f.ruleId })}
            empty={<p className="review-message">{report.findings.length ? 'No findings pass the filter.' : 'No findings: nothing to fix here.'}</p>}
            renderItem={(f) => (
              <>
                <button type="button" className="finding-open" onClick={() => open(f.location)} title={f.help ?? f.message}>
                  <span className={`sev-icon sev-${f.severity}`} role="img" aria-label={f.severity}>
                    {severityIcons[f.severity]}
                  </span>
                  <span className="finding-where mono">
                    {f.location.file}:{f.location.line}
                  </span>
                  <span className="finding-message">{f.message}</span>
                </button>
                <RuleIdLabel ruleId={f.ruleId} doc={rules.get(f.ruleId)} help={f.help} />
              </>
            )}
          />
        </section>
      </div>
      {hasSide && (
        <aside className="review-side" aria-label="Proof and impact">
          {report.proof && <ReversibilityPanel proof={report.proof} migrations={report.migrations} onOpen={open} />}
          {report.impact && <ImpactPanel impact={report.impact} file={selected} onOpen={open} />}
        </aside>
      )}
    </div>
  );
}

function findingKey(f: Finding, i: number): string {
  return `${i}:${f.ruleId}:${f.location.file}:${f.location.line}:${f.location.column}`;
}
