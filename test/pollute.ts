// Runs code with Object.prototype polluted, as a careless or hostile script on the EMR page would.

/**
 * Sets `values` on Object.prototype (enumerable, as a plain assignment makes them), runs `fn` and
 * removes them again. Keep `fn` synchronous, and assert after: test libraries read polluted keys too.
 */
export function withPollutedPrototype<T>(values: Record<string, unknown>, fn: () => T): T {
  const proto = Object.prototype as Record<string, unknown>;
  const added = Object.keys(values).filter((key) => !Object.hasOwn(proto, key));
  for (const key of added) proto[key] = values[key];
  try {
    return fn();
  } finally {
    for (const key of added) delete proto[key];
  }
}
