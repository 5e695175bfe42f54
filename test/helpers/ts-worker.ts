// Runs a TypeScript module in a worker thread and resolves with the one message it posts.
import { Worker } from 'node:worker_threads';

export function inWorker<T>(file: URL): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./ts-worker.mjs', import.meta.url), { workerData: { file: file.href } });
    worker.once('message', (message: T) => {
      resolve(message);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the worker exited (${code}) before it answered`)));
  });
}
