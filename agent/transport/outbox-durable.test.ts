import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, silentLogger } from '../logger.js';
import { startBroker } from '../test-support/broker.js';
import { createMqttSession } from './mqtt-session.js';
import type { OutboxMessage } from './outbox.js';
import {
  DurableOutbox,
  type DurableOutboxOptions,
  OUTBOX_FILE,
} from './outbox-durable.js';
import { encodeRecord, readJournal } from './outbox-journal.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir() {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'upkeep-outbox-'));
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

async function openOutbox(
  dir: string,
  options: Partial<DurableOutboxOptions> = {},
) {
  const outbox = await DurableOutbox.open(dir, {
    logger: silentLogger,
    ...options,
  });
  cleanups.push(() => outbox.close());
  return outbox;
}

const report = (n: number, extra: Partial<OutboxMessage> = {}) => ({
  topic: 'upkeep/v1/devices/laptop-0042/reports',
  payload: `{"reportId":"r${n}"}`,
  ...extra,
});
const payloads = (outbox: DurableOutbox) =>
  outbox.unsent().map((e) => e.payload);

function logLines() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ write: (l) => lines.push(JSON.parse(l)) });
  return { lines, logger };
}

describe('DurableOutbox', () => {
  it('replays what was not acknowledged, oldest first, after a restart', async () => {
    const dir = await tempDir();
    const first = await openOutbox(dir);
    const one = await first.add(report(1));
    await first.add(report(2));
    await first.add(report(3));
    first.acknowledge(one);
    await first.close();

    const second = await openOutbox(dir);

    expect(payloads(second)).toEqual([
      '{"reportId":"r2"}',
      '{"reportId":"r3"}',
    ]);
    expect(second.size).toBe(2);
  });

  it('has the record in the file when add resolves', async () => {
    const dir = await tempDir();
    const outbox = await openOutbox(dir);

    await outbox.add(report(1));

    const journal = readJournal(await fs.readFile(path.join(dir, OUTBOX_FILE)));
    expect(journal.records).toEqual([
      { t: 'put', seq: 1, topic: report(1).topic, payload: report(1).payload },
    ]);
  });

  it('cuts a half-written last record and appends after the cut', async () => {
    const dir = await tempDir();
    const first = await openOutbox(dir);
    await first.add(report(1));
    await first.close();
    const file = path.join(dir, OUTBOX_FILE);
    const intact = (await fs.stat(file)).size;
    const torn = encodeRecord({ t: 'put', seq: 2, ...report(2) });
    await fs.appendFile(file, torn.subarray(0, torn.length - 9));
    const { lines, logger } = logLines();

    const second = await openOutbox(dir, { logger });
    const sizeAfterOpen = (await fs.stat(file)).size;
    await second.add(report(3));
    await second.close();
    const third = await openOutbox(dir);

    expect(sizeAfterOpen).toBe(intact);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'WARN', code: 'outbox-torn-tail' }),
    );
    expect(payloads(third)).toEqual(['{"reportId":"r1"}', '{"reportId":"r3"}']);
  });

  it('skips a damaged record and keeps the ones after it', async () => {
    const dir = await tempDir();
    const first = await openOutbox(dir);
    await first.add(report(1));
    await first.add(report(2));
    await first.close();
    const file = path.join(dir, OUTBOX_FILE);
    const data = await fs.readFile(file);
    data[20] = 0x23;
    await fs.writeFile(file, data);
    const { lines, logger } = logLines();

    const second = await openOutbox(dir, { logger });

    expect(payloads(second)).toEqual(['{"reportId":"r2"}']);
    expect(lines).toContainEqual(
      expect.objectContaining({ code: 'outbox-corrupt-record', records: 1 }),
    );
  });

  it('compacts delivered records away and keeps their receipts', async () => {
    const dir = await tempDir();
    const outbox = await openOutbox(dir, { compactAfterRecords: 6 });
    const entries = [];
    for (const n of [1, 2, 3, 4]) {
      entries.push(await outbox.add(report(n, { receipt: `cycle/${n}` })));
    }

    for (const entry of entries.slice(0, 3)) outbox.acknowledge(entry);
    await outbox.close();
    const data = await fs.readFile(path.join(dir, OUTBOX_FILE));
    const reopened = await openOutbox(dir);

    expect(readJournal(data).records.map((r) => r.t)).toEqual(['meta', 'put']);
    expect(payloads(reopened)).toEqual(['{"reportId":"r4"}']);
    expect(reopened.hasReceipt('cycle/1')).toBe(true);
    expect(reopened.hasReceipt('cycle/4')).toBe(true);
    expect(reopened.hasReceipt('cycle/5')).toBe(false);
  });

  it('compacts on open when the journal holds delivered records', async () => {
    const dir = await tempDir();
    const first = await openOutbox(dir);
    first.acknowledge(await first.add(report(1)));
    await first.add(report(2));
    await first.close();

    await openOutbox(dir);

    const data = await fs.readFile(path.join(dir, OUTBOX_FILE));
    const records = readJournal(data).records;
    expect(records.map((r) => r.t)).toEqual(['meta', 'put']);
    expect(records[0]).toMatchObject({ nextSeq: 3 });
  });

  it('drops the oldest routine report of a check that has a newer one', async () => {
    const dir = await tempDir();
    const { lines, logger } = logLines();
    const outbox = await openOutbox(dir, { maxRecords: 3, logger });
    const smart = { group: 'smart', routine: true };
    const oldSmart = await outbox.add(report(1, smart));
    await outbox.add(report(2, { group: 'disk-space', routine: true }));
    await outbox.add(report(3, smart));

    await outbox.add(report(4, { group: 'disk-space', routine: true }));
    await outbox.close();
    const reopened = await openOutbox(dir);

    await expect(oldSmart.acked).rejects.toMatchObject({
      code: 'outbox-dropped',
    });
    expect(payloads(reopened)).toEqual([
      '{"reportId":"r2"}',
      '{"reportId":"r3"}',
      '{"reportId":"r4"}',
    ]);
    expect(lines).toContainEqual(
      expect.objectContaining({ code: 'outbox-dropped', group: 'smart' }),
    );
    expect(reopened.stats()).toMatchObject({ queued: 3, dropped: 1 });
  });

  it('refuses a report rather than drop the only report of a check', async () => {
    const dir = await tempDir();
    const outbox = await openOutbox(dir, { maxRecords: 2 });
    await outbox.add(report(1, { group: 'smart', routine: true }));
    await outbox.add(report(2, { group: 'disk-space', routine: true }));

    const refused = outbox.add(report(3, { group: 'antivirus' }));

    await expect(refused).rejects.toMatchObject({ code: 'outbox-full' });
    expect(payloads(outbox)).toEqual([
      '{"reportId":"r1"}',
      '{"reportId":"r2"}',
    ]);
  });

  it('refuses to take messages once closed', async () => {
    const outbox = await openOutbox(await tempDir());
    await outbox.close();

    await expect(outbox.add(report(1))).rejects.toMatchObject({
      code: 'outbox-closed',
    });
  });

  it('lets a new session deliver what an earlier process queued offline', async () => {
    const dir = await tempDir();
    const gone = await startBroker();
    await gone.close();
    const offline = createMqttSession({
      brokerUrl: gone.url,
      clientId: 'laptop-0042',
      logger: silentLogger,
      outbox: await openOutbox(dir),
    });
    const queued = await offline.queue(report(1));
    queued.acked.catch(() => undefined);
    await offline.stop();
    const broker = await startBroker({ port: gone.port });
    cleanups.push(() => broker.close());
    const outbox = await openOutbox(dir);

    const online = createMqttSession({
      brokerUrl: broker.url,
      clientId: 'laptop-0042',
      logger: silentLogger,
      outbox,
    });
    cleanups.push(() => online.stop());
    await online.drained();

    expect(broker.published.map((m) => m.payload)).toEqual([
      '{"reportId":"r1"}',
    ]);
    expect(outbox.size).toBe(0);
  });
});
