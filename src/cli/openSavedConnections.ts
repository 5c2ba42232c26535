import { join } from 'node:path';
import { ConnectionService } from '../main/db/ConnectionService';
import { createDriver } from '../main/db/createDriver';
import { KeyFileSecretBox } from '../main/secrets/KeyFileSecretBox';
import { AppStore } from '../main/store/AppStore';

/** The saved connections of a data dir, without the rest of the app (no demo, no query service). */
export function openSavedConnections(dataDir: string): { connections: ConnectionService; dispose(): Promise<void> } {
  const store = new AppStore({ dataDir });
  try {
    const connections = new ConnectionService({
      store,
      secretBox: new KeyFileSecretBox(join(dataDir, 'secret.key')),
      createDriver,
      emitStatus: () => undefined,
    });
    return {
      connections,
      async dispose() {
        await connections.dispose();
        store.dispose();
      },
    };
  } catch (error) {
    store.dispose();
    throw error;
  }
}
