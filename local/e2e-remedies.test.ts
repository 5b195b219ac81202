import { createWriteStream, existsSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it, onTestFinished } from 'vitest';
import { type AgentOptions, startAgent } from '../agent/agent.js';
import { createClamavCheck } from '../agent/checks/antivirus/index.js';
import { createWindowsAntivirusCheck } from '../agent/checks/antivirus/probe-windows.js';
import { createCleanupCheck } from '../agent/checks/cleanup/index.js';
import { age } from '../agent/checks/cleanup/test-tree.js';
import { createDiskSpaceCheck } from '../agent/checks/disk-space/check.js';
import { probeLinuxVolumes } from '../agent/checks/disk-space/linux-probe.js';
import { createPatchCheck } from '../agent/checks/patches/index.js';
import { silentLogger } from '../agent/logger.js';
import { type CommandRunner, runCommand } from '../agent/platform/command.js';
import { DEFAULT_POLICY, type Policy } from '../core/policy.js';
import { keys } from '../core/table.js';
import {
  signingKeyFromSecret,
  signJobDocument,
} from '../lambdas/lib/job-signing.js';
import {
  corruptStoreMachine,
  defenderMachine,
  FAILED_UPDATE,
} from './iot/recorded-windows.js';
import {
  createJob,
  executionOf,
  jobDocument,
  stackReaders,
} from './iot/remedy-test-kit.js';
import type { LocalStack } from './stack.js';
import { startTestStack, tempStateDir, waitFor } from './test-support.js';

/**
 * Issue 4, end to end: the local stack (broker, rules, queues, ingest and
 * job-events handlers, IoT Jobs stand-in, dynalite) with the real agent.
 * On Linux the agent checks and cleans this machine for real; the Windows
 * cases answer PowerShell from recorded output, the one boundary that
 * cannot run here. Oracle: a finding is resolved only when the job ended
 * and a re-check report without it is stored; a refused job runs nothing.
 */
const MiB = 1024 ** 2;
const JUNK_BYTES = 1024 * MiB;

async function startRemedyAgent(
  stack: LocalStack,
  thing: string,
  options: Pick<AgentOptions, 'checks' | 'platform' | 'run' | 'policy'>,
) {
  const stateDir = await tempFolder('upkeep-agent-');
  const { keyId, publicKeyPem } = stack.jobSigning;
  const agent = await startAgent({
    brokerUrl: stack.mqttUrl,
    thingName: thing,
    stateDir,
    logger: silentLogger,
    schedule: false,
    jobs: { publicKeys: { [keyId]: publicKeyPem } },
    ...options,
  });
  onTestFinished(() => agent.stop());
  await agent.connected();
  const readers = stackReaders(stack, thing);
  await readers.helloStored();
  return { agent, readers };
}

async function tempFolder(prefix: string) {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A real file of `bytes` (written, not sparse), `ageDays` old. */
async function writeJunk(path: string, bytes: number, ageDays: number) {
  await mkdir(join(path, '..'), { recursive: true });
  const chunk = Buffer.alloc(8 * MiB, 0x61);
  async function* chunks() {
    for (let left = bytes; left > 0; left -= chunk.length) {
      yield left >= chunk.length ? chunk : chunk.subarray(0, left);
    }
  }
  await pipeline(chunks(), createWriteStream(path));
  await age(path, ageDays);
}

/** The probed volume holding `path`: the longest mount point above it. */
async function volumeOf(path: string) {
  const real = realpathSync(path);
  const { volumes } = await probeLinuxVolumes();
  const holding = volumes
    .filter(
      (v) =>
        v.mount &&
        (real === v.mount ||
          real.startsWith(`${v.mount === '/' ? '' : v.mount}/`)),
    )
    .sort((a, b) => (b.mount?.length ?? 0) - (a.mount?.length ?? 0));
  const volume = holding[0];
  if (!volume?.mount) throw new Error(`no probed volume holds ${real}`);
  return volume;
}

/** The real runner, with apt-get held to `-s`: nothing is installed. */
const simulatingApt: CommandRunner = (command, args, options) =>
  runCommand(
    command,
    command === 'apt-get' && !args.includes('-s') ? ['-s', ...args] : args,
    options,
  );

function policyWith(disk: Partial<Policy['disk']>): Policy {
  return { ...DEFAULT_POLICY, disk: { ...DEFAULT_POLICY.disk, ...disk } };
}

describe('remedies end to end with the real agent', () => {
  it('frees space with a cleanup job, re-checks and resolves low disk', async () => {
    const { stack } = await startTestStack(tempStateDir());
    const dir = await tempFolder('upkeep-junk-');
    const junk = join(dir, 'temp', 'old-installer.bin');
    await writeJunk(junk, JUNK_BYTES, 30);
    const volume = await volumeOf(dir);
    // The threshold sits half the junk above the free space now, so the
    // volume is low with the junk and clear of it without (other writers on
    // this machine would have to move free space by 512 MiB to upset it).
    const minFreePercent =
      ((volume.availableBytes + JUNK_BYTES / 2) / volume.totalBytes) * 100;
    const probe = async () => {
      const probed = await probeLinuxVolumes();
      const volumes = probed.volumes.filter((v) => v.mount === volume.mount);
      return { volumes, skipped: probed.skipped };
    };
    const stateDir = await tempFolder('upkeep-cleanup-');
    const { agent, readers } = await startRemedyAgent(stack, 'e2e-linux', {
      platform: 'linux',
      policy: policyWith({ minFreePercent }),
      checks: [
        createCleanupCheck({
          stateDir,
          roots: [{ category: 'temp-user', path: join(dir, 'temp') }],
        }),
        createDiskSpaceCheck({ linux: probe }),
      ],
    });

    await agent.runCheck('disk-space');
    const finding = await waitFor(
      () => readers.finding('disk.low-percent', volume.mount as string),
      (f) => f?.status === 'resolved' && f.remedy === undefined,
      60_000,
    );
    const [attempt] = finding?.attempts ?? [];
    const job = await readers.item(
      keys.device('e2e-linux'),
      keys.job(attempt?.jobId),
    );

    expect(existsSync(junk)).toBe(false);
    expect(attempt).toMatchObject({
      remedy: 'cleanup',
      params: { volume: volume.mount },
      jobStatus: 'SUCCEEDED',
      outcome: 'resolved',
    });
    expect(job).toMatchObject({ code: 'disk.low-percent', attempt: 1 });
  }, 90_000);

  it('updates stale Defender signatures and resolves the finding', async () => {
    const { stack } = await startTestStack(tempStateDir());
    const windows = defenderMachine();
    const { agent, readers } = await startRemedyAgent(stack, 'e2e-win-av', {
      platform: 'win32',
      run: windows.run,
      checks: [createWindowsAntivirusCheck()],
    });

    await agent.runCheck('antivirus');
    const finding = await waitFor(
      () =>
        readers.finding('av.definitions-stale', 'Microsoft Defender Antivirus'),
      (f) => f?.status === 'resolved' && f.remedy === undefined,
      30_000,
    );

    const jobId = finding?.attempts?.[0]?.jobId;
    await readers.replayJobEvent({ jobId, status: 'SUCCEEDED' });
    await waitFor(
      () => readers.queueDepth('upkeep-job-events'),
      (depth) => depth === 0,
    );
    const afterReplay = await readers.finding(
      'av.definitions-stale',
      'Microsoft Defender Antivirus',
    );

    expect(finding?.attempts).toEqual([
      expect.objectContaining({
        remedy: 'update-av-signatures',
        params: { product: 'defender' },
        product: 'defender',
        outcome: 'resolved',
      }),
    ]);
    // A repeated job event changes nothing.
    expect(afterReplay).toEqual(finding);
    expect(
      windows.scripts.filter((s) => s.includes('Update-MpSignature')),
    ).toHaveLength(1);
  }, 60_000);

  it("runs Sophos's updater when the client selects Sophos", async () => {
    const { stack } = await startTestStack(tempStateDir());
    const windows = defenderMachine();
    await stackReaders(stack, 'e2e-win-sophos').setPolicy({
      products: { antivirus: 'sophos', patches: 'auto' },
    });
    const { agent, readers } = await startRemedyAgent(stack, 'e2e-win-sophos', {
      platform: 'win32',
      run: windows.run,
      checks: [createWindowsAntivirusCheck()],
    });

    await agent.runCheck('antivirus');
    const finding = await waitFor(
      () =>
        readers.finding('av.definitions-stale', 'Microsoft Defender Antivirus'),
      (f) => f?.status === 'escalated',
      30_000,
    );

    expect(finding?.attempts).toEqual([
      expect.objectContaining({
        remedy: 'update-av-signatures',
        params: { product: 'sophos' },
        jobStatus: 'FAILED',
      }),
    ]);
    expect(finding?.escalation).toMatchObject({
      reason: 'human-step',
      humanStep: {
        remedy: 'vendor-console-ticket',
        params: { product: 'sophos' },
      },
    });
    expect(windows.scripts.some((s) => s.includes('SophosUpdate.exe'))).toBe(
      true,
    );
    expect(windows.scripts.some((s) => s.includes('Update-MpSignature'))).toBe(
      false,
    );
  }, 60_000);

  it('walks the DISM chain for 0x80073712 and escalates with the history', async () => {
    const { stack } = await startTestStack(tempStateDir());
    const windows = corruptStoreMachine();
    const { agent, readers } = await startRemedyAgent(stack, 'e2e-win-wu', {
      platform: 'win32',
      run: windows.run,
      checks: [createPatchCheck()],
    });

    await agent.runCheck('patch-assessment');
    const finding = await waitFor(
      () => readers.finding('wu.component-store-corrupt', FAILED_UPDATE),
      (f) => f?.status === 'escalated',
      60_000,
    );
    const escalation = await readers.item(
      keys.device('e2e-win-wu'),
      keys.escalation('wu.component-store-corrupt', FAILED_UPDATE, 1),
    );

    const tried = (finding?.attempts ?? []).map(
      (a: { remedy: string; jobStatus: string }) => [a.remedy, a.jobStatus],
    );
    expect(tried).toEqual([
      ['dism-restore-health', 'FAILED'],
      ['sfc-scannow', 'FAILED'],
      // The retry fails again with 0x80073712: the store is still corrupt.
      ['retry-update', 'FAILED'],
      ['dism-restore-health', 'FAILED'],
    ]);
    expect(finding?.escalation).toMatchObject({
      reason: 'human-step',
      humanStep: { remedy: 'repair-install-ticket' },
    });
    expect(escalation).toMatchObject({
      reason: 'human-step',
      severity: 'critical',
      attempts: expect.arrayContaining([
        expect.objectContaining({ remedy: 'sfc-scannow' }),
      ]),
    });
    expect(escalation?.attempts).toHaveLength(4);
    expect(windows.scripts.filter((s) => s.includes('Dism.exe'))).toHaveLength(
      2,
    );
  }, 90_000);

  it('hands the ClamAV install to a technician while the policy forbids installs', async () => {
    const { stack } = await startTestStack(tempStateDir());
    const { agent, readers } = await startRemedyAgent(stack, 'e2e-linux-av', {
      platform: 'linux',
      // Should the gate ever let the job through, apt-get only simulates.
      run: simulatingApt,
      // This machine's own ClamAV database folder: no ClamAV here.
      checks: [createClamavCheck()],
    });

    await agent.runCheck('antivirus');
    const finding = await waitFor(
      () => readers.finding('av.product-missing', 'ClamAV'),
      (f) => f?.status === 'escalated',
      30_000,
    );

    expect(finding?.attempts ?? []).toEqual([]);
    expect(finding?.escalation).toMatchObject({
      reason: 'install-not-allowed',
      humanStep: { remedy: 'apt-install', params: { package: 'clamav' } },
    });
  }, 60_000);

  it('rejects a forged job and an unlisted remedy, and runs neither', async () => {
    const stateDir = tempStateDir();
    const { stack } = await startTestStack(stateDir);
    const dir = await tempFolder('upkeep-keep-');
    const kept = join(dir, 'temp', 'old.log');
    await writeJunk(kept, 4096, 30);
    const cleanupState = await tempFolder('upkeep-cleanup-');
    const { readers } = await startRemedyAgent(stack, 'e2e-refuse', {
      platform: 'linux',
      checks: [
        createCleanupCheck({
          stateDir: cleanupState,
          roots: [{ category: 'temp-user', path: join(dir, 'temp') }],
        }),
        createDiskSpaceCheck(),
      ],
    });
    const deployment = signingKeyFromSecret(
      (
        await readFile(join(stateDir, 'signing', 'job-signing-secret'), 'utf8')
      ).trim(),
    );
    const impostor = signingKeyFromSecret('f'.repeat(64));
    const forged = signJobDocument(
      jobDocument('e2e-refuse', 'cleanup'),
      impostor,
    );
    forged.signature.keyId = deployment.keyId;

    await createJob(readers.iot, 'forged-1', 'e2e-refuse', forged);
    await createJob(
      readers.iot,
      'unlisted-1',
      'e2e-refuse',
      signJobDocument(jobDocument('e2e-refuse', 'format-disk'), deployment),
    );
    const outcomes = await Promise.all(
      ['forged-1', 'unlisted-1'].map((jobId) =>
        waitFor(
          () => executionOf(readers.iot, jobId, 'e2e-refuse'),
          (e) => e?.status !== 'QUEUED' && e?.status !== 'IN_PROGRESS',
        ),
      ),
    );

    expect(
      outcomes.map((e) => [e?.status, e?.statusDetails?.detailsMap?.reason]),
    ).toEqual([
      ['REJECTED', 'signature-invalid'],
      ['REJECTED', 'unknown-remedy'],
    ]);
    expect(existsSync(kept)).toBe(true);
  }, 60_000);
});
