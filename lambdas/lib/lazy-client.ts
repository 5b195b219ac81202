/**
 * A client given as is, or a loader that makes it on first use. Loaders let
 * a function leave an SDK package it seldom needs out of its cold start:
 * `import()` of a package the bundle keeps external runs only when called.
 */
export type ClientSource<T extends object> = T | (() => Promise<T>);

/** The client of a source, as a promise either way. */
export function clientOf<T extends object>(source: ClientSource<T>) {
  return typeof source === 'function' ? source() : Promise.resolve(source);
}

/**
 * Runs `load` on the first call and hands every later call the same
 * promise; a failed load is forgotten so that the next call tries again.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => {
    loaded ??= load().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    });
    return loaded;
  };
}
