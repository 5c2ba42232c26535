/**
 * Writes the demo database: `node --import tsx scripts/generateDemoDb.ts [path]`, path defaulting to
 * resources/demo.sqlite. Run by npm postinstall; the app calls generateDemoDb itself when the file is missing.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDemoDb } from '../src/main/demo/generateDemoDb';

const target = resolve(process.argv[2] ?? fileURLToPath(new URL('../resources/demo.sqlite', import.meta.url)));
const started = performance.now();
try {
  generateDemoDb(target);
  console.log(`quarry: demo database written to ${target} in ${Math.round(performance.now() - started)} ms`);
} catch (error) {
  console.error(`quarry: ${(error as Error).message}`);
  process.exitCode = 1;
}
