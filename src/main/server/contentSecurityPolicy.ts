export interface ContentSecurityPolicyOptions {
  /** Origins the page may connect to besides its own, e.g. the browser door's ws://127.0.0.1:<port>. */
  connectSrc: readonly string[];
}

/**
 * The renderer's CSP: nothing from any remote origin. Monaco needs blob: workers and inline styles; fonts
 * and images may come as data: URLs.
 */
export function contentSecurityPolicy({ connectSrc }: ContentSecurityPolicyOptions): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "worker-src 'self' blob:",
    "img-src 'self' data:",
    "font-src 'self' data:",
    ["connect-src 'self'", ...connectSrc].join(' '),
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}
