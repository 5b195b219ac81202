import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { UpkeepEvent } from '../../core/events.js';
import { deviceTopic } from '../../core/topics.js';
import { DeviceRegistry } from '../../lambdas/lib/device-registry.js';
import { diskReport } from '../../lambdas/test-support/messages.js';
import { verifySignature } from '../../lambdas/webhooks/signature.js';
import { startReceiver } from '../../lambdas/webhooks/test-kit.js';
import { backendDefaults } from '../backend.js';
import { Closers } from '../closers.js';
import {
  connectDevice,
  startTestStack,
  tempStateDir,
  waitFor,
} from '../test-support.js';

/**
 * The whole path on the local stack: a device's report over MQTT, the
 * topic rule, ingest, the finding, the event on the bus, the webhook rule,
 * the delivery queue and a signed POST to a receiver on 127.0.0.1. Two
 * clients' devices report; each client's subscription gets its own
 * client's event only, and an MSP-wide one gets both.
 */
describe('events on the local stack', () => {
  it("delivers finding.opened to the device's client and the MSP only", {
    timeout: 60_000,
  }, async () => {
    // Prepare: the stack, three receivers and their subscriptions.
    const { stack } = await startTestStack(tempStateDir());
    const closers = new Closers();
    onTestFinished(() => closers.closeAll());
    const receivers = {
      local: await startReceiver(closers, [200]),
      globex: await startReceiver(closers, [200]),
      msp: await startReceiver(closers, [200]),
    };
    const msp = await stack.mintToken('msp');
    const globexToken = await stack.mintToken('client:globex');
    const subscribe = async (token: string, body: object) => {
      const response = await fetch(`${stack.apiUrl}/webhooks`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ eventTypes: ['finding.opened'], ...body }),
      });
      expect(response.status).toBe(201);
      return (await response.json()) as {
        webhook: { id: string; clientId: string | null };
        secret: string;
      };
    };
    const local = await subscribe(msp, {
      url: receivers.local.url,
      clientId: 'local',
    });
    const globex = await subscribe(globexToken, { url: receivers.globex.url });
    const wide = await subscribe(msp, { url: receivers.msp.url });
    expect(globex.webhook.clientId).toBe('globex');
    expect(wide.webhook.clientId).toBeNull();

    // A device of client globex, registered as enrolment would.
    const doc = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        region: backendDefaults.region,
        endpoint: stack.dynamoEndpoint,
        credentials: backendDefaults.credentials,
      }),
    );
    onTestFinished(() => doc.destroy());
    await new DeviceRegistry(doc, backendDefaults.tableName).register(
      'GLOBEX-PC-01',
      'globex',
      Date.now(),
    );

    // Act: each device reports a volume below the policy share.
    for (const thing of ['LOCAL-PC-01', 'GLOBEX-PC-01']) {
      const device = await connectDevice(stack.mqttUrl, thing);
      const report = diskReport(thing, {
        finishedAt: new Date().toISOString(),
        cFreeBytes: 5 * 1024 ** 3,
      });
      await device.publishAsync(
        deviceTopic(thing, 'reports'),
        JSON.stringify(report),
        { qos: 1 },
      );
    }
    await waitFor(
      async () => receivers.msp.received.length,
      (n) => n >= 2,
      30_000,
    );
    await waitFor(
      async () =>
        receivers.local.received.length + receivers.globex.received.length,
      (n) => n >= 2,
    );

    // Assess: each receiver got its own tenant's event, signed.
    const bodies = (name: keyof typeof receivers) =>
      receivers[name].received.map((r) => JSON.parse(r.body) as UpkeepEvent);
    expect(bodies('local').map((e) => [e.type, e.clientId])).toEqual([
      ['finding.opened', 'local'],
    ]);
    expect(bodies('local')[0]).toMatchObject({
      device: { thingName: 'LOCAL-PC-01' },
      finding: { code: 'disk.low-percent', subject: 'C:' },
    });
    expect(bodies('globex').map((e) => e.device.thingName)).toEqual([
      'GLOBEX-PC-01',
    ]);
    expect(
      bodies('msp')
        .map((e) => e.clientId)
        .sort(),
    ).toEqual(['globex', 'local']);
    const [delivered] = receivers.local.received;
    expect(
      verifySignature({
        header: delivered?.headers['upkeep-signature'] as string,
        body: delivered?.body ?? '',
        secret: local.secret,
        nowSeconds: Math.floor(Date.now() / 1000),
      }),
    ).toEqual({ ok: true });

    // A client token never reaches another client's subscription.
    const peek = await fetch(
      `${stack.apiUrl}/webhooks/${local.webhook.id}/deliveries`,
      { headers: { authorization: `Bearer ${globexToken}` } },
    );
    expect(peek.status).toBe(404);
    const listed = await fetch(`${stack.apiUrl}/webhooks`, {
      headers: { authorization: `Bearer ${globexToken}` },
    });
    const { webhooks } = (await listed.json()) as {
      webhooks: { id: string }[];
    };
    expect(webhooks.map((w) => w.id)).toEqual([globex.webhook.id]);
  });

  it('refuses a webhook URL beyond this machine in local mode', {
    timeout: 30_000,
  }, async () => {
    const { stack } = await startTestStack(tempStateDir());
    const token = await stack.mintToken('client:acme');

    const response = await fetch(`${stack.apiUrl}/webhooks`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        url: 'http://192.0.2.10/hooks',
        eventTypes: ['finding.opened'],
      }),
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { code: 'url-not-allowed' },
    });
  });
});
