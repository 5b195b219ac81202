import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SettingsError } from './errors.js';
import { defaults, readSettings } from './settings.js';

const cdkJson = JSON.parse(
  readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'),
) as { context: Record<string, unknown> };

function errorOf(context: Record<string, unknown>): SettingsError {
  try {
    readSettings(context);
  } catch (error) {
    if (error instanceof SettingsError) return error;
    throw error;
  }
  throw new Error('readSettings accepted the context');
}

describe('readSettings', () => {
  it('accepts the context committed in cdk.json', () => {
    const settings = readSettings(cdkJson.context);

    expect(settings.deploymentName).toBe(
      cdkJson.context['upkeep:deploymentName'],
    );
    expect(settings.logRetentionDays).toBe(
      cdkJson.context['upkeep:logRetentionDays'],
    );
  });

  it('takes the defaults for missing keys and ignores non-upkeep keys', () => {
    const settings = readSettings({ 'aws:cdk:bundling-stacks': [] });

    expect(settings).toEqual(defaults);
  });

  it('reads numbers given as strings on the command line', () => {
    const settings = readSettings({
      'upkeep:logRetentionDays': '14',
      'upkeep:reportRetentionDays': '365',
    });

    expect(settings.logRetentionDays).toBe(14);
    expect(settings.reportRetentionDays).toBe(365);
  });

  it('reads rings, token lifetime and the IoT events switch', () => {
    const settings = readSettings({
      'upkeep:rings': ' canary , pilot,broad',
      'upkeep:tokenValidityMinutes': '30',
      'upkeep:manageIotEvents': 'false',
    });

    expect(settings.rings).toEqual(['canary', 'pilot', 'broad']);
    expect(settings.tokenValidityMinutes).toBe(30);
    expect(settings.manageIotEvents).toBe(false);
    expect(readSettings({ 'upkeep:rings': ['pilot'] }).rings).toEqual([
      'pilot',
    ]);
  });

  it('treats an empty alarm e-mail as no subscription', () => {
    expect(readSettings({ 'upkeep:alarmEmail': '' }).alarmEmail).toBe(
      undefined,
    );
    expect(
      readSettings({ 'upkeep:alarmEmail': 'ops@msp.example' }).alarmEmail,
    ).toBe('ops@msp.example');
  });

  it.each([
    ['upkeep:deploymentName', 'Upkeep_Prod', /a-z, 0-9 and "-"/],
    ['upkeep:deploymentName', 'prod-', /not ending with "-"/],
    ['upkeep:logRetentionDays', 15, /one of 1, 3, 5, 7, 14/],
    ['upkeep:logRetentionDays', 9999, /one of 1, 3, 5/],
    ['upkeep:reportRetentionDays', 0, /integer from 1 to 3650/],
    ['upkeep:reportRetentionDays', 1.5, /integer from 1 to 3650/],
    ['upkeep:reportRetentionDays', '30d', /integer from 1 to 3650/],
    ['upkeep:logLevel', 'info', /one of DEBUG, INFO, WARN, ERROR/],
    ['upkeep:alarmEmail', 'ops at msp', /e-mail address/],
    ['upkeep:apiThrottleRateLimit', -1, /integer from 1 to 10000/],
    ['upkeep:rings', '', /1-5 distinct ring names/],
    ['upkeep:rings', 'pilot,Broad', /"Broad" is not one/],
    ['upkeep:rings', 'pilot,pilot', /distinct/],
    ['upkeep:rings', 'a,b,c,d,e,f', /1-5 distinct ring names/],
    ['upkeep:tokenValidityMinutes', 2, /integer from 5 to 1440/],
    ['upkeep:tokenValidityMinutes', 1441, /integer from 5 to 1440/],
    ['upkeep:manageIotEvents', 'yes', /true or false/],
  ])('rejects %s = %j', (key, value, rule) => {
    const error = errorOf({ [key]: value });

    expect(error.code).toBe('SETTING_INVALID');
    expect(error.key).toBe(key);
    expect(error.message).toMatch(rule);
    expect(error.message).toContain(`got ${JSON.stringify(value)}`);
  });

  it('rejects an unknown upkeep key, naming the known ones', () => {
    const error = errorOf({ 'upkeep:logRetentionDay': 30 });

    expect(error.code).toBe('SETTING_UNKNOWN');
    expect(error.message).toMatch(/^upkeep:logRetentionDay: unknown setting/);
    expect(error.message).toContain('upkeep:logRetentionDays');
  });
});
