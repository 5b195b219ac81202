import * as z from 'zod';
import { CYCLES } from '../cycles.js';
import { cycleIdOf } from '../schedule/cycle-window.js';

const isoUtc = z.iso.datetime();

const CYCLE_KINDS = CYCLES.map((c) => c.kind) as [
  (typeof CYCLES)[number]['kind'],
  ...(typeof CYCLES)[number]['kind'][],
];

/**
 * Cloud → agents on `upkeep/v1/groups/{group}/cycles` (QoS1): run the
 * window of a cycle. `cycleId` is `<kind>@<dueAt>` (core/schedule), the id
 * the agent's own catch-up gives the same window, so the agent runs it once
 * whichever arrives first. A message whose id does not match its kind and
 * due time is refused: two names for one window would defeat the dedupe.
 */
export const cycleMessageSchema = z
  .object({
    v: z.literal(1),
    cycleId: z.string().min(1).max(64),
    kind: z.enum(CYCLE_KINDS),
    /** The window's due time, ISO UTC. */
    dueAt: isoUtc,
    /** After this the window is over; a late message is ignored. */
    windowEndsAt: isoUtc,
  })
  .strict()
  .refine((m) => m.cycleId === cycleIdOf(m.kind, Date.parse(m.dueAt)), {
    message: 'cycleId must be <kind>@<dueAt as ISO UTC with ms>',
    path: ['cycleId'],
  })
  .refine((m) => Date.parse(m.windowEndsAt) > Date.parse(m.dueAt), {
    message: 'windowEndsAt must be after dueAt',
    path: ['windowEndsAt'],
  });

export type CycleMessage = z.infer<typeof cycleMessageSchema>;
