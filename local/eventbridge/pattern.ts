/**
 * EventBridge event pattern matching, the subset Upkeep's rules use
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/
 * eb-event-patterns.html): a field matches when its value equals one of
 * the listed values; objects nest into the event; `{prefix}`,
 * `{"anything-but": [...]}` and `{exists}` filters; every field named in
 * the pattern must match (AND), values within a list are OR.
 */
export type EventPattern = { [field: string]: PatternValue };
type PatternValue = EventPattern | Array<Scalar | Filter>;
type Scalar = string | number | boolean | null;
type Filter =
  | { prefix: string }
  | { 'anything-but': Scalar[] }
  | { exists: boolean };

export class PatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatternError';
  }
}

export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  return Object.entries(pattern).every(([field, expected]) => {
    const actual = isObject(event) ? event[field] : undefined;
    if (Array.isArray(expected)) return matchesList(expected, actual);
    if (!isObject(expected)) {
      throw new PatternError(`pattern field ${field} must be a list or object`);
    }
    return matchesPattern(expected as EventPattern, actual);
  });
}

function matchesList(expected: Array<Scalar | Filter>, actual: unknown) {
  const values = Array.isArray(actual) ? actual : [actual];
  return expected.some((rule) => {
    if (isObject(rule)) return matchesFilter(rule as Filter, actual, values);
    return values.some((value) => value === rule);
  });
}

function matchesFilter(filter: Filter, actual: unknown, values: unknown[]) {
  if ('exists' in filter) return (actual !== undefined) === filter.exists;
  if ('prefix' in filter) {
    return values.some(
      (v) => typeof v === 'string' && v.startsWith(filter.prefix),
    );
  }
  if ('anything-but' in filter) {
    if (actual === undefined) return false;
    return values.every((v) => !filter['anything-but'].includes(v as Scalar));
  }
  throw new PatternError(`unsupported filter ${JSON.stringify(filter)}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
