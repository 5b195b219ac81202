import type { CatalogueEntry } from '../catalogue/schema.js';
import { type ChainFinding, smartChainFor } from '../catalogue/smart-chains.js';
import type { RemediationPolicy } from '../policy.js';
import {
  checkRemedy,
  isHumanStep,
  remedyRunsOn,
  SOFTWARE_INSTALL_REMEDIES,
} from '../remedies.js';
import type { Severity } from '../verdict.js';
import { type DeviceFacts, productKeys, selectChain } from './products.js';

/**
 * What to do about a finding next: the pure half of the remedy loop. The
 * ingest handler asks when a finding opens (new or back again); the
 * job-events handler asks again after a step did not make it go away.
 */
export interface DecisionInput {
  finding: ChainFinding & { severity: Severity };
  /**
   * The device's other unresolved findings of the same check. A SMART
   * chain is fitted to them (smart-chains.ts): a dying drive gets a backup
   * first and no surface scan. @default none
   */
  related?: readonly ChainFinding[];
  entry: CatalogueEntry | undefined;
  remediation: RemediationPolicy;
  device: DeviceFacts;
  /** Progress in this occurrence of the finding; absent before step one. */
  progress?: {
    /** The chain chosen at step one; later steps keep to it. */
    product: string;
    /** Index in the chain of the step last sent. */
    lastStep: number;
    /** Jobs sent so far in this occurrence. */
    attempts: number;
  };
}

export type EscalationReason =
  /** Policy mode `alert`: a human is told, nothing runs. */
  | 'policy-alert'
  /** The catalogue does not know the code. */
  | 'unknown-code'
  /** No chain for the client's products, or none runs on the platform. */
  | 'no-remedy'
  /** The next step is work for a human (a `*-ticket` step). */
  | 'human-step'
  /** Every step of the chain was tried. */
  | 'chain-end'
  /** The policy's maxAttempts is reached. */
  | 'max-attempts'
  /**
   * The chain's remedy installs software and the policy does not allow it
   * (`installSoftware`); `humanStep` is the install a technician may do.
   */
  | 'install-not-allowed';

export interface JobStep {
  kind: 'job';
  product: string;
  /** Index of the step in the chain. */
  step: number;
  remedy: string;
  params: Record<string, unknown>;
  /** 1 for the first job of this occurrence. */
  attempt: number;
}

export type RemedyDecision =
  | { kind: 'suppress' }
  /** Nothing to do and nobody to tell: info without a remedy. */
  | { kind: 'none' }
  | JobStep
  | {
      kind: 'escalate';
      reason: EscalationReason;
      product?: string;
      /** The ticket step a human should carry out, when the chain has one. */
      humanStep?: { remedy: string; params: Record<string, unknown> };
    };

export function decideRemedy(input: DecisionInput): RemedyDecision {
  const { finding, entry, remediation, progress } = input;
  if (remediation.suppressCodes.includes(finding.code)) {
    return { kind: 'suppress' };
  }
  if (!entry) {
    return finding.severity === 'info' && progress === undefined
      ? { kind: 'none' }
      : { kind: 'escalate', reason: 'unknown-code' };
  }

  const chain = chainFor(input, entry);
  if (!chain) {
    return finding.severity === 'info'
      ? { kind: 'none' }
      : { kind: 'escalate', reason: 'no-remedy' };
  }
  if (remediation.mode === 'alert') {
    return { kind: 'escalate', reason: 'policy-alert', product: chain.product };
  }
  return nextStep(input, chain);
}

function chainFor(input: DecisionInput, entry: CatalogueEntry) {
  const keys = input.progress
    ? [input.progress.product]
    : productKeys(input.remediation.products, input.device);
  const chain = selectChain(entry, keys);
  if (!chain) return undefined;
  const related = [input.finding, ...(input.related ?? [])];
  return {
    ...chain,
    steps: smartChainFor(input.finding, chain.steps, related),
  };
}

function nextStep(
  input: DecisionInput,
  chain: NonNullable<ReturnType<typeof selectChain>>,
): RemedyDecision {
  const attempts = input.progress?.attempts ?? 0;
  const first = (input.progress?.lastStep ?? -1) + 1;
  const escalate = (reason: EscalationReason) =>
    ({ kind: 'escalate', reason, product: chain.product }) as const;

  // The first install the policy kept back: the fix a technician is given
  // when nothing else in the chain runs.
  let withheld: { remedy: string; params: Record<string, unknown> } | null =
    null;
  for (let step = first; step < chain.steps.length; step++) {
    const { remedy, params } = chain.steps[step] as (typeof chain.steps)[0];
    if (isHumanStep(remedy)) {
      return { ...escalate('human-step'), humanStep: { remedy, params } };
    }
    if (!runsOn(remedy, input.device.platform)) continue;

    const checked = checkRemedy(remedy, withContext(remedy, params, input));
    if (!checked.ok) continue;
    if (
      SOFTWARE_INSTALL_REMEDIES.has(remedy) &&
      !input.remediation.installSoftware
    ) {
      withheld ??= { remedy, params: checked.params };
      continue;
    }
    if (attempts >= input.remediation.maxAttempts) {
      return escalate('max-attempts');
    }
    const { product } = chain;
    const attempt = attempts + 1;
    return {
      kind: 'job',
      product,
      step,
      remedy,
      params: checked.params,
      attempt,
    };
  }
  if (withheld) {
    return { ...escalate('install-not-allowed'), humanStep: withheld };
  }
  return escalate(attempts === 0 ? 'no-remedy' : 'chain-end');
}

/** Before the first hello the platform is unknown: any implementation. */
function runsOn(remedy: string, platform: string | undefined) {
  if (platform !== undefined) return remedyRunsOn(remedy, platform);
  return ['win32', 'linux', 'darwin'].some((p) => remedyRunsOn(remedy, p));
}

/** A disk finding's cleanup is aimed at the volume the finding names. */
function withContext(
  remedy: string,
  params: Record<string, unknown>,
  input: DecisionInput,
) {
  if (remedy === 'cleanup' && input.finding.code.startsWith('disk.')) {
    return { ...params, volume: input.finding.subject };
  }
  // A Windows Update step for one update is aimed at the KB the finding's
  // subject (the update's title) names (docs/patch-doctor.md).
  const kb = /\bKB(\d{6,8})\b/i.exec(input.finding.subject)?.[1];
  if (KB_STEPS.has(remedy) && input.finding.code.startsWith('wu.') && kb) {
    return { kb: `KB${kb}`, ...params };
  }
  return params;
}

const KB_STEPS = new Set(['retry-update', 'hide-update', 'stop-update-retry']);
