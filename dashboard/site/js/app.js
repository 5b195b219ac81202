import { ApiError, createApi } from './api.js';
import { replace } from './dom.js';
import { formatTime } from './format.js';
import { loadFleet } from './load.js';
import { apiBaseUrl, forgetToken, keepToken, readToken } from './session.js';
import { awayView } from './views/away.js';
import { checksView } from './views/checks.js';
import { disksView } from './views/disks.js';
import { findingsView } from './views/findings.js';
import { fleetView } from './views/fleet.js';
import { patchesView } from './views/patches.js';
import { summaryView } from './views/summary.js';

/** Each `[data-view]` container and what fills it. */
const VIEWS = {
  summary: summaryView,
  fleet: fleetView,
  findings: findingsView,
  patches: patchesView,
  disks: disksView,
  away: awayView,
  checks: checksView,
};

/** The page reloads on its own this often while the tab is visible, ms. */
const REFRESH_MS = 60_000;

const $ = (id) => document.getElementById(id);

/** `data-state` on body: starting → sign-in | loading → ready | failed. */
function setState(state, message) {
  document.body.dataset.state = state;
  $('status').textContent = message;
}

function showSignIn(message) {
  $('sign-in').hidden = false;
  $('fleet').hidden = true;
  $('session').hidden = true;
  setState('sign-in', message);
  $('token').focus();
}

/** A load is under way; timer refreshes wait rather than stack up. */
let loading = false;

async function refresh(baseUrl) {
  loading = true;
  try {
    await load(baseUrl);
  } finally {
    loading = false;
  }
}

async function load(baseUrl) {
  const token = readToken();
  if (!token) return showSignIn('Paste an API token to see the fleet.');

  $('sign-in').hidden = true;
  $('session').hidden = false;
  setState('loading', 'Loading the fleet…');
  try {
    const fleet = await loadFleet(createApi({ baseUrl, token }), Date.now());
    for (const [name, view] of Object.entries(VIEWS)) {
      replace(document.querySelector(`[data-view="${name}"]`), view(fleet));
    }
    $('fleet').hidden = false;
    setState('ready', `Updated ${formatTime(new Date().toISOString())}.`);
  } catch (error) {
    if (error instanceof ApiError && [401, 403].includes(error.status)) {
      forgetToken();
      return showSignIn(`The API refused the token: ${error.message}.`);
    }
    setState('failed', `Could not load the fleet: ${error.message}`);
  }
}

async function main() {
  const baseUrl = await apiBaseUrl();

  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    keepToken($('token').value);
    $('token').value = '';
    refresh(baseUrl);
  });
  $('refresh').addEventListener('click', () => refresh(baseUrl));
  $('forget').addEventListener('click', () => {
    forgetToken();
    showSignIn('Token forgotten.');
  });
  setInterval(() => {
    if (document.visibilityState === 'visible' && readToken() && !loading) {
      refresh(baseUrl);
    }
  }, REFRESH_MS);

  await refresh(baseUrl);
}

main();
