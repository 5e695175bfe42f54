/// <reference types="node" />
// The mock's servers run on a vendor's laptop: they answer a request only when its Host names them.
// A page on a rebound DNS name (attacker.example resolving to 127.0.0.1) sends its own name instead.
import type { IncomingMessage, ServerResponse } from 'node:http';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/** Whether `host` (a Host header) is one of this server's names with its port: a loopback name, or one of `names`. */
export function isOwnHost(host: string | undefined, port: number, names: readonly string[] = []): boolean {
  const wanted = host?.toLowerCase();
  return [...LOOPBACK_NAMES, ...names].some((name) => wanted === `${name.toLowerCase()}:${port}`);
}

/** Answers 421 to a request for another host, and says so; false for one of its own. */
export function refuseOtherHost(req: IncomingMessage, res: ServerResponse, port: number, names?: readonly string[]): boolean {
  if (isOwnHost(req.headers.host, port, names)) return false;
  res.writeHead(421, { 'content-type': 'text/plain', 'cache-control': 'no-store' }).end('Misdirected request: this server answers only its own host name.');
  return true;
}
