// `npm run bench`: every figure is printed beside a baseline measured in the same run. Nothing here is asserted.
import { startTestServers } from '../scripts/testServers';
import type { BenchResult } from './BenchResult';
import { benchStreamCsv } from './streamCsv';
import { benchIntrospection } from './introspection';
import { benchGridFirstPage } from './gridFirstPage';
import { benchReview } from './review';
import { benchLlm } from './llm';
import { benchDownload } from './download';

type Bench = { name: string; run: (pgUrl: string) => Promise<BenchResult[]> };

const benches: Bench[] = [
  { name: 'Stream 1,000,000 rows x 6 columns from PostgreSQL to CSV', run: benchStreamCsv },
  { name: 'Introspect 2,000 tables / 30,000 columns / 3,000 FKs', run: benchIntrospection },
  { name: 'Grid: time to first page through the browser door', run: benchGridFirstPage },
  { name: 'Review 2,000 PostgreSQL migrations cold, against squawk', run: () => benchReview() },
  { name: 'Local model: time to first token and tokens/s, with and without KV prefix reuse', run: () => benchLlm() },
  { name: 'Model download: 300 MB from a local Range server, against curl', run: () => benchDownload() },
];

function format(r: BenchResult): string {
  const value = `${r.value.toFixed(r.unit === 'ms' ? 1 : 2)} ${r.unit}`;
  const baseline = r.baseline ? `  baseline ${r.baseline.name}: ${r.baseline.value.toFixed(1)} ${r.unit}` : '';
  const ratio = r.ratio !== undefined ? `  ratio ${r.ratio.toFixed(2)}x` : '';
  const target = r.target ? `  (target ${r.target})` : '';
  const detail = r.detail ? ` [${r.detail}]` : '';
  return `  ${r.name}: ${value}${detail}${baseline}${ratio}${target}`;
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const servers = process.env.QUARRY_TEST_PG_URL ? undefined : await startTestServers();
  const pgUrl = process.env.QUARRY_TEST_PG_URL ?? servers!.pgUrl;
  let failed = false;
  try {
    for (const bench of benches) {
      if (only.length && !only.some((o) => bench.name.toLowerCase().includes(o.toLowerCase()))) continue;
      console.log(`\n${bench.name}`);
      try {
        for (const r of await bench.run(pgUrl)) console.log(format(r));
      } catch (error) {
        failed = true;
        console.log(`  failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  } finally {
    await servers?.stop();
  }
  process.exitCode = failed ? 1 : 0;
}

await main();
