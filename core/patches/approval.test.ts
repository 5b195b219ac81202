import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../policy.js';
import { effectivePolicy } from '../policy-inheritance.js';
import { approvedIds, approveUpdate, type UpdateFacts } from './approval.js';
import { patchSettings } from './settings.js';

const now = new Date('2026-03-20T12:00:00Z');
const cumulative: UpdateFacts = {
  id: 'KB5053602',
  security: true,
  classification: 'Security Updates',
  severity: 'Critical',
  releasedAt: '2026-03-11T17:00:00Z',
};
const driver: UpdateFacts = {
  id: 'KB5050001',
  security: false,
  classification: 'Drivers',
};
const moderate: UpdateFacts = {
  id: 'KB5051111',
  security: true,
  classification: 'Security Updates',
  severity: 'Moderate',
  releasedAt: '2026-03-18T17:00:00Z',
};
const defaults = patchSettings(DEFAULT_POLICY);

describe('approveUpdate', () => {
  it('approves a security update by classification and rating', () => {
    expect(approveUpdate(cumulative, defaults, { now })).toEqual({
      approved: true,
      reason: 'approved',
    });
    expect(approveUpdate(driver, defaults, { now }).reason).toBe(
      'not-security',
    );
  });

  it('refuses a severity the client does not approve', () => {
    const settings = { ...defaults, severities: ['Critical', 'Important'] };
    expect(approveUpdate(moderate, settings, { now }).reason).toBe(
      'severity-not-approved',
    );
  });

  it('refuses a classification the client does not approve', () => {
    const settings = { ...defaults, classifications: ['Critical Updates'] };
    expect(approveUpdate(cumulative, settings, { now }).reason).toBe(
      'classification-not-approved',
    );
  });

  it('defers an update until its days after release have passed', () => {
    const settings = { ...defaults, deferDays: 7 };
    // Released 2026-03-18 17:00: approved from 2026-03-25 17:00.
    expect(approveUpdate(moderate, settings, { now })).toEqual({
      approved: false,
      reason: 'deferred',
      availableAt: '2026-03-25T17:00:00.000Z',
    });
    const later = new Date('2026-03-25T17:00:01Z');
    expect(approveUpdate(moderate, settings, { now: later }).approved).toBe(
      true,
    );
    // Released 2026-03-11: 9 days old, past the 7.
    expect(approveUpdate(cumulative, settings, { now }).approved).toBe(true);
  });

  it('approves only listed KBs in whitelist mode, in any case', () => {
    const settings = {
      ...defaults,
      mode: 'whitelist' as const,
      whitelist: ['kb5051111', 'KB5050001'],
    };
    expect(
      approvedIds([cumulative, driver, moderate], settings, { now }),
    ).toEqual(['KB5050001', 'KB5051111']);
  });

  it('never approves a blocked KB, not even in an approved category', () => {
    const settings = { ...defaults, blocklist: ['KB5053602'] };
    const emergencies = [
      {
        clientId: 'acme',
        id: 'KB5053602',
        approvedAt: '2026-03-20T08:00:00Z',
        expiresAt: '2026-03-27T08:00:00Z',
      },
    ];
    expect(approveUpdate(cumulative, settings, { now, emergencies })).toEqual({
      approved: false,
      reason: 'blocked',
    });
  });

  it('approves an emergency KB until the approval expires', () => {
    const settings = { ...defaults, mode: 'whitelist' as const };
    const emergencies = [
      {
        clientId: 'acme',
        id: 'KB5050001',
        approvedAt: '2026-03-20T08:00:00Z',
        expiresAt: '2026-03-21T08:00:00Z',
      },
    ];
    expect(approveUpdate(driver, settings, { now, emergencies }).reason).toBe(
      'emergency',
    );
    const after = new Date('2026-03-21T08:00:00Z');
    expect(
      approveUpdate(driver, settings, { now: after, emergencies }).reason,
    ).toBe('not-whitelisted');
  });

  it('approves apt updates by security origin or package whitelist', () => {
    const openssl = { id: 'openssl', security: true };
    const vim = { id: 'vim', security: false };
    expect(approvedIds([openssl, vim], defaults, { now })).toEqual(['openssl']);
    const whitelist = {
      ...defaults,
      mode: 'whitelist' as const,
      whitelist: ['vim'],
    };
    expect(approvedIds([openssl, vim], whitelist, { now })).toEqual(['vim']);
  });

  it('takes a device override of the client through inheritance', () => {
    const policy = effectivePolicy({
      client: { patches: { mode: 'whitelist', whitelist: ['KB5053602'] } },
      device: { patches: { blocklist: ['KB5053602'] } },
    });
    const settings = patchSettings(policy);
    expect(approveUpdate(cumulative, settings, { now }).reason).toBe('blocked');
    expect(settings.rollout.pilotDays).toBe(3);
  });
});
