import { existsSync } from 'node:fs';
import { connectionConfigSchema, type ConnectionConfig, type ConnectionSecrets } from '../shared/domain/connection';
import { parseConnectionUrl } from '../shared/domain/connectionUrl';
import { CliError } from './CliError';
import { openSavedConnections } from './openSavedConnections';

export interface ResolvedTarget {
  config: ConnectionConfig;
  secrets: ConnectionSecrets;
}

/**
 * `<url|path|name>`: a connection URL or a SQLite file path goes through parseConnectionUrl; anything else is
 * the name of a saved connection in the data dir.
 */
export async function resolveTarget(target: string, dataDir: string): Promise<ResolvedTarget> {
  if (looksLikeUrlOrPath(target)) {
    let parsed;
    try {
      parsed = parseConnectionUrl(target);
    } catch (error) {
      throw new CliError(`Cannot read "${redact(target)}" as a connection: ${(error as Error).message}`, 2);
    }
    const config = connectionConfigSchema.safeParse(parsed.config);
    if (!config.success) throw new CliError(`Connection "${redact(target)}" is invalid: ${config.error.issues[0]?.message ?? ''}`, 2);
    return { config: config.data, secrets: parsed.secrets };
  }
  const saved = openSavedConnections(dataDir);
  try {
    const found = saved.connections.findByName(target);
    if (!found) {
      throw new CliError(`"${target}" is neither a connection URL, an existing file, nor a saved connection in ${dataDir} (see quarry connections list).`, 2);
    }
    return saved.connections.resolve(found.id);
  } finally {
    await saved.dispose();
  }
}

function looksLikeUrlOrPath(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(text) || /[\\/]/.test(text) || existsSync(text) || /\.(sqlite3?|db)$/i.test(text);
}

/** Connection URLs may hold a password; it never goes into a message. */
export function redact(text: string): string {
  return text.replace(/(\/\/[^/:@]*:)[^@/]*@/, '$1***@');
}
