/**
 * The receipts an outbox remembers: only the `limit` most recently added,
 * oldest forgotten first, so that the set stays small however long the
 * agent runs.
 */
export class ReceiptSet {
  readonly #limit: number;
  readonly #values = new Set<string>();

  constructor(limit: number) {
    this.#limit = Math.max(1, Math.floor(limit));
  }

  add(value: string) {
    // Re-adding moves a value to the newest end.
    this.#values.delete(value);
    this.#values.add(value);
    for (const oldest of this.#values) {
      if (this.#values.size <= this.#limit) break;
      this.#values.delete(oldest);
    }
  }

  has(value: string) {
    return this.#values.has(value);
  }

  /** Oldest first. */
  values() {
    return [...this.#values];
  }
}
