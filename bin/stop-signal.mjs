// When a long-running command (mock-viewer, and the repository's npm start) should stop: Ctrl+C,
// SIGTERM, or its parent going away. npm's `sh -c` dies on SIGTERM without passing it on, and the
// orphan would keep its ports: process.ppid changes when that happens.

/** Resolves with the reason, once. */
export function stopSignal() {
  return new Promise((resolve) => {
    const parent = process.ppid;
    const watch = setInterval(() => process.ppid !== parent && stop('parent-gone'), 500);
    const stop = (why) => {
      clearInterval(watch);
      for (const signal of ['SIGINT', 'SIGTERM']) process.removeListener(signal, handlers[signal]);
      resolve(why);
    };
    const handlers = { SIGINT: () => stop('SIGINT'), SIGTERM: () => stop('SIGTERM') };
    for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, handlers[signal]);
  });
}
