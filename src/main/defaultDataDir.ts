import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * $QUARRY_DATA_DIR, else the folder Electron uses as userData for "Quarry", so the CLI and the desktop app
 * share saved connections.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.QUARRY_DATA_DIR) return env.QUARRY_DATA_DIR;
  const home = env.HOME || env.USERPROFILE || homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Quarry');
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'Quarry');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'Quarry');
}
