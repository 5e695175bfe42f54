// The keys the polluted-prototype suites pollute, and with what: every key the source could read (a scan of src/,
// test/source-keys.mjs) and every key of the registries the code reads by a computed key.
import { CATALOGS } from '../src/components/messages.js';
import { ERROR_CODES } from '../src/core/errors.js';
import { toProvinceCode } from '../src/core/provinces.js';
import { VIEWERS } from '../src/core/viewers.js';

/** The scan of src/: read from disk in Node, served by the test server (/__source-keys) in a browser. */
async function scannedKeys(): Promise<string[]> {
  if (typeof window === 'undefined') return (await import('./source-keys.mjs')).sourceKeys();
  return (await fetch('/__source-keys')).json();
}

const LETTERS = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];
/** Every code toProvinceCode knows, found by asking it about every pair of letters. */
export const PROVINCE_CODES = LETTERS.flatMap((a) => LETTERS.map((b) => a + b)).filter((code) => toProvinceCode(code));
export const VIEWER_IDS = Object.keys(VIEWERS) as Array<keyof typeof VIEWERS>;
/** The networks any viewer has a launch URL for: a network with none must find none. */
export const NETWORKS = [...new Set(Object.values(VIEWERS).flatMap((viewer) => Object.keys(viewer.launchUrls)))] as Array<'ppn' | 'internet'>;
export const MESSAGE_KEYS = Object.keys(CATALOGS.en!.messages) as Array<keyof NonNullable<typeof CATALOGS.en>['messages']>;

/**
 * Keys the language itself reads from any object: `return` and `throw` when a destructuring or a loop
 * stops an iterator early, `then` when a promise settles with an object. Polluted, they break every
 * script on the page, not a look-up of ours; and `__proto__`, which Object.prototype cannot take.
 */
export const LANGUAGE_KEYS = ['return', 'throw', 'then', '__proto__'];

/** The scan and the registries. */
export const POLLUTED_KEYS: string[] = [...new Set([
  ...(await scannedKeys()), ...PROVINCE_CODES, ...VIEWER_IDS, ...NETWORKS, ...MESSAGE_KEYS, ...ERROR_CODES,
])].filter((key) => !LANGUAGE_KEYS.includes(key)).sort();

export const EVIL_URL = 'https://evil.example/x';
/** What an attacker would put on the prototype: URLs, transports, configs, rules, names, events. */
export const POLLUTANTS: unknown[] = [
  EVIL_URL, 'form-post', 'post-message', 'internet', 'EVIL', 'Mallory', '1970-01-01', 'male', 'F', 'careconnect-accept', true, 1,
  [EVIL_URL], { launchUrl: EVIL_URL, transport: 'form-post', organization: 'EVIL' },
  { pattern: /^/, display: '', check: () => true }, { messages: { 'not-configured': 'Call 555-0100.' }, provinces: {} },
];

/** Every key in POLLUTED_KEYS set to `value`. */
export const everyKeySetTo = (value: unknown) => Object.fromEntries(POLLUTED_KEYS.map((key) => [key, value]));
