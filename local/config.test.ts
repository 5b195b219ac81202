import { describe, expect, it } from 'vitest';
import { localUsage, parseLocalCommand } from './config.js';

const cwd = '/srv/upkeep';

describe('parseLocalCommand', () => {
  it('uses the documented defaults with no flags and no environment', () => {
    expect(parseLocalCommand([], {}, cwd)).toEqual({
      kind: 'run',
      config: {
        stateDir: '/srv/upkeep/.state',
        mqttPort: 18_830,
        mqttsPort: 18_883,
        apiPort: 18_080,
        sqsPort: 18_324,
        dynamoPort: 18_400,
        iotPort: 18_443,
        agent: true,
      },
    });
  });

  it('prefers a flag, then the environment, then the default', () => {
    const env = { UPKEEP_API_PORT: '9000', UPKEEP_MQTT_PORT: '9001' };

    const parsed = parseLocalCommand(['--api-port', '9100'], env, cwd);

    expect(parsed).toMatchObject({
      config: { apiPort: 9100, mqttPort: 9001, sqsPort: 18_324 },
    });
  });

  it('resolves the state folder against the working directory', () => {
    const fromFlag = parseLocalCommand(['--state', 'data'], {}, cwd);
    const fromEnv = parseLocalCommand([], { UPKEEP_STATE_DIR: '/var/u' }, cwd);

    expect(fromFlag).toMatchObject({
      config: { stateDir: '/srv/upkeep/data' },
    });
    expect(fromEnv).toMatchObject({ config: { stateDir: '/var/u' } });
  });

  it('turns the agent off and names the thing when asked', () => {
    const parsed = parseLocalCommand(
      ['--no-agent', '--thing', 'acme:lt-7'],
      {},
      cwd,
    );

    expect(parsed).toMatchObject({
      config: { agent: false, thingName: 'acme:lt-7' },
    });
  });

  it('answers help for -h and --help', () => {
    expect(parseLocalCommand(['-h'], {}, cwd)).toEqual({ kind: 'help' });
    expect(parseLocalCommand(['--help'], {}, cwd)).toEqual({ kind: 'help' });
  });

  it.each([
    [
      ['--api-port', '29123', '--mqtt-port', '29123'],
      {},
      '--mqtt-port and --api-port both ask for port 29123',
    ],
    [
      [],
      { UPKEEP_SQS_PORT: '29124', UPKEEP_IOT_PORT: '29124' },
      'UPKEEP_SQS_PORT and UPKEEP_IOT_PORT both ask for port 29124',
    ],
    [
      ['--iot-port', '29125'],
      { UPKEEP_MQTTS_PORT: '29125' },
      'UPKEEP_MQTTS_PORT and --iot-port both ask for port 29125',
    ],
    [
      ['--dynamo-port', '18080'],
      {},
      'the default of --api-port and --dynamo-port both ask for port 18080',
    ],
  ])(
    'refuses one port asked for twice, naming what set each: %j %j',
    (argv, env, message) => {
      expect(() => parseLocalCommand(argv, env, cwd)).toThrow(
        `${message}; give each its own`,
      );
    },
  );

  it('lets any number of ports be 0, each picked by the OS', () => {
    const zeros = ['--mqtt-port', '0', '--api-port', '0', '--sqs-port', '0'];

    expect(parseLocalCommand(zeros, {}, cwd)).toMatchObject({
      config: { mqttPort: 0, apiPort: 0, sqsPort: 0 },
    });
  });

  it.each([
    [['--api-port', 'http'], /--api-port must be a port number .* "http"/],
    [
      ['--sqs-port', '70000'],
      /--sqs-port must be an integer from 0 to 65535, got 70000/,
    ],
    [['--bogus'], /Unknown option '--bogus'/],
    [['--thing', 'a b'], /--thing must be 1-128/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseLocalCommand(argv, {}, cwd)).toThrow(message);
  });

  it('names the variable when an environment port is not a number', () => {
    expect(() =>
      parseLocalCommand([], { UPKEEP_DYNAMO_PORT: 'x' }, cwd),
    ).toThrow(/UPKEEP_DYNAMO_PORT must be a port number/);
  });
});

describe('localUsage', () => {
  it('documents every flag with its variable and default', () => {
    const usage = localUsage();

    for (const text of [
      '--state <dir>',
      'UPKEEP_STATE_DIR',
      '--mqtt-port <port>',
      'UPKEEP_MQTT_PORT, default 18830',
      'UPKEEP_API_PORT, default 18080',
      'UPKEEP_SQS_PORT, default 18324',
      'UPKEEP_DYNAMO_PORT, default 18400',
      'UPKEEP_MQTTS_PORT, default 18883',
      'UPKEEP_IOT_PORT, default 18443',
      '--no-agent',
    ]) {
      expect(usage).toContain(text);
    }
    expect(
      Math.max(...usage.split('\n').map((l) => l.length)),
    ).toBeLessThanOrEqual(80);
  });
});
