import { join } from 'node:path';
import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import type { AgentLogger } from '../../agent/logger.js';
import { effectivePolicy } from '../../core/index.js';
import { readIotFunctionConfig } from '../../lambdas/cycles/config.js';
import { createCyclesHandler } from '../../lambdas/cycles/create-cycles-handler.js';
import { iotPublisher } from '../../lambdas/cycles/publisher.js';
import { type AwsClients, createClients } from '../../lambdas/lib/clients.js';
import type { Env } from '../../lambdas/lib/config.js';
import { PolicyLayerStore } from '../../lambdas/lib/policy-layers.js';
import { createPolicyHandler } from '../../lambdas/policy/create-policy-handler.js';
import { iotPolicyShadow } from '../../lambdas/policy/shadow-port.js';
import { createPresenceHandler } from '../../lambdas/sweep/create-presence-handler.js';
import { createSweepHandler } from '../../lambdas/sweep/create-sweep-handler.js';
import type { LocalBroker, PresenceEvent } from '../broker/broker.js';
import type { Closers } from '../closers.js';
import { startDataPlane } from '../iot-data/data-plane-server.js';
import { createLambdaContext } from '../lambda-context.js';
import { startShadowService } from '../shadow/shadow-service.js';
import { ShadowStore } from '../shadow/shadow-store.js';
import { LocalCycleScheduler } from './local-scheduler.js';
import { patchPlannerJob } from './patch-planner-job.js';

/**
 * The cycles and roaming half of the local stack (docs/cycles.md):
 *
 *   named shadows ◀── IoT data plane (HTTP) ◀── cycles, policy functions
 *        │ MQTT $aws/things/+/shadow/name/+/...       ▲
 *   broker presence events ──▶ presence function      │
 *   local scheduler: cycle schedules, hourly sweep and policy reconcile
 *
 * The functions are the Lambda modules, built from an env record as their
 * handler.ts builds them from process.env.
 */
export const cyclePartsDefaults = {
  /** Policy reconciliation and the sweep, virtual ms. */
  sweepEveryMs: 3_600_000,
  reconcileEveryMs: 3_600_000,
  shadowsFile: 'shadows.json',
};

export interface CyclePartsOptions {
  broker: LocalBroker;
  /** The state folder: shadows.json lives here. */
  stateDir: string;
  /** The Lambda environment of the stack (TABLE_NAME, endpoints...). */
  env: Env;
  credentials: { accessKeyId: string; secretAccessKey: string };
  closers: Closers;
  logger: AgentLogger;
  /** Virtual ms per wall ms for the schedules. @default 1 */
  speed?: number;
}

export interface CycleParts {
  /** The IoT data-plane endpoint override. */
  iotDataEndpoint: string;
  scheduler: LocalCycleScheduler;
}

export async function startCycleParts(
  o: CyclePartsOptions,
): Promise<CycleParts> {
  const store = ShadowStore.open(
    join(o.stateDir, cyclePartsDefaults.shadowsFile),
  );
  const shadows = await startShadowService({ broker: o.broker, store });
  o.closers.add('policy shadows', () => shadows.close());
  shadows.events.on('error', (e) =>
    o.logger.warn('shadow answer not published', e),
  );

  const plane = await startDataPlane({ broker: o.broker, shadows, port: 0 });
  o.closers.add('IoT data plane', () => plane.close());
  plane.events.on('request-failed', (e) =>
    o.logger.error('IoT data plane fault', e),
  );

  const env: Env = {
    ...o.env,
    AWS_ENDPOINT_URL_IOT_DATA_PLANE: plane.endpoint,
  };
  const clients = createClients({
    region: env.AWS_REGION ?? 'us-east-1',
    endpoints: { dynamodb: env.AWS_ENDPOINT_URL_DYNAMODB },
    credentials: o.credentials,
  });
  const iot = new IoTDataPlaneClient({
    endpoint: plane.endpoint,
    region: env.AWS_REGION ?? 'us-east-1',
    credentials: o.credentials,
  });
  o.closers.add('cycle function clients', () => {
    iot.destroy();
    clients.dynamo.destroy();
    clients.sqs.destroy();
  });

  const scheduler = schedulerFor(o, env, clients, iot);
  watchPresence(o, env, clients);
  scheduler.events.on('error', (e) =>
    o.logger.warn('scheduled invocation failed', e),
  );
  scheduler.start();
  o.closers.add('cycle scheduler', () => scheduler.stop());
  return { iotDataEndpoint: plane.endpoint, scheduler };
}

function schedulerFor(
  o: CyclePartsOptions,
  env: Env,
  clients: AwsClients,
  iot: IoTDataPlaneClient,
) {
  const context = (name: string) => createLambdaContext({ functionName: name });
  const config = readIotFunctionConfig('upkeep-cycles', env);
  const layers = new PolicyLayerStore(clients.doc, config.tableName);
  let zones: string[] = ['UTC'];
  const refreshZones = async () => {
    const groups = await layers.listGroups();
    const found = groups.map(
      (g) => effectivePolicy(g.layers).timeZone ?? 'UTC',
    );
    zones = [...new Set(['UTC', ...found])];
  };

  const scheduler: LocalCycleScheduler = new LocalCycleScheduler({
    speed: o.speed,
    timeZones: () => zones,
    fire: (firing) => cycles(firing, context('upkeep-cycles')),
    jobs: [
      {
        name: 'sweep',
        everyMs: cyclePartsDefaults.sweepEveryMs,
        run: () => sweep({}, context('upkeep-sweep')),
      },
      {
        name: 'policy-reconcile',
        everyMs: cyclePartsDefaults.reconcileEveryMs,
        run: async () => {
          await refreshZones();
          return policy({ action: 'reconcile' }, context('upkeep-policy'));
        },
      },
      ...patchPlannerJob(env, o.credentials, o.closers, () => scheduler.now()),
    ],
  });
  const now = () => scheduler.now();
  const cycles = createCyclesHandler({
    config,
    clients,
    publish: iotPublisher(async () => iot),
    now,
  });
  const sweep = createSweepHandler({
    config: readIotFunctionConfig('upkeep-sweep', env),
    clients,
    now,
  });
  const policy = createPolicyHandler({
    config: readIotFunctionConfig('upkeep-policy', env),
    clients,
    shadows: iotPolicyShadow(async () => iot),
    now,
  });
  return scheduler;
}

/** The broker's lifecycle events into the presence function, as the rule. */
function watchPresence(o: CyclePartsOptions, env: Env, clients: AwsClients) {
  const presence = createPresenceHandler({
    config: readIotFunctionConfig('upkeep-presence', env),
    clients,
  });
  o.broker.events.on('presence', (event: PresenceEvent) => {
    presence(
      event,
      createLambdaContext({ functionName: 'upkeep-presence' }),
    ).catch((error: unknown) =>
      o.logger.warn('presence not stored', { error }),
    );
  });
}
