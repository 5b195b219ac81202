import { afterEach, describe, expect, it } from 'vitest';
import { catalogueEntry } from '../../core/catalogue/index.js';
import { decideRemedy } from '../../core/scoring/decide.js';
import { startStack, TABLE_NAME } from '../test-support/stack.js';
import { ClientPolicyReader } from './client-policy.js';
import { PolicyLayerStore } from './policy-layers.js';

/**
 * The software-install gate of the remedy loop: the policy layers in
 * dynalite, read by the loop's own reader, decide whether `apt-install`
 * is sent for a Linux laptop without antivirus or handed to a technician.
 */
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const finding = {
  code: 'av.product-missing',
  subject: 'antivirus',
  severity: 'critical' as const,
};
const linux = { platform: 'linux', securityProducts: [] };

async function gate() {
  const { clients } = await startStack(cleanups);
  const layers = new PolicyLayerStore(clients.doc, TABLE_NAME);
  const reader = new ClientPolicyReader(clients.doc, TABLE_NAME);
  const decide = async (thingName: string) =>
    decideRemedy({
      finding,
      entry: catalogueEntry(finding.code),
      remediation: await reader.remediation({ thingName, clientId: 'acme' }),
      device: linux,
    });
  return { layers, decide };
}

describe('software installs in the remedy loop', () => {
  it('hands the install to a technician by default, with the fix', async () => {
    const { decide } = await gate();

    expect(await decide('acme-lap-1')).toEqual({
      kind: 'escalate',
      reason: 'install-not-allowed',
      product: 'apt',
      humanStep: { remedy: 'apt-install', params: { package: 'clamav' } },
    });
  });

  it('sends apt-install where the inherited policy allows it', async () => {
    const { layers, decide } = await gate();
    await layers.put(
      { kind: 'client', clientId: 'acme' },
      { remediation: { installSoftware: true } },
      Date.now(),
    );
    await layers.put(
      { kind: 'device', thingName: 'acme-kiosk' },
      { remediation: { installSoftware: false } },
      Date.now(),
    );

    expect(await decide('acme-lap-1')).toEqual({
      kind: 'job',
      product: 'apt',
      step: 0,
      remedy: 'apt-install',
      params: { package: 'clamav' },
      attempt: 1,
    });
    expect(await decide('acme-kiosk')).toMatchObject({
      kind: 'escalate',
      reason: 'install-not-allowed',
    });
  });
});
