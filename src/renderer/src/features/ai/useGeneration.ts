import { useCallback, useEffect, useRef, useState } from 'react';
import type { AskSuggestion, ExplainResult, GenerationEvent } from '../../../../shared/domain/models';
import { toApiError } from '../../api';
import { useClient } from '../../app/ClientContext';
import { EarlyEvents } from '../../app/EarlyEvents';

export type GenerationRequest =
  | { kind: 'ask'; connectionId: string; question: string }
  | { kind: 'explain'; connectionId?: string; sql: string; error?: string };

export type GenerationState =
  | { status: 'idle' }
  | { status: 'running'; request: GenerationRequest; output: string; attempts: { attempt: number; problems: string[] }[]; cancelling?: boolean }
  | { status: 'suggestion'; request: Extract<GenerationRequest, { kind: 'ask' }>; suggestion: AskSuggestion }
  | { status: 'explanation'; request: Extract<GenerationRequest, { kind: 'explain' }>; result: ExplainResult }
  | { status: 'failed'; request: GenerationRequest; code: string; message: string }
  | { status: 'cancelled'; request: GenerationRequest };

/** Events of a generation whose ai.ask / ai.explain has not answered yet; a handful of tokens at most. */
const maxEarlyEvents = 5000;

/** The running state after one event, or the final state. Pure, so early events replay as live ones apply. */
export function applyGenerationEvent(state: Extract<GenerationState, { status: 'running' }>, event: GenerationEvent): GenerationState {
  switch (event.type) {
    case 'token':
      return { ...state, output: state.output + event.text };
    case 'attempt':
      // A new try starts from nothing; its output so far was the failed one.
      return { ...state, output: '', attempts: [...state.attempts, { attempt: event.attempt, problems: event.problems }] };
    case 'suggestion':
      return state.request.kind === 'ask' ? { status: 'suggestion', request: state.request, suggestion: event.suggestion } : state;
    case 'explanation':
      return state.request.kind === 'explain' ? { status: 'explanation', request: state.request, result: event.result } : state;
    case 'error':
      return event.code === 'CANCELLED' ? { status: 'cancelled', request: state.request } : { status: 'failed', request: state.request, code: event.code, message: event.message };
  }
}

/**
 * One Ask or Explain at a time: starts it, follows its 'generation' stream, can cancel it. Tokens are committed at
 * most once a frame. Starting another cancels the one running.
 */
export function useGeneration() {
  const client = useClient();
  const [state, setState] = useState<GenerationState>({ status: 'idle' });
  const current = useRef<{ serial: number; generationId?: string; state: GenerationState } | undefined>(undefined);
  const serial = useRef(0);
  const early = useRef(new EarlyEvents<GenerationEvent>(maxEarlyEvents));
  const frame = useRef<number | undefined>(undefined);

  const commit = useCallback((immediate: boolean) => {
    if (immediate) {
      if (frame.current !== undefined) cancelAnimationFrame(frame.current);
      frame.current = undefined;
      if (current.current) setState(current.current.state);
      return;
    }
    frame.current ??= requestAnimationFrame(() => {
      frame.current = undefined;
      if (current.current) setState(current.current.state);
    });
  }, []);

  const apply = useCallback(
    (event: GenerationEvent) => {
      const run = current.current;
      if (!run || run.state.status !== 'running') return;
      run.state = applyGenerationEvent(run.state, event);
      commit(run.state.status !== 'running' || event.type === 'attempt');
    },
    [commit],
  );

  useEffect(
    () =>
      client.on('generation', (id, event) => {
        const run = current.current;
        if (!run) return;
        if (run.generationId === id) return apply(event);
        if (run.generationId) return;
        early.current.hold(id, event);
      }),
    [client, apply],
  );

  useEffect(
    () => () => {
      if (frame.current !== undefined) cancelAnimationFrame(frame.current);
      const id = current.current?.generationId;
      if (id && current.current?.state.status === 'running') client.call('ai.cancel', { generationId: id }).catch(() => {});
      current.current = undefined;
    },
    [client],
  );

  const cancel = useCallback(() => {
    const run = current.current;
    if (!run || run.state.status !== 'running') return;
    if (!run.generationId) {
      run.state = { status: 'cancelled', request: run.state.request };
      commit(true);
      current.current = undefined;
      return;
    }
    run.state = { ...run.state, cancelling: true };
    commit(true);
    const generationId = run.generationId;
    client.call('ai.cancel', { generationId }).then(
      () => {
        // The stream may end with an error event of its own; the generation is over for the panel either way.
        if (current.current?.generationId !== generationId || current.current.state.status !== 'running') return;
        current.current.state = { status: 'cancelled', request: current.current.state.request };
        commit(true);
      },
      () => {},
    );
  }, [client, commit]);

  const start = useCallback(
    (request: GenerationRequest) => {
      const previous = current.current;
      if (previous?.generationId && previous.state.status === 'running') client.call('ai.cancel', { generationId: previous.generationId }).catch(() => {});
      const mine = ++serial.current;
      current.current = { serial: mine, state: { status: 'running', request, output: '', attempts: [] } };
      early.current.clear();
      commit(true);
      const call =
        request.kind === 'ask'
          ? client.call('ai.ask', { connectionId: request.connectionId, question: request.question })
          : client.call('ai.explain', { sql: request.sql, ...(request.connectionId ? { connectionId: request.connectionId } : {}), ...(request.error ? { error: request.error } : {}) });
      call.then(
        ({ generationId }) => {
          if (current.current?.serial !== mine) {
            client.call('ai.cancel', { generationId }).catch(() => {});
            return;
          }
          current.current.generationId = generationId;
          const waiting = early.current.take(generationId);
          for (const event of waiting) apply(event);
        },
        (e) => {
          if (current.current?.serial !== mine) return;
          const error = toApiError(e);
          current.current.state = { status: 'failed', request, code: error.code, message: error.message };
          commit(true);
        },
      );
    },
    [client, apply, commit],
  );

  const reset = useCallback(() => {
    if (current.current?.state.status === 'running') return;
    current.current = undefined;
    setState({ status: 'idle' });
  }, []);

  return { state, start, cancel, reset };
}
