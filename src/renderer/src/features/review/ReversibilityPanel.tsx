import { useMemo } from 'react';
import type { Migration, ReversibilityResult, ReversibilityStatus, SourceLocation } from '../../../../shared/domain/review';
import { VirtualList } from './VirtualList';

interface ReversibilityPanelProps {
  proof: readonly ReversibilityResult[];
  migrations: readonly Migration[];
  onOpen: (location: SourceLocation) => void;
}

export const statusLabels: Record<ReversibilityStatus, string> = {
  reversible: 'Reversible',
  'not-reversible': 'Not reversible',
  'no-down': 'No down',
  'up-failed': 'Up failed',
  'down-failed': 'Down failed',
  'not-provable': 'Not provable',
  skipped: 'Skipped',
};

/** Worst first, so what needs fixing is at the top of a long proof. */
const order: ReversibilityStatus[] = ['not-reversible', 'down-failed', 'up-failed', 'no-down', 'not-provable', 'skipped', 'reversible'];

function resultKey(r: ReversibilityResult): string {
  return r.migrationId;
}

/** The sandbox's verdict per migration: what differs after up then down, or which statement failed. */
export function ReversibilityPanel({ proof, migrations, onOpen }: ReversibilityPanelProps) {
  const byId = useMemo(() => new Map(migrations.map((m) => [m.id, m])), [migrations]);
  const sorted = useMemo(() => [...proof].sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status)), [proof]);
  const counts = useMemo(() => {
    const c = new Map<ReversibilityStatus, number>();
    for (const r of proof) c.set(r.status, (c.get(r.status) ?? 0) + 1);
    return order.filter((s) => c.has(s)).map((s) => `${c.get(s)} ${statusLabels[s].toLowerCase()}`);
  }, [proof]);

  return (
    <section className="review-panel" role="region" aria-label="Reversibility">
      <h3>Reversibility</h3>
      <p className="panel-summary">{counts.join(' · ') || 'Nothing was proven.'}</p>
      <VirtualList
        items={sorted}
        role="list"
        label="Reversibility results"
        estimateSize={56}
        measure
        className="panel-list"
        itemKey={resultKey}
        rowProps={(r) => ({ className: `proof-item status-${r.status}` })}
        renderItem={(r) => {
          const migration = byId.get(r.migrationId);
          const failed = r.error && 'sql' in r.error ? r.error : undefined;
          return (
            <div className="proof-body">
              <div className="proof-head">
                <span className={`proof-status status-${r.status}`}>{statusLabels[r.status]}</span>
                <button type="button" className="link" onClick={() => migration && onOpen({ file: migration.file, line: 1, column: 1 })} disabled={!migration}>
                  {migration?.version ?? r.migrationId}
                  {migration?.description ? ` ${migration.description}` : ''}
                </button>
              </div>
              {r.differences && r.differences.length > 0 && (
                <ul className="proof-differences" aria-label={`Differences after up then down of ${r.migrationId}`}>
                  {r.differences.map((d, i) => (
                    <li key={i}>{d.message}</li>
                  ))}
                </ul>
              )}
              {failed && (
                <div className="proof-failure">
                  <span>{r.failedIn === 'down' ? 'The down fails' : r.failedIn === 'up' ? 'The up fails' : 'Fails'}: {failed.message}</span>
                  <button type="button" className="link mono" onClick={() => onOpen(failed.location)} title={`${failed.location.file}:${failed.location.line}`}>
                    {failed.sql.length > 160 ? `${failed.sql.slice(0, 160)}…` : failed.sql}
                  </button>
                </div>
              )}
              {r.error && !failed && <p className="proof-note">{r.error.message}</p>}
              {r.notes && r.notes.length > 0 && (
                <details className="proof-notes">
                  <summary>{r.notes.length === 1 ? '1 note' : `${r.notes.length} notes`}</summary>
                  <ul>{r.notes.map((n, i) => <li key={i}>{n}</li>)}</ul>
                </details>
              )}
            </div>
          );
        }}
      />
    </section>
  );
}
