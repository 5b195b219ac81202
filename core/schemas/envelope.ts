import * as z from 'zod';

/**
 * What the reports and hello topic rules put on the ingest queue. The rule
 * base64-encodes the raw payload so that a message that is not JSON still
 * reaches the handler and can be dead-lettered with a reason, instead of
 * failing inside the rule. The IoT SQL lives beside it in core/rules.ts.
 */
export const ruleEnvelopeSchema = z
  .object({
    /** The MQTT topic the device published on. */
    topic: z.string().min(1).max(256),
    /** The MQTT client id, which the IoT policy ties to the thing name. */
    clientId: z.string().max(128),
    /** Broker receive time, ms since the epoch. */
    receivedAt: z.number().int().nonnegative(),
    /** The raw payload, base64. */
    payload: z.string(),
  })
  .strict();

export type RuleEnvelope = z.infer<typeof ruleEnvelopeSchema>;
