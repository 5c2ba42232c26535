/**
 * Why a download stopped, in words the user can act on.
 * - network: a stall, a cut connection, a 5xx — tried again by itself a few times, then resumable;
 * - disk: a full disk or too little free space — resumable once space is freed, never retried by itself;
 * - fatal: a 404, a redirect loop, a checksum mismatch — resuming starts the same request again.
 */
export class DownloadError extends Error {
  constructor(
    message: string,
    readonly kind: 'network' | 'disk' | 'fatal',
  ) {
    super(message);
    this.name = 'DownloadError';
  }
}
