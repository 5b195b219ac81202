import {
  type DeviceChannel,
  parseDeviceTopic,
  reportSchema,
  ruleEnvelopeSchema,
} from '../core/index.js';

/**
 * The human lines `upkeep local` prints on stdout, one per message the
 * ingest handler has finished with:
 *
 *   report    laptop-7  disk-space  warning  2 findings
 *   hello     laptop-7  agent 0.1.0
 *   rejected  dev-a     thing-mismatch
 */
export type IngestOutcome =
  | {
      kind: 'report';
      thingName: string;
      check: string;
      verdict: string;
      findings: number;
    }
  | { kind: 'hello'; thingName: string; agentVersion: string }
  | { kind: 'rejected'; thingName: string; reason: string };

export function formatOutcome(outcome: IngestOutcome): string {
  const head = `${outcome.kind.padEnd(8)}  ${outcome.thingName}`;
  switch (outcome.kind) {
    case 'report': {
      const noun = outcome.findings === 1 ? 'finding' : 'findings';
      const { check, verdict, findings } = outcome;
      return `${head}  ${check}  ${verdict}  ${findings} ${noun}`;
    }
    case 'hello':
      return `${head}  agent ${outcome.agentVersion}`;
    case 'rejected':
      return `${head}  ${outcome.reason}`;
  }
}

/**
 * What a queue message that ingest accepted says, read from the rule
 * envelope. Undefined for a message ingest would not accept; the caller only
 * asks about messages that were not dead-lettered.
 */
export function acceptedOutcome(body: string): IngestOutcome | undefined {
  const envelope = ruleEnvelopeSchema.safeParse(parseJson(body));
  if (!envelope.success) return undefined;
  const device = parseDeviceTopic(envelope.data.topic);
  if (!device) return undefined;

  const payload = parseJson(
    Buffer.from(envelope.data.payload, 'base64').toString('utf8'),
  );
  return describe(device.channel, device.thingName, payload);
}

/** The thing a rejected message's topic names, or '-' when there is none. */
export function rejectedOutcome(body: string, reason: string): IngestOutcome {
  const envelope = ruleEnvelopeSchema.safeParse(parseJson(body));
  const thingName = envelope.success
    ? (parseDeviceTopic(envelope.data.topic)?.thingName ?? '-')
    : '-';
  return { kind: 'rejected', thingName, reason };
}

function describe(
  channel: DeviceChannel,
  thingName: string,
  payload: unknown,
): IngestOutcome | undefined {
  if (channel === 'hello') {
    const version = (payload as { agentVersion?: unknown })?.agentVersion;
    return { kind: 'hello', thingName, agentVersion: String(version ?? '?') };
  }

  const report = reportSchema.safeParse(payload);
  if (!report.success) return undefined;
  return {
    kind: 'report',
    thingName,
    check: report.data.check,
    verdict: report.data.verdict,
    findings: report.data.findings.length,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
