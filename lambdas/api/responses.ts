import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { UpkeepLambdaError } from '../lib/errors.js';

/** An HTTP error the API answers with `{error: {code, message}}`. */
export class ApiError extends UpkeepLambdaError {
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    headers: Record<string, string> = {},
  ) {
    super(code, message);
    this.name = 'ApiError';
    this.status = status;
    this.headers = headers;
  }
}

export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...headers,
    },
    body: JSON.stringify(body),
  };
}

export function errorResponse(error: ApiError) {
  return json(
    error.status,
    { error: { code: error.code, message: error.message } },
    error.headers,
  );
}
