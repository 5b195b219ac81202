import { reportedUpdates } from '../../core/patches/assessment-data.js';
import {
  type ClientCompliance,
  clientCompliance,
  type DeviceCompliance,
  deviceCompliance,
} from '../../core/patches/compliance.js';
import { patchSettings } from '../../core/patches/settings.js';
import { effectivePolicy } from '../../core/policy-inheritance.js';
import type { MetaItem } from '../lib/items.js';
import type { PolicyLayerStore } from '../lib/policy-layers.js';
import type { PatchStore } from './patch-store.js';

/**
 * Patch compliance from what the table holds: each device's latest
 * assessment, its effective policy, the client's emergency approvals, its
 * open failed-install findings and its newest assessment whose search ran.
 * The same approval model the planner uses, so "missing approved" here is
 * what the planner would send.
 */
export interface ClientComplianceView {
  summary: ClientCompliance;
  devices: DeviceCompliance[];
}

export async function readClientCompliance(
  store: PatchStore,
  policies: Pick<PolicyLayerStore, 'deviceLayers'>,
  clientId: string,
  nowMs: number,
): Promise<ClientComplianceView> {
  const [metas, emergencies] = await Promise.all([
    store.devices(clientId),
    store.emergencies(clientId),
  ]);
  const context = { now: new Date(nowMs), emergencies };
  const devices: DeviceCompliance[] = [];
  for (const meta of metas) {
    devices.push(await readDevice(store, policies, meta, context));
  }
  devices.sort((a, b) => a.thingName.localeCompare(b.thingName));
  return { summary: clientCompliance(clientId, devices), devices };
}

async function readDevice(
  store: PatchStore,
  policies: Pick<PolicyLayerStore, 'deviceLayers'>,
  meta: MetaItem,
  context: Parameters<typeof deviceCompliance>[1],
) {
  const siteId = (meta as MetaItem & { siteId?: string }).siteId;
  const [layers, check, failed, lastGood] = await Promise.all([
    policies.deviceLayers(meta.thingName, meta.clientId, siteId),
    store.assessment(meta.thingName),
    store.failedUpdates(meta.thingName),
    store.lastGoodAssessment(meta.thingName),
  ]);
  const data = check?.data as { rebootPending?: unknown } | undefined;
  return deviceCompliance(
    {
      thingName: meta.thingName,
      clientId: meta.clientId,
      ...(check
        ? {
            assessment: {
              finishedAt: check.finishedAt,
              verdict: check.verdict,
              updates: reportedUpdates(check.data),
              rebootPending:
                typeof data?.rebootPending === 'boolean'
                  ? data.rebootPending
                  : null,
            },
          }
        : {}),
      ...(lastGood ? { lastGoodAssessmentAt: lastGood } : {}),
      failedUpdates: failed.length,
      settings: patchSettings(effectivePolicy(layers)),
    },
    context,
  );
}
