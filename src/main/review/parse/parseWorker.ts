/**
 * The entry of a parse worker thread (see parseInWorkers.ts): loads one dialect's parser, then answers each
 * `{ id, sqls }` with the outcomes in the same order (encodeOutcomes). It runs no rules and keeps no state between
 * messages.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Dialect } from '../../../shared/domain/connection';
import { encodeOutcomes } from './encodeOutcomes';
import { StatementParser } from './StatementParser';

export interface ParseRequest {
  id: number;
  sqls: string[];
}

export interface ParseWorkerData {
  /** Marks a thread started by parseInWorkers, so importing this file anywhere else does nothing. */
  quarryParseWorker: true;
  dialect: Dialect;
}

const data = workerData as ParseWorkerData | undefined;
const port = parentPort;
if (port && data?.quarryParseWorker) {
  const { dialect } = data;
  // Messages sent while the parser loads wait in the port's queue: it starts delivering when the listener is added.
  // No top-level await: from the sources this file is loaded with tsx's require hook (see startParseWorker).
  void StatementParser.create([dialect]).then((parser) => {
    port.on('message', (request: ParseRequest) => {
      port.postMessage(encodeOutcomes(request.id, request.sqls.map((sql) => parser.parse(sql, dialect))));
    });
  });
}
