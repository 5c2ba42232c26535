import { useEffect, useState } from 'react';
import type { ConnectionInfo, ConnectionStatus } from '../../../shared/domain/connection';
import type { TabRun } from '../features/query/useQueryRuns';
import { formatDuration } from '../features/results/ResultsPanel';

interface StatusBarProps {
  connection: ConnectionInfo | undefined;
  status: ConnectionStatus | undefined;
  serverVersion: string | undefined;
  run: TabRun | undefined;
  socketError: string | undefined;
  tabsNote: string | undefined;
}

function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(performance.now()), 100);
    return () => clearInterval(timer);
  }, []);
  return <span className="elapsed">{formatDuration(Math.max(0, now - since))}</span>;
}

/** Connection, access mode, server version, and the running query's elapsed time or the last one's outcome. */
export function StatusBar({ connection, status, serverVersion, run, socketError, tabsNote }: StatusBarProps) {
  const readOnly = status?.readOnly ?? !connection?.config.allowWrites;
  const rows = run?.results.filter(Boolean).reduce((n, r) => n + (r.columns.length ? r.rowCount : (r.affectedRows ?? 0)), 0) ?? 0;
  let runText: React.ReactNode = null;
  if (run) {
    if (run.status === 'running' || run.status === 'checking') {
      runText = (
        <>
          <span className="spinner" aria-hidden="true" /> {run.cancelling ? 'Cancelling…' : 'Running'} <Elapsed since={run.startedAt} />
        </>
      );
    } else if (run.status === 'cancelled') runText = `Cancelled${run.durationMs !== undefined ? ` after ${formatDuration(run.durationMs)}` : ''}`;
    else if (run.status === 'error') runText = `Failed${run.durationMs !== undefined ? ` after ${formatDuration(run.durationMs)}` : ''}`;
    else runText = `${rows.toLocaleString()} ${rows === 1 ? 'row' : 'rows'} · ${formatDuration(run.durationMs ?? 0)}`;
  }
  return (
    <footer className="statusbar" role="status" aria-label="Status">
      {socketError ? (
        <span className="status-item error">{socketError} Reconnecting…</span>
      ) : (
        <>
          <span className="status-item">
            <span className={`status-dot status-${status?.state ?? 'disconnected'}`} aria-hidden="true" />
            {connection?.config.name ?? 'No connection'}
          </span>
          {connection && <span className={`status-item mode ${readOnly ? 'ro' : 'rw'}`}>{readOnly ? 'READ-ONLY' : 'READ-WRITE'}</span>}
          {serverVersion && <span className="status-item version">{serverVersion}</span>}
          {status?.state === 'error' && status.error && <span className="status-item error">{status.error.message}</span>}
        </>
      )}
      <span className="spacer" />
      {tabsNote && <span className="status-item error">{tabsNote}</span>}
      {runText && <span className="status-item run-state">{runText}</span>}
    </footer>
  );
}
