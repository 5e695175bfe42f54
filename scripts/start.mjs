// `npm start`: the demo EMR on localhost and the mock viewer on 127.0.0.1 (two origins).
import { stopSignal } from '../bin/stop-signal.mjs';
import { startDemoServer } from './demo-server.ts';

try {
  const server = await startDemoServer({ port: Number(process.env.PORT ?? 8000) });
  await stopSignal();
  await server.stop();
  process.exit(0);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
