import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { CHECK_KINDS, deviceTopic } from '../core/index.js';
import { hello } from '../lambdas/test-support/messages.js';
import {
  connectDevice,
  type DeviceDetail,
  type DeviceList,
  startTestStack,
  tempStateDir,
  waitFor,
} from './test-support.js';

/** Debian's Chromium; CI installs it (`.ci/run`). */
const CHROMIUM = '/usr/bin/chromium';

/** Flags for a quiet, self-contained browser that calls nowhere else. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Screenshots land here; the folder is ignored by git. */
const OUTPUT = fileURLToPath(
  new URL('../test-output/dashboard/', import.meta.url),
);

const THING = 'dashboard-e2e-host';
const HOSTILE = 'xss-probe';
const HOSTILE_HOSTNAME = '<img src=x onerror="document.body.dataset.pwned=1">';

type Detail = DeviceDetail & { findings: unknown[] };

/** The stack with its agent checking this machine, every check run once. */
async function stackWithRealAgent() {
  const { stack } = await startTestStack(tempStateDir(), {
    agent: true,
    thingName: THING,
  });
  const agent = stack.agent;
  if (!agent) throw new Error('the stack started without its agent');
  await agent.connected();
  for (const kind of CHECK_KINDS) await agent.runCheck(kind);
  await agent.drained();
  return stack;
}

/**
 * A second device whose host name is markup, to prove it stays text. It
 * leaves once registered (apiState), so the page has a device away.
 */
async function hostileDevice(mqttUrl: string) {
  const device = await connectDevice(mqttUrl, HOSTILE);
  const body = hello(HOSTILE);
  await device.publishAsync(
    deviceTopic(HOSTILE, 'hello'),
    JSON.stringify({ ...body, os: { ...body.os, hostname: HOSTILE_HOSTNAME } }),
    { qos: 1 },
  );
  return device;
}

interface ListedDevice {
  deviceId: string;
  volumes: DeviceList['devices'][number]['volumes'];
  away: boolean;
  presenceSince: string | null;
}

/** A GET of the API with a bearer token: status and parsed body. */
async function apiGet<T>(apiUrl: string, token: string, path: string) {
  const response = await fetch(`${apiUrl}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: (await response.json()) as T };
}

interface ListedFinding {
  deviceId: string;
  code: string;
  subject: string;
  status: string;
  priority: { band: string } | null;
  attempts: unknown[];
}

interface ClientCompliance {
  summary: { compliant: number; neverAssessed: number };
  devices: { thingName: string; compliant: boolean }[];
}

/**
 * What the API says once both devices and every check are stored, the
 * second device is away, and the remedy loop has settled: two reads of the
 * findings a second apart agree
 * (it rejects or runs jobs for the new findings meanwhile).
 */
async function apiState(
  apiUrl: string,
  token: string,
  leaving: { endAsync(): Promise<unknown> },
) {
  const get = <T>(path: string) => apiGet<T>(apiUrl, token, path);
  const listed = () => get<{ devices: ListedDevice[] }>('/devices');
  await waitFor(listed, ({ body }) => body.devices?.length === 2, 30_000);
  // Presence is kept for registered devices only: leave after the hello.
  await leaving.endAsync();
  const list = await waitFor(
    listed,
    ({ body }) => body.devices.some((d) => d.deviceId === HOSTILE && d.away),
    30_000,
  );
  const detail = await waitFor(
    () => get<Detail>(`/devices/${THING}`),
    ({ status, body }) =>
      status === 200 &&
      CHECK_KINDS.every((k) => body.checks?.some((c) => c.check === k)),
    30_000,
  );
  let previous = '';
  const findings = await waitFor(
    async () => {
      await new Promise((r) => setTimeout(r, 1000));
      return get<{ findings: ListedFinding[] }>('/findings');
    },
    ({ status, body }) => {
      const now = JSON.stringify(body);
      const settled = status === 200 && now === previous;
      previous = now;
      return settled;
    },
    30_000,
  );
  const compliance = await get<ClientCompliance>(
    '/clients/local/patches/compliance',
  );
  expect(compliance.status).toBe(200);
  return {
    devices: list.body.devices,
    detail: detail.body,
    findings: findings.body.findings,
    compliance: compliance.body,
  };
}

async function openBrowser(): Promise<BrowserContext> {
  const profile = mkdtempSync(join(tmpdir(), 'upkeep-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  onTestFinished(async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  });
  return context;
}

/**
 * Console errors and page errors, CSP violations included. A 404 is left
 * out: the page asks for API routes it can do without.
 */
function collectErrors(page: Page) {
  const errors: string[] = [];
  page.on('console', (m) => {
    const missing = /Failed to load resource: .* 404/.test(m.text());
    if (m.type() === 'error' && !missing) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** "225.6 GiB" → bytes, for comparing a shown figure with the API's. */
function parseShownBytes(text: string) {
  const match = /^(\d+(?:\.\d)?) (B|KiB|MiB|GiB|TiB)$/.exec(text);
  if (!match) throw new Error(`not a byte figure: ${text}`);
  const power = ['B', 'KiB', 'MiB', 'GiB', 'TiB'].indexOf(match[2] ?? '');
  return { value: Number(match[1]), unit: 1024 ** power };
}

/** Pastes a token of the stack's own issuer into the page's form. */
async function signIn(page: Page, url: string, token: string) {
  await page.goto(url);
  await page.waitForSelector('body[data-state="sign-in"]');
  await page.getByRole('textbox', { name: 'API token' }).fill(token);
  await page.getByRole('button', { name: 'Open the dashboard' }).click();
  await page.waitForSelector('body[data-state="ready"]', { timeout: 30_000 });
}

describe('the dashboard on the local stack', () => {
  it("shows what the API holds of this machine's real checks", {
    timeout: 240_000,
  }, async () => {
    expect(
      existsSync(CHROMIUM),
      `${CHROMIUM} is missing: install Debian's chromium ` +
        '(apt-get install -y chromium), as .ci/run does',
    ).toBe(true);
    const stack = await stackWithRealAgent();
    const leaving = await hostileDevice(stack.mqttUrl);
    const token = await stack.mintToken('msp');
    const api = await apiState(stack.apiUrl, token, leaving);
    const context = await openBrowser();
    const page = await context.newPage();
    const errors = collectErrors(page);

    await signIn(page, `${stack.apiUrl}/dashboard/`, token);

    await expect
      .poll(() => page.locator('#summary-devices').textContent())
      .toBe(String(api.devices.length));
    expect(await page.locator('#device-checks tbody tr').count()).toBe(
      api.devices.length,
    );
    for (const check of api.detail.checks) {
      const cell = page.locator(
        `#device-checks tr[data-device="${THING}"] [data-check="${check.check}"]`,
      );
      expect(await cell.getAttribute('data-verdict'), check.check).toBe(
        check.verdict,
      );
      expect(await cell.textContent()).toBe(check.verdict);
    }

    const root = api.devices
      .find((d) => d.deviceId === THING)
      ?.volumes.find((v) => v.id === '/');
    if (!root) throw new Error('the API lists no "/" volume');
    const free = page.locator(
      `#volumes tr[data-device="${THING}"][data-volume="/"] td data`,
    );
    expect(await free.first().getAttribute('value')).toBe(
      String(root.availableBytes),
    );
    const shown = parseShownBytes((await free.first().textContent()) ?? '');
    expect(
      Math.abs(shown.value * shown.unit - root.availableBytes),
    ).toBeLessThanOrEqual(0.05 * shown.unit);

    const needingSomeone = api.findings.filter(
      (f) => f.status !== 'suppressed',
    );
    expect(await page.locator('#open-findings tbody tr').count()).toBe(
      needingSomeone.length,
    );
    for (const f of needingSomeone) {
      const row = page.locator(
        `#open-findings tr[data-device="${f.deviceId}"]` +
          `[data-code="${f.code}"][data-subject="${f.subject}"]`,
      );
      const handedOver = f.status === 'escalated' ? 1 : 0;
      expect(await row.locator('.tried li').count(), f.code).toBe(
        f.attempts.length + handedOver,
      );
      if (f.priority) {
        expect(await row.textContent()).toContain(f.priority.band);
      }
    }

    const client = page.locator('#patch-compliance tr[data-client="local"]');
    expect(await client.locator('data').getAttribute('value')).toBe(
      String(api.compliance.summary.compliant),
    );
    for (const d of api.compliance.devices) {
      const row = page.locator(
        `#patch-devices tr[data-device="${d.thingName}"]`,
      );
      expect(await row.locator('td').first().textContent()).toBe(
        d.compliant ? 'yes' : 'no',
      );
    }

    const away = api.devices.filter((d) => d.away);
    expect(await page.locator('#away tbody tr').count()).toBe(away.length);
    const since = Date.parse(
      away.find((d) => d.deviceId === HOSTILE)?.presenceSince ?? '',
    );
    const awayFor = await page
      .locator(`#away tr[data-device="${HOSTILE}"] data`)
      .getAttribute('value');
    // The page counted from presenceSince to the moment it loaded.
    expect(Number(awayFor)).toBeGreaterThanOrEqual(0);
    expect(Number(awayFor)).toBeLessThanOrEqual(Date.now() - since);

    const hostile = page.locator(`#device-checks tr[data-device="${HOSTILE}"]`);
    expect(await hostile.locator('.hostname').textContent()).toBe(
      HOSTILE_HOSTNAME,
    );
    expect(await page.locator('main img').count()).toBe(0);
    // Expressions as strings: the tests compile without the DOM library.
    expect(await page.evaluate('document.body.dataset.pwned ?? null')).toBe(
      null,
    );

    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({
      path: join(OUTPUT, 'dashboard-1280.png'),
      fullPage: true,
    });
    await page.setViewportSize({ width: 390, height: 844 });
    expect(
      await page.evaluate(
        'document.documentElement.scrollWidth <= window.innerWidth',
      ),
    ).toBe(true);
    await page.screenshot({
      path: join(OUTPUT, 'dashboard-390.png'),
      fullPage: true,
    });
    expect(errors).toEqual([]);

    await page.getByRole('button', { name: 'Forget token' }).click();
    await page.waitForSelector('body[data-state="sign-in"]');
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await page.getByRole('textbox', { name: 'API token' }).fill('not-a-jwt');
    await page.getByRole('button', { name: 'Open the dashboard' }).click();
    await expect
      .poll(() => page.locator('#status').textContent())
      .toMatch(/^The API refused the token/);
    expect(await page.evaluate('sessionStorage.length')).toBe(0);

    // Another client's token: the API shows it none of these devices.
    await signIn(
      page,
      `${stack.apiUrl}/dashboard/`,
      await stack.mintToken('client:acme'),
    );
    expect(await page.locator('#summary-devices').textContent()).toBe('0');
    expect(await page.locator('#open-findings tbody td.empty').count()).toBe(1);
  });
});
