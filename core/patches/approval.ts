import { isoTime } from '../iso-time.js';
import type { PatchSettings } from './settings.js';

/**
 * The approval model (docs/patch-doctor.md). Pure: the caller passes the
 * clock and the client's emergency approvals.
 *
 *   blocklist ──▶ never          (always wins, even over an emergency)
 *   emergency ──▶ approved       (one KB, one client, until it expires)
 *   whitelist mode ──▶ listed ids only
 *   all-security ──▶ security ∧ classification ∧ severity ∧ defer days
 *
 * Windows updates are named by KB (`KB5034441`), apt updates by package.
 * apt has no classification, rating or release date: there an update is
 * security when it comes from a security origin, and defer days do not
 * apply (the probe cannot date a package).
 */
export interface UpdateFacts {
  /** KB number or package name. */
  id: string;
  security: boolean;
  classification?: string;
  /** MSRC severity: Critical, Important, Moderate, Low. */
  severity?: string;
  /** Release or last deployment change, ISO 8601. */
  releasedAt?: string;
}

/** An approval of one update for one client, outside its rules. */
export interface EmergencyApproval {
  clientId: string;
  id: string;
  approvedAt: string;
  /** ISO 8601; the approval is void from this instant. */
  expiresAt: string;
  approvedBy?: string;
  reason?: string;
}

export const APPROVAL_REASONS = [
  'blocked',
  'emergency',
  'whitelisted',
  'not-whitelisted',
  'not-security',
  'classification-not-approved',
  'severity-not-approved',
  'deferred',
  'approved',
] as const;
export type ApprovalReason = (typeof APPROVAL_REASONS)[number];

export interface ApprovalVerdict {
  approved: boolean;
  reason: ApprovalReason;
  /** For `deferred`: when the update becomes approved. */
  availableAt?: string;
}

export interface ApprovalContext {
  now: Date;
  /** The client's emergency approvals; expired ones are ignored. */
  emergencies?: readonly EmergencyApproval[];
}

const DAY_MS = 86_400_000;

export function approveUpdate(
  update: UpdateFacts,
  settings: PatchSettings,
  context: ApprovalContext,
): ApprovalVerdict {
  const id = normalId(update.id);
  if (settings.blocklist.some((b) => normalId(b) === id)) {
    return { approved: false, reason: 'blocked' };
  }
  if (hasEmergency(id, context)) return { approved: true, reason: 'emergency' };

  if (settings.mode === 'whitelist') {
    const listed = settings.whitelist.some((w) => normalId(w) === id);
    return listed
      ? { approved: true, reason: 'whitelisted' }
      : { approved: false, reason: 'not-whitelisted' };
  }
  return securityRules(update, settings, context.now);
}

function securityRules(
  update: UpdateFacts,
  settings: PatchSettings,
  now: Date,
): ApprovalVerdict {
  if (!update.security) return { approved: false, reason: 'not-security' };
  if (update.classification && !listed(settings.classifications, update)) {
    return { approved: false, reason: 'classification-not-approved' };
  }
  const severity = update.severity?.trim();
  if (severity && !includesWord(settings.severities, severity)) {
    return { approved: false, reason: 'severity-not-approved' };
  }
  const released = update.releasedAt ? Date.parse(update.releasedAt) : NaN;
  if (settings.deferDays > 0 && Number.isFinite(released)) {
    const availableAtMs = released + settings.deferDays * DAY_MS;
    if (availableAtMs > now.getTime()) {
      const availableAt = isoTime(availableAtMs);
      return { approved: false, reason: 'deferred', availableAt };
    }
  }
  return { approved: true, reason: 'approved' };
}

function listed(classifications: string[], update: UpdateFacts) {
  return includesWord(classifications, update.classification ?? '');
}

function includesWord(list: readonly string[], word: string) {
  const wanted = word.trim().toLowerCase();
  return list.some((entry) => entry.trim().toLowerCase() === wanted);
}

function hasEmergency(id: string, context: ApprovalContext) {
  const now = context.now.getTime();
  return (context.emergencies ?? []).some(
    (e) => normalId(e.id) === id && Date.parse(e.expiresAt) > now,
  );
}

/** KB numbers compare without case (`kb5034441`); packages as written. */
export function normalId(id: string): string {
  const trimmed = id.trim();
  return /^kb\d+$/i.test(trimmed) ? trimmed.toUpperCase() : trimmed;
}

/** The approved ids of a device's missing updates, in their order. */
export function approvedIds(
  updates: readonly UpdateFacts[],
  settings: PatchSettings,
  context: ApprovalContext,
): string[] {
  return updates
    .filter((u) => approveUpdate(u, settings, context).approved)
    .map((u) => normalId(u.id));
}
