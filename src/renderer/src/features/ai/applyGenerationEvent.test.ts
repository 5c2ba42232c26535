import { describe, expect, it } from 'vitest';
import type { AskSuggestion, ExplainResult, GenerationEvent } from '../../../../shared/domain/models';
import { applyGenerationEvent, type GenerationState } from './useGeneration';

type Running = Extract<GenerationState, { status: 'running' }>;

const ask: Running = { status: 'running', request: { kind: 'ask', connectionId: 'c1', question: 'how many customers?' }, output: '', attempts: [] };
const explain: Running = { status: 'running', request: { kind: 'explain', sql: 'SELEC 1', error: 'syntax error' }, output: '', attempts: [] };
const suggestion: AskSuggestion = { sql: 'SELECT count(*) FROM customers', explanation: 'Counts them.', tables: ['customers'], attempts: 1, valid: true, problems: [] };
const result: ExplainResult = { explanation: 'A typo.', fixedSql: 'SELECT 1', valid: true, problems: [] };

function replay(start: Running, events: GenerationEvent[]): GenerationState {
  let state: GenerationState = start;
  for (const e of events) {
    if (state.status !== 'running') throw new Error(`event after the end: ${e.type}`);
    state = applyGenerationEvent(state, e);
  }
  return state;
}

describe('applyGenerationEvent', () => {
  it('gathers tokens, starts over on a failed attempt, and ends with the suggestion', () => {
    const mid = replay(ask, [
      { type: 'token', text: '{"sql":' },
      { type: 'token', text: '"x"' },
    ]);
    expect(mid).toMatchObject({ status: 'running', output: '{"sql":"x"' });
    const retried = replay(mid as Running, [{ type: 'attempt', attempt: 2, problems: ['no table x'] }, { type: 'token', text: '{' }]);
    expect(retried).toMatchObject({ status: 'running', output: '{', attempts: [{ attempt: 2, problems: ['no table x'] }] });
    expect(replay(retried as Running, [{ type: 'suggestion', suggestion }])).toEqual({ status: 'suggestion', request: ask.request, suggestion });
  });

  it('ends an explain with its result, and ignores a result of the other kind', () => {
    expect(replay(explain, [{ type: 'explanation', result }])).toEqual({ status: 'explanation', request: explain.request, result });
    expect(replay(explain, [{ type: 'suggestion', suggestion }])).toMatchObject({ status: 'running' });
  });

  it('tells a missing model and a cancel apart from other errors', () => {
    expect(replay(ask, [{ type: 'error', code: 'NO_MODEL', message: 'No model is loaded.' }])).toEqual({ status: 'failed', request: ask.request, code: 'NO_MODEL', message: 'No model is loaded.' });
    expect(replay(ask, [{ type: 'error', code: 'CANCELLED', message: 'Cancelled' }])).toEqual({ status: 'cancelled', request: ask.request });
  });
});
