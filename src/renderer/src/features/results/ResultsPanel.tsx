import { useState } from 'react';
import { errorMessage, exportUrl } from '../../api';
import { useClientHandle } from '../../app/ClientContext';
import type { TabRun } from '../query/useQueryRuns';
import { CellViewer } from './CellViewer';
import { ResultsGrid, type GridSort } from './ResultsGrid';

interface ResultsPanelProps {
  run: TabRun | undefined;
  /** 1-based editor line of the error, when known. */
  errorLine: number | undefined;
  /** Asks the copilot to explain the error and propose a fix; no button without it. */
  onExplainError?: () => void;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Result sets of the active tab's last run: tabs per result, the grid, row count, duration and export. */
export function ResultsPanel({ run, errorLine, onExplainError }: ResultsPanelProps) {
  const { client, door, token } = useClientHandle();
  const [selected, setSelected] = useState(0);
  const [sorts, setSorts] = useState<Record<string, GridSort | undefined>>({});
  const [viewer, setViewer] = useState<{ row: number; column: number } | undefined>();
  const [exportMessage, setExportMessage] = useState<string | undefined>();

  if (!run) {
    return (
      <div className="results-empty">
        <p>Run a statement with <kbd>Ctrl</kbd>+<kbd>Enter</kbd>, or everything with <kbd>Shift</kbd>+<kbd>Ctrl</kbd>+<kbd>Enter</kbd>.</p>
      </div>
    );
  }
  const results = run.results.filter(Boolean);
  const index = Math.min(selected, Math.max(0, results.length - 1));
  const result = results[index];
  const sortKey = `${run.queryId}:${result?.index ?? 0}`;
  const sort = sorts[sortKey];

  const doExport = async (format: 'csv' | 'json') => {
    if (!run.queryId || !result) return;
    try {
      const r = await client.call('query.export', { queryId: run.queryId, resultIndex: result.index, format, path: `result-${result.index + 1}.${format}` });
      setExportMessage(`Saved ${r.rows} rows to ${r.path}`);
    } catch (e) {
      setExportMessage(`Export failed: ${errorMessage(e)}`);
    }
  };

  return (
    <div className="results">
      {run.error && (
        <div className="results-error" role="alert">
          <strong>{run.error.code === 'SYNTAX_ERROR' ? 'Syntax error' : 'Error'}</strong>
          {errorLine !== undefined && <span className="error-pos"> at line {errorLine}</span>}: {run.error.message}
          {run.error.detail && <div className="error-detail">{run.error.detail}</div>}
          {onExplainError && (
            <div className="error-actions">
              <button type="button" onClick={onExplainError}>
                Explain error
              </button>
            </div>
          )}
        </div>
      )}
      {run.status === 'cancelled' && (
        <div className="results-note" role="status">
          Query cancelled{run.durationMs !== undefined ? ` after ${formatDuration(run.durationMs)}` : ''}.
        </div>
      )}
      {results.length > 1 && (
        <div role="tablist" aria-label="Result sets" className="result-tabs">
          {results.map((r, i) => (
            <button key={r.index} type="button" role="tab" aria-selected={i === index} className={`result-tab${i === index ? ' active' : ''}`} onClick={() => setSelected(i)} title={r.statement}>
              Result {r.index + 1}
              <span className="count">{r.columns.length ? `${r.rowCount.toLocaleString()} rows` : `${r.affectedRows ?? 0} affected`}</span>
            </button>
          ))}
        </div>
      )}
      {result && (result.columns.length > 0 || result.affectedRows !== undefined) && (
        <div className="results-toolbar">
          <span className="result-stats" aria-live="polite">
            {result.columns.length
              ? `${result.rowCount.toLocaleString()} ${result.rowCount === 1 ? 'row' : 'rows'}${result.done ? '' : ' so far…'}`
              : `${(result.affectedRows ?? 0).toLocaleString()} rows affected`}
            {result.durationMs !== undefined && ` · ${formatDuration(result.durationMs)}`}
          </span>
          <span className="spacer" />
          {result.columns.length > 0 && run.queryId && (
            door === 'browser' && token !== undefined ? (
              <>
                <a className="button" href={exportUrl(token, run.queryId, result.index, 'csv')} download={`result-${result.index + 1}.csv`}>
                  Export CSV
                </a>
                <a className="button" href={exportUrl(token, run.queryId, result.index, 'json')} download={`result-${result.index + 1}.json`}>
                  Export JSON
                </a>
              </>
            ) : (
              <>
                <button type="button" onClick={() => doExport('csv')}>Export CSV</button>
                <button type="button" onClick={() => doExport('json')}>Export JSON</button>
              </>
            )
          )}
          {exportMessage && <span className="export-message" role="status">{exportMessage}</span>}
        </div>
      )}
      {result && result.columns.length > 0 && run.queryId && (
        <ResultsGrid
          key={`${run.queryId}:${result.index}`}
          queryId={run.queryId}
          resultIndex={result.index}
          columns={result.columns}
          total={result.rowCount}
          done={result.done}
          sort={sort}
          onSortChange={(s) => setSorts((all) => ({ ...all, [sortKey]: s }))}
          onOpenCell={(row, column) => setViewer({ row, column })}
        />
      )}
      {!result && !run.error && run.status !== 'cancelled' && (
        <div className="results-empty">
          <p role="status">{run.status === 'checking' ? 'Checking…' : run.status === 'running' ? 'Running…' : 'No results.'}</p>
        </div>
      )}
      {viewer && run.queryId && result && (
        <CellViewer
          queryId={run.queryId}
          resultIndex={result.index}
          row={viewer.row}
          column={viewer.column}
          meta={result.columns[viewer.column]}
          sort={sort}
          onClose={() => setViewer(undefined)}
        />
      )}
    </div>
  );
}
