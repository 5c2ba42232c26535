import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Dialect } from '../../../shared/domain/connection';
import { decodeOutcomes, type ParseReply } from './encodeOutcomes';
import type { ParseRequest, ParseWorkerData } from './parseWorker';
import { StatementParser, type ParseOutcome } from './StatementParser';

export interface ParseInWorkersOptions {
  /**
   * Worker threads to start (fewer when there are fewer chunks). Defaults to the cores available less the one this
   * thread runs the rules on, at least 1 and at most 4.
   */
  workers?: number;
  /** Statements sent to a worker in one message. Defaults to 250. */
  chunkSize?: number;
  /**
   * Heap limit of each worker (V8's old generation), MiB: a worker that runs out stops, and its statements are
   * parsed on this thread. Defaults to Node's own limit.
   */
  workerHeapMb?: number;
}

/** Parse outcomes of a list of statements, in the list's order, as the workers deliver them. */
export interface ParseStream {
  /** The outcomes of the next `count` statements of the list. */
  take(count: number): Promise<ParseOutcome[]>;
  /** Terminates the workers; outcomes not yet taken are dropped. Idempotent. */
  dispose(): Promise<void>;
}

interface Chunk {
  start: number;
  end: number;
  outcomes?: ParseOutcome[];
  /** Settles when `outcomes` is set (or the stream fails). */
  ready: Promise<void>;
  settle: () => void;
  fail: (error: unknown) => void;
}

/**
 * A worker's stack, MiB: about the main thread's (V8's 984 KiB, plus the 192 KiB Node keeps back on a worker), so a
 * deeply nested statement that overflows a parser's recursion here overflows it there too. Findings must not depend
 * on whether the set was big enough to go to workers.
 */
const STACK_MB = 1.2;

/**
 * Chunks queued per worker: a worker's replies wait while this thread runs rules or parses a chunk itself, and a
 * worker with only the next chunk queued sat idle half the time (measured).
 */
const IN_FLIGHT = 6;

function defaultWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

let running = 0;

/** Parse worker threads started and not yet exited, across every stream: for tests and diagnostics. */
export function runningParseWorkers(): number {
  return running;
}

/**
 * Parses `sqls` with `dialect`'s parser on worker threads, so a big folder neither blocks the thread that asked (the
 * Electron main process, `quarry serve`) nor waits on one core. The caller takes the outcomes in order, as they
 * come, and runs the rules meanwhile; while it waits for the next chunk it parses chunks from the end of the list
 * itself, one at a time, turning its event loop between them. A worker that dies (out of memory, a crash that takes
 * its thread down) has its chunks parsed in this thread instead, so the outcomes are those an in-thread parse gives.
 */
export function parseInWorkers(sqls: readonly string[], dialect: Dialect, options: ParseInWorkersOptions = {}): ParseStream {
  const chunkSize = Math.max(1, options.chunkSize ?? 250);
  const chunks: Chunk[] = [];
  for (let start = 0; start < sqls.length; start += chunkSize) {
    let settle!: () => void;
    let fail!: (error: unknown) => void;
    const ready = new Promise<void>((resolve, reject) => {
      settle = resolve;
      fail = reject;
    });
    // A failure is observed by whoever takes the chunk; a chunk nobody takes must not be an unhandled rejection.
    ready.catch(() => undefined);
    chunks.push({ start, end: Math.min(sqls.length, start + chunkSize), ready, settle, fail });
  }

  // Workers claim chunks from the front; this thread, while it waits for the next one, parses from the back. On two
  // cores that is the difference between one parser and two.
  let nextToSend = 0;
  let back = chunks.length - 1;
  let disposed = false;
  // This thread's own parser, loaded while the workers start: it parses the chunks of a worker that died, and again
  // the statements whose ASTs a rule reads deeper than the root the workers send (encodeOutcomes).
  const local = StatementParser.create([dialect]);
  let localParser: StatementParser | undefined;
  local.then(
    (parser) => (localParser = parser),
    () => undefined,
  );
  let last: { index: number; outcome: ParseOutcome } | undefined;
  const reparse = (index: number, statement: number): unknown => {
    if (disposed || !localParser) throw new Error('the parse stream was disposed; its ASTs can no longer be read in full');
    if (last?.index !== index) last = { index, outcome: localParser.parse(sqls[index]!, dialect) };
    return last.outcome.ok ? last.outcome.statements[statement]?.ast : undefined;
  };
  const inThread = (chunk: Chunk): void => {
    local.then(
      (parser) => {
        if (disposed) return;
        chunk.outcomes = sqls.slice(chunk.start, chunk.end).map((sql) => parser.parse(sql, dialect));
        chunk.settle();
      },
      (error: unknown) => chunk.fail(error),
    );
  };

  const live = new Set<Worker>();
  const pending = new Map<Worker, Set<number>>();
  const feed = (worker: Worker): void => {
    const mine = pending.get(worker)!;
    while (mine.size < IN_FLIGHT && nextToSend <= back) {
      const id = nextToSend++;
      const chunk = chunks[id]!;
      mine.add(id);
      const request: ParseRequest = { id, sqls: sqls.slice(chunk.start, chunk.end) };
      worker.postMessage(request);
    }
  };
  const lost = (worker: Worker): void => {
    if (!live.delete(worker)) return;
    const orphans = [...(pending.get(worker) ?? [])];
    pending.delete(worker);
    void worker.terminate();
    if (disposed) return;
    for (const id of orphans) inThread(chunks[id]!);
    if (live.size === 0) while (nextToSend <= back) inThread(chunks[nextToSend++]!);
  };

  const count = Math.max(1, Math.min(options.workers ?? defaultWorkers(), Math.ceil(chunks.length / IN_FLIGHT)));
  const workerData: ParseWorkerData = { quarryParseWorker: true, dialect };
  for (let i = 0; i < count && chunks.length > 0; i++) {
    let worker: Worker;
    try {
      worker = startParseWorker(workerData, options.workerHeapMb);
    } catch (error) {
      process.emitWarning(`A review parse worker could not start (${(error as Error).message}); statements are parsed on the main thread.`, { code: 'QUARRY_PARSE_WORKER' });
      continue;
    }
    running++;
    worker.once('exit', () => running--);
    live.add(worker);
    pending.set(worker, new Set());
    let answered = false;
    worker.on('message', (reply: ParseReply) => {
      answered = true;
      const chunk = chunks[reply.id];
      if (!chunk || disposed) return;
      pending.get(worker)?.delete(reply.id);
      try {
        chunk.outcomes = decodeOutcomes(reply, (index, statement) => reparse(chunk.start + index, statement));
        chunk.settle();
      } catch {
        // Too deep for this thread's JSON.parse, say: parsed here, it fails here exactly as an in-thread review would.
        inThread(chunk);
      }
      feed(worker);
    });
    worker.on('error', (error) => {
      // Said once per worker that never answered: a worker file missing from a build shows here, not as a slow review.
      if (!answered && !disposed) process.emitWarning(`A review parse worker stopped before it answered (${error.message}); its statements are parsed on the main thread.`, { code: 'QUARRY_PARSE_WORKER' });
      lost(worker);
    });
    worker.on('exit', () => lost(worker));
    feed(worker);
  }
  if (live.size === 0) while (nextToSend <= back) inThread(chunks[nextToSend++]!);

  const stealLast = (): void => {
    const chunk = chunks[back--]!;
    chunk.outcomes = sqls.slice(chunk.start, chunk.end).map((sql) => localParser!.parse(sql, dialect));
    chunk.settle();
  };

  let cursor = 0;
  return {
    async take(n) {
      if (disposed) throw new Error('the parse stream was disposed');
      // Outcomes from workers may need this thread's parser to read their ASTs in full.
      if (!localParser) await local;
      const from = cursor;
      const to = Math.min(sqls.length, from + n);
      cursor = to;
      const out: ParseOutcome[] = [];
      for (let c = Math.floor(from / chunkSize); c * chunkSize < to; c++) {
        const chunk = chunks[c]!;
        while (!chunk.outcomes) {
          if (nextToSend > back) {
            await chunk.ready;
            continue;
          }
          stealLast();
          // The replies that came meanwhile are delivered, and the event loop turns (a chunk is a few milliseconds).
          await new Promise<void>((resolve) => setImmediate(resolve));
          if (disposed) throw new Error('the parse stream was disposed');
        }
        const lo = Math.max(from, chunk.start) - chunk.start;
        const hi = Math.min(to, chunk.end) - chunk.start;
        for (let k = lo; k < hi; k++) out.push(chunk.outcomes![k]!);
        // Outcomes already handed out are not kept: a big folder's ASTs are not all held at once.
        if (hi === chunk.end - chunk.start) chunk.outcomes = [];
      }
      return out;
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      const workers = [...live];
      live.clear();
      for (const chunk of chunks) chunk.fail(new Error('the parse stream was disposed'));
      (await local.catch(() => undefined))?.dispose();
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/**
 * Starts parseWorker on a thread, in whichever runtime this module runs in. Bundled (out/cli, out/main) the worker
 * is a sibling entry, parseWorker.js, next to this code or one folder up when the bundler moved this code into a
 * chunk folder. From the sources (tsx, vitest) it is parseWorker.ts, loaded with tsx's require hook: Node 20 does
 * not run the module hooks `--import tsx` registers in worker threads.
 */
function startParseWorker(workerData: ParseWorkerData, heapMb: number | undefined): Worker {
  const here = import.meta.url;
  const resourceLimits = { stackSizeMb: STACK_MB, ...(heapMb === undefined ? {} : { maxOldGenerationSizeMb: heapMb }) };
  const bundled = ['./parseWorker.js', '../parseWorker.js'].map((rel) => new URL(rel, here)).find((url) => existsSync(url));
  if (bundled) return new Worker(bundled, { workerData, resourceLimits });
  const source = fileURLToPath(new URL(['./parseWorker', 'ts'].join('.'), here));
  const tsx = createRequire(here).resolve('tsx/cjs/api');
  const boot = `require(${JSON.stringify(tsx)}).register();\nrequire(${JSON.stringify(source)});\n`;
  return new Worker(boot, { eval: true, workerData, resourceLimits });
}
