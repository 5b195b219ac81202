import { X509Certificate } from 'node:crypto';
import {
  AddThingToThingGroupCommand,
  AttachPolicyCommand,
  CreateKeysAndCertificateCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DescribeCertificateCommand,
  DescribeEndpointCommand,
  DescribeThingCommand,
  IoTClient,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  UpdateCertificateCommand,
} from '@aws-sdk/client-iot';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadOrCreateLocalCa } from '../pki/local-ca.js';
import { tempStateDir } from '../test-support.js';
import { startIotControlPlane } from './index.js';
import { registryRoutes } from './registry-routes.js';
import { ThingRegistry } from './thing-registry.js';

/** The error a call fails with, caught at once so none goes unhandled. */
function failure(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => new Error('the call succeeded, a failure was expected'),
    (error: unknown) => error,
  );
}

/** The control plane with the registry, on a free port, and an SDK client. */
async function startRegistry(stateDir = tempStateDir()) {
  const ca = await loadOrCreateLocalCa(`${stateDir}/pki`);
  const registry = new ThingRegistry({ ca, stateDir: `${stateDir}/iot` });
  const plane = await startIotControlPlane({ port: 0 });
  plane.serve(registryRoutes(registry));
  const iot = new IoTClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    endpoint: plane.endpoint,
  });
  const stop = async () => {
    iot.destroy();
    await plane.close();
  };
  onTestFinished(stop);
  return { iot, ca, registry, stop, stateDir };
}

describe('the IoT registry stand-in', () => {
  it('creates a thing with its type and attributes, idempotently', async () => {
    const { iot } = await startRegistry();
    const input = {
      thingName: 'acme-1',
      thingTypeName: 'upkeep-endpoint',
      attributePayload: { attributes: { clientId: 'acme', siteId: 'hq' } },
    };

    const first = await iot.send(new CreateThingCommand(input));
    const again = await iot.send(new CreateThingCommand(input));
    const changed = failure(
      iot.send(
        new CreateThingCommand({
          ...input,
          attributePayload: { attributes: { clientId: 'globex' } },
        }),
      ),
    );
    const described = await iot.send(
      new DescribeThingCommand({ thingName: 'acme-1' }),
    );

    expect(again.thingId).toBe(first.thingId);
    expect(first.thingArn).toBe(
      'arn:aws:iot:us-east-1:000000000000:thing/acme-1',
    );
    expect(await changed).toBeInstanceOf(ResourceAlreadyExistsException);
    expect(described).toMatchObject({
      thingTypeName: 'upkeep-endpoint',
      attributes: { clientId: 'acme', siteId: 'hq' },
    });
  });

  it('refuses a thing type and a policy the deployment does not have', async () => {
    const { iot } = await startRegistry();
    const made = await iot.send(
      new CreateKeysAndCertificateCommand({ setAsActive: true }),
    );

    const thing = failure(
      iot.send(
        new CreateThingCommand({ thingName: 'x', thingTypeName: 'printer' }),
      ),
    );
    const policy = failure(
      iot.send(
        new AttachPolicyCommand({
          policyName: 'admin',
          target: made.certificateArn,
        }),
      ),
    );

    expect(await thing).toBeInstanceOf(ResourceNotFoundException);
    expect(await policy).toBeInstanceOf(ResourceNotFoundException);
  });

  it('puts a thing in one group of each hierarchy: its site and a ring', async () => {
    const { iot, registry } = await startRegistry();
    await iot.send(new CreateThingGroupCommand({ thingGroupName: 'client-a' }));
    await iot.send(
      new CreateThingGroupCommand({
        thingGroupName: 'client-a_hq',
        parentGroupName: 'client-a',
      }),
    );
    await iot.send(new CreateThingCommand({ thingName: 'a-1' }));

    await iot.send(
      new AddThingToThingGroupCommand({
        thingGroupName: 'client-a_hq',
        thingName: 'a-1',
      }),
    );
    await iot.send(
      new AddThingToThingGroupCommand({
        thingGroupName: 'upkeep-ring-pilot',
        thingName: 'a-1',
      }),
    );
    const missing = failure(
      iot.send(
        new AddThingToThingGroupCommand({
          thingGroupName: 'client-b',
          thingName: 'a-1',
        }),
      ),
    );
    const sameHierarchy = failure(
      iot.send(
        new AddThingToThingGroupCommand({
          thingGroupName: 'client-a',
          thingName: 'a-1',
        }),
      ),
    );

    expect(await sameHierarchy).toMatchObject({
      name: 'InvalidRequestException',
      message: expect.stringMatching(/one group per hierarchy/),
    });
    expect(registry.thing('a-1').groups).toEqual([
      'client-a_hq',
      'upkeep-ring-pilot',
    ]);
    expect(registry.group('client-a_hq').parentGroupName).toBe('client-a');
    expect(await missing).toBeInstanceOf(ResourceNotFoundException);
  });

  it('signs certificates with the local CA and keeps a revoked one revoked', async () => {
    const { iot, ca } = await startRegistry();
    const made = await iot.send(
      new CreateKeysAndCertificateCommand({ setAsActive: true }),
    );
    const certificateId = made.certificateId as string;

    await iot.send(
      new UpdateCertificateCommand({ certificateId, newStatus: 'REVOKED' }),
    );
    const reactivate = failure(
      iot.send(
        new UpdateCertificateCommand({ certificateId, newStatus: 'ACTIVE' }),
      ),
    );
    const { certificateDescription } = await iot.send(
      new DescribeCertificateCommand({ certificateId }),
    );

    const issued = new X509Certificate(made.certificatePem as string);
    expect(
      issued.verify(new X509Certificate(ca.certificatePem).publicKey),
    ).toBe(true);
    expect(made.keyPair?.PrivateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(await reactivate).toMatchObject({
      name: 'InvalidRequestException',
      message: expect.stringMatching(/revoked/),
    });
    expect(certificateDescription?.status).toBe('REVOKED');
  });

  it('keeps things and certificates across a restart', async () => {
    const first = await startRegistry();
    await first.iot.send(new CreateThingCommand({ thingName: 'kept' }));
    const made = await first.iot.send(
      new CreateKeysAndCertificateCommand({ setAsActive: false }),
    );
    await first.stop();

    const second = await startRegistry(first.stateDir);
    const { certificateDescription } = await second.iot.send(
      new DescribeCertificateCommand({
        certificateId: made.certificateId as string,
      }),
    );

    expect(second.registry.thing('kept').thingName).toBe('kept');
    expect(certificateDescription?.status).toBe('INACTIVE');
    expect(second.ca.certificatePem).toBe(first.ca.certificatePem);
  });

  it('answers DescribeEndpoint with the loopback broker host', async () => {
    const { iot } = await startRegistry();

    const ats = await iot.send(
      new DescribeEndpointCommand({ endpointType: 'iot:Data-ATS' }),
    );
    const credentials = failure(
      iot.send(
        new DescribeEndpointCommand({ endpointType: 'iot:CredentialProvider' }),
      ),
    );

    expect(ats.endpointAddress).toBe('127.0.0.1');
    expect(await credentials).toMatchObject({
      name: 'InvalidRequestException',
      message: expect.stringMatching(/endpointType must be one of/),
    });
  });
});
