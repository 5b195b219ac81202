import { describe, expect, it } from 'vitest';
import { diagnose } from './diagnose.js';

const now = new Date('2024-06-05T00:00:00Z');

/** The `df -ih` half of the NixOS case (nixpkgs #74524), on its own. */
const INODES_EN = [
  'Filesystem     Inodes IUsed IFree IUse% Mounted on',
  'devtmpfs         789K   419  788K    1% /dev',
  'tmpfs            790K   1.1K  789K    1% /run',
  '/dev/sda2        1.6M  1.6M     8  100% /',
  '/dev/sda1           0     0     0     - /boot',
].join('\n');

/** The same listing as a German locale prints it. */
const INODES_DE = [
  'Dateisystem    Inodes IBenutzt IFrei IBenutzt% Eingehängt auf',
  'tmpfs            790K     1,1K  789K         1% /run',
  '/dev/vda1        1,6M     1,6M     8       100% /',
].join('\n');

/** French `df -i` of a healthy machine. */
const INODES_FR = [
  'Sys. de fichiers Inœuds IUtil. ILibre IUti% Monté sur',
  '/dev/sda2          1,6M   310K   1,3M   20% /',
].join('\n');

const judge = (text: string) =>
  diagnose(text, 'disk', { now }).findings.map((f) => f.code);

describe('diagnose: df inode listings on their own', () => {
  it('judges an English df -i listing as inodes: / is out of inodes', () => {
    const result = diagnose(INODES_EN, 'disk', { now });

    expect(result.verdict).toBe('critical');
    expect(result.findings.map((f) => [f.code, f.subject])).toEqual([
      ['disk.inodes-exhausted', '/'],
    ]);
  });

  it('reads a German df -i header as inodes, never as bytes', () => {
    const result = diagnose(INODES_DE, 'disk', { now });

    expect(result.verdict).toBe('critical');
    expect(judge(INODES_DE)).toEqual(['disk.inodes-exhausted']);
    expect(judge(INODES_DE)).not.toContain('disk.below-floor');
  });

  it('gives unknown with a reason for a healthy inode listing', () => {
    const result = diagnose(INODES_FR, 'disk', { now });

    expect(result.verdict).toBe('unknown');
    expect(result.findings.map((f) => f.code)).toEqual([
      'agent.output-unparsed',
    ]);
    expect(result.findings[0]?.detail?.reason).toMatch(/no volume sizes/);
  });

  it('gives unknown and says so for a table whose kind cannot be told', () => {
    const text = [
      'Filesystem     Blocs Occupés Libres Pct Mounted on',
      '/dev/sda2        25G   16G  7.5G  69% /',
    ].join('\n');

    const result = diagnose(text, 'disk', { now });

    expect(result.verdict).toBe('unknown');
    expect(result.findings.map((f) => f.code)).toEqual([
      'agent.output-unparsed',
    ]);
    expect(result.findings[0]?.detail?.reason).toMatch(/unknown kind/);
  });

  it('gives agent.output-unparsed for a listing with no usable row', () => {
    const text = [
      'Filesystem      Size  Used Avail Use% Mounted on',
      '/dev/loop0       56M   56M     0 100% /snap/core18/1988',
    ].join('\n');

    const result = diagnose(text, 'disk', { now });

    expect(result.verdict).toBe('unknown');
    expect(result.findings.map((f) => f.code)).toEqual([
      'agent.output-unparsed',
    ]);
    expect(result.findings[0]?.detail?.reason).toMatch(/read-only-image/);
  });
});
