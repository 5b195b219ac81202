/**
 * Where the page keeps the technician's token: sessionStorage, so it lives
 * as long as the tab and is never sent anywhere but the API's
 * Authorization header. Nothing else is stored.
 */
const TOKEN_KEY = 'upkeep.dashboard.token';

export function readToken() {
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

/** Keeps a pasted token, without the whitespace a paste brings along. */
export function keepToken(raw) {
  const token = String(raw)
    .trim()
    .replace(/^Bearer\s+/i, '');
  sessionStorage.setItem(TOKEN_KEY, token);
  return token;
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/**
 * The API's base URL: `apiUrl` from config.json beside the page when the
 * deployment wrote one (S3 and CloudFront, another origin than the API),
 * otherwise the page's own origin (the local stack serves both).
 */
export async function apiBaseUrl() {
  const response = await fetch(new URL('config.json', document.baseURI), {
    cache: 'no-store',
  }).catch(() => undefined);
  if (response?.ok) {
    const config = await response.json().catch(() => ({}));
    if (typeof config.apiUrl === 'string' && config.apiUrl !== '') {
      return new URL(config.apiUrl.replace(/\/?$/, '/'));
    }
  }
  return new URL('/', document.baseURI);
}
