// Runs code with Object.prototype polluted, as a careless or hostile script on the EMR page would.

/**
 * Sets `values` on Object.prototype (enumerable, as a plain assignment makes them) until the returned
 * function removes them again. Keys Object.prototype has of its own (`toString`) are left alone.
 */
export function pollutePrototype(values: Record<string, unknown>): () => void {
  const proto = Object.prototype as Record<string, unknown>;
  const added = Object.keys(values).filter((key) => !Object.hasOwn(proto, key));
  for (const key of added) proto[key] = values[key];
  return () => {
    for (const key of added) delete proto[key];
  };
}

/**
 * `fn` run with `values` on Object.prototype, which are removed again after. Keep `fn` synchronous,
 * and assert after: test libraries read polluted keys too.
 */
export function withPollutedPrototype<T>(values: Record<string, unknown>, fn: () => T): T {
  const restore = pollutePrototype(values);
  try {
    return fn();
  } finally {
    restore();
  }
}
