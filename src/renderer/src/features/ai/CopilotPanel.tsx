import { useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import type { LoadedModel } from '../../../../shared/domain/models';
import { useClient } from '../../app/ClientContext';
import { useGeneration, type GenerationRequest, type GenerationState } from './useGeneration';
import './ai.css';

export interface CopilotPanelHandle {
  /** Explains a statement, or the error it gave, and proposes a fix. */
  explain(request: Omit<Extract<GenerationRequest, { kind: 'explain' }>, 'kind'>): void;
  focusQuestion(): void;
}

interface CopilotPanelProps {
  ref?: Ref<CopilotPanelHandle>;
  /** Whether the SQL workspace shows: coming back to it checks again which model is loaded. */
  active: boolean;
  /** The connection Ask writes SQL for; Ask is off without one. */
  connectionId: string | undefined;
  connectionName: string | undefined;
  /** Puts SQL into the editor at the cursor (replacing the selection). Never runs it. */
  onInsert: (sql: string) => void;
  /** Puts SQL into the editor and runs it through the normal query path, confirmations included. */
  onRun: (sql: string) => void;
  onOpenModels: () => void;
  onClose: () => void;
}

/**
 * Ask (a question to SQL) and Explain / fix, in the SQL workspace. What the model writes is only ever shown: the
 * user inserts it or runs it, and running goes through the same checks as anything typed.
 */
export function CopilotPanel({ ref, active, connectionId, connectionName, onInsert, onRun, onOpenModels, onClose }: CopilotPanelProps) {
  const client = useClient();
  const { state, start, cancel, reset } = useGeneration();
  const [question, setQuestion] = useState('');
  const [loaded, setLoaded] = useState<LoadedModel | null | undefined>();
  const questionRef = useRef<HTMLTextAreaElement>(null);
  const running = state.status === 'running';

  // Which model answers, and whether any does, checked on opening and after each generation.
  useEffect(() => {
    if (running || !active) return;
    let live = true;
    client.call('models.loaded', {}).then(
      (m) => live && setLoaded(m),
      () => live && setLoaded(undefined),
    );
    return () => {
      live = false;
    };
  }, [client, running, state.status, active]);

  useImperativeHandle(
    ref,
    () => ({
      explain: (request) => start({ kind: 'explain', ...request }),
      focusQuestion: () => questionRef.current?.focus(),
    }),
    [start],
  );

  const ask = () => {
    const q = question.trim();
    if (!q || !connectionId) return;
    start({ kind: 'ask', connectionId, question: q });
  };

  const noModel = (state.status === 'failed' && state.code === 'NO_MODEL') || (loaded === null && !running && state.status !== 'suggestion' && state.status !== 'explanation');

  return (
    <section className="copilot" role="region" aria-label="Copilot">
      <form
        className="copilot-ask"
        aria-label="Ask"
        onSubmit={(e) => {
          e.preventDefault();
          ask();
        }}
      >
        <textarea
          ref={questionRef}
          aria-label="Question"
          placeholder={connectionName ? `Ask about ${connectionName} in plain words, e.g. “customers who ordered last month”` : 'Pick a connection to ask about'}
          value={question}
          rows={2}
          maxLength={20_000}
          onChange={(e) => setQuestion(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              ask();
            }
          }}
        />
        <div className="copilot-actions">
          <button type="submit" className="primary" disabled={!question.trim() || !connectionId || running}>
            Ask
          </button>
          {running && (
            <button type="button" className="danger" onClick={cancel} disabled={state.cancelling}>
              Stop
            </button>
          )}
          {!running && state.status !== 'idle' && (
            <button type="button" onClick={reset}>
              Clear
            </button>
          )}
          <span className="spacer" />
          <span className="dim copilot-model">{loaded ? `Model: ${loaded.modelId}` : ''}</span>
          <button type="button" className="icon-button" aria-label="Close copilot" title="Close" onClick={onClose}>
            ×
          </button>
        </div>
      </form>
      {noModel && (
        <div className="copilot-notice" role="alert">
          No model is loaded, so Ask and Explain cannot answer. Load one on the Models screen.{' '}
          <button type="button" className="link-button" onClick={onOpenModels}>
            Open the Models screen
          </button>
        </div>
      )}
      {!noModel && <GenerationView state={state} onInsert={onInsert} onRun={onRun} />}
    </section>
  );
}

function GenerationView({ state, onInsert, onRun }: { state: GenerationState; onInsert: (sql: string) => void; onRun: (sql: string) => void }) {
  switch (state.status) {
    case 'idle':
      return null;
    case 'running':
      return (
        <div className="copilot-running" role="status" aria-label="Generating">
          <p>
            <span className="spinner" aria-hidden="true" /> {state.request.kind === 'ask' ? 'Writing SQL' : 'Explaining'}
            {state.attempts.length > 0 && `, try ${state.attempts[state.attempts.length - 1]!.attempt}`}
            {state.cancelling ? ' — stopping…' : '…'}
          </p>
          {state.attempts.length > 0 && (
            <ul className="copilot-attempts" aria-label="Failed tries">
              {state.attempts.map((a) => (
                <li key={a.attempt}>Try {a.attempt - 1} was rejected: {a.problems.join('; ')}</li>
              ))}
            </ul>
          )}
          {state.output && <pre className="copilot-output" aria-label="Model output">{state.output}</pre>}
        </div>
      );
    case 'cancelled':
      return (
        <p className="copilot-note" role="status">
          Stopped.
        </p>
      );
    case 'failed':
      return (
        <p className="copilot-notice error" role="alert">
          {state.request.kind === 'ask' ? 'Ask' : 'Explain'} failed: {state.message}
        </p>
      );
    case 'suggestion': {
      const s = state.suggestion;
      return (
        <article className="copilot-card" aria-label="Suggestion">
          <header className="copilot-card-head">
            <h3>Suggestion</h3>
            <span className="dim">for “{state.request.question}”{s.attempts > 1 ? ` · after ${s.attempts} tries` : ''}</span>
          </header>
          <pre className="copilot-sql" aria-label="Suggested SQL">{s.sql}</pre>
          <p className="copilot-explanation" aria-label="Explanation">{s.explanation}</p>
          {s.tables.length > 0 && <p className="dim">Tables: {s.tables.join(', ')}</p>}
          <Validation valid={s.valid} problems={s.problems} what="the SQL" />
          {s.trimmed && <Trimmed note={s.trimmed} />}
          <div className="copilot-card-actions">
            <button type="button" onClick={() => onInsert(s.sql)} disabled={!s.sql.trim()}>
              Insert
            </button>
            <button type="button" className="primary" onClick={() => onRun(s.sql)} disabled={!s.sql.trim()} title="Inserts it into the editor and runs it, with the usual confirmations">
              Run
            </button>
            <span className="dim">Nothing runs until you choose to.</span>
          </div>
        </article>
      );
    }
    case 'explanation': {
      const r = state.result;
      return (
        <article className="copilot-card" aria-label="Explanation">
          <header className="copilot-card-head">
            <h3>{state.request.error ? 'Why it failed' : 'What it does'}</h3>
          </header>
          <pre className="copilot-sql dim" aria-label="Explained SQL">{state.request.sql}</pre>
          <p className="copilot-explanation">{r.explanation}</p>
          {r.trimmed && <Trimmed note={r.trimmed} />}
          {r.fixedSql && (
            <>
              <h4>Proposed fix</h4>
              <pre className="copilot-sql" aria-label="Proposed fix">{r.fixedSql}</pre>
            </>
          )}
          {r.fixedSql ? (
            <Validation valid={r.valid} problems={r.problems} what="the fix" />
          ) : (
            r.problems.length > 0 && <Validation valid={false} problems={r.problems} what="the fix" heading="No fix to offer: the one the model wrote did not check out." />
          )}
          {r.fixedSql && (
            <div className="copilot-card-actions">
              <button type="button" onClick={() => onInsert(r.fixedSql!)}>
                Insert fix
              </button>
              <button type="button" className="primary" onClick={() => onRun(r.fixedSql!)}>
                Run fix
              </button>
            </div>
          )}
        </article>
      );
    }
  }
}

function Validation({ valid, problems, what, heading }: { valid: boolean; problems: string[]; what: string; heading?: string }) {
  return (
    <div className={`copilot-validation ${valid ? 'ok' : 'error'}`} role="status" aria-label="Validation">
      {valid ? (
        <p>✓ Valid: {what} parses for this database and every table and column it names exists.</p>
      ) : (
        <>
          <p>✗ {heading ?? `Not valid: ${what} has problems. Check it before running it.`}</p>
          {problems.length > 0 && (
            <ul aria-label="Problems">
              {problems.map((p, i) => (
                <li key={i}>{p}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}

/** What had to be left out to fit the model's context; the note is whole sentences saying what. */
function Trimmed({ note }: { note: string }) {
  return (
    <p className="dim copilot-trimmed" role="note" aria-label="Left out to fit">
      {note}
    </p>
  );
}
