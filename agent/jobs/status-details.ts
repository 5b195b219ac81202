/**
 * Builds the `statusDetails` map of an UpdateJobExecution: AWS takes string
 * values of at most 1024 characters, keys of 1-128 of [a-zA-Z0-9:_-]
 * (API_iot-jobs-data_UpdateJobExecution). A value that would not fit is
 * cut with a marker rather than making AWS refuse the whole update.
 */
export const STATUS_DETAIL_LIMITS = {
  /** Characters per value. */
  valueChars: 1024,
  keyPattern: /^[a-zA-Z0-9:_-]{1,128}$/,
} as const;

const CUT = '…';

export type DetailValue = string | number | boolean | null | undefined;

export function statusDetails(
  fields: Record<string, DetailValue>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue;
    if (!STATUS_DETAIL_LIMITS.keyPattern.test(key)) {
      throw new RangeError(`statusDetails key "${key}" is not allowed`);
    }
    out[key] = clip(String(value));
  }
  return out;
}

export function clip(text: string, max = STATUS_DETAIL_LIMITS.valueChars) {
  return text.length <= max ? text : `${text.slice(0, max - CUT.length)}${CUT}`;
}
