import { dialectFacts } from '../../../../shared/dialect/dialectFacts';
import type { ConnectionInfo, ConnectionStatus } from '../../../../shared/domain/connection';

interface ConnectionListProps {
  connections: ConnectionInfo[];
  statuses: Record<string, ConnectionStatus>;
  selectedId: string | undefined;
  onSelect: (id: string) => void;
  onEdit: (connection: ConnectionInfo) => void;
  onAdd: () => void;
}


function describe(c: ConnectionInfo): string {
  if (dialectFacts[c.config.dialect].fileBased) return c.config.database ?? '';
  return `${c.config.host ?? '127.0.0.1'}${c.config.port ? `:${c.config.port}` : ''}${c.config.database ? `/${c.config.database}` : ''}`;
}

/** The saved connections as a list; the dot shows the live state from the connectionStatus stream. */
export function ConnectionList({ connections, statuses, selectedId, onSelect, onEdit, onAdd }: ConnectionListProps) {
  const move = (delta: number) => {
    const index = connections.findIndex((c) => c.id === selectedId);
    const next = connections[Math.max(0, Math.min(connections.length - 1, index + delta))];
    if (next) onSelect(next.id);
  };
  return (
    <section className="sidebar-section connections">
      <div className="section-header">
        <h2 id="connections-heading">Connections</h2>
        <button type="button" className="icon-button" onClick={onAdd} aria-label="New connection" title="New connection">
          +
        </button>
      </div>
      <ul aria-label="Connections" className="connection-list">
        {connections.map((c) => {
          const status = statuses[c.id];
          const state = status?.state ?? 'disconnected';
          const selected = c.id === selectedId;
          return (
            <li
              key={c.id}
              aria-label={c.config.name}
              aria-current={selected ? 'true' : undefined}
              className={`connection-item${selected ? ' selected' : ''}`}
              onClick={() => onSelect(c.id)}
              onDoubleClick={() => onEdit(c)}
              title={status?.error ? status.error.message : `${dialectFacts[c.config.dialect].label} · ${describe(c)}`}
            >
              <span className={`status-dot status-${state}`} aria-label={state} role="img" />
              {c.config.color && <span className="conn-color" style={{ background: c.config.color }} aria-hidden="true" />}
              <button
                type="button"
                className="connection-select"
                aria-pressed={selected}
                onKeyDown={(e) => {
                  if (e.key === 'ArrowDown') move(1);
                  else if (e.key === 'ArrowUp') move(-1);
                  else return;
                  e.preventDefault();
                }}
              >
                <span className="connection-name">{c.config.name}</span>
                <span className="connection-meta">{dialectFacts[c.config.dialect].label}{c.builtin ? ' · demo' : ''}</span>
              </button>
              <button
                type="button"
                className="icon-button row-action"
                aria-label={`Edit ${c.config.name}`}
                title="Edit connection"
                onClick={(e) => {
                  e.stopPropagation();
                  onEdit(c);
                }}
              >
                ✎
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
