/**
 * What a composition has started, closed in reverse order of starting: the
 * agent before the broker it talks to, the poller before the queues it
 * reads, dynalite last so that every write reaches disk. A failing step does
 * not stop the others; the failures are thrown together at the end.
 */
export class Closers {
  readonly #steps: { name: string; close: () => unknown }[] = [];
  #closing: Promise<void> | undefined;

  add(name: string, close: () => unknown) {
    this.#steps.push({ name, close });
  }

  /** Closes everything once; later calls wait for the same run. */
  closeAll(): Promise<void> {
    this.#closing ??= this.#run();
    return this.#closing;
  }

  async #run() {
    const errors: Error[] = [];

    for (const step of this.#steps.reverse()) {
      try {
        await step.close();
      } catch (error) {
        errors.push(new Error(`closing ${step.name} failed`, { cause: error }));
      }
    }
    if (errors.length > 0) {
      throw new AggregateError(
        errors,
        `${errors.length} step(s) did not close`,
      );
    }
  }
}
