import type { HandlerCpuFigures, HandlerCpuOptions } from './handler-cpu.js';
import type { ThroughputFigures, ThroughputOptions } from './throughput.js';

/**
 * The IPC messages between the benchmark and a part process, which takes
 * one measurement in a fresh process and exits:
 *
 *   bench                     part process
 *   measure {part, options} →
 *                           ←  figures     (as soon as they are known)
 *                           ←  done        (after stopping what it started)
 *                           ←  crashed     (an uncaught error, at any time)
 */
export type PartRequest =
  | { part: 'throughput'; options: Omit<ThroughputOptions, 'onMeasured'> }
  | { part: 'cpu'; options: HandlerCpuOptions };

export type PartFigures = ThroughputFigures | HandlerCpuFigures;

export type FromPart =
  | { type: 'figures'; figures: PartFigures }
  | { type: 'done' }
  | { type: 'crashed'; message: string };
