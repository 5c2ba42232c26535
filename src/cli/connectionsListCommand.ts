import { formatConnectionUrl } from '../shared/domain/connectionUrl';
import { openSavedConnections } from './openSavedConnections';

export async function connectionsListCommand(options: { dataDir: string; format: 'text' | 'json' }): Promise<number> {
  const saved = openSavedConnections(options.dataDir);
  try {
    const list = saved.connections.list();
    if (options.format === 'json') {
      process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
    } else if (list.length === 0) {
      process.stdout.write(`No saved connections in ${options.dataDir}.\n`);
    } else {
      for (const c of list) {
        process.stdout.write(`${c.config.name}\t${c.config.dialect}\t${formatConnectionUrl(c.config)}${c.config.allowWrites ? '\twrites allowed' : ''}\n`);
      }
    }
    return 0;
  } finally {
    await saved.dispose();
  }
}
