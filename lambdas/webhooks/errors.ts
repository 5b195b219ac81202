import { UpkeepLambdaError } from '../lib/errors.js';

/** A webhook request the caller must fix; `status` is the HTTP answer. */
export class WebhookError extends UpkeepLambdaError {
  readonly status: number;

  constructor(status: number, code: string, message: string) {
    super(code, message);
    this.name = 'WebhookError';
    this.status = status;
  }
}
