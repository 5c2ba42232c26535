import { useCallback, useEffect, useState } from 'react';
import type { SavedQuery } from '../../../../shared/domain/query';
import { errorMessage } from '../../api';
import { useClient } from '../../app/ClientContext';

interface SavedQueriesPanelProps {
  /** Changes when the current tab was saved, so the list refreshes. */
  refreshKey: unknown;
  onOpen: (query: SavedQuery) => void;
}

/** Saved queries: open in a tab, delete. Saving happens from the editor toolbar. */
export function SavedQueriesPanel({ refreshKey, onOpen }: SavedQueriesPanelProps) {
  const client = useClient();
  const [list, setList] = useState<SavedQuery[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [filter, setFilter] = useState('');

  const load = useCallback(() => {
    client.call('savedQueries.list', {}).then(
      (l) => {
        setList(l);
        setError(undefined);
      },
      (e) => setError(errorMessage(e)),
    );
  }, [client]);
  useEffect(load, [load, refreshKey]);

  const remove = async (q: SavedQuery) => {
    if (!window.confirm(`Delete the saved query "${q.name}"?`)) return;
    try {
      await client.call('savedQueries.delete', { id: q.id });
      load();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const shown = list?.filter((q) => !filter.trim() || q.name.toLowerCase().includes(filter.trim().toLowerCase()) || q.sql.toLowerCase().includes(filter.trim().toLowerCase()));
  return (
    <section className="sidebar-section panel" aria-label="Saved queries">
      <input type="search" className="tree-search" placeholder="Filter saved queries…" aria-label="Filter saved queries" value={filter} onChange={(e) => setFilter(e.target.value)} />
      {error && <p className="sidebar-message error" role="alert">{error}</p>}
      <ul className="history-list" aria-label="Saved queries">
        {shown?.map((q) => (
          <li key={q.id}>
            <button type="button" className="history-item" onClick={() => onOpen(q)} title="Open">
              <span className="saved-name">{q.name}</span>
              <code>{q.sql.length > 200 ? `${q.sql.slice(0, 200)}…` : q.sql}</code>
            </button>
            <button type="button" className="icon-button row-action" aria-label={`Delete ${q.name}`} onClick={() => remove(q)}>
              ✕
            </button>
          </li>
        ))}
        {shown?.length === 0 && <li className="sidebar-message">{filter ? 'Nothing matches.' : 'No saved queries. Use “Save” above the editor.'}</li>}
      </ul>
    </section>
  );
}
