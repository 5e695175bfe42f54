/// <reference types="node" />
// Debian's redis-server for the tests: on a free loopback port, in a temporary folder, stopped after.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { freePort } from './processes.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REDIS_SERVER = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';

export interface TestRedis {
  port: number;
  url: string;
  /** SIGKILL: as abrupt as a crash or a cut cable. */
  kill(): Promise<void>;
  /** Starts it again on the same port, with the same append-only file. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function launch(port: number, dir: string): Promise<ChildProcess> {
  // Every claim is written to the append-only file before Redis answers, so a restart forgets none.
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '',
    '--appendonly', 'yes', '--appendfsync', 'always', '--daemonize', 'no', '--loglevel', 'notice'];
  const child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    // Only a server that never got ready is killed: a loaded machine may run the tests for longer.
    const notReady = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server was not ready after 10 s:\n${output}`));
    }, 10_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (/Ready to accept connections/.test(output)) {
        clearTimeout(notReady);
        resolve(child);
      }
    };
    // Read its output to the end, so a full pipe never stalls the server.
    child.stdout!.on('data', onData);
    child.stderr!.resume();
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(notReady);
      reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`));
    });
  });
}

const exited = (child: ChildProcess, signal: NodeJS.Signals) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });

export async function startRedis(): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'careconnect-redis-'));
  const port = await freePort();
  let child = await launch(port, dir);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill: () => exited(child, 'SIGKILL'),
    restart: async () => {
      child = await launch(port, dir);
    },
    stop: async () => {
      await exited(child, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
