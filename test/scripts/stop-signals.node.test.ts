/// <reference types="node" />
// The long-running commands stop, ports and all, with no orphan: `npm start` when npm gets SIGTERM
// (its `sh -c` dies without passing it on), and `careconnect-launch mock-viewer` on SIGINT and SIGTERM.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { describe, it } from 'node:test';
import { descendants, freePort, isAlive, portIsOpen, waitFor, waitForOutput } from '../helpers/processes.js';

/** Signals `child` and checks that `ports` close and that it and everything it started end. */
async function stopsOn(child: ChildProcess, signal: NodeJS.Signals, ports: number[]): Promise<void> {
  const tree = [child.pid!, ...descendants(child.pid!)];
  for (const port of ports) assert.ok(await portIsOpen(port), `port ${port} is open before`);
  child.kill(signal);
  try {
    await waitFor(async () => (await Promise.all(ports.map((port) => portIsOpen(port)))).every((open) => !open), 5_000, `ports ${ports} to close`);
    await waitFor(() => tree.every((pid) => !isAlive(pid)), 5_000, `processes ${tree} to end`);
  } finally {
    // A failure must not leave the orphan holding the ports (and this runner's output pipe) open.
    for (const pid of tree) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
}

describe('stopping the long-running commands', { timeout: 60_000 }, () => {
  it('npm start: SIGTERM to npm closes the demo\'s ports and leaves no node behind', async () => {
    const port = await freePort();
    const child = spawn('npm', ['start'], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
    await waitForOutput(child, 'Press Ctrl+C to stop.', 30_000);
    await stopsOn(child, 'SIGTERM', [port, port + 100]);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`careconnect-launch mock-viewer: ${signal} closes the viewer's and the identity provider's ports`, async () => {
      const [port, idpPort] = [await freePort(), await freePort()];
      const child = spawn(process.execPath, ['bin/careconnect-launch.mjs', 'mock-viewer', '--port', String(port), '--idp-port', String(idpPort)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const output = await waitForOutput(child, 'Press Ctrl+C to stop.', 10_000);
      await stopsOn(child, signal, [port, idpPort]);
      assert.equal(child.exitCode, 0);
      assert.match(output.text, /Stopped\.\n$/);
    });
  }
});
