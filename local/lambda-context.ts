import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

export const lambdaContextDefaults = {
  /** The Lambda timeout the context counts down from, ms. */
  timeoutMs: 30_000,
  /** Reported memory size, MB; nothing enforces it locally. */
  memoryMb: 256,
} as const;

export interface LambdaContextOptions {
  functionName: string;
  /** @default 30_000 ms */
  timeoutMs?: number;
  now?: () => number;
}

/**
 * A Lambda context for one local invocation, so that handlers (and the
 * Powertools logger, which reads the request id and function name from it)
 * run as they do in AWS. The account id is the all-zero local one.
 */
export function createLambdaContext(options: LambdaContextOptions): Context {
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? lambdaContextDefaults.timeoutMs;
  const deadline = now() + timeoutMs;
  const name = options.functionName;
  const unsupported = () => {
    throw new Error('callback-style context methods are not supported');
  };

  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${name}`,
    memoryLimitInMB: String(lambdaContextDefaults.memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: `local/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
