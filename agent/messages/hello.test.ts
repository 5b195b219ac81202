import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { helloSchema } from '../../core/index.js';
import { AGENT_VERSION } from '../version.js';
import { buildHello } from './hello.js';

const base = {
  thingName: 'laptop-0042',
  now: new Date('2026-03-02T09:30:00.000Z'),
  platform: 'linux' as const,
  capabilities: ['disk-space' as const],
  lastRuns: { 'disk-space': '2026-03-01T09:29:58.120Z' },
};

describe('buildHello', () => {
  it('builds a hello the core schema accepts', () => {
    const hello = buildHello({ ...base, policyVersion: 3 });

    expect(helloSchema.parse(hello)).toEqual(hello);
    expect(hello).toMatchObject({
      v: 1,
      deviceId: 'laptop-0042',
      sentAt: '2026-03-02T09:30:00.000Z',
      agentVersion: AGENT_VERSION,
      capabilities: ['disk-space'],
      policyVersion: 3,
      lastRuns: { 'disk-space': '2026-03-01T09:29:58.120Z' },
    });
  });

  it('describes the machine it runs on', () => {
    const hello = buildHello(base);

    expect(hello.os).toEqual({
      platform: 'linux',
      release: os.release(),
      arch: os.arch(),
      hostname: os.hostname(),
    });
  });

  it('names the security products the antivirus check found', () => {
    const hello = buildHello({
      ...base,
      securityProducts: [{ name: 'Bitdefender Antivirus', kind: 'antivirus' }],
    });

    expect(hello.securityProducts).toEqual([
      { name: 'Bitdefender Antivirus', kind: 'antivirus' },
    ]);
    expect(buildHello(base).securityProducts).toEqual([]);
  });

  it('carries the package version', () => {
    expect(AGENT_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('refuses a thing name the back end would reject', () => {
    expect(() => buildHello({ ...base, thingName: 'has space' })).toThrow();
  });
});
