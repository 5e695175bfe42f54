// `npm start`: serves the demo EMR on localhost and the mock viewer on 127.0.0.1 (two origins).
import { createServer } from 'node:net';
import { startDevServer } from '@web/dev-server';
import { esbuildPlugin } from '@web/dev-server-esbuild';

const port = Number(process.env.PORT ?? 8000);

const portIsFree = await new Promise((resolve) => {
  const probe = createServer().once('error', () => resolve(false));
  probe.listen(port, '0.0.0.0', () => probe.close(() => resolve(true)));
});
if (!portIsFree) {
  console.error(`Port ${port} is in use (another npm start?). Stop it, or run: PORT=8001 npm start`);
  process.exit(1);
}

const server = await startDevServer({
  config: {
    rootDir: '.',
    port,
    // Both loopback names must reach the server: they are the EMR's origin and the viewer's.
    hostname: '0.0.0.0',
    nodeResolve: { exportConditions: ['production'] },
    plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' })],
    watch: false,
  },
  readCliArgs: false,
  readFileConfig: false,
  logStartMessage: false,
});

console.log(`\nDemo EMR:     http://localhost:${port}/demo/`);
console.log(`Mock viewer:  http://127.0.0.1:${port}/demo/viewer.html (opened by the button)`);
console.log('Press Ctrl+C to stop.\n');

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.stop().then(() => process.exit(0)));
