import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

/**
 * Counts the HTTP requests this process sends to one endpoint, by the
 * operation in their `x-amz-target` header (`DynamoDB_20120810.PutItem`
 * counts as `PutItem`). It listens on Node's `http.client.request.start`
 * diagnostics channel, so the stack under measurement is not touched.
 */
export class RequestCounter {
  readonly counts = new Map<string, number>();
  readonly #port: string;
  readonly #listener = (message: unknown) => {
    const { request } = message as { request: ClientRequest };
    if (!String(request.host).startsWith('127.0.0.1')) return;
    const port = request.getHeader('host')?.toString().split(':')[1];
    if (port !== this.#port) return;

    const target = String(request.getHeader('x-amz-target') ?? 'unknown');
    const operation = target.split('.').pop() ?? target;
    this.counts.set(operation, (this.counts.get(operation) ?? 0) + 1);
  };

  /** @param endpoint `http://127.0.0.1:<port>` */
  constructor(endpoint: string) {
    this.#port = new URL(endpoint).port;
  }

  start() {
    subscribe('http.client.request.start', this.#listener);
  }

  stop() {
    unsubscribe('http.client.request.start', this.#listener);
  }

  /** Requests per report, by operation. */
  perReport(reports: number): Record<string, number> {
    return Object.fromEntries(
      [...this.counts].map(([operation, n]) => [operation, n / reports]),
    );
  }
}
