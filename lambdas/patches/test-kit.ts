import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { IoTClient } from '@aws-sdk/client-iot';
import { onTestFinished } from 'vitest';
import { probeApt } from '../../agent/checks/patches/apt-probe.js';
import { judgePatches } from '../../agent/checks/patches/judge.js';
import { parseWindowsPatch } from '../../agent/checks/patches/windows-parse.js';
import { runCommand } from '../../agent/platform/command.js';
import { DEFAULT_POLICY, policySection } from '../../core/policy.js';
import type { PolicyOverride } from '../../core/policy-inheritance.js';
import { helloSchema } from '../../core/schemas/hello.js';
import { reportSchema } from '../../core/schemas/report.js';
import { ulid } from '../../core/ulid.js';
import { startIotControlPlane } from '../../local/iot/index.js';
import { buildContext } from '../../local/sqs/sqs-event.js';
import { ingestEvent } from '../api/test-kit.js';
import { createIngestHandler } from '../ingest/create-ingest-handler.js';
import { signingKeyFromSecret } from '../lib/job-signing.js';
import { PolicyLayerStore, type PolicyScope } from '../lib/policy-layers.js';
import { envelope, hello } from '../test-support/messages.js';
import { startStack } from '../test-support/stack.js';
import type { PlannerConfig } from './config.js';
import { createPlanner } from './create-planner-handler.js';

/**
 * Test kit of the patch planner: dynalite with the real ingest handler
 * storing devices' hellos and assessments (made by the agent's own judge
 * from the recorded WUA output), the IoT Jobs stand-in's control plane and
 * state machine, and the planner on a clock the test moves.
 */
export const SIGNING_SECRET = 'patch-planner-test-secret-of-32-chars';
const WUA = JSON.parse(
  readFileSync(
    new URL(
      '../../agent/checks/patches/fixtures/wua-three-missing.json',
      import.meta.url,
    ),
    'utf8',
  ),
);

/** A WUA search result of the given updates, as the agent's script prints. */
export function wuaUpdate(
  kb: string,
  fields: {
    classification?: string;
    severity?: string;
    released?: string;
  } = {},
) {
  return {
    Title: `2026-03 Update (KB${kb})`,
    KB: [kb],
    Classification: fields.classification ?? 'Security Updates',
    MsrcSeverity: fields.severity ?? 'Important',
    MaxDownloadSize: 1_000_000,
    RebootBehavior: 1,
    LastDeploymentChangeTime: fields.released ?? '2026-03-10T17:00:00.0000000Z',
  };
}

/**
 * A patch-assessment report as the agent makes it: the agent's judge on
 * the recorded WUA output with `fields` in place of the fixture's
 * (Updates, History, RebootRequired), finished a minute before `nowMs`.
 */
export function assessmentReport(
  thing: string,
  nowMs: number,
  fields: Record<string, unknown>,
) {
  const state = parseWindowsPatch(
    JSON.stringify({ ...WUA, History: [], ...fields }),
  );
  if (!state) throw new Error('WUA fixture does not parse');
  const result = judgePatches(
    { state, problems: [] },
    policySection(DEFAULT_POLICY, 'patches'),
    new Date(nowMs),
  );
  return reportOf(thing, nowMs, result);
}

function reportOf(
  thing: string,
  nowMs: number,
  result: ReturnType<typeof judgePatches>,
) {
  const finishedAt = new Date(nowMs - 60_000).toISOString();
  return reportSchema.parse({
    v: 1,
    reportId: ulid(Date.parse(finishedAt), randomBytes),
    deviceId: thing,
    check: 'patch-assessment',
    trigger: 'schedule',
    startedAt: new Date(nowMs - 90_000).toISOString(),
    finishedAt,
    ...result,
  });
}

export async function plannerKit(start: number) {
  const cleanups: (() => unknown)[] = [];
  onTestFinished(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const stack = await startStack(cleanups);
  const jobs = await startIotControlPlane({ port: 0, now: () => clock.now });
  cleanups.push(() => jobs.close());
  const iot = new IoTClient({
    region: 'us-east-1',
    endpoint: jobs.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  cleanups.push(() => iot.destroy());
  const clock = { now: start };
  const config: PlannerConfig = {
    ...stack.config,
    serviceName: 'upkeep-patch-planner',
    remedies: {
      signingSecret: { kind: 'value', value: SIGNING_SECRET },
      thingArnPrefix: 'arn:aws:iot:us-east-1:000000000000:thing/',
      jobIdPrefix: 'upkeep',
      documentTtlHours: 168,
    },
  };
  const clients = { ...stack.clients, iot };
  const planner = createPlanner({
    config,
    clients,
    logger: stack.logger,
    now: () => clock.now,
  });
  const layers = new PolicyLayerStore(stack.clients.doc, config.tableName);

  const ingest = (clientId: string, bodies: string[]) =>
    createIngestHandler({
      config: { ...stack.config, autoRegisterClientId: clientId },
      clients: stack.clients,
      logger: stack.logger,
    })(ingestEvent(bodies), buildContext('ingest', 10_000, 'us-east-1'));

  return {
    ...stack,
    clock,
    jobs,
    iot,
    config,
    clients,
    planner,
    signingKey: signingKeyFromSecret(SIGNING_SECRET),
    setPolicy: (scope: PolicyScope, layer: PolicyOverride) =>
      layers.put(scope, layer, clock.now),
    /** A Windows device of `clientId` that assessed `updates` missing. */
    async windowsDevice(
      clientId: string,
      thing: string,
      updates: ReturnType<typeof wuaUpdate>[],
    ) {
      const report = assessmentReport(thing, clock.now, { Updates: updates });
      const receivedAt = clock.now - 30_000;
      // One message per batch, hello first: the registration the first
      // message makes is then never raced by the second.
      for (const body of [
        envelope(thing, 'hello', hello(thing), { receivedAt }),
        envelope(thing, 'reports', report, { receivedAt }),
      ]) {
        const out = await ingest(clientId, [body]);
        if (out.batchItemFailures.length > 0) {
          throw new Error(`ingest left ${thing}'s message for retry`);
        }
      }
      return report;
    },
    /**
     * A Linux device of `clientId` whose assessment is this machine's own:
     * the agent's apt probe (`apt-get -s dist-upgrade`) run for real.
     */
    async linuxDevice(clientId: string, thing: string) {
      const probe = await probeApt(runCommand, new Date(clock.now));
      if (!probe.state) throw new Error('apt cannot be assessed here');
      const result = judgePatches(
        probe,
        policySection(DEFAULT_POLICY, 'patches'),
        new Date(clock.now),
      );
      const report = reportOf(thing, clock.now, result);
      const linux = helloSchema.parse({
        ...hello(thing),
        os: { ...hello(thing).os, platform: 'linux', release: '6.1.0' },
      });
      for (const body of [
        envelope(thing, 'hello', linux, { receivedAt: clock.now }),
        envelope(thing, 'reports', report, { receivedAt: clock.now }),
      ]) {
        const out = await ingest(clientId, [body]);
        if (out.batchItemFailures.length > 0) {
          throw new Error(`ingest left ${thing}'s message for retry`);
        }
      }
      return probe.state.updates ?? [];
    },
    /** What the device does with its execution: start it, end it so. */
    finish(jobId: string, thing: string, status: 'SUCCEEDED' | 'FAILED') {
      jobs.service.startNext(thing, {});
      jobs.service.update(thing, jobId, { status });
    },
    document(jobId: string) {
      return JSON.parse(jobs.service.job(jobId).document);
    },
  };
}
