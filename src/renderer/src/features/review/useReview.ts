import { useCallback, useEffect, useRef, useState } from 'react';
import type { MethodInput } from '../../../../shared/api/contract';
import type { ReviewEvent, ReviewReport } from '../../../../shared/domain/review';
import { errorMessage } from '../../api';
import { useClient } from '../../app/ClientContext';
import type { PickedSource } from './pickedSource';
import { EarlyEvents } from '../../app/EarlyEvents';

export type ReviewOptions = Omit<MethodInput<'review.start'>, 'source'>;

export type ReviewPhase = 'uploading' | Extract<ReviewEvent, { type: 'progress' }>['phase'];

export type ReviewState =
  | { status: 'idle' }
  | { status: 'running'; name: string; phase: ReviewPhase; done: number; total: number; reviewId?: string; cancelling?: boolean }
  | { status: 'done'; name: string; report: ReviewReport }
  | { status: 'failed'; name: string; message: string }
  | { status: 'cancelled'; name: string };

export interface ReviewControl {
  state: ReviewState;
  start(picked: PickedSource, options: ReviewOptions): void;
  cancel(): void;
}

/** Events that reach us before review.start has answered with their id; a handful at most. */
const maxEarlyEvents = 1000;

/**
 * One review at a time: reads the picked files, starts it, follows its 'review' stream and can cancel it. Progress
 * is committed at most once a frame, so a stream of 20,000 progress events does not mean 20,000 renders.
 */
export function useReview(): ReviewControl {
  const client = useClient();
  const [state, setState] = useState<ReviewState>({ status: 'idle' });
  const run = useRef<{ generation: number; reviewId?: string; abort: AbortController; name: string } | undefined>(undefined);
  const generation = useRef(0);
  const early = useRef(new EarlyEvents<ReviewEvent>(maxEarlyEvents));
  const pendingProgress = useRef<{ generation: number; update: Partial<Extract<ReviewState, { status: 'running' }>> } | undefined>(undefined);
  const frame = useRef<number | undefined>(undefined);

  const flushProgress = useCallback(() => {
    frame.current = undefined;
    const pending = pendingProgress.current;
    pendingProgress.current = undefined;
    if (!pending || pending.generation !== run.current?.generation) return;
    setState((s) => (s.status === 'running' ? { ...s, ...pending.update } : s));
  }, []);

  const progress = useCallback(
    (gen: number, update: Partial<Extract<ReviewState, { status: 'running' }>>) => {
      pendingProgress.current = { generation: gen, update: { ...(pendingProgress.current?.generation === gen ? pendingProgress.current.update : {}), ...update } };
      frame.current ??= requestAnimationFrame(flushProgress);
    },
    [flushProgress],
  );

  const apply = useCallback(
    (event: ReviewEvent) => {
      const current = run.current;
      if (!current) return;
      if (event.type === 'progress') {
        progress(current.generation, { phase: event.phase, done: event.done, total: event.total });
        return;
      }
      run.current = undefined;
      pendingProgress.current = undefined;
      if (event.type === 'done') setState({ status: 'done', name: current.name, report: event.report });
      else if (event.code === 'CANCELLED') setState({ status: 'cancelled', name: current.name });
      else setState({ status: 'failed', name: current.name, message: event.message });
    },
    [progress],
  );

  useEffect(
    () =>
      client.on('review', (id, event) => {
        const current = run.current;
        if (!current) return;
        if (current.reviewId === id) return apply(event);
        if (current.reviewId) return;
        // review.start has not answered yet: keep the event until we know whether it is ours.
        early.current.hold(id, event);
      }),
    [client, apply],
  );

  useEffect(
    () => () => {
      if (frame.current !== undefined) cancelAnimationFrame(frame.current);
      run.current?.abort.abort();
      if (run.current?.reviewId) client.call('review.cancel', { reviewId: run.current.reviewId }).catch(() => {});
      run.current = undefined;
    },
    [client],
  );

  const cancel = useCallback(() => {
    const current = run.current;
    if (!current) return;
    current.abort.abort();
    if (!current.reviewId) {
      // Still reading files or waiting for review.start: nothing runs in the main process under an id we know.
      run.current = undefined;
      setState({ status: 'cancelled', name: current.name });
      return;
    }
    setState((s) => (s.status === 'running' ? { ...s, cancelling: true } : s));
    const reviewId = current.reviewId;
    client.call('review.cancel', { reviewId }).then(
      () => {
        // The stream may or may not end with an event of its own; the review is over for the screen either way.
        if (run.current?.reviewId !== reviewId) return;
        run.current = undefined;
        setState({ status: 'cancelled', name: current.name });
      },
      (e) => {
        if (run.current?.reviewId !== reviewId) return;
        setState({ status: 'failed', name: current.name, message: `Could not cancel: ${errorMessage(e)}` });
        run.current = undefined;
      },
    );
  }, [client]);

  const start = useCallback(
    (picked: PickedSource, options: ReviewOptions) => {
      const previous = run.current;
      if (previous) {
        previous.abort.abort();
        if (previous.reviewId) client.call('review.cancel', { reviewId: previous.reviewId }).catch(() => {});
      }
      const gen = ++generation.current;
      const abort = new AbortController();
      run.current = { generation: gen, abort, name: picked.name };
      early.current.clear();
      setState({ status: 'running', name: picked.name, phase: 'uploading', done: 0, total: 0 });
      const mine = () => run.current?.generation === gen;
      void (async () => {
        try {
          const source = await picked.read((done, total) => mine() && progress(gen, { done, total }), abort.signal);
          if (!mine()) return;
          const { reviewId } = await client.call('review.start', { source, ...options });
          if (!mine()) {
            client.call('review.cancel', { reviewId }).catch(() => {});
            return;
          }
          run.current!.reviewId = reviewId;
          setState((s) => (s.status === 'running' ? { ...s, reviewId } : s));
          const waiting = early.current.take(reviewId);
          for (const event of waiting) apply(event);
        } catch (e) {
          if (!mine()) return;
          run.current = undefined;
          setState({ status: 'failed', name: picked.name, message: errorMessage(e) });
        }
      })();
    },
    [client, apply, progress],
  );

  return { state, start, cancel };
}
