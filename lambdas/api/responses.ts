import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { UpkeepLambdaError } from '../lib/errors.js';

export interface ErrorDetails {
  /** The field or policy path the error is about. */
  path?: string;
  /** Schema issues of a bad query or body. */
  issues?: { path: string; message: string }[];
}

/** An HTTP error the API answers with `{error: {code, message}}`. */
export class ApiError extends UpkeepLambdaError {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly details: ErrorDetails;

  constructor(
    status: number,
    code: string,
    message: string,
    headers: Record<string, string> = {},
    details: ErrorDetails = {},
  ) {
    super(code, message);
    this.name = 'ApiError';
    this.status = status;
    this.headers = headers;
    this.details = details;
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

export function errorBody(error: ApiError) {
  return {
    error: { code: error.code, message: error.message, ...error.details },
  };
}

export function errorResponse(error: ApiError) {
  return json(error.status, errorBody(error), error.headers);
}
