import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../policy.js';
import {
  clientCompliance,
  complianceCsv,
  csvField,
  deviceCompliance,
} from './compliance.js';
import { patchSettings } from './settings.js';

const settings = patchSettings(DEFAULT_POLICY);
const now = new Date('2026-03-20T12:00:00Z');
const updates = [
  {
    id: 'KB1',
    security: true,
    classification: 'Security Updates',
    severity: 'Critical',
  },
  {
    id: 'KB2',
    security: true,
    classification: 'Security Updates',
    severity: 'Important',
  },
  { id: 'KB3', security: true, classification: 'Critical Updates' },
  { id: 'KB4', security: false, classification: 'Drivers' },
];

describe('deviceCompliance', () => {
  it('counts approved missing updates by severity', () => {
    const device = deviceCompliance(
      {
        thingName: 'lap-1',
        clientId: 'acme',
        assessment: {
          finishedAt: '2026-03-18T11:05:00Z',
          verdict: 'critical',
          updates,
          rebootPending: false,
        },
        lastGoodAssessmentAt: '2026-03-18T11:05:00Z',
        failedUpdates: 1,
        settings,
      },
      { now },
    );
    expect(device.missingApproved).toEqual({
      critical: 1,
      important: 1,
      moderate: 0,
      low: 0,
      unrated: 1,
      total: 3,
    });
    expect(device).toMatchObject({ failed: 1, compliant: false });
  });

  it('counts nothing from an assessment whose search did not run', () => {
    const device = deviceCompliance(
      {
        thingName: 'lap-2',
        clientId: 'acme',
        assessment: {
          finishedAt: '2026-03-18T11:05:00Z',
          verdict: 'unknown',
          updates,
          rebootPending: null,
        },
        failedUpdates: 0,
        settings,
      },
      { now },
    );
    expect(device.missingApproved.total).toBe(0);
    expect(device.compliant).toBe(false);
    expect(clientCompliance('acme', [device]).neverAssessed).toBe(1);
  });
});

describe('a report whose list was cut', () => {
  const listed = [
    {
      id: 'KB5035845',
      security: true,
      classification: 'Security Updates',
      severity: 'Critical',
      releasedAt: '2026-03-12T00:00:00Z',
    },
  ];
  const withTotals = (totals: { missing: number; approved: number | null }) =>
    deviceCompliance(
      {
        thingName: 'lap-4',
        clientId: 'acme',
        assessment: {
          finishedAt: '2026-03-18T11:05:00Z',
          verdict: 'critical',
          updates: listed,
          totals,
          rebootPending: false,
        },
        failedUpdates: 0,
        settings,
      },
      { now },
    );

  it('takes the agent approved count as the total and marks it partial', () => {
    const device = withTotals({ missing: 129, approved: 86 });

    expect(device.partial).toBe(true);
    expect(device.missingApproved).toMatchObject({ critical: 1, total: 86 });
    expect(clientCompliance('acme', [device])).toMatchObject({
      partial: 1,
      missingApproved: { total: 86 },
    });
    expect(complianceCsv([device]).split('\r\n')[1]).toMatch(
      /^acme,lap-4,1,0,0,0,0,86,true,/,
    );
  });

  it('is not partial when the list holds every missing update', () => {
    const device = withTotals({ missing: 1, approved: 1 });

    expect(device.partial).toBe(false);
    expect(device.missingApproved.total).toBe(1);
  });
});

describe('complianceCsv', () => {
  it('writes a header and one row a device, CRLF', () => {
    const device = deviceCompliance(
      {
        thingName: 'lap-3',
        clientId: 'acme',
        assessment: {
          finishedAt: '2026-03-18T11:05:00Z',
          verdict: 'ok',
          updates: [],
          rebootPending: true,
        },
        lastGoodAssessmentAt: '2026-03-18T11:05:00Z',
        failedUpdates: 0,
        settings,
      },
      { now },
    );
    const lines = complianceCsv([device]).split('\r\n');
    expect(lines[0]).toMatch(/^clientId,thingName,missingCritical,/);
    expect(lines[1]).toBe(
      'acme,lap-3,0,0,0,0,0,0,false,0,true,2026-03-18T11:05:00Z,2026-03-18T11:05:00Z,false',
    );
  });

  it('quotes separators and defuses formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
  });
});
