// The cross-window walk's random walks, in a worker thread (see cross-window.walk.test.ts).
import { parentPort } from 'node:worker_threads';
import { walkMany } from './cross-window-walk.js';

parentPort!.postMessage(await walkMany());
