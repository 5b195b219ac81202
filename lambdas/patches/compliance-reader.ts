import {
  reportedTotals,
  reportedUpdates,
} from '../../core/patches/assessment-data.js';
import {
  type ClientCompliance,
  clientCompliance,
  type DeviceCompliance,
  deviceCompliance,
} from '../../core/patches/compliance.js';
import { waveOf } from '../../core/patches/deployment.js';
import { patchSettings } from '../../core/patches/settings.js';
import { effectivePolicy } from '../../core/policy-inheritance.js';
import type { MetaItem } from '../lib/items.js';
import type { PolicyLayerStore } from '../lib/policy-layers.js';
import type { WaveItem } from './items.js';
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
  wave: WaveView | null;
}

/** Where this month's deployment stands: a halted wave needs a human. */
export interface WaveView {
  wave: string;
  state: WaveItem['state'];
  decision: string | null;
  failurePercent: number | null;
  decidedAt: string | null;
}

export async function readClientCompliance(
  store: PatchStore,
  policies: Pick<PolicyLayerStore, 'deviceLayers'>,
  clientId: string,
  nowMs: number,
): Promise<ClientComplianceView> {
  const [metas, emergencies, wave] = await Promise.all([
    store.devices(clientId),
    store.emergencies(clientId),
    store.wave(clientId, waveOf(nowMs)),
  ]);
  const context = { now: new Date(nowMs), emergencies };
  const devices: DeviceCompliance[] = [];
  for (const meta of metas) {
    devices.push(await readDevice(store, policies, meta, context));
  }
  devices.sort((a, b) => a.thingName.localeCompare(b.thingName));
  return {
    summary: clientCompliance(clientId, devices),
    devices,
    wave: wave
      ? {
          wave: wave.wave,
          state: wave.state,
          decision: wave.decision ?? null,
          failurePercent: wave.failurePercent ?? null,
          decidedAt: wave.decidedAt ?? null,
        }
      : null,
  };
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
              totals: reportedTotals(check.data),
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
