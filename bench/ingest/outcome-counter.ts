import { epochNow } from './device-protocol.js';

/**
 * Counts what the local stack says ingest did, from the human lines it
 * prints once per processed message (local/report-lines.ts):
 *
 *   report    bench-dev-001  disk-space  ok  0 findings
 *   hello     bench-dev-001  agent 0.1.0
 *   rejected  bench-dev-001  thing-mismatch
 *
 * Reading these lines costs the stack nothing extra; polling the table
 * while it is being written would slow the figure it measures.
 */
export class OutcomeCounter {
  reports = 0;
  hellos = 0;
  readonly rejected: string[] = [];
  #waiters: (() => void)[] = [];

  read(line: string) {
    const kind = line.split(' ', 1)[0];
    if (kind === 'report') this.reports++;
    else if (kind === 'hello') this.hellos++;
    else if (kind === 'rejected') this.rejected.push(line);
    else return;

    for (const wake of this.#waiters.splice(0)) wake();
  }

  /** Resolves with the time the n-th report line came. */
  reportsReached(n: number, timeoutMs: number) {
    return this.#until(
      () => this.reports >= n,
      timeoutMs,
      () => `time limit: ${this.reports} of ${n} reports stored`,
    );
  }

  hellosReached(n: number, timeoutMs: number) {
    return this.#until(
      () => this.hellos >= n,
      timeoutMs,
      () => `${this.hellos} of ${n} hellos stored`,
    );
  }

  #until(
    done: () => boolean,
    timeoutMs: number,
    why: () => string,
  ): Promise<number> {
    return new Promise((resolve, reject) => {
      let expired = false;
      const timer = setTimeout(() => {
        expired = true;
        reject(new Error(why()));
      }, timeoutMs);
      const check = () => {
        if (expired) return;
        if (done()) {
          clearTimeout(timer);
          resolve(epochNow());
        } else {
          this.#waiters.push(check);
        }
      };
      check();
    });
  }
}
