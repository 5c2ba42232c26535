import { useCallback, useEffect, useRef, useState } from 'react';
import type { QueryError, QueryEvent, ResultSetSummary, StatementClassification } from '../../../../shared/domain/query';
import { errorMessage, toApiError } from '../../api';
import { useClient } from '../../app/ClientContext';

export type RunStatus = 'checking' | 'running' | 'done' | 'error' | 'cancelled';

export interface TabRun {
  queryId?: string;
  connectionId: string;
  sql: string;
  baseOffset: number;
  status: RunStatus;
  /** performance.now() when the run was asked for, for the ticking elapsed time. */
  startedAt: number;
  results: ResultSetSummary[];
  error?: QueryError;
  /** Offset in the editor text where the error is, when the server knows. */
  errorOffset?: number;
  durationMs?: number;
  /** Set when a cancel was asked for and not yet confirmed by the 'done' event. */
  cancelling?: boolean;
}

export interface PendingConfirm {
  tabId: string;
  connectionId: string;
  sql: string;
  baseOffset: number;
  statements: StatementClassification[];
}

export interface RunRequest {
  tabId: string;
  connectionId: string;
  sql: string;
  baseOffset: number;
}

/** Events of queries whose query.run reply has not arrived yet; bounded so a stray id cannot grow it. */
const maxBufferedQueries = 50;

/**
 * Runs queries per tab: classify first and ask before destructive statements, then follow the 'query' stream.
 * Events may arrive before query.run answers, so they are buffered by query id until the id is known.
 */
export function useQueryRuns() {
  const client = useClient();
  const [runs, setRuns] = useState<Record<string, TabRun>>({});
  const [confirm, setConfirm] = useState<PendingConfirm | undefined>();
  const tabByQuery = useRef(new Map<string, string>());
  const buffered = useRef(new Map<string, QueryEvent[]>());
  const lastRunByTab = useRef(new Map<string, string>());

  const apply = useCallback((tabId: string, queryId: string, event: QueryEvent) => {
    setRuns((all) => {
      const run = all[tabId];
      if (!run || run.queryId !== queryId) return all;
      return { ...all, [tabId]: reduce(run, event) };
    });
  }, []);

  useEffect(
    () =>
      client.on('query', (queryId, event) => {
        const tabId = tabByQuery.current.get(queryId);
        if (tabId) {
          apply(tabId, queryId, event);
          return;
        }
        const list = buffered.current.get(queryId) ?? [];
        list.push(event);
        buffered.current.set(queryId, list);
        while (buffered.current.size > maxBufferedQueries) buffered.current.delete(buffered.current.keys().next().value!);
      }),
    [client, apply],
  );

  const start = useCallback(
    async (req: RunRequest, confirmed: boolean) => {
      const { tabId, connectionId, sql, baseOffset } = req;
      const base: TabRun = { connectionId, sql, baseOffset, status: 'checking', startedAt: performance.now(), results: [] };
      setRuns((all) => ({ ...all, [tabId]: base }));
      if (!confirmed) {
        let statements: StatementClassification[] = [];
        try {
          statements = await client.call('sql.classify', { connectionId, sql });
        } catch {
          // The server checks again at query.run and answers CONFIRM_REQUIRED, so a failed classify is not fatal.
        }
        const destructive = statements.filter((s) => s.risk === 'destructive');
        if (destructive.length) {
          setRuns((all) => withoutRun(all, tabId, base));
          setConfirm({ ...req, statements: destructive });
          return;
        }
      }
      try {
        const previous = lastRunByTab.current.get(tabId);
        const { queryId } = await client.call('query.run', {
          connectionId,
          sql,
          baseOffset,
          tabId,
          ...(confirmed ? { confirmDestructive: true } : {}),
        });
        tabByQuery.current.set(queryId, tabId);
        lastRunByTab.current.set(tabId, queryId);
        if (previous && previous !== queryId) {
          tabByQuery.current.delete(previous);
          client.call('query.close', { queryId: previous }).catch(() => {});
        }
        let run: TabRun = { ...base, queryId, status: 'running' };
        for (const event of buffered.current.get(queryId) ?? []) run = reduce(run, event);
        buffered.current.delete(queryId);
        setRuns((all) => ({ ...all, [tabId]: run }));
      } catch (e) {
        const error = toApiError(e);
        if (error.code === 'CONFIRM_REQUIRED') {
          setRuns((all) => withoutRun(all, tabId, base));
          setConfirm({ ...req, statements: confirmDetail(error.detail, sql) });
          return;
        }
        setRuns((all) => ({
          ...all,
          [tabId]: { ...base, status: 'error', error: { code: error.code, message: error.message } },
        }));
      }
    },
    [client],
  );

  const run = useCallback((req: RunRequest) => start(req, false), [start]);

  const confirmPending = useCallback(() => {
    if (!confirm) return;
    setConfirm(undefined);
    void start(confirm, true);
  }, [confirm, start]);

  const cancelPending = useCallback(() => setConfirm(undefined), []);

  const cancel = useCallback(
    async (tabId: string) => {
      const current = runs[tabId];
      if (!current?.queryId || (current.status !== 'running' && current.status !== 'checking')) return;
      setRuns((all) => (all[tabId] ? { ...all, [tabId]: { ...all[tabId]!, cancelling: true } } : all));
      try {
        await client.call('query.cancel', { queryId: current.queryId });
      } catch (e) {
        setRuns((all) => (all[tabId] ? { ...all, [tabId]: { ...all[tabId]!, cancelling: false, error: { code: 'CANCEL_FAILED', message: `Cancel failed: ${errorMessage(e)}` } } } : all));
      }
    },
    [client, runs],
  );

  return { runs, run, cancel, confirm, confirmPending, cancelPending };
}

function withoutRun(all: Record<string, TabRun>, tabId: string, run: TabRun): Record<string, TabRun> {
  if (all[tabId] !== run) return all;
  const rest = { ...all };
  delete rest[tabId];
  return rest;
}

function confirmDetail(detail: unknown, sql: string): StatementClassification[] {
  if (Array.isArray(detail)) return detail as StatementClassification[];
  if (detail && typeof detail === 'object' && Array.isArray((detail as { statements?: unknown }).statements)) {
    return (detail as { statements: StatementClassification[] }).statements;
  }
  return [{ start: 0, end: sql.length, text: sql, risk: 'destructive', reason: 'The server asks for confirmation.' }];
}

function setResult(results: ResultSetSummary[], result: ResultSetSummary): ResultSetSummary[] {
  const next = results.slice();
  next[result.index] = result;
  return next;
}

/** One event applied to a run. Pure, so buffered events replay the same way live ones apply. */
export function reduce(run: TabRun, event: QueryEvent): TabRun {
  switch (event.type) {
    case 'started':
      return run;
    case 'resultSet':
    case 'resultDone':
      return { ...run, results: setResult(run.results, event.result) };
    case 'progress': {
      const current = run.results[event.index];
      if (!current || current.rowCount >= event.rowCount) return run;
      return { ...run, results: setResult(run.results, { ...current, rowCount: event.rowCount }) };
    }
    case 'error': {
      // The server's offset is baseOffset plus the offset in the sent text: an offset into the editor text.
      const errorOffset = event.error.position?.offset;
      return { ...run, error: event.error, errorOffset };
    }
    case 'done':
      return {
        ...run,
        status: event.cancelled ? 'cancelled' : run.error ? 'error' : 'done',
        durationMs: event.durationMs,
        cancelling: false,
      };
  }
}
