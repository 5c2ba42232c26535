// `npm start`: builds and opens the desktop app. Where no Electron binary could be installed (air-gapped
// machines, CI sandboxes) it says so and points to `npm run web`, which serves the same app on loopback.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

if (!electronBinary()) {
  console.error('quarry: no Electron binary is installed on this machine, so the desktop window cannot open.');
  console.error('quarry: run `npm run web` to use the same app in your browser on 127.0.0.1.');
  process.exit(1);
}
const bin = process.platform === 'win32' ? 'electron-vite.cmd' : 'electron-vite';
const r = spawnSync(bin, ['preview'], { stdio: 'inherit', shell: process.platform === 'win32' });
process.exit(r.status ?? 1);
