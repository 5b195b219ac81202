/**
 * The agent's structured logger: one JSON object per line, with the same
 * field names as the Lambdas' Powertools logger (level, message, timestamp,
 * service) so that a fleet's logs read alike.
 */
import { isoTime } from '../core/iso-time.js';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface AgentLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const ORDER: Record<LogLevel, number> = {
  DEBUG: 0,
  INFO: 1,
  WARN: 2,
  ERROR: 3,
};

export interface LoggerOptions {
  /** @default 'INFO' */
  level?: LogLevel;
  /** @default 'upkeep-agent' */
  service?: string;
  /** Where lines go. @default process.stderr */
  write?: (line: string) => void;
  /** Fields added to every line (thingName, for example). */
  fields?: Record<string, unknown>;
}

export function createLogger(options: LoggerOptions = {}): AgentLogger {
  const threshold = ORDER[options.level ?? 'INFO'];
  const service = options.service ?? 'upkeep-agent';
  const write =
    options.write ?? ((line: string) => process.stderr.write(`${line}\n`));

  const log =
    (level: LogLevel) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      if (ORDER[level] < threshold) return;
      const entry = {
        level,
        message,
        timestamp: isoTime(Date.now()),
        service,
        ...options.fields,
        ...fields,
      };
      write(JSON.stringify(entry, errorReplacer));
    };

  return {
    debug: log('DEBUG'),
    info: log('INFO'),
    warn: log('WARN'),
    error: log('ERROR'),
  };
}

/** Errors serialise to their name, message and code instead of `{}`. */
function errorReplacer(_key: string, value: unknown) {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { name: value.name, message: value.message, code };
  }
  return value;
}

/** A logger that drops everything, for tests that do not read logs. */
export const silentLogger: AgentLogger = createLogger({ write: () => {} });
