// The commands' option parsing: node:util's parseArgs, with an unknown option said plainly (its own
// text adds a hint about positionals that fits no command here) and the option probably meant.
import { parseArgs } from 'node:util';

export class UsageError extends Error {}

/** `parseArgs({ args, options, allowPositionals: true })`, throwing a UsageError a person can act on. */
export function parseOptions(args, options) {
  try {
    return parseArgs({ args, options, allowPositionals: true });
  } catch (error) {
    if (!String(error?.code).startsWith('ERR_PARSE_ARGS')) throw error;
    const given = /'(-[^']*)'/.exec(error.message)?.[1];
    if (error.code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || !given) throw new UsageError(error.message.replace(/ To specify a positional.*$/, ''));
    const name = given.replace(/^-+/, '').split('=')[0];
    const meant = Object.keys(options).find((known) => known.startsWith(name) || name.startsWith(known));
    throw new UsageError(`Unknown option ${given}.${meant ? ` Did you mean --${meant}?` : ''}`);
  }
}
