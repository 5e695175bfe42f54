#!/usr/bin/env node
// `npx careconnect-launch <command>`: the package's command line. Each command is a module of its
// own in this folder, loaded only when asked for, that exports `run(args) => exit code`.
const COMMANDS = {
  'check-token': { load: () => import('./check-token.mjs'), summary: 'check a launch token against every rule a viewer applies' },
  'mock-viewer': { load: () => import('./mock-viewer.mjs'), summary: 'run a local mock CareConnect to launch from your own EMR' },
};

const USAGE = `Usage: careconnect-launch <command> [options]

Commands:
${Object.entries(COMMANDS).map(([name, { summary }]) => `  ${name.padEnd(14)}${summary}`).join('\n')}

Run "careconnect-launch <command> --help" for a command's options.`;

const [name, ...args] = process.argv.slice(2);
if (!name || name === '--help' || name === '-h' || name === 'help') {
  console.log(USAGE);
  process.exit(name ? 0 : 2);
}
if (!Object.hasOwn(COMMANDS, name)) {
  console.error(`Unknown command "${name}".\n\n${USAGE}`);
  process.exit(2);
}
let command;
try {
  command = await COMMANDS[name].load();
} catch (error) {
  // In a clone rather than an installed package, dist/ exists only after a build.
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('/dist/')) throw error;
  console.error('careconnect-launch is not built here: run "npm run build" first.');
  process.exit(2);
}
process.exitCode = await command.run(args);
