// Lets the core's shared test files (mocha-style describe/it) run under node:test with no DOM.
import { describe, it, before, after, beforeEach, afterEach } from 'node:test';

Object.assign(globalThis, { describe, it, before, after, beforeEach, afterEach });
