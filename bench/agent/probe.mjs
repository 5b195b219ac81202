// Loaded into a measured process with `node --import` by the explain pass
// only (never into the counted runs). On SIGUSR2 it writes what the
// process has loaded and holds to the file named by
// UPKEEP_BENCH_PROBE_OUT.
import { writeFileSync } from 'node:fs';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';

const out = process.env.UPKEEP_BENCH_PROBE_OUT;

process.on('SIGUSR2', () => {
  if (!out) return;
  const heap = getHeapStatistics();
  const spaces = getHeapSpaceStatistics()
    .filter((s) => s.space_size > 0)
    .map((s) => ({
      name: s.space_name,
      sizeBytes: s.space_size,
      usedBytes: s.space_used_size,
    }));
  const probe = {
    builtinModules: process.moduleLoadList
      .filter((m) => m.startsWith('NativeModule '))
      .map((m) => m.slice('NativeModule '.length)),
    heapUsedBytes: heap.used_heap_size,
    heapPhysicalBytes: heap.total_physical_size,
    mallocedBytes: heap.malloced_memory,
    externalBytes: heap.external_memory,
    spaces,
  };
  writeFileSync(out, JSON.stringify(probe));
});
