import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';

/**
 * Runs a conditional write; resolves true when it applied and false when
 * its condition did not hold. A failed condition is how the idempotent
 * writes say "already done" or "a newer value is stored", not an error.
 */
export async function applied(write: Promise<unknown>): Promise<boolean> {
  return (await whenApplied(write.then(() => ({})))) !== undefined;
}

/**
 * Runs a conditional write; resolves its output when it applied and
 * undefined when its condition did not hold.
 */
export async function whenApplied<T extends object>(
  write: Promise<T>,
): Promise<T | undefined> {
  try {
    return await write;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}

/**
 * Runs a conditional write that returns the item (ALL_NEW); resolves true
 * when it applied, and then keeps the item in `into` under `sk`.
 */
export async function appliedInto<T>(
  write: Promise<{ Attributes?: Record<string, unknown> }>,
  into: Map<string, T> | undefined,
  sk: string,
): Promise<boolean> {
  const out = await whenApplied(write);
  if (out?.Attributes) into?.set(sk, out.Attributes as T);
  return out !== undefined;
}
