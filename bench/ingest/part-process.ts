// A part process: takes one measurement (part-protocol.ts) in a process
// of its own, so that each figure starts from a fresh heap and nothing a
// previous run left behind (timers, sockets, garbage) weighs on it.
import { measureHandlerCpu } from './handler-cpu.js';
import type { FromPart, PartRequest } from './part-protocol.js';
import { measureThroughput } from './throughput.js';

function send(message: FromPart) {
  process.send?.(message);
}

async function measure(request: PartRequest) {
  if (request.part === 'throughput') {
    await measureThroughput({
      ...request.options,
      onMeasured: (figures) => send({ type: 'figures', figures }),
    });
  } else {
    send({
      type: 'figures',
      figures: await measureHandlerCpu(request.options),
    });
  }
  send({ type: 'done' });
  process.disconnect?.();
}

// Reported, not swallowed: the benchmark records it with the run.
process.on('uncaughtException', (error) => {
  send({ type: 'crashed', message: error.stack ?? error.message });
  process.exit(1);
});

process.once('message', (request: PartRequest) => {
  measure(request).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    send({ type: 'crashed', message });
    process.exit(1);
  });
});
