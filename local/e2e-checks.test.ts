import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { type AgentHandle, startAgent } from '../agent/agent.js';
import { defaultChecks } from '../agent/checks/registry.js';
import { silentLogger } from '../agent/logger.js';
import { CHECK_KINDS, type CheckKind } from '../core/index.js';
import {
  type DeviceDetail,
  getJson,
  startTestStack,
  tempStateDir,
  waitFor,
} from './test-support.js';

const THING = 'e2e-checks-host';

/** Limits per check on this machine, ms. apt's simulation takes seconds. */
const LIMIT_MS: Record<CheckKind, number> = {
  'disk-space': 15_000,
  cleanup: 60_000,
  'patch-assessment': 90_000,
  antivirus: 15_000,
  smart: 60_000,
  'spyware-scan': 60_000,
};

type StoredCheck = DeviceDetail['checks'][number];

interface Detail extends DeviceDetail {
  device: DeviceDetail['device'] & {
    hello: { capabilities: string[]; securityProducts: unknown[] } | null;
  };
  findings: { code: string; check: string; severity: string }[];
}

/**
 * The agent of this machine on the local stack, with every check the
 * registry gives Linux. The one change: the spyware scan looks at a small
 * folder, never the whole disk (a full scan is due at weekends).
 */
async function agentOnStack(mqttUrl: string, stateDir: string) {
  const scanDir = join(stateDir, 'scan-target');
  mkdirSync(scanDir);
  writeFileSync(join(scanDir, 'readme.txt'), 'nothing to find here\n');

  const handle = await startAgent({
    brokerUrl: mqttUrl,
    thingName: THING,
    stateDir: join(stateDir, 'agent'),
    logger: silentLogger,
    schedule: false,
    checks: defaultChecks({
      platform: process.platform,
      stateDir: join(stateDir, 'agent'),
      spyware: { targets: { quick: [scanDir], full: [scanDir] } },
    }),
  });
  onTestFinished(() => handle.stop());
  return handle;
}

async function runEach(handle: AgentHandle) {
  const took: Partial<Record<CheckKind, number>> = {};
  for (const kind of CHECK_KINDS) {
    const started = Date.now();
    await handle.runCheck(kind);
    took[kind] = Date.now() - started;
  }
  return took;
}

async function storedChecks(apiUrl: string) {
  const { body } = await waitFor(
    () => getJson<Detail>(apiUrl, `/devices/${THING}`),
    ({ status, body }) =>
      status === 200 &&
      CHECK_KINDS.every((k) => body.checks?.some((c) => c.check === k)),
    30_000,
  );
  const byKind = new Map(body.checks.map((c) => [c.check, c]));
  const check = (kind: CheckKind) => byKind.get(kind) as StoredCheck;
  return { body, check };
}

const findingCodes = (body: Detail, check: CheckKind) =>
  body.findings.filter((f) => f.check === check).map((f) => f.code);

describe('every check of this machine through the local stack', () => {
  it('stores a real verdict for each check', { timeout: 240_000 }, async () => {
    const stateDir = tempStateDir();
    const { stack } = await startTestStack(stateDir);
    const handle = await agentOnStack(stack.mqttUrl, stateDir);
    await handle.connected();

    const took = await runEach(handle);
    await handle.drained();
    const { body, check } = await storedChecks(stack.apiUrl);

    for (const kind of CHECK_KINDS) {
      expect(took[kind], kind).toBeLessThan(LIMIT_MS[kind]);
    }
    expect(body.device.hello?.capabilities.sort()).toEqual(
      [...CHECK_KINDS].sort(),
    );

    const disk = check('disk-space');
    expect(['ok', 'info', 'warning', 'critical']).toContain(disk.verdict);
    expect((disk.data.volumes as { id: string }[]).map((v) => v.id)).toContain(
      '/',
    );

    // Cleanup runs dry under the default policy: it lists, deletes nothing.
    const cleanup = check('cleanup');
    expect(cleanup.data).toMatchObject({
      dryRun: true,
      maxAgeDays: 7,
      files: expect.any(Number),
      bytes: expect.any(Number),
    });
    expect(cleanup.data.rootsWalked).toBeGreaterThan(0);

    const patches = check('patch-assessment');
    expect(patches.data.source).toBe('apt');
    expect(['ok', 'info', 'warning', 'critical']).toContain(patches.verdict);

    // No ClamAV database here means the "no product" finding; with one,
    // its age is judged.
    const antivirus = check('antivirus');
    expect(antivirus.data.product).toBe('clamav');
    const databases = antivirus.data.databases as unknown[];
    if (databases.length === 0) {
      expect(findingCodes(body, 'antivirus')).toContain('av.product-missing');
    }
    expect(antivirus.verdict).not.toBe('unknown');

    // A virtio disk has no SMART: unknown, never ok. A drive smartctl can
    // read is judged, and its data is stored.
    const smart = check('smart');
    const drives = (smart.data.drives ?? []) as { verdict?: string }[];
    const judged = drives.filter((d) => d.verdict && d.verdict !== 'unknown');
    if (judged.length === 0) {
      expect(smart.verdict).toBe('unknown');
      expect(findingCodes(body, 'smart').length).toBeGreaterThan(0);
    }

    const spyware = check('spyware-scan');
    expect(spyware.data).toMatchObject({
      product: 'clamav',
      scanType: expect.stringMatching(/^(quick|full)$/),
    });
    if (spyware.data.ran === true) {
      expect(spyware.data.scannedFiles).toBe(1);
    } else {
      expect(findingCodes(body, 'spyware-scan')).toContain(
        'spyware.scanner-missing',
      );
    }
  });
});
