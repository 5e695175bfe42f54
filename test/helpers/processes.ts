/// <reference types="node" />
// Servers and child processes in the Node tests: free ports, a server listening on loopback, waiting
// for a line of output, and whether a process tree really ended.
import { execFileSync, type ChildProcess } from 'node:child_process';
import { request as httpRequest, type Server } from 'node:http';
import { createConnection, createServer } from 'node:net';
import { networkInterfaces } from 'node:os';

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '0.0.0.0', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Starts `server` on a free loopback port and gives its base URL. */
export function listenOnLoopback(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  return baseUrl(server);
}

/** The base URL of a server started elsewhere (a framework's own listen), once it listens. */
export function baseUrl(server: Server): Promise<string> {
  return new Promise((resolve) => {
    const done = () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
    if (server.listening) done();
    else server.once('listening', done);
  });
}

export function portIsOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host }, () => {
      socket.destroy();
      resolve(true);
    }).once('error', () => resolve(false));
  });
}

/** Every process below `pid`, children first. */
export function descendants(pid: number): number[] {
  let children: number[] = [];
  try {
    children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    // ps exits 1 when there are none
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie has ended; it waits only for its parent to read its status.
  try {
    return !/^Z/.test(execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim());
  } catch {
    return false;
  }
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeout: number, what: string): Promise<void> {
  const end = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`Timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Resolves with the child's standard output so far (and after) once it has printed `text`. */
export function waitForOutput(child: ChildProcess, text: string, timeout: number): Promise<{ text: string }> {
  const output = { text: '' };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`No "${text}" within ${timeout} ms; printed:\n${output.text}`)), timeout);
    child.stdout!.on('data', (chunk) => {
      output.text += chunk;
      if (output.text.includes(text)) {
        clearTimeout(timer);
        resolve(output);
      }
    });
    child.once('exit', (code) => reject(new Error(`Exited (${code}) before "${text}"; printed:\n${output.text}`)));
  });
}

/** A request that names `host` in its Host header, as a page on a rebound DNS name sends it. */
export function requestWithHost(url: string, host: string, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method, headers: { host } }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk) => (body += chunk)).on('end', () => resolve({ status: response.statusCode!, body }));
    });
    request.once('error', reject).end();
  });
}

/** This machine's first address that is not a loopback one, if it has any. */
export const networkAddress = (): string | undefined =>
  Object.values(networkInterfaces()).flat().find((each) => each && each.family === 'IPv4' && !each.internal)?.address;
