// Electron is an optional dependency because its postinstall downloads the Electron binary from GitHub,
// which air-gapped machines and CI sandboxes cannot reach. When that download fails npm drops the package,
// and with it the type definitions that the Electron door is checked against. Here we put the package back
// without its binary, so `npm run typecheck` and `electron-vite build` keep working; `npm start` then
// explains that the desktop window cannot open and points to `npm run web`.
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const wanted = pkg.optionalDependencies?.electron;

if (wanted && !existsSync(join(root, 'node_modules', 'electron', 'package.json'))) {
  console.log(`quarry: the Electron binary could not be installed; installing electron@${wanted} without it (npm run web still works).`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', `electron@${wanted}`], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
  });
  if (r.status !== 0) console.warn('quarry: could not install the Electron package; the Electron door will not type-check.');
}

// The demo database ships in resources/ but is generated, not committed: about 100k deterministic rows.
const demo = join(root, 'resources', 'demo.sqlite');
if (!existsSync(demo) && existsSync(join(root, 'scripts', 'generateDemoDb.ts'))) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'generateDemoDb.ts'), demo], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) console.warn('quarry: could not generate the demo database; the app will generate it at first start.');
}

// The quarry command starts from a bundle (out/cli/) rather than compiling TypeScript on every run; bin/quarry.mjs
// falls back to the sources whenever they differ from what was bundled, so a failed build only costs start-up time.
if (existsSync(join(root, 'scripts', 'buildCli.mjs'))) {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'buildCli.mjs'), '--quiet'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) console.warn('quarry: could not bundle the CLI; `quarry` runs from the sources (slower to start). Try `npm run build:cli`.');
}
