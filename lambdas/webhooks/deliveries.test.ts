import { randomBytes } from 'node:crypto';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import { EVENT_SCHEMA_VERSION, type UpkeepEvent } from '../../core/events.js';
import { ulid } from '../../core/ulid.js';
import { Closers } from '../../local/closers.js';
import { createLambdaContext } from '../../local/lambda-context.js';
import { waitFor } from '../../local/test-support.js';
import { createApiHandler } from '../api/create-api-handler.js';
import { readApiConfig } from '../lib/config.js';
import { EventPublisher } from '../lib/events/publisher.js';
import { httpEvent } from '../test-support/http-event.js';
import { verifySignature } from './signature.js';
import { startEventsKit, startReceiver } from './test-kit.js';

let closers = new Closers();
afterEach(async () => {
  await closers.closeAll();
  closers = new Closers();
});

function findingOpened(clientId: string, thingName: string): UpkeepEvent {
  const id = ulid(Date.now(), randomBytes);
  return {
    version: EVENT_SCHEMA_VERSION,
    id,
    type: 'finding.opened',
    occurredAt: new Date().toISOString(),
    clientId,
    device: { thingName },
    ticketId: id,
    finding: {
      code: 'disk.low-percent',
      subject: 'C:',
      severity: 'warning',
      title: 'Volume is below the policy percent free',
      check: 'disk-space',
    },
    attempts: [],
  };
}

describe('webhook deliveries', () => {
  it('retries a 500 with backoff, logs each attempt, signs with the secret', {
    timeout: 30_000,
  }, async () => {
    // Prepare: a receiver that fails once, then accepts.
    const kit = await startEventsKit(closers);
    const receiver = await startReceiver(closers, [500, 200]);
    const store = await kit.webhooks.subscriptions();
    const { item, secret } = await store.create(
      { clientId: 'acme', url: receiver.url, eventTypes: ['finding.opened'] },
      Date.now(),
    );
    receiver.useSecret(secret);
    const event = findingOpened('acme', 'LAPTOP-7F3K2');

    // Act: the event goes through the real SDK, the bus and its rule.
    const publisher = new EventPublisher(kit.eventBridge, kit.events.bus.name);
    expect((await publisher.publish([event])).size).toBe(0);
    await waitFor(
      async () => receiver.received.length,
      (n) => n >= 2,
    );

    // Assess: one retry of the same event, at least the backoff apart.
    const [first, second] = receiver.received;
    expect(first?.status).toBe(500);
    expect(second?.status).toBe(200);
    expect(second?.headers['upkeep-event-id']).toBe(event.id);
    expect(first?.headers['upkeep-event-id']).toBe(event.id);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(900);
    expect(JSON.parse(second?.body ?? '')).toEqual(event);
    expect(receiver.received.map((r) => r.verified)).toEqual([
      { ok: true },
      { ok: true },
    ]);

    const header = second?.headers['upkeep-signature'] as string;
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const nowSeconds = Math.floor(Date.now() / 1000);
    const body = second?.body ?? '';
    expect(verifySignature({ header, body, secret, nowSeconds })).toEqual({
      ok: true,
    });
    expect(
      verifySignature({ header, body, secret: `${secret}x`, nowSeconds }),
    ).toEqual({ ok: false, reason: 'no-matching-signature' });
    expect(
      verifySignature({ header, body: `${body} `, secret, nowSeconds }),
    ).toEqual({ ok: false, reason: 'no-matching-signature' });
    expect(
      verifySignature({ header, body, secret, nowSeconds: nowSeconds + 301 }),
    ).toEqual({ ok: false, reason: 'outside-tolerance' });

    // The delivery log, read through the HTTP API handler.
    const api = createApiHandler({
      config: readApiConfig(kit.env),
      clients: { doc: kit.clients.doc, iot: undefined as never },
    });
    const log = await waitFor(
      () =>
        api(
          httpEvent('GET', `/webhooks/${item.id}/deliveries`, {
            claims: { upkeep_scope: 'client:acme', sub: 'tech-1' },
          }),
          createLambdaContext({ functionName: 'api' }),
        ),
      (r) => JSON.parse(String(r.body)).deliveries?.length === 2,
    );
    const { deliveries } = JSON.parse(String(log.body));
    expect(deliveries.map((d: { result: string }) => d.result)).toEqual([
      'delivered',
      'retrying',
    ]);
    expect(deliveries[1]).toMatchObject({
      attempt: 1,
      status: 500,
      error: 'HTTP 500',
      eventId: event.id,
    });
    expect(deliveries[0]).toMatchObject({ attempt: 2, status: 200 });
    expect(deliveries[0].latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('does not retry a 404, and dead-letters after the last attempt', {
    timeout: 30_000,
  }, async () => {
    const kit = await startEventsKit(closers, { WEBHOOK_MAX_ATTEMPTS: '2' });
    const gone = await startReceiver(closers, [404]);
    const down = await startReceiver(closers, [503]);
    const store = await kit.webhooks.subscriptions();
    const types = ['finding.opened' as const];
    const a = await store.create(
      { clientId: 'acme', url: gone.url, eventTypes: types },
      Date.now(),
    );
    const b = await store.create(
      { clientId: 'acme', url: down.url, eventTypes: types },
      Date.now(),
    );

    const publisher = new EventPublisher(kit.eventBridge, kit.events.bus.name);
    await publisher.publish([findingOpened('acme', 'LAPTOP-7F3K2')]);
    await waitFor(
      () => kit.webhooks.log.list(b.item.id),
      (log) => log.some((d) => d.result === 'dead-lettered'),
    );

    expect(gone.received).toHaveLength(1);
    expect(down.received).toHaveLength(2);
    const rejected = await kit.webhooks.log.list(a.item.id);
    expect(rejected.map((d) => [d.result, d.status])).toEqual([
      ['rejected', 404],
    ]);
    const sqs = kit.clients.sqs;
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: kit.events.queueUrls.deadLetter,
        MessageAttributeNames: ['All'],
      }),
    );
    expect(Messages).toHaveLength(1);
    expect(Messages[0]?.MessageAttributes?.reason?.StringValue).toBe(
      'attempts-exhausted',
    );
    expect(JSON.parse(Messages[0]?.Body ?? '{}')).toMatchObject({
      subscriptionId: b.item.id,
      attempt: 2,
    });
  });

  it('signs with both secrets in a rotation; a deleted one gets nothing', {
    timeout: 30_000,
  }, async () => {
    const kit = await startEventsKit(closers);
    const receiver = await startReceiver(closers, [200]);
    const store = await kit.webhooks.subscriptions();
    const { item, secret: old } = await store.create(
      { url: receiver.url, eventTypes: ['finding.opened'] },
      Date.now(),
    );
    const fresh = await store.rotate(item, Date.now());
    const publisher = new EventPublisher(kit.eventBridge, kit.events.bus.name);

    await publisher.publish([findingOpened('globex', 'GLOBEX-PC-01')]);
    await waitFor(
      async () => receiver.received.length,
      (n) => n === 1,
    );

    const [delivery] = receiver.received;
    const header = delivery?.headers['upkeep-signature'] as string;
    expect(header.match(/v1=/g)).toHaveLength(2);
    const check = (secret: string) =>
      verifySignature({
        header,
        body: delivery?.body ?? '',
        secret,
        nowSeconds: Math.floor(Date.now() / 1000),
      }).ok;
    expect([check(fresh), check(old), check(`${old}x`)]).toEqual([
      true,
      true,
      false,
    ]);
    expect(fresh).not.toBe(old);
    const stored = JSON.stringify(await store.get(item.id));
    expect(stored).not.toContain(fresh);
    expect(stored).not.toContain(old);

    // Deleted: the next event finds no subscription and nothing is sent.
    expect(await store.delete(item.id)).toBe(true);
    await publisher.publish([findingOpened('globex', 'GLOBEX-PC-01')]);
    await kit.events.bus.drain();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(receiver.received).toHaveLength(1);
  });
});
