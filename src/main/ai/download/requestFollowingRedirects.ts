import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { DownloadError } from './DownloadError';

export interface RedirectingRequestOptions {
  headers: Record<string, string>;
  /** Redirects followed before giving up. */
  maxRedirects: number;
  /** No response headers within this long fails the request. */
  timeoutMs: number;
  signal: AbortSignal;
}

export interface RedirectedResponse {
  response: IncomingMessage;
  /** Where the bytes came from after the redirects. */
  finalUrl: string;
  /**
   * The sha256 a hop published for the file it redirected to: Hugging Face's resolve URLs answer with
   * `X-Linked-Etag: "<sha256 of the LFS object>"` before redirecting to the CDN.
   */
  linkedSha256?: string;
}

const LINKED_SHA256 = /^(?:W\/)?"?([0-9a-f]{64})"?$/i;

/**
 * A GET that follows 301/302/303/307/308 itself, so a loop is named as one (and not as "too many redirects"),
 * each hop can be checked, and headers such as Range survive the hops.
 */
export async function requestFollowingRedirects(url: string, options: RedirectingRequestOptions): Promise<RedirectedResponse> {
  const seen = new Set<string>();
  let current = url;
  let linkedSha256: string | undefined;
  for (let hop = 0; ; hop++) {
    seen.add(current);
    const response = await getOnce(current, options);
    const status = response.statusCode ?? 0;
    const linked = LINKED_SHA256.exec(String(response.headers['x-linked-etag'] ?? ''))?.[1];
    if (linked) linkedSha256 = linked.toLowerCase();
    if (status < 300 || status >= 400 || status === 304) return { response, finalUrl: current, ...(linkedSha256 && { linkedSha256 }) };
    response.resume();
    const location = response.headers.location;
    if (!location) throw new DownloadError(`${current} answered ${status} (a redirect) without a Location header.`, 'fatal');
    let next: string;
    try {
      next = new URL(location, current).toString();
    } catch {
      throw new DownloadError(`${current} redirected to "${location}", which is not a URL.`, 'fatal');
    }
    if (!/^https?:$/.test(new URL(next).protocol)) throw new DownloadError(`${current} redirected to ${next}; only http and https are followed.`, 'fatal');
    if (seen.has(next)) throw new DownloadError(`Redirect loop: ${next} was reached twice (after ${hop + 1} redirect${hop === 0 ? '' : 's'} from ${url}).`, 'fatal');
    if (hop + 1 > options.maxRedirects) throw new DownloadError(`Too many redirects: more than ${options.maxRedirects} from ${url}.`, 'fatal');
    current = next;
  }
}

function getOnce(url: string, options: RedirectingRequestOptions): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const parsed = new URL(url);
    const request = (parsed.protocol === 'https:' ? httpsRequest : httpRequest)(parsed, { method: 'GET', headers: options.headers, signal: options.signal });
    const timer = setTimeout(() => {
      request.destroy(new DownloadError(`${parsed.host} sent no response within ${options.timeoutMs / 1000} s.`, 'network'));
    }, options.timeoutMs);
    request.once('response', (response) => {
      clearTimeout(timer);
      resolve(response);
    });
    request.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end();
  });
}
