import type { DownloadState } from '../../../../shared/domain/models';
import { formatBytes } from '../../../../shared/format/formatBytes';
import { formatEta, percentDone } from './modelFormat';

interface DownloadItemProps {
  download: DownloadState;
  onPause: () => void;
  onResume: () => void;
  onCancel: () => void;
}

const statusLabels: Record<DownloadState['status'], string> = {
  queued: 'Queued',
  downloading: 'Downloading',
  paused: 'Paused',
  verifying: 'Verifying checksum',
  done: 'Downloaded',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** One download: a progress bar (percent as its value, bytes as its text), speed, time left and its controls. */
export function DownloadItem({ download: d, onPause, onResume, onCancel }: DownloadItemProps) {
  const percent = d.status === 'done' ? 100 : percentDone(d.receivedBytes, d.totalBytes);
  const bytes = d.totalBytes ? `${formatBytes(d.receivedBytes)} of ${formatBytes(d.totalBytes)}` : formatBytes(d.receivedBytes);
  const moving = d.status === 'downloading';
  const live = d.status === 'queued' || d.status === 'downloading' || d.status === 'paused' || d.status === 'verifying';
  return (
    <li className={`download-item status-${d.status}`} aria-label={d.file} data-status={d.status}>
      <div className="download-head">
        <span className="download-file">{d.file}</span>
        <span className={`badge ${d.status === 'done' ? 'ok' : d.status === 'failed' ? 'error' : ''}`}>{statusLabels[d.status]}</span>
        <span className="spacer" />
        {(d.status === 'downloading' || d.status === 'queued') && (
          <button type="button" onClick={onPause}>
            Pause
          </button>
        )}
        {d.status === 'paused' && (
          <button type="button" className="primary" onClick={onResume}>
            Resume
          </button>
        )}
        {live && (
          <button type="button" className="danger" onClick={onCancel} title="Stops and deletes the partial file">
            Cancel
          </button>
        )}
      </div>
      <div
        className="progress-track"
        role="progressbar"
        aria-label={`Download of ${d.file}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={percent !== undefined ? `${percent}%, ${bytes}` : bytes}
      >
        <div className={`progress-fill${percent === undefined && live ? ' indeterminate' : ''}`} style={percent !== undefined ? { width: `${percent}%` } : undefined} />
      </div>
      <p className="download-stats dim">
        {bytes}
        {moving && ` · ${formatBytes(d.bytesPerSecond)}/s`}
        {moving && d.etaSeconds !== undefined && ` · ${formatEta(d.etaSeconds)} left`}
        <span className="download-url"> · {d.url}</span>
      </p>
      {d.status === 'failed' && d.error && (
        <p className="download-error" role="alert">
          {d.error}
        </p>
      )}
    </li>
  );
}
