import { assertTimeZone } from '../../core/schedule/zoned-time.js';
import { SETTINGS_ERROR_CODES, SettingsError } from './errors.js';

/**
 * The settings one MSP chooses for its deployment, read from the CDK context
 * (`cdk.json` "context", or `cdk synth -c upkeep:<name>=<value>`). Every key
 * is documented in docs/deploy.md. Values given with `-c` arrive as strings,
 * so numbers are accepted in either form.
 */
export const CONTEXT_PREFIX = 'upkeep:';

export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The retention periods CloudWatch Logs accepts, days. "Never expire" is left
 * out on purpose: logs name devices and clients, and unbounded logs are
 * unbounded cost.
 */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827,
  2192, 2557, 2922, 3288, 3653,
] as const;

export interface UpkeepSettings {
  /** Names the stack and prefixes the account-wide names (rules, policy). */
  deploymentName: string;
  /** Retention of every log group of the stack, days. */
  logRetentionDays: number;
  /** Days report history items live before DynamoDB TTL drops them. */
  reportRetentionDays: number;
  /** Powertools log level of the functions. */
  logLevel: LogLevel;
  /** Address subscribed to the alarm topic; undefined subscribes nobody. */
  alarmEmail: string | undefined;
  /** Steady-state request rate the HTTP API allows, requests per second. */
  apiThrottleRateLimit: number;
  /** Burst the HTTP API allows above the rate, requests. */
  apiThrottleBurstLimit: number;
  /**
   * IANA zones of the clients: each cron cycle gets a schedule per zone
   * (infra/lib/cycle-schedules.ts). A client in another zone still runs
   * its cycles on its agents' clocks, without cloud triggers.
   */
  cycleTimeZones: string[];
  /**
   * Patch rings, first to last: one IoT thing group each under the fleet
   * group (infra/lib/fleet.ts). A deployment reaches the first ring first.
   */
  rings: string[];
  /** Lifetime of the ID and access tokens users sign in for, minutes. */
  tokenValidityMinutes: number;
  /**
   * Whether the stack turns on IoT job and job execution events for the
   * account and region (account-wide; infra/lib/iot-events.ts).
   */
  manageIotEvents: boolean;
}

export const defaults: UpkeepSettings = {
  deploymentName: 'upkeep',
  logRetentionDays: 30,
  reportRetentionDays: 90,
  logLevel: 'INFO',
  alarmEmail: undefined,
  apiThrottleRateLimit: 50,
  apiThrottleBurstLimit: 100,
  cycleTimeZones: ['UTC'],
  rings: ['pilot', 'broad'],
  tokenValidityMinutes: 60,
  manageIotEvents: true,
};

type Parser<T> = (value: unknown) => T | { error: string };

const DEPLOYMENT_NAME = /^[a-z][a-z0-9-]{0,22}[a-z0-9]$/;
// Deliberately loose: SNS confirms the address by mail; this only catches
// values that cannot be an address at all.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function toInteger(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : NaN;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

function integerIn(min: number, max: number): Parser<number> {
  return (value) => {
    const n = toInteger(value);
    if (n === undefined || !Number.isInteger(n) || n < min || n > max) {
      return { error: `must be an integer from ${min} to ${max}` };
    }
    return n;
  };
}

const parsers: { [K in keyof UpkeepSettings]: Parser<UpkeepSettings[K]> } = {
  deploymentName: (value) =>
    typeof value === 'string' && DEPLOYMENT_NAME.test(value)
      ? value
      : {
          error:
            'must be 2-24 characters of a-z, 0-9 and "-", starting with a ' +
            'letter and not ending with "-"',
        },
  logRetentionDays: (value) => {
    const n = toInteger(value);
    return (LOG_RETENTION_DAYS as readonly number[]).includes(n ?? NaN)
      ? (n as number)
      : { error: `must be one of ${LOG_RETENTION_DAYS.join(', ')} (days)` };
  },
  reportRetentionDays: integerIn(1, 3650),
  logLevel: (value) =>
    (LOG_LEVELS as readonly unknown[]).includes(value)
      ? (value as LogLevel)
      : { error: `must be one of ${LOG_LEVELS.join(', ')}` },
  alarmEmail: (value) => {
    if (value === null || value === '') return undefined;
    return typeof value === 'string' && EMAIL.test(value)
      ? value
      : { error: 'must be an e-mail address, or "" for none' };
  },
  apiThrottleRateLimit: integerIn(1, 10_000),
  apiThrottleBurstLimit: integerIn(1, 5_000),
  cycleTimeZones: timeZoneList,
  rings: ringList,
  tokenValidityMinutes: integerIn(5, 1440),
  manageIotEvents: (value) =>
    value === true || value === 'true'
      ? true
      : value === false || value === 'false'
        ? false
        : { error: 'must be true or false' },
};

const RING_NAME = /^[a-z][a-z0-9-]{0,19}$/;

/** "pilot,broad" or ["pilot", "broad"]: 1-5 distinct ring names. */
function ringList(value: unknown): string[] | { error: string } {
  const rings = listOf(value);
  const usage =
    'must be 1-5 distinct ring names, comma-separated, each 1-20 of ' +
    'a-z, 0-9 and "-" starting with a letter';
  if (rings.length === 0 || rings.length > 5) return { error: usage };
  const bad = rings.find((ring) => !RING_NAME.test(String(ring)));
  if (bad !== undefined) return { error: `${usage}; "${bad}" is not one` };
  if (new Set(rings).size !== rings.length) return { error: usage };
  return rings.map(String);
}

function listOf(value: unknown): unknown[] {
  if (typeof value === 'string') return value.split(',').map((v) => v.trim());
  return Array.isArray(value) ? value : [];
}

/** "UTC,Europe/Paris" or ["UTC", "Europe/Paris"]: 1-20 known zones. */
function timeZoneList(value: unknown): string[] | { error: string } {
  const zones = listOf(value);
  const usage = 'must be 1-20 IANA time zones, comma-separated';
  if (zones.length === 0 || zones.length > 20) return { error: usage };
  for (const zone of zones) {
    try {
      assertTimeZone(String(zone));
    } catch {
      return { error: `${usage}; "${zone}" is not one` };
    }
  }
  return [...new Set(zones.map(String))];
}

function isFailure(result: unknown): result is { error: string } {
  return typeof result === 'object' && result !== null && 'error' in result;
}

/**
 * Reads and validates the `upkeep:*` keys of a CDK context. Missing keys take
 * their default; an unknown `upkeep:*` key is an error, since it is most
 * likely a misspelt setting that would otherwise be silently ignored.
 */
export function readSettings(context: Record<string, unknown>): UpkeepSettings {
  const names = Object.keys(parsers) as (keyof UpkeepSettings)[];
  const known = new Set(names.map((name) => CONTEXT_PREFIX + name));

  for (const key of Object.keys(context)) {
    if (key.startsWith(CONTEXT_PREFIX) && !known.has(key)) {
      throw new SettingsError(
        SETTINGS_ERROR_CODES.unknown,
        key,
        `unknown setting; known settings are ${[...known].join(', ')}`,
      );
    }
  }

  const settings: Record<string, unknown> = { ...defaults };
  for (const name of names) {
    const key = CONTEXT_PREFIX + name;
    if (context[key] === undefined) continue;

    const result = parsers[name](context[key]);
    if (isFailure(result)) {
      const got = JSON.stringify(context[key]);
      throw new SettingsError(
        SETTINGS_ERROR_CODES.invalid,
        key,
        `${result.error}; got ${got}`,
      );
    }
    settings[name] = result;
  }

  return settings as unknown as UpkeepSettings;
}
