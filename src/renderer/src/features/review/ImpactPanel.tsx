import { useMemo, useState } from 'react';
import type { ImpactReport, SourceLocation, StatementImpact } from '../../../../shared/domain/review';
import { formatBytes } from '../../../../shared/format/formatBytes';
import { VirtualList } from './VirtualList';

interface ImpactPanelProps {
  impact: ImpactReport;
  /** The file open in the editor: the panel can narrow to its statements. */
  file: string | undefined;
  onOpen: (location: SourceLocation) => void;
}

const workLabels: Record<StatementImpact['work'], string> = {
  none: 'No data work',
  catalog: 'Catalog change only',
  scan: 'Full table scan',
  rewrite: 'Full table rewrite',
  'index-build': 'Index build',
  unknown: 'Unknown work',
};

export function formatSeconds(seconds: number): string {
  if (seconds < 1) return 'under a second';
  if (seconds < 90) return `about ${Math.round(seconds)} s`;
  if (seconds < 5400) return `about ${Math.round(seconds / 60)} min`;
  return `about ${(seconds / 3600).toFixed(1)} h`;
}

function statementKey(s: StatementImpact, i: number): string {
  return `${i}:${s.location.file}:${s.location.line}:${s.location.column}`;
}

/** What each statement would do to the connected database: its table, lock, work, time and data at risk. */
export function ImpactPanel({ impact, file, onOpen }: ImpactPanelProps) {
  const [onlyFile, setOnlyFile] = useState(false);
  const items = useMemo(() => (onlyFile && file ? impact.statements.filter((s) => s.location.file === file) : impact.statements), [impact, onlyFile, file]);
  const atRisk = useMemo(() => impact.statements.filter((s) => s.dataChecks.some((c) => c.atRisk)).length, [impact]);

  return (
    <section className="review-panel" role="region" aria-label="Impact">
      <h3>Impact</h3>
      <p className="panel-summary">
        On {impact.connection} ({impact.serverVersion}): {impact.statements.length} statements
        {atRisk > 0 && <strong className="at-risk-text"> · {atRisk} with data at risk</strong>}
      </p>
      <label className="checkbox panel-filter">
        <input type="checkbox" checked={onlyFile} onChange={(e) => setOnlyFile(e.target.checked)} />
        <span>Only the open file</span>
      </label>
      <VirtualList
        items={items}
        role="list"
        label="Statement impact"
        estimateSize={120}
        measure
        className="panel-list"
        itemKey={statementKey}
        rowProps={(s) => ({ className: `impact-item${s.dataChecks.some((c) => c.atRisk) ? ' at-risk' : ''}` })}
        empty={<p className="panel-summary">No statements here.</p>}
        renderItem={(s) => (
          <div className="impact-body">
            <button type="button" className="link mono" onClick={() => onOpen(s.location)}>
              {s.location.file}:{s.location.line}
            </button>
            <dl>
              <dt>Table</dt>
              <dd>
                {s.table
                  ? `${s.table.schema ? `${s.table.schema}.` : ''}${s.table.name}: ${s.table.rowsEstimated ? '~' : ''}${s.table.rows.toLocaleString()} rows, ${formatBytes(s.table.bytes)}`
                  : 'None on the server yet'}
              </dd>
              {s.lock && (
                <>
                  <dt>Lock</dt>
                  <dd>
                    <strong>{s.lock.mode}</strong>, blocks {s.lock.blocks}
                  </dd>
                </>
              )}
              <dt>Work</dt>
              <dd>{workLabels[s.work]}</dd>
              {s.estimate && (
                <>
                  <dt>Estimate</dt>
                  <dd>
                    {formatSeconds(s.estimate.seconds)} <span className="dim">({s.estimate.assumption})</span>
                  </dd>
                </>
              )}
              {s.blastRadius.length > 0 && (
                <>
                  <dt>Blast radius</dt>
                  <dd>{s.blastRadius.join(', ')}</dd>
                </>
              )}
            </dl>
            {s.dataChecks.length > 0 && (
              <ul className="data-checks" aria-label="Data checks">
                {s.dataChecks.map((c, i) => (
                  <li key={i} className={c.atRisk ? 'at-risk' : undefined} title={c.query}>
                    {c.atRisk && <strong className="at-risk-text">At risk: </strong>}
                    {c.what}
                    {c.result && `: ${c.result}`}
                    {c.skipped && <span className="dim"> (not checked: {c.skipped})</span>}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      />
    </section>
  );
}
