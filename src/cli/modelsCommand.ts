import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FitEstimate, ModelFile } from '../shared/domain/models';
import { formatBytes } from '../shared/format/formatBytes';
import { estimateFit } from '../main/ai/models/estimateFit';
import { ModelCatalog } from '../main/ai/models/ModelCatalog';
import { readModelHeader } from '../main/ai/models/readModelMetadata';
import { disposeSharedLlama, sharedLlama } from '../main/ai/models/sharedLlama';
import { AppStore } from '../main/store/AppStore';
import { CliError } from './CliError';

export interface ModelsCommandOptions {
  dataDir: string;
  /** Where recommended-models.json is. Defaults to the package's resources/ (two levels above src/cli/ and out/cli/). */
  resourcesDir?: string;
  /** list | info | rm | dir (download is the downloader's; see main.ts). */
  subcommand: string;
  args: string[];
  format: 'text' | 'json';
  /** Defaults to process.stdout. */
  stdout?: { write(text: string): unknown };
}

export const modelsUsage = 'Usage: quarry models list | info <file|name> | rm <name> | dir [<folder>] | download <url|id> [--sha256 <hex>]';

/**
 * `quarry models …` on the same data dir, settings and models directory as the app: list, info (metadata and
 * whether it fits with the saved load settings), rm, dir (show or set the `models.dir` setting).
 */
export async function modelsCommand(options: ModelsCommandOptions): Promise<number> {
  const store = new AppStore({ dataDir: options.dataDir });
  const resourcesDir = options.resourcesDir ?? join(import.meta.dirname, '..', '..', 'resources');
  const catalog = new ModelCatalog({ store, dataDir: options.dataDir, resourcesDir });
  const stdout = options.stdout ?? process.stdout;
  const out = (text: string) => stdout.write(text);
  try {
    const { subcommand, args } = options;
    switch (subcommand) {
      case 'list': {
        expectArgs(args, 0);
        const { dir, models } = await catalog.list();
        if (options.format === 'json') out(`${JSON.stringify({ dir, models }, null, 2)}\n`);
        else if (models.length === 0) out(`No models in ${dir}.\nDownload one with: quarry models download ${catalog.recommended()[0]?.id ?? '<url>'}\n`);
        else out(`Models in ${dir}\n${alignRows(models.map(listRow))}`);
        return 0;
      }
      case 'info': {
        expectArgs(args, 1);
        const target = args[0]!;
        // A path that exists is read where it is; anything else is a name in the models directory.
        const asPath = resolve(target);
        const model = existsSync(asPath) ? await catalog.inspect(asPath) : await catalog.get(target);
        if (model.error !== undefined) throw new CliError(model.error, 1);
        const settings = catalog.getSettings();
        let fit: FitEstimate | { error: string };
        try {
          const header = await readModelHeader(model.path, { withVocabulary: true });
          fit = await estimateFit({ llama: await sharedLlama(), info: header.info, settings });
        } catch (error) {
          fit = { error: (error as Error).message.split('\n')[0]! };
        }
        if (options.format === 'json') out(`${JSON.stringify({ model, settings, fit }, null, 2)}\n`);
        else out(infoText(model, fit));
        return 0;
      }
      case 'rm': {
        expectArgs(args, 1);
        const model = await catalog.get(args[0]!);
        await catalog.delete(model.id);
        out(`Deleted ${model.id}${model.parts > 1 ? ` (${model.parts} parts)` : ''}, ${formatBytes(model.sizeBytes)}.\n`);
        return 0;
      }
      case 'dir': {
        if (args.length > 1) throw new CliError('Usage: quarry models dir [<folder>]', 2);
        const dir = args.length === 1 ? catalog.setDir(resolve(args[0]!)) : catalog.dir();
        out(`${dir}\n`);
        return 0;
      }
      default:
        throw new CliError(`Unknown models command "${subcommand}". ${modelsUsage}`, 2);
    }
  } finally {
    catalog.dispose();
    store.dispose();
    await disposeSharedLlama();
  }
}

function expectArgs(args: string[], count: number): void {
  if (args.length !== count) throw new CliError(`${modelsUsage} (got ${args.length} argument${args.length === 1 ? '' : 's'}, expected ${count}).`, 2);
}

function listRow(model: ModelFile): string[] {
  const m = model.metadata;
  const parts = model.parts > 1 ? `${model.parts} parts` : '';
  if (!m) return [model.id, formatBytes(model.sizeBytes), parts, `error: ${model.error ?? 'unreadable'}`];
  const facts = [m.architecture, m.parameterCount !== undefined ? `${formatCount(m.parameterCount)} params` : '', m.quantization ?? '', m.contextLength !== undefined ? `ctx ${m.contextLength}` : ''];
  return [model.id, formatBytes(model.sizeBytes), parts, facts.filter((f) => f !== '').join(', ')];
}

function infoText(model: ModelFile, fit: FitEstimate | { error: string }): string {
  const m = model.metadata!;
  const lines: [string, string][] = [
    ['file', model.path],
    ['size', `${formatBytes(model.sizeBytes)}${model.parts > 1 ? ` in ${model.parts} parts` : ''}`],
    ['architecture', m.architecture],
  ];
  if (m.name !== undefined) lines.push(['name', m.name]);
  if (m.parameterCount !== undefined) lines.push(['parameters', formatCount(m.parameterCount)]);
  if (m.quantization !== undefined) lines.push(['quantization', m.quantization]);
  if (m.contextLength !== undefined) lines.push(['trained context', `${m.contextLength} tokens`]);
  if (m.layers !== undefined) lines.push(['layers', String(m.layers)]);
  lines.push(['chat template', m.chatTemplate !== undefined ? `yes (${m.chatTemplate.length} characters)` : 'none']);
  if (model.sha256 !== undefined) lines.push(['sha256', model.sha256]);
  if ('error' in fit) {
    lines.push(['fits', `unknown: ${fit.error}`]);
  } else {
    lines.push(['fits', fit.fits ? 'yes, with the saved load settings' : 'NO']);
    lines.push(['estimate', `${formatBytes(fit.ramBytes)} RAM, ${formatBytes(fit.vramBytes)} VRAM; ${fit.gpuLayers} of ${fit.totalLayers} layers on the GPU; ${fit.contextSize}-token context`]);
    if (fit.note !== undefined) lines.push(['note', fit.note]);
  }
  return alignRows(lines.map(([k, v]) => [`${k}:`, v]));
}

function alignRows(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => `  ${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')}`.trimEnd() + '\n').join('');
}

function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(n >= 1e10 ? 0 : 1)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M`;
  if (n >= 1e3) return `${Math.round(n / 1e3)}K`;
  return String(n);
}
