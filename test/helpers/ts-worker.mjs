// A worker thread's entry that runs a TypeScript module (workerData.file): Node 20 loads a worker's
// own entry before `--import tsx` could register, so it registers here first.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.file);
