import { useCallback, useEffect, useState } from 'react';
import type { SchemaModel } from '../../../../shared/domain/SchemaModel';
import { errorMessage } from '../../api';
import { useClient } from '../../app/ClientContext';

export interface SchemaState {
  schema: SchemaModel | undefined;
  loading: boolean;
  error: string | undefined;
  refresh: () => void;
}

interface Loaded {
  /** connectionId:nonce of the request this answers. */
  key: string;
  connectionId: string;
  schema?: SchemaModel;
  error?: string;
}

/** The SchemaModel of one connection, loaded when the connection is picked; refresh() asks the server to re-read. */
export function useSchema(connectionId: string | undefined): SchemaState {
  const client = useClient();
  const [loaded, setLoaded] = useState<Loaded | undefined>();
  const [nonce, setNonce] = useState(0);
  const key = `${connectionId}:${nonce}`;

  useEffect(() => {
    if (!connectionId) return;
    let live = true;
    client.call('schema.get', { connectionId, refresh: nonce > 0 }).then(
      (schema) => live && setLoaded({ key, connectionId, schema }),
      (e) => live && setLoaded((old) => ({ key, connectionId, error: errorMessage(e), schema: old?.connectionId === connectionId ? old.schema : undefined })),
    );
    return () => {
      live = false;
    };
  }, [client, connectionId, nonce, key]);

  const refresh = useCallback(() => setNonce((n) => n + 1), []);
  // While a refresh loads, the last schema of the same connection stays on screen.
  const same = loaded?.connectionId === connectionId;
  return {
    schema: same ? loaded?.schema : undefined,
    loading: !!connectionId && loaded?.key !== key,
    error: loaded?.key === key ? loaded.error : undefined,
    refresh,
  };
}
