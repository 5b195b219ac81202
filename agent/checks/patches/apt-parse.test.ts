import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  aptErrorKind,
  isSecurityOrigin,
  parseAptSimulation,
  parseOrigins,
} from './apt-parse.js';

const fixture = (name: string) =>
  readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');

describe('parseAptSimulation on captured Debian 12 output', () => {
  const sim = parseAptSimulation(
    fixture('apt-get-s-dist-upgrade.debian12.txt'),
  );

  it('reads every Inst line and the summary', () => {
    expect(sim?.updates).toHaveLength(144);
    expect(sim?.summary).toEqual({ upgraded: 144, installed: 0, removed: 0 });
    expect(sim?.removals).toEqual([]);
  });

  it('tells the security suite from the point release', () => {
    const byName = new Map(sim?.updates.map((u) => [u.id, u]));

    expect(sim?.updates.filter((u) => u.security)).toHaveLength(93);
    expect(byName.get('libssl3')).toEqual({
      id: 'libssl3',
      version: '3.0.22-1~deb12u2',
      security: true,
    });
    expect(byName.get('base-files')?.security).toBe(false);
    // Offered by both the point release and the security suite.
    expect(byName.get('libgcrypt20')?.security).toBe(true);
  });
});

describe('parseAptSimulation on hand-checked variants', () => {
  const sim = parseAptSimulation(
    fixture('apt-get-s-dist-upgrade.hand-variants.txt'),
  );
  const byName = new Map(sim?.updates.map((u) => [u.id, u]));

  it('reads Ubuntu suites, new packages and removals', () => {
    expect(sim?.updates.map((u) => u.id)).toEqual([
      'libssl3',
      'openssl',
      'linux-image-5.15.0-92-generic',
      'tzdata',
      'google-chrome-stable',
      'libc6',
    ]);
    expect(byName.get('linux-image-5.15.0-92-generic')).toEqual({
      id: 'linux-image-5.15.0-92-generic',
      version: '5.15.0-92.102',
      security: true,
    });
    expect(sim?.removals).toEqual(['linux-image-5.15.0-60-generic']);
    expect(sim?.summary).toEqual({ upgraded: 4, installed: 1, removed: 1 });
  });

  it('counts only security origins as security', () => {
    expect(byName.get('openssl')?.security).toBe(true);
    expect(byName.get('tzdata')?.security).toBe(false);
    expect(byName.get('google-chrome-stable')?.security).toBe(false);
    expect(byName.get('libc6')?.security).toBe(true);
  });
});

describe('apt output edge cases', () => {
  it('reads a simulation without lists as zero, not as unreadable', () => {
    const sim = parseAptSimulation(
      fixture('apt-get-s-dist-upgrade.no-lists.txt'),
    );

    expect(sim).toEqual({
      updates: [],
      removals: [],
      summary: { upgraded: 0, installed: 0, removed: 0 },
    });
  });

  it('rejects output that is not a simulation', () => {
    expect(parseAptSimulation('')).toBeUndefined();
    expect(
      parseAptSimulation('E: Command line option --bogus is not understood'),
    ).toBeUndefined();
  });

  it('splits origins with spaces in the label', () => {
    expect(
      parseOrigins('Google LLC:1.0/stable, Debian:12.15/oldstable'),
    ).toEqual([
      { label: 'Google LLC', suite: 'stable' },
      { label: 'Debian', suite: 'oldstable' },
    ]);
    expect(isSecurityOrigin({ label: 'Ubuntu', suite: 'noble-security' })).toBe(
      true,
    );
  });

  it('names lock, broken and other apt errors', () => {
    expect(
      aptErrorKind(
        'E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by ' +
          'process 4242 (apt)',
      ),
    ).toBe('locked');
    expect(
      aptErrorKind(
        "E: dpkg was interrupted, you must manually run 'dpkg --configure -a'" +
          ' to correct the problem.',
      ),
    ).toBe('broken');
    expect(aptErrorKind('E: Unable to locate package x')).toBe('error');
    expect(
      aptErrorKind('W: Unable to read /nonexistent/ - DirectoryExists'),
    ).toBeUndefined();
  });
});
