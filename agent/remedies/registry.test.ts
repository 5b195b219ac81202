import { describe, expect, it } from 'vitest';
import { REMEDIES, REMEDY_PLATFORMS } from '../../core/index.js';
import { createRemedyRegistry, REMEDY_IMPLEMENTATIONS } from './registry.js';

describe('remedy registry', () => {
  it('implements only allow-listed remedies on allow-listed platforms', () => {
    const outside = REMEDY_IMPLEMENTATIONS.flatMap((r) =>
      r.platforms
        .filter((p) => !(REMEDIES[r.name].platforms as string[]).includes(p))
        .map((p) => `${r.name} on ${p}`),
    );

    expect(outside).toEqual([]);
  });

  it('names what this agent implements on each platform', () => {
    const registry = createRemedyRegistry();

    expect(registry.implemented('linux').sort()).toEqual([
      'apt-install',
      'cleanup',
      'install-updates',
      'rerun-check',
      'start-service',
      'update-av-signatures',
    ]);
    expect(registry.implemented('win32')).toHaveLength(17);
    expect(registry.get('sfc-scannow', 'linux')).toBeUndefined();
    expect(registry.get('sfc-scannow', 'win32')?.name).toBe('sfc-scannow');
  });

  it('has one implementation per name and a known platform for each', () => {
    const names = REMEDY_IMPLEMENTATIONS.map((r) => r.name);

    expect(new Set(names).size).toBe(names.length);
    for (const r of REMEDY_IMPLEMENTATIONS) {
      for (const p of r.platforms) expect(REMEDY_PLATFORMS).toContain(p);
    }
  });
});
