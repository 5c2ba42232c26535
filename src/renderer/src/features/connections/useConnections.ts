import { useCallback, useEffect, useState } from 'react';
import type { ConnectionInfo, ConnectionStatus } from '../../../../shared/domain/connection';
import { errorMessage } from '../../api';
import { useClient } from '../../app/ClientContext';

export interface ConnectionsState {
  connections: ConnectionInfo[] | undefined;
  statuses: Record<string, ConnectionStatus>;
  error: string | undefined;
  refresh: () => Promise<ConnectionInfo[]>;
  connect: (id: string) => Promise<void>;
}

/** The saved connections and their live status from the connectionStatus stream. */
export function useConnections(): ConnectionsState {
  const client = useClient();
  const [connections, setConnections] = useState<ConnectionInfo[] | undefined>();
  const [statuses, setStatuses] = useState<Record<string, ConnectionStatus>>({});
  const [error, setError] = useState<string | undefined>();

  const refresh = useCallback(async () => {
    try {
      const list = await client.call('connections.list', {});
      setConnections(list);
      setError(undefined);
      return list;
    } catch (e) {
      setError(errorMessage(e));
      setConnections((c) => c ?? []);
      return [];
    }
  }, [client]);

  useEffect(() => {
    const off = client.on('connectionStatus', (_id, status) => setStatuses((s) => ({ ...s, [status.connectionId]: status })));
    void refresh();
    client.call('connections.status', {}).then(
      (list) => setStatuses((s) => Object.fromEntries([...Object.entries(s), ...list.map((x) => [x.connectionId, x] as const)])),
      () => {},
    );
    return off;
  }, [client, refresh]);

  const connect = useCallback(
    async (id: string) => {
      try {
        const status = await client.call('connections.connect', { id });
        setStatuses((s) => ({ ...s, [id]: status }));
      } catch (e) {
        setStatuses((s) => ({ ...s, [id]: { connectionId: id, state: 'error', error: { code: 'CONNECTION_FAILED', message: errorMessage(e) } } }));
      }
    },
    [client],
  );

  return { connections, statuses, error, refresh, connect };
}
