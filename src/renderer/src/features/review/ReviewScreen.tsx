import { useEffect, useImperativeHandle, useMemo, useRef, useState, type Ref } from 'react';
import type { ConnectionInfo, Dialect } from '../../../../shared/domain/connection';
import type { RuleDoc } from '../../../../shared/domain/review';
import { useClient } from '../../app/ClientContext';
import { pickedFromInput, type PickedSource } from './pickedSource';
import { ReviewResult } from './ReviewResult';
import { useReview, type ReviewOptions, type ReviewPhase } from './useReview';
import './review.css';

export interface ReviewScreenHandle {
  /** Starts reviewing what was dropped on the window, with the options the screen shows. */
  start(picked: PickedSource): void;
}

interface ReviewScreenProps {
  ref?: Ref<ReviewScreenHandle>;
  connections: readonly ConnectionInfo[];
  theme: 'quarry-light' | 'quarry-dark';
}

const phaseLabels: Record<ReviewPhase, string> = {
  uploading: 'Reading files',
  reading: 'Reading migrations',
  parsing: 'Checking statements',
  proving: 'Proving reversibility',
  impact: 'Measuring impact',
};

/** The Reviewer: options, a drop zone and pickers, progress with Cancel, then the review itself. */
export function ReviewScreen({ ref, connections, theme }: ReviewScreenProps) {
  const client = useClient();
  const review = useReview();
  const [dialect, setDialect] = useState<Dialect | 'auto'>('auto');
  const [serverVersion, setServerVersion] = useState('');
  const [connectionId, setConnectionId] = useState('');
  const [prove, setProve] = useState(false);
  const [rules, setRules] = useState<ReadonlyMap<string, RuleDoc>>(new Map());
  const folderInput = useRef<HTMLInputElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const options = useMemo<ReviewOptions>(
    () => ({
      ...(dialect !== 'auto' ? { dialect } : {}),
      ...(serverVersion.trim() ? { serverVersion: serverVersion.trim() } : {}),
      ...(connectionId ? { connectionId } : {}),
      ...(prove ? { prove } : {}),
    }),
    [dialect, serverVersion, connectionId, prove],
  );

  const { start } = review;
  useImperativeHandle(ref, () => ({ start: (picked) => start(picked, options) }), [start, options]);

  useEffect(() => {
    let live = true;
    client.call('review.rules', {}).then(
      (list) => live && setRules(new Map(list.map((r) => [r.id, r]))),
      // Without docs the hover says less; the review itself still works.
      () => {},
    );
    return () => {
      live = false;
    };
  }, [client]);

  const picked = (list: FileList | null, input: HTMLInputElement | null) => {
    const source = list ? pickedFromInput(list) : undefined;
    // Picking the same folder again must fire change again.
    if (input) input.value = '';
    if (source) start(source, options);
  };

  const state = review.state;
  const running = state.status === 'running';

  return (
    <section className="reviewer" role="region" aria-label="Reviewer">
      <div className="toolbar review-toolbar" role="toolbar" aria-label="Review options">
        <button type="button" className="primary" onClick={() => folderInput.current?.click()}>
          Open folder…
        </button>
        <button type="button" onClick={() => fileInput.current?.click()}>
          Open file…
        </button>
        <input
          ref={(el) => {
            // React has no prop for it: a folder picker is a file input with webkitdirectory.
            el?.setAttribute('webkitdirectory', '');
            folderInput.current = el;
          }}
          type="file"
          hidden
          aria-label="Folder to review"
          onChange={(e) => picked(e.target.files, e.target)}
        />
        <input ref={fileInput} type="file" hidden aria-label="File to review" accept=".sql,.xml,.yaml,.yml,.json,.zip,.prisma" onChange={(e) => picked(e.target.files, e.target)} />
        <span className="toolbar-sep" />
        <label className="toolbar-field">
          <span>Dialect</span>
          <select aria-label="Dialect" value={dialect} onChange={(e) => setDialect(e.target.value as Dialect | 'auto')}>
            <option value="auto">Auto</option>
            <option value="postgres">PostgreSQL</option>
            <option value="mysql">MySQL / MariaDB</option>
            <option value="sqlite">SQLite</option>
          </select>
        </label>
        <label className="toolbar-field">
          <span>Server version</span>
          <input aria-label="Server version" className="version-input" placeholder="e.g. 15" value={serverVersion} maxLength={40} onChange={(e) => setServerVersion(e.target.value)} />
        </label>
        <label className="toolbar-field">
          <span>Connection</span>
          <select aria-label="Connection" value={connectionId} onChange={(e) => setConnectionId(e.target.value)} title="A connection adds impact analysis (read-only queries) and is where the proof runs">
            <option value="">None</option>
            {connections.map((c) => (
              <option key={c.id} value={c.id}>
                {c.config.name}
              </option>
            ))}
          </select>
        </label>
        <label className="toolbar-field checkbox">
          <input type="checkbox" checked={prove} onChange={(e) => setProve(e.target.checked)} />
          <span>Prove reversibility</span>
        </label>
      </div>

      {running && (
        <div className="review-progress" role="region" aria-label="Review progress">
          <p>
            {phaseLabels[state.phase]} {state.name}
            {state.total > 0 && (
              <span className="dim">
                {' '}
                {state.done.toLocaleString()} / {state.total.toLocaleString()}
              </span>
            )}
            {state.cancelling && <span className="dim"> — cancelling…</span>}
          </p>
          <div
            className="progress-track"
            role="progressbar"
            aria-label={phaseLabels[state.phase]}
            aria-valuemin={0}
            aria-valuemax={state.total || undefined}
            aria-valuenow={state.total ? state.done : undefined}
            aria-valuetext={state.total ? `${state.done} of ${state.total}` : 'Starting'}
          >
            <div className={`progress-fill${state.total ? '' : ' indeterminate'}`} style={state.total ? { width: `${Math.min(100, (100 * state.done) / state.total)}%` } : undefined} />
          </div>
          <button type="button" className="danger" onClick={review.cancel} disabled={state.cancelling}>
            Cancel
          </button>
        </div>
      )}

      {state.status === 'done' && <ReviewResult key={state.report.reviewId} report={state.report} rules={rules} theme={theme} />}

      {(state.status === 'idle' || state.status === 'failed' || state.status === 'cancelled') && (
        <div className="review-start" role="region" aria-label="Start a review">
          {state.status === 'failed' && (
            <p className="review-message error" role="alert">
              Could not review {state.name}: {state.message}
            </p>
          )}
          {state.status === 'cancelled' && <p className="review-message" role="status">Review of {state.name} cancelled.</p>}
          <div className="drop-zone">
            <p className="drop-title">Drop a migration folder, a file or a zip anywhere on the window</p>
            <p className="dim">
              Plain SQL, Flyway, golang-migrate, dbmate, goose, Liquibase and Prisma. Nothing leaves this machine; no database is needed unless you pick a connection.
            </p>
            <p className="dim">Or use Open folder… and Open file… above.</p>
          </div>
        </div>
      )}
    </section>
  );
}
