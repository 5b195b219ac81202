import { describe, expect, it } from 'vitest';
import { parseSimulateArgs, SimulateUsageError } from './cli.js';

describe('parseSimulateArgs', () => {
  it('takes the fleet, the weeks and the output form', () => {
    const command = parseSimulateArgs([
      '--devices',
      '1000',
      '--weeks',
      '4',
      '--json',
    ]);

    expect(command).toMatchObject({ devices: 1000, weeks: 4, json: true });
  });

  it('runs one process for a small fleet unless told otherwise', () => {
    expect(parseSimulateArgs(['--devices', '50'])).toMatchObject({ shards: 1 });
    expect(
      parseSimulateArgs(['--devices', '50', '--shards', '2']),
    ).toMatchObject({
      shards: 2,
    });
  });

  it.each([
    [['--devices', '0'], /--devices must be a number from 1/],
    [['--devices', '2.5'], /--devices must be a whole number/],
    [['--weeks', 'x'], /--weeks must be a number/],
    [['--shard', '2/2'], /--shard is i\/n with i < n/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseSimulateArgs(argv)).toThrow(message);
    expect(() => parseSimulateArgs(argv)).toThrow(SimulateUsageError);
  });

  it('refuses an unknown option', () => {
    expect(() => parseSimulateArgs(['--fleet', '3'])).toThrow(/--fleet/);
  });
});
