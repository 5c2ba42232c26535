import type { StatementClassification } from '../../../../shared/domain/query';
import { Dialog } from '../../app/Dialog';

interface ConfirmDialogProps {
  statements: StatementClassification[];
  connectionName: string;
  onConfirm: () => void;
  onCancel: () => void;
}

/** Asks before destructive statements run, listing each one and why it is dangerous. */
export function ConfirmDialog({ statements, connectionName, onConfirm, onCancel }: ConfirmDialogProps) {
  return (
    <Dialog
      title="Run destructive statements?"
      onClose={onCancel}
      footer={
        <>
          <span className="spacer" />
          <button type="button" onClick={onCancel} autoFocus>
            Cancel
          </button>
          <button type="button" className="danger" onClick={onConfirm}>
            Run anyway
          </button>
        </>
      }
    >
      <p>
        {statements.length === 1 ? 'This statement' : `These ${statements.length} statements`} can destroy data on <strong>{connectionName}</strong>:
      </p>
      <ul className="destructive-list">
        {statements.map((s, i) => (
          <li key={i}>
            <pre>{s.text.length > 600 ? `${s.text.slice(0, 600)}…` : s.text}</pre>
            <span className="reason">{s.reason ?? 'destructive'}</span>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
