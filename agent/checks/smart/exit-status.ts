/**
 * smartctl's exit status is a bit mask (smartctl(8), RETURN VALUES): a
 * non-zero status is a set of facts about the drive, not a crash. 216 =
 * 128 + 64 + 16 + 8 is a failing drive with a full report attached.
 */
export interface SmartExitBits {
  /** bit 0: the command line did not parse. */
  commandLine: boolean;
  /** bit 1: the device could not be opened (or is in standby). */
  openFailed: boolean;
  /** bit 2: a SMART or ATA command failed, or a checksum was bad. */
  commandFailed: boolean;
  /** bit 3: SMART status says DISK FAILING. */
  diskFailing: boolean;
  /** bit 4: a pre-fail attribute is at or below its threshold now. */
  prefailNow: boolean;
  /** bit 5: an attribute was at or below its threshold in the past. */
  thresholdPast: boolean;
  /** bit 6: the device error log has entries. */
  errorLog: boolean;
  /** bit 7: the self-test log has errors. */
  selfTestErrors: boolean;
}

export function decodeExitStatus(status: number): SmartExitBits {
  const bit = (n: number) => (status & (1 << n)) !== 0;

  return {
    commandLine: bit(0),
    openFailed: bit(1),
    commandFailed: bit(2),
    diskFailing: bit(3),
    prefailNow: bit(4),
    thresholdPast: bit(5),
    errorLog: bit(6),
    selfTestErrors: bit(7),
  };
}

/** True when the status says no data could be read at all. */
export function exitMeansNoData(status: number | undefined): boolean {
  if (status === undefined) return false;
  const bits = decodeExitStatus(status);
  return bits.commandLine || bits.openFailed;
}
