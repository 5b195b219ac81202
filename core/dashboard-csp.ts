/**
 * The dashboard page's content security policy, one source for the local
 * gateway (local/http-api/dashboard-files.ts) and CloudFront
 * (infra/lib/dashboard-site.ts). Scripts, styles and API calls come from
 * the page's own origin only (the API sits on it in both places), with no
 * inline code, frames, plugins or form posts.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
