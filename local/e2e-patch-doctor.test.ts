import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startAgent } from '../agent/agent.js';
import { createPatchCheck } from '../agent/checks/patches/index.js';
import { silentLogger } from '../agent/logger.js';
import { rebootDefaults } from '../agent/remedies/reboot.js';
import { DEFAULT_POLICY, type Policy } from '../core/policy.js';
import { wallTime } from '../core/schedule/zoned-time.js';
import { keys } from '../core/table.js';
import { createClients } from '../lambdas/lib/clients.js';
import { PolicyLayerStore } from '../lambdas/lib/policy-layers.js';
import { createPlanner } from '../lambdas/patches/create-planner-handler.js';
import {
  PATCH_KB,
  PATCH_TITLE,
  patchMachine,
} from './iot/recorded-patch-windows.js';
import { executionOf, stackReaders } from './iot/remedy-test-kit.js';
import { loadOrCreateSigningSecret } from './iot/signing-secret.js';
import type { LocalStack } from './stack.js';
import {
  getJson,
  startTestStack,
  tempStateDir,
  waitFor,
} from './test-support.js';

/**
 * Patch Doctor end to end (issue 6): the local stack (broker, rules,
 * queues, ingest and job-events handlers with the remedy loop, the IoT
 * Jobs stand-in, dynalite, the HTTP API) with the real agent and the real
 * planner. Only PowerShell is answered from recorded output
 * (local/iot/recorded-patch-windows.ts). Oracle: the update goes out to
 * the pilot ring only, its 0x800F0922 failure starts the catalogue's chain,
 * the retry's restart is not a failure, and the finding is resolved only
 * after the restarted agent found the update installed in the history.
 */
const THING = 'e2e-win-patch';
const ZONE = rebootDefaults.timeZone;

/** Working days that leave today out: the restart may happen at once. */
function notToday(): number[] {
  const weekday = wallTime(Date.now(), ZONE).weekday;
  const today = weekday === 0 ? 7 : weekday;
  return [1, 2, 3, 4, 5, 6, 7].filter((d) => d !== today);
}

function agentPolicy(): Policy {
  return {
    ...DEFAULT_POLICY,
    patches: {
      ...(DEFAULT_POLICY.patches as NonNullable<Policy['patches']>),
      reboot: {
        workStart: '08:00',
        workEnd: '18:00',
        workDays: notToday(),
        maxDeferrals: 3,
        deferMinutes: 240,
      },
    },
  };
}

async function startWindowsAgent(
  stack: LocalStack,
  stateDir: string,
  run: ReturnType<typeof patchMachine>['run'],
) {
  const { keyId, publicKeyPem } = stack.jobSigning;
  const agent = await startAgent({
    brokerUrl: stack.mqttUrl,
    thingName: THING,
    stateDir,
    logger: silentLogger,
    schedule: false,
    platform: 'win32',
    run,
    checks: [createPatchCheck()],
    policy: agentPolicy(),
    jobs: { publicKeys: { [keyId]: publicKeyPem } },
  });
  onTestFinished(() => agent.stop());
  await agent.connected();
  return agent;
}

/** The planner Lambda's code on the stack's table and IoT endpoint. */
function stackPlanner(stack: LocalStack, stateDir: string) {
  const secret = loadOrCreateSigningSecret(join(stateDir, 'signing'));
  const clients = createClients({
    region: 'us-east-1',
    endpoints: { dynamodb: stack.dynamoEndpoint, iot: stack.iotEndpoint },
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  onTestFinished(() => {
    clients.dynamo.destroy();
    clients.iot.destroy();
  });
  const planner = createPlanner({
    config: {
      tableName: 'upkeep',
      region: 'us-east-1',
      endpoints: {},
      serviceName: 'upkeep-patch-planner',
      logLevel: 'SILENT',
      remedies: {
        signingSecret: { kind: 'value', value: secret },
        thingArnPrefix: 'arn:aws:iot:us-east-1:000000000000:thing/',
        jobIdPrefix: 'upkeep',
        documentTtlHours: 168,
      },
    },
    clients,
    logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
  });
  const layers = new PolicyLayerStore(clients.doc, 'upkeep');
  return { planner, layers };
}

describe('Patch Doctor end to end', () => {
  it('assesses, deploys to pilot, remedies 0x800F0922, verifies on restart', async () => {
    const stateDir = tempStateDir();
    const { stack } = await startTestStack(stateDir);
    const machine = patchMachine();
    const agentDir = await mkdtemp(join(tmpdir(), 'upkeep-agent-'));
    onTestFinished(() => rm(agentDir, { recursive: true, force: true }));
    const readers = stackReaders(stack, THING);
    const { planner, layers } = stackPlanner(stack, stateDir);
    await layers.put(
      { kind: 'device', thingName: THING },
      { patches: { ring: 'pilot' } },
      Date.now(),
    );

    // Assess.
    const first = await startWindowsAgent(stack, agentDir, machine.run);
    await readers.helloStored();
    await first.runCheck('patch-assessment');
    await waitFor(
      () => readers.item(keys.device(THING), keys.check('patch-assessment')),
      (check) => check !== undefined,
    );

    // Approve and deploy: the pilot ring gets the approved update.
    const plan = await planner.planClient('local');
    expect(plan).toMatchObject({ state: 'pilot', decision: 'pilot-running' });
    const pilotJob = plan.created[0]?.jobId ?? '';
    expect(plan.created.map((j) => [j.thingNames, j.updates])).toEqual([
      [[THING], [PATCH_KB]],
    ]);

    // The install fails with 0x800F0922; the chain takes over.
    const finding = await waitFor(
      () => readers.finding('wu.installers-failed', PATCH_TITLE),
      (f) => f?.remedy?.remedy === 'retry-update',
      90_000,
    );
    expect(finding?.attempts?.[0]).toMatchObject({
      remedy: 'check-system-partition-space',
      jobStatus: 'FAILED',
    });
    expect(finding?.remedy.params).toEqual({ kb: PATCH_KB });

    // The retry installs and asks for a restart outside working hours.
    await waitFor(
      async () => machine.state.restartsScheduled,
      (n) => n > 0,
      60_000,
    );
    expect(
      machine.scripts.some((s) => s.includes('shutdown.exe /r /t 0 ')),
    ).toBe(true);

    // The restart: the agent goes down, Windows finishes the install.
    await first.stop();
    machine.state.phase = 'restarted';
    await startWindowsAgent(stack, agentDir, machine.run);

    const resolved = await waitFor(
      () => readers.finding('wu.installers-failed', PATCH_TITLE),
      (f) => f?.status === 'resolved' && f?.remedy === undefined,
      90_000,
    );
    const tried = (resolved?.attempts ?? []).map(
      (a: { remedy: string; jobStatus: string; outcome: string }) => [
        a.remedy,
        a.jobStatus,
        a.outcome,
      ],
    );
    expect(tried).toEqual([
      ['check-system-partition-space', 'FAILED', 'failed'],
      ['retry-update', 'SUCCEEDED', 'resolved'],
    ]);
    const pilot = await executionOf(readers.iot, pilotJob, THING);
    expect(pilot?.status).toBe('FAILED');
    expect(pilot?.statusDetails?.detailsMap).toMatchObject({
      reason: 'remedy-failed',
      hresult: '0x800F0922',
    });

    // Compliance through the local HTTP API: nothing missing, nothing
    // failed, no restart due.
    const compliance = await getJson<unknown>(
      stack.apiUrl,
      `/devices/${THING}/patches/compliance`,
    );
    expect(compliance).toMatchObject({ status: 200 });
    expect(compliance.body).toMatchObject({
      thingName: THING,
      missingApproved: { total: 0 },
      failed: 0,
      pendingReboot: false,
      compliant: true,
    });
  }, 240_000);
});
