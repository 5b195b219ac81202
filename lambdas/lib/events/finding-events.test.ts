import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { afterEach, describe, expect, it } from 'vitest';
import type { UpkeepEvent } from '../../../core/events.js';
import { Closers } from '../../../local/closers.js';
import { diskReport } from '../../test-support/messages.js';
import { startEventsKit, TABLE } from '../../webhooks/test-kit.js';
import { FindingLifecycle } from '../finding-lifecycle.js';
import { ReportWriter } from '../report-writer.js';
import { EventSender } from './event-sender.js';
import { FindingEvents } from './finding-events.js';
import { Outbox } from './outbox.js';
import { EventPublisher } from './publisher.js';

let closers = new Closers();
afterEach(async () => {
  await closers.closeAll();
  closers = new Closers();
});

const H = 3_600_000;
const T0 = Date.parse('2026-12-01T09:00:00.000Z');
const THING = 'LAPTOP-7F3K2';

/**
 * Reports of one device's disk-space check through the real writer, the
 * reconciler after each (as ingest runs it), and every event the bus
 * routed, read from a rule of its own.
 */
async function setUp() {
  const kit = await startEventsKit(closers);
  const seen = kit.capture();
  let clock = T0;
  const events = kit.findingEvents(() => clock);
  const writer = new ReportWriter(kit.clients.doc, TABLE);
  const context = { thingName: THING, clientId: 'acme', receivedAtMs: T0 };

  /** A report at `atMs`: the C: volume low (`low`) or fine. */
  const report = async (atMs: number, low: boolean) => {
    clock = atMs;
    const r = diskReport(THING, {
      finishedAt: new Date(atMs).toISOString(),
      ...(low ? { cFreeBytes: 5 * 1024 ** 3 } : {}),
    });
    await writer.write(r, context, Math.floor(atMs / 1000) + 86_400);
    await events.reconcileCheck(THING, 'disk-space');
    await kit.events.bus.drain();
    return r;
  };
  /** The same report again, as SQS or the agent's outbox resends it. */
  const redeliver = async (r: ReturnType<typeof diskReport>) => {
    await writer.write(r, context, Math.floor(clock / 1000) + 86_400);
    await events.reconcileCheck(THING, 'disk-space');
    await kit.events.bus.drain();
  };
  const details = () => seen.map((e) => e.detail as UpkeepEvent);
  return {
    kit,
    events,
    report,
    redeliver,
    details,
    setClock: (t: number) => (clock = t),
  };
}

describe('finding events', () => {
  it('opens one ticket, and a redelivered report sends nothing again', {
    timeout: 20_000,
  }, async () => {
    const { report, redeliver, details } = await setUp();

    const first = await report(T0, true);
    await redeliver(first);

    const [opened, ...rest] = details();
    expect(rest).toEqual([]);
    expect(opened).toMatchObject({
      type: 'finding.opened',
      clientId: 'acme',
      device: { thingName: THING },
      finding: { code: 'disk.low-percent', subject: 'C:', check: 'disk-space' },
      occurredAt: new Date(T0).toISOString(),
      attempts: [],
    });
    expect(opened?.ticketId).toBe(opened?.id);
    expect(opened?.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('sends one flapping note for a finding that keeps coming back', {
    timeout: 20_000,
  }, async () => {
    // Oracle: within the window, opened once, resolved once, then a single
    // escalated(flapping); later flaps send nothing until it stays away.
    const { report, details, kit, events, setClock } = await setUp();

    await report(T0, true);
    await report(T0 + 1 * H, false);
    await report(T0 + 2 * H, true);
    await report(T0 + 3 * H, false);
    await report(T0 + 4 * H, true);
    await report(T0 + 5 * H, false);

    const types = details().map((d) => [d.type, 'reason' in d && d.reason]);
    expect(types).toEqual([
      ['finding.opened', false],
      ['finding.resolved', 'gone'],
      ['finding.escalated', 'flapping'],
    ]);
    const ticket = details()[0]?.id;
    expect(details().every((d) => d.ticketId === ticket)).toBe(true);
    const note = details()[2];
    expect(note?.type === 'finding.escalated' && note.flapping).toEqual({
      resolvedAt: new Date(T0 + 1 * H).toISOString(),
      reopenedAt: new Date(T0 + 2 * H).toISOString(),
      windowSeconds: 86_400,
    });

    // Quiet for the whole window: the sweep sends the resolution once.
    setClock(T0 + 5 * H + 24 * H - 1);
    expect((await events.sender.sweep(events.stillHolds)).sent).toBe(0);
    setClock(T0 + 5 * H + 24 * H + 1);
    const swept = await events.sender.sweep(events.stillHolds);
    await kit.events.bus.drain();
    expect(swept).toMatchObject({ sent: 1, cancelled: 0 });
    expect(details().at(-1)).toMatchObject({
      type: 'finding.resolved',
      reason: 'stable',
      ticketId: ticket,
    });

    // Back after the window: a new ticket.
    await report(T0 + 40 * H, true);
    const last = details().at(-1);
    expect(last?.type).toBe('finding.opened');
    expect(last?.ticketId).not.toBe(ticket);
    expect(details()).toHaveLength(5);
  });

  it('drops the scheduled resolution when the finding comes back', {
    timeout: 20_000,
  }, async () => {
    const { report, details, events, setClock } = await setUp();
    await report(T0, true);
    await report(T0 + 1 * H, false);
    await report(T0 + 2 * H, true);
    await report(T0 + 3 * H, false);
    await report(T0 + 20 * H, true);

    setClock(T0 + 3 * H + 25 * H);
    const swept = await events.sender.sweep(events.stillHolds);

    expect(swept).toMatchObject({ sent: 0, cancelled: 1 });
    expect(details().map((d) => d.type)).toEqual([
      'finding.opened',
      'finding.resolved',
      'finding.escalated',
    ]);
  });

  it('keeps an event whose put failed and sends it from the sweep', {
    timeout: 20_000,
  }, async () => {
    // Prepare: a reconciler whose EventBridge endpoint refuses connections.
    const { kit, details } = await setUp();
    const deadBus = new EventBridgeClient({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    closers.add('dead client', () => deadBus.destroy());
    let clock = T0;
    const outbox = new Outbox(kit.clients.doc, TABLE);
    const failing = new FindingEvents({
      doc: kit.clients.doc,
      tableName: TABLE,
      flapWindowMs: 24 * H,
      sender: new EventSender({
        outbox,
        publisher: new EventPublisher(deadBus, kit.events.bus.name),
        logger: kit.logger,
        now: () => clock,
      }),
    });
    const writer = new ReportWriter(kit.clients.doc, TABLE);
    const r = diskReport(THING, {
      finishedAt: new Date(T0).toISOString(),
      cFreeBytes: 5 * 1024 ** 3,
    });
    const context = { thingName: THING, clientId: 'acme', receivedAtMs: T0 };
    await writer.write(r, context, Math.floor(T0 / 1000) + 86_400);

    // Act: the put fails; a later sweep with a working client sends it.
    const ids = await failing.reconcileCheck(THING, 'disk-space');
    expect(ids).toHaveLength(1);
    expect(details()).toEqual([]);
    const pending = await outbox.due(T0 + 1);
    expect(pending.map((p) => [p.eventId, p.status, p.tries])).toEqual([
      [ids[0], 'pending', 1],
    ]);
    clock = T0 + 2 * 60_000;
    const working = kit.findingEvents(() => clock);
    const swept = await working.sender.sweep(working.stillHolds);
    await kit.events.bus.drain();

    // Assess: sent once, and no longer pending.
    expect(swept).toMatchObject({ due: 1, sent: 1 });
    expect(details().map((d) => d.id)).toEqual(ids);
    expect(await outbox.due(clock + 1)).toEqual([]);
  });

  it('sends the escalation as soon as the remedy loop stores it', {
    timeout: 20_000,
  }, async () => {
    // Oracle: the lifecycle's hook reconciles the finding, so a ticket
    // escalated outside ingest (the job-events function) is sent at once.
    const { kit, report, details } = await setUp();
    await report(T0, true);
    const events = kit.findingEvents(() => T0 + H);
    const lifecycle = new FindingLifecycle(
      kit.clients.doc,
      TABLE,
      events.reconcileKey.bind(events),
    );
    const key = { pk: `DEVICE#${THING}`, sk: 'FINDING#disk.low-percent#C:' };

    const escalated = await lifecycle.escalate(
      key,
      {
        reason: 'policy-alert',
        occurrence: 1,
        escalatedAt: new Date(T0 + H).toISOString(),
      },
      {
        score: 40,
        band: 'medium',
        factors: { severity: 20, recurrence: 0, daysOpen: 0, role: 1 },
        scoredAt: new Date(T0 + H).toISOString(),
      },
      { status: 'open' },
    );
    await kit.events.bus.drain();

    expect(escalated).toBe(true);
    expect(details().map((d) => d.type)).toEqual([
      'finding.opened',
      'finding.escalated',
    ]);
    expect(details()[1]).toMatchObject({
      reason: 'remedy-loop',
      detail: 'policy-alert',
      ticketId: details()[0]?.id,
    });
  });
});
