// `npm start`: the demo EMR on localhost and the mock viewer on 127.0.0.1 (two origins).
import { startDemoServer } from './demo-server.ts';

try {
  const server = await startDemoServer({ port: Number(process.env.PORT ?? 8000) });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.stop().then(() => process.exit(0)));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
