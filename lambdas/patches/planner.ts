import type { Logger } from '@aws-lambda-powertools/logger';
import {
  approvedIds,
  type EmergencyApproval,
} from '../../core/patches/approval.js';
import { reportedUpdates } from '../../core/patches/assessment-data.js';
import {
  type DeviceCandidate,
  deploymentGroups,
  waveOf,
} from '../../core/patches/deployment.js';
import {
  EMPTY_COUNTS,
  type PilotState,
  type RingCounts,
  ringDecision,
} from '../../core/patches/rings.js';
import { patchSettings } from '../../core/patches/settings.js';
import { effectivePolicy } from '../../core/policy-inheritance.js';
import { INSTALL_UPDATES_MAX, remedyRunsOn } from '../../core/remedies.js';
import { keys } from '../../core/table.js';
import type { MetaItem } from '../lib/items.js';
import type { PolicyLayerStore } from '../lib/policy-layers.js';
import type { DeploymentJobs, RingJob } from './deployment-jobs.js';
import { newWave, patchKeys, type WaveItem } from './items.js';
import type { PatchStore } from './patch-store.js';

/**
 * The deployment planner (docs/patch-doctor.md), run after each weekly
 * assessment and hourly. For each client, in this order:
 *
 *   1. per device: its effective policy, its stored assessment, the
 *      approved updates it misses and has not been sent this wave;
 *   2. pilot ring: jobs for the pilot devices whose window is open;
 *   3. ring decision from the pilot jobs' counts: wait, promote or halt;
 *   4. promoted: jobs for the broad ring's devices whose window is open;
 *   5. the wave item records jobs and the decision (a conditional write:
 *      two planners at once, the second finds its revision stale and the
 *      jobs it made have the same ids as the first's).
 */
export interface PlannerDeps {
  store: PatchStore;
  policies: Pick<PolicyLayerStore, 'deviceLayers'>;
  jobs: DeploymentJobs;
  logger: Logger;
  now: () => number;
}

export interface ClientPlan {
  clientId: string;
  wave: string;
  state: WaveItem['state'];
  decision?: string;
  failurePercent?: number;
  created: RingJob[];
}

export class PatchPlanner {
  readonly #d: PlannerDeps;

  constructor(deps: PlannerDeps) {
    this.#d = deps;
  }

  async planAll(): Promise<ClientPlan[]> {
    const plans: ClientPlan[] = [];
    for (const clientId of await this.#d.store.clients()) {
      plans.push(await this.planClient(clientId));
    }
    return plans;
  }

  async planClient(clientId: string): Promise<ClientPlan> {
    const nowMs = this.#d.now();
    const wave = waveOf(nowMs);
    const item =
      (await this.#d.store.wave(clientId, wave)) ?? newWave(clientId, wave);
    if (item.state === 'halted') {
      return {
        clientId,
        wave,
        state: item.state,
        decision: item.decision,
        created: [],
      };
    }

    const emergencies = await this.#d.store.emergencies(clientId);
    const devices = await this.#candidates(clientId, wave, emergencies, nowMs);
    const rollout = patchSettings(
      effectivePolicy(devices.clientLayers),
    ).rollout;
    const created: RingJob[] = [];

    const pilot = await this.#send(
      clientId,
      wave,
      devices.list,
      'pilot',
      rollout,
      nowMs,
    );
    created.push(...pilot);
    const next: WaveItem = {
      ...item,
      pilotJobs: unique([...item.pilotJobs, ...pilot.map((j) => j.jobId)]),
    };
    if (next.pilotJobs.length > 0) next.pilotStartedAtMs ??= nowMs;

    const state = await this.#pilotState(next, devices.list, nowMs);
    const decision = ringDecision(state, rollout, nowMs);
    next.decision = decision.reason;
    next.failurePercent = Math.round(decision.failurePercent * 10) / 10;
    next.decidedAt = new Date(nowMs).toISOString();
    if (decision.decision === 'halt') next.state = 'halted';
    if (decision.decision === 'promote') {
      next.state = 'broad';
      const broad = await this.#send(
        clientId,
        wave,
        devices.list,
        'broad',
        rollout,
        nowMs,
      );
      created.push(...broad);
      next.broadJobs = unique([
        ...next.broadJobs,
        ...broad.map((j) => j.jobId),
      ]);
    }

    const saved = await this.#d.store.putWave(next);
    if (next.state === 'halted') {
      // A person decides whether the rest of the fleet gets this month's
      // updates: the pilot failed too often.
      this.#d.logger.warn('patch wave halted', {
        clientId,
        wave,
        reason: decision.reason,
        failurePercent: next.failurePercent,
      });
    }
    this.#d.logger.info('patch wave planned', {
      clientId,
      wave,
      state: next.state,
      decision: decision.reason,
      failurePercent: next.failurePercent,
      jobsCreated: created.filter((j) => j.created).length,
      saved,
    });
    return {
      clientId,
      wave,
      state: next.state,
      decision: decision.reason,
      failurePercent: next.failurePercent,
      created,
    };
  }

  async #candidates(
    clientId: string,
    wave: string,
    emergencies: EmergencyApproval[],
    nowMs: number,
  ) {
    const metas = await this.#d.store.devices(clientId);
    const list: DeviceCandidate[] = [];
    let clientLayers = {};
    for (const meta of metas) {
      const candidate = await this.#candidate(meta, wave, emergencies, nowMs);
      clientLayers = candidate.clientLayers;
      if (candidate.device) list.push(candidate.device);
    }
    if (metas.length === 0) {
      const layers = await this.#d.policies.deviceLayers('-', clientId);
      clientLayers = { msp: layers.msp, client: layers.client };
    }
    return { list, clientLayers };
  }

  async #candidate(
    meta: MetaItem,
    wave: string,
    emergencies: EmergencyApproval[],
    nowMs: number,
  ) {
    const siteId = (meta as MetaItem & { siteId?: string }).siteId;
    const layers = await this.#d.policies.deviceLayers(
      meta.thingName,
      meta.clientId,
      siteId,
    );
    const clientLayers = { msp: layers.msp, client: layers.client };
    const platform = meta.hello?.os.platform;
    const assessment = await this.#d.store.assessment(meta.thingName);
    // A platform without an installer (macOS) would only reject the job
    // and count as a pilot failure; its updates are reported, not sent.
    const installs = platform && remedyRunsOn('install-updates', platform);
    if (!installs || !assessment || assessment.verdict === 'unknown') {
      return { clientLayers };
    }

    const policy = effectivePolicy(layers);
    const settings = patchSettings(policy);
    const approved = approvedIds(reportedUpdates(assessment.data), settings, {
      now: new Date(nowMs),
      emergencies,
    });
    const sent = await this.#d.store.deployments(meta.thingName, wave);
    const done = new Set(sent.flatMap((d) => d.updates));
    const device: DeviceCandidate = {
      thingName: meta.thingName,
      ring: settings.ring,
      timeZone: policy.timeZone ?? 'UTC',
      ...(policy.maintenanceWindow ? { window: policy.maintenanceWindow } : {}),
      platform,
      // One job carries at most INSTALL_UPDATES_MAX; the next hourly run
      // sends the rest as another job of the wave.
      updates: approved
        .filter((id) => !done.has(id))
        .sort()
        .slice(0, INSTALL_UPDATES_MAX),
    };
    return { clientLayers, device };
  }

  async #send(
    clientId: string,
    wave: string,
    devices: DeviceCandidate[],
    ring: 'pilot' | 'broad',
    rollout: Parameters<typeof ringDecision>[1],
    nowMs: number,
  ): Promise<RingJob[]> {
    const jobs: RingJob[] = [];
    for (const group of deploymentGroups(devices, ring, nowMs)) {
      const made = await this.#d.jobs.create({
        clientId,
        wave,
        group,
        rollout,
        nowMs,
      });
      for (const job of made) {
        await this.#record(clientId, wave, ring, job, nowMs);
        jobs.push(job);
      }
    }
    return jobs;
  }

  /** What the job sent each device, so the next run does not send it again. */
  async #record(
    clientId: string,
    wave: string,
    ring: 'pilot' | 'broad',
    job: RingJob,
    nowMs: number,
  ) {
    for (const thingName of job.thingNames) {
      await this.#d.store.putDeployment({
        pk: keys.device(thingName),
        sk: patchKeys.deploy(wave, job.jobId),
        thingName,
        clientId,
        wave,
        ring,
        jobId: job.jobId,
        updates: job.updates,
        createdAt: new Date(nowMs).toISOString(),
      });
    }
  }

  async #pilotState(
    wave: WaveItem,
    devices: DeviceCandidate[],
    nowMs: number,
  ): Promise<PilotState> {
    const waiting = devices.some(
      (d) => d.ring === 'pilot' && d.updates.length > 0,
    );
    let counts: RingCounts = { ...EMPTY_COUNTS };
    let aborted = false;
    for (const jobId of wave.pilotJobs) {
      const job = await this.#d.jobs.counts(jobId);
      counts = addCounts(counts, job.counts);
      aborted ||= job.aborted;
    }
    return {
      empty: wave.pilotJobs.length === 0 && !waiting,
      counts,
      aborted,
      startedAtMs: wave.pilotStartedAtMs ?? nowMs,
    };
  }
}

function addCounts(a: RingCounts, b: RingCounts): RingCounts {
  const sum = { ...a };
  for (const key of Object.keys(sum) as (keyof RingCounts)[]) {
    sum[key] += b[key];
  }
  return sum;
}

function unique(values: string[]) {
  return [...new Set(values)];
}
