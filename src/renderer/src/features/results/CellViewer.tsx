import { useEffect, useState } from 'react';
import type { ColumnMeta } from '../../../../shared/domain/query';
import { errorMessage } from '../../api';
import { useClient } from '../../app/ClientContext';
import { Dialog } from '../../app/Dialog';
import { isBinary, prettyJson } from './formatCell';
import type { GridSort } from './ResultsGrid';

interface CellViewerProps {
  queryId: string;
  resultIndex: number;
  row: number;
  column: number;
  meta: ColumnMeta | undefined;
  sort: GridSort | undefined;
  onClose: () => void;
}

/** The whole value of one cell (query.cell), JSON pretty-printed. */
export function CellViewer({ queryId, resultIndex, row, column, meta, sort, onClose }: CellViewerProps) {
  const client = useClient();
  const [text, setText] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    client.call('query.cell', { queryId, resultIndex, row, column, ...(sort ? { sort } : {}) }).then(
      ({ value, text }) => {
        if (value === null) setText('NULL');
        else if (isBinary(value)) setText(`${value.length} bytes\n\n${value.hexPreview.replace(/(.{64})/g, '$1\n')}${value.length * 2 > value.hexPreview.length ? '\n…' : ''}`);
        else {
          const looksJson = meta?.kind === 'json' || /^\s*[[{]/.test(text);
          setText(looksJson ? prettyJson(text) : text);
        }
      },
      (e) => setError(errorMessage(e)),
    );
  }, [client, queryId, resultIndex, row, column, sort, meta]);
  return (
    <Dialog
      title={`${meta?.name ?? 'Value'} — row ${row + 1}`}
      onClose={onClose}
      size="large"
      footer={
        <>
          <span className="spacer" />
          <button type="button" disabled={text === undefined} onClick={() => text !== undefined && navigator.clipboard.writeText(text).catch(() => {})}>
            Copy
          </button>
          <button type="button" className="primary" onClick={onClose}>
            Close
          </button>
        </>
      }
    >
      {error ? (
        <p role="alert" className="form-message error">{error}</p>
      ) : text === undefined ? (
        <p>Loading…</p>
      ) : (
        <pre className="cell-viewer" tabIndex={0} aria-label="Value">{text}</pre>
      )}
    </Dialog>
  );
}
