import { useEffect, useState } from 'react';
import type { HistoryEntry } from '../../../../shared/domain/query';
import { errorMessage } from '../../api';
import { useClient } from '../../app/ClientContext';
import { formatDuration } from '../results/ResultsPanel';

interface HistoryPanelProps {
  /** Changes whenever a query finishes, so the list refreshes. */
  refreshKey: unknown;
  onOpen: (sql: string) => void;
}

/** Past queries, newest first, searchable (history.list with search). */
export function HistoryPanel({ refreshKey, onOpen }: HistoryPanelProps) {
  const client = useClient();
  const [search, setSearch] = useState('');
  const [entries, setEntries] = useState<HistoryEntry[] | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      client.call('history.list', { limit: 200, ...(search.trim() ? { search: search.trim() } : {}) }).then(
        (list) => {
          if (!live) return;
          setEntries(list);
          setError(undefined);
        },
        (e) => live && setError(errorMessage(e)),
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, search, refreshKey]);

  return (
    <section className="sidebar-section panel" aria-label="History">
      <input type="search" className="tree-search" placeholder="Search history…" aria-label="Search history" value={search} onChange={(e) => setSearch(e.target.value)} />
      {error && <p className="sidebar-message error" role="alert">{error}</p>}
      <ul className="history-list" aria-label="Query history">
        {entries?.map((h) => (
          <li key={h.id} className={h.error ? 'failed' : undefined}>
            <button type="button" className="history-item" onClick={() => onOpen(h.sql)} title={h.error ?? 'Open in a new tab'}>
              <code>{h.sql.length > 300 ? `${h.sql.slice(0, 300)}…` : h.sql}</code>
              <span className="history-meta">
                {new Date(h.startedAt).toLocaleString()}
                {h.durationMs !== undefined && ` · ${formatDuration(h.durationMs)}`}
                {h.rowCount !== undefined && ` · ${h.rowCount.toLocaleString()} rows`}
                {h.error && ' · failed'}
              </span>
            </button>
          </li>
        ))}
        {entries?.length === 0 && <li className="sidebar-message">{search ? 'Nothing matches.' : 'No queries yet.'}</li>}
      </ul>
    </section>
  );
}
