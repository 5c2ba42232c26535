// Bundles the quarry command into out/cli/ so it starts without compiling TypeScript on the fly: tsx costs about a
// second before the first line of a command runs. bin/quarry.mjs runs the bundle while it matches the sources, as
// recorded in out/cli/inputs.json, and the sources through tsx otherwise.
//
// node scripts/buildCli.mjs [--quiet] [--out out/<name>]
//
// --out (tests) builds elsewhere, still two levels below the package root, where code that finds package.json from
// its own module (readPackageVersion, app.ts's packageRoot) expects to be. Defaults to out/cli.
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--out');
const target = join(root, outArg > 0 ? process.argv[outArg + 1] : 'out/cli');
if (dirname(dirname(target)) !== root) throw new Error(`--out must name a folder two levels below ${root}, like out/cli`);
// Built beside the target and moved into place at the end, so a quarry started meanwhile never finds half a bundle.
const outdir = `${target}.building-${process.pid}`;
const quiet = process.argv.includes('--quiet');

/**
 * Vite's `import.meta.glob(pattern, { query: '?raw', import: 'default', eager: true })`, which esbuild lacks:
 * replaced by the object Vite would build, file text by the pattern-relative key. Only `dir/*` and `dir/*\/*`
 * patterns, the ones the sources use; anything else fails the build rather than run without its files.
 */
const viteGlob = {
  name: 'vite-import-meta-glob',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.glob')) return undefined;
      const contents = text.replace(/import\.meta\.glob(?:<[^>]*>)?\(\s*'([^']+)'\s*,\s*(\{[^}]*\})\s*\)/g, (call, pattern, options) => {
        if (!/eager:\s*true/.test(options) || !/query:\s*'\?raw'/.test(options)) throw new Error(`${args.path}: only eager ?raw globs are bundled, not ${call}`);
        const files = {};
        for (const key of expand(dirname(args.path), pattern)) files[key] = readFileSync(resolve(dirname(args.path), key), 'utf8');
        return JSON.stringify(files);
      });
      return { contents, loader: 'ts' };
    });
  },
};

/**
 * Pure-JavaScript packages on the way to a review's first line, bundled: loading them file by file (zod alone is
 * hundreds of modules) costs more than the review of a small folder. The rest (native addons, WASM, drivers a review
 * never loads) stay in node_modules, where their code finds the files beside it.
 */
const BUNDLED_PACKAGES = new Set(['zod', 'yaml', 'saxes', 'xmlchars', 'yauzl', 'pend', 'buffer-crc32', 'fast-xml-parser', 'strnum']);

const packageOf = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

const externals = {
  name: 'externals',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      // Inside a bundled package everything it imports is bundled too, so its own dependencies resolve as it expects.
      if (args.importer.includes('/node_modules/')) return undefined;
      return BUNDLED_PACKAGES.has(packageOf(args.path)) ? undefined : { path: args.path, external: true };
    });
  },
};

function expand(base, pattern) {
  const parts = pattern.split('/');
  let found = [''];
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1;
    if (!part.includes('*')) {
      found = found.map((p) => (p ? `${p}/${part}` : part));
      continue;
    }
    const re = new RegExp(`^${part.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
    found = found.flatMap((p) =>
      readdirSync(resolve(base, p), { withFileTypes: true })
        .filter((e) => re.test(e.name) && (last ? e.isFile() : e.isDirectory()))
        .map((e) => `${p}/${e.name}`),
    );
  }
  return found.sort();
}

/** Size and time of every file under `dir`, taken before the build reads them, so an edit made during the build makes the bundle stale. */
function statTree(dir, into = new Map()) {
  for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
    const file = `${dir}/${e.name}`;
    if (e.isDirectory()) statTree(file, into);
    else if (e.isFile()) {
      const s = statSync(join(root, file));
      into.set(file, [s.size, s.mtimeMs]);
    }
  }
  return into;
}

const self = relative(root, fileURLToPath(import.meta.url));
const before = statTree('src');
before.set(self, [statSync(join(root, self)).size, statSync(join(root, self)).mtimeMs]);
let result;
try {
  result = await build({
    absWorkingDir: root,
    entryPoints: { quarry: 'src/cli/main.ts', parseWorker: 'src/main/review/parse/parseWorker.ts' },
    outdir,
    bundle: true,
    // Commands import what they need on demand; split, `quarry review` never loads the drivers or the server.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    plugins: [externals, viteGlob],
    // Bundled CommonJS packages require() Node's built-ins, and an ES module has no `require` of its own.
    banner: { js: "import { createRequire as __quarryCreateRequire } from 'node:module'; const require = __quarryCreateRequire(import.meta.url);" },
    metafile: true,
    sourcemap: 'linked',
    logLevel: quiet ? 'error' : 'warning',
  });
} catch (error) {
  rmSync(outdir, { recursive: true, force: true });
  throw error;
}

// Every source file in the bundle (and this script), with the size and time it had: the bundle is current only
// while they all still have them. A file added later is imported by one that changed, so it is caught too.
const inputs = {};
// A bundled package's package.json too: an upgrade changes it, and the bundle would still hold the old code.
// (A package path may lie outside the root, as ../…/node_modules/…, when node_modules is a link.)
const inPackage = (f) => /(^|\/)node_modules\//.test(f);
const bundledManifests = [...new Set(Object.keys(result.metafile.inputs).filter(inPackage).map((f) => f.replace(/^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\/.*$/, '$1/package.json')))];
for (const file of [...Object.keys(result.metafile.inputs).filter((f) => !inPackage(f)), ...bundledManifests, self]) {
  // A source outside src/ (none today) gets time 0, so it always reads as changed: the sources run, never a stale bundle.
  const now = statSync(join(root, file));
  inputs[file] = before.get(file) ?? (inPackage(file) ? [now.size, now.mtimeMs] : [now.size, 0]);
}
writeFileSync(join(outdir, 'inputs.json'), `${JSON.stringify({ inputs })}\n`);
rmSync(target, { recursive: true, force: true });
renameSync(outdir, target);
if (!quiet) console.log(`quarry: bundled the CLI into ${relative(root, target)}/ (${Object.keys(inputs).length} source files)`);
