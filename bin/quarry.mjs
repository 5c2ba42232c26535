#!/usr/bin/env node
// The quarry command. It runs the bundle in out/cli/ (scripts/buildCli.mjs, run by `npm install`) while every
// source file it was built from still has the size and time recorded in out/cli/inputs.json; otherwise, or with
// QUARRY_FROM_SOURCES=1, it runs the TypeScript sources through tsx (about a second slower to start), so an edited
// checkout never runs old code. `npm run build:cli` brings the bundle up to date.
import { readFileSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);

function bundleIsCurrent() {
  if (process.env.QUARRY_FROM_SOURCES === '1') return false;
  let recorded;
  try {
    recorded = JSON.parse(readFileSync(new URL('out/cli/inputs.json', root), 'utf8')).inputs;
  } catch {
    return false;
  }
  for (const [file, [size, mtimeMs]] of Object.entries(recorded)) {
    let s;
    try {
      s = statSync(new URL(file, root));
    } catch {
      return false;
    }
    if (s.size !== size || s.mtimeMs !== mtimeMs) return false;
  }
  return true;
}

if (bundleIsCurrent()) {
  await import('../out/cli/quarry.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
