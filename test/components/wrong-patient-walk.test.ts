// The wrong-patient guard as a model-based random walk (fast-check) against a real viewer window on
// a second origin, which may leave for sign-in and come back, or be cut off by COOP. The truth is what the viewer window itself says it shows; after every step, each
// button must warn exactly when that truth is another patient than its chart's.
import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import '../../src/components/define.js';
import type { CareConnectButton } from '../../src/components/careconnect-button.js';
import { forgetViewerSessions, sessionFor, type SessionState } from '../../src/session/viewer-session.js';
import { closeAllViewers, testViewerOrigin, useViewerWindows, waitFor } from '../helpers.js';

interface Patient {
  label: string;
  healthNumber: string;
  patientId: string;
}

const PATIENTS: Patient[] = [
  { label: 'A', healthNumber: '9698 658 215', patientId: 'chart-A' },
  { label: 'B', healthNumber: '9735 353 315', patientId: 'chart-B' },
  { label: 'C', healthNumber: '9735361219', patientId: 'chart-C' },
  { label: 'bad-checksum', healthNumber: '9698 648 215', patientId: 'chart-X' },
  { label: 'no-number', healthNumber: '', patientId: 'chart-Y' },
];
/** '' is a location with no province: the BC account's viewer. AB is not enabled; MB has no viewer. */
const LOCATIONS = ['BC', 'AB', 'MB', ''] as const;
const VIEWER_ERRORS = ['auth-failed', 'no-match', 'token-failed', 'busy'] as const;
/** Every sentence of the warning says "different patient" (English; the walk runs in English). */
const WARNING = /different patient/;

/** The page, the buttons on it, and what the viewer window really shows. */
interface World {
  buttons: CareConnectButton[];
  patients: Patient[];
  locations: string[];
  container: HTMLElement;
  tokens: Map<string, Patient>;
  failNextToken: boolean;
  viewersVersion: number;
  /** What the viewer window shows, as the viewer itself reports it. */
  shows: Patient | null;
  /** False after a host reload, until a click lets the page find the surviving window again. */
  known: boolean;
  /** The page recovered a window it cannot see into: it may warn until a launch of its own is answered. */
  uncertain: boolean;
  /** Tokens minted before the last reload: an answer to one of them tells the new page nothing. */
  tokensAtReload: number;
  steps: string[];
}

let origin: string;
const windows = useViewerWindows();
let echoes = 0;

const openWindow = () => windows.spy.opened.filter((handle) => !handle.closed).at(-1) ?? null;
const statusOf = (el: CareConnectButton) => el.shadowRoot?.querySelector('[part~="status"]')?.textContent ?? '';
const warns = (el: CareConnectButton) => el.getAttribute('state') === 'stale' || WARNING.test(statusOf(el));
const picksTheBcViewer = (location: string) => location === 'BC' || location === '';

function viewersConfig(version: number) {
  return { 'bc-careconnect': { launchUrl: `${origin}/viewer.html?walk=${version}`, transport: 'post-message' as const } };
}

function createButton(world: World, index: number): CareConnectButton {
  const el = document.createElement('careconnect-button') as CareConnectButton;
  el.setAttribute('account-province', 'BC');
  el.timeout = 8000;
  el.viewers = viewersConfig(world.viewersVersion);
  el.tokenProvider = async (request) => {
    if (world.failNextToken) {
      world.failNextToken = false;
      throw new Error('the token service is down');
    }
    const token = `walk-token-${world.tokens.size + 1}`;
    world.tokens.set(token, PATIENTS.find((p) => p.patientId === request.ctx.patient.id)!);
    return token;
  };
  applyPatient(el, world.patients[index]!);
  applyLocation(el, world.locations[index]!);
  world.container.append(el);
  return el;
}

function applyPatient(el: CareConnectButton, patient: Patient) {
  el.healthNumber = patient.healthNumber;
  el.patientId = patient.patientId;
}

function applyLocation(el: CareConnectButton, location: string) {
  el.locationProvince = location || null;
}

/** Asks the viewer what it shows; its answer comes after every message it sent before. */
async function syncWithViewer(world: World): Promise<void> {
  const handle = openWindow();
  if (!handle) {
    world.shows = null;
    return;
  }
  const echo = ++echoes;
  const reply = await waitFor(() => {
    // Posted again while waiting: a window that is still loading drops messages.
    handle.postMessage({ testCommand: { echo } }, origin);
    return handle.closed ? { shows: null } : windows.viewer.reports.find((report) => report.echo === echo);
  }, 'the viewer to say what it shows', 4000);
  world.shows = reply.shows ? world.tokens.get(reply.shows) ?? null : null;
}

const PHASES = ['opening', 'waiting', 'matching'];

/** The session's state is one of the legal ones, and every button's state agrees with it. */
function checkLegal(world: World): void {
  const state: SessionState = sessionFor('bc-careconnect').state;
  const launch = 'launch' in state ? state.launch : null;
  const where = `after [${world.steps.join(', ')}], session ${state.kind}, launch ${launch?.phase ?? 'none'}`;
  if (state.kind === 'loading') expect(launch === null || launch.phase === 'opening', `only an unsent launch waits for a loading window; ${where}`).to.equal(true);
  if (state.kind === 'posted') expect(state.shown, `a form POST shows its patient; ${where}`).not.to.equal(null);
  if (launch) expect(launch.mints, `at most two re-mints; ${where}`).to.be.within(0, 3);
  world.buttons.forEach((el, i) => {
    const buttonState = el.getAttribute('state')!;
    expect(['idle', 'opening', 'waiting', 'matching', 'showing', 'stale', 'error'], where).to.include(buttonState);
    if (PHASES.includes(buttonState) && picksTheBcViewer(world.locations[i]!)) {
      expect(launch?.phase, `button ${i} is ${buttonState}: the window's launch must be too; ${where}`).to.equal(buttonState);
    }
  });
}

/** The invariant, in DESIGN.md's words, checked on every button. */
async function checkGuard(world: World, graceMs = 0): Promise<void> {
  await syncWithViewer(world);
  const open = openWindow() !== null;
  const expected = world.buttons.map((_, i) => {
    // A location with no viewer (Manitoba) renders no button. Any other warns about the BC window,
    // the only one the walk opens, whether or not its location picks it.
    if (world.locations[i] === 'MB') return false;
    if (!open || !world.known || world.shows === null) return false;
    return world.shows !== world.patients[i];
  });
  const describe = () =>
    world.buttons.map((el, i) => `button ${i} (${world.patients[i]!.label} at "${world.locations[i]}"): state=${el.getAttribute('state')} status="${statusOf(el)}"`).join('; ');
  const settled = () => world.buttons.every((el, i) => (expected[i] ? warns(el) : world.uncertain || !warns(el)));
  await Promise.all(world.buttons.map((el) => el.updateComplete));
  // The closed poll runs every 500 ms: a warning about a window just closed may linger that long.
  if (graceMs && !settled()) await waitFor(settled, 'the buttons to catch up', graceMs).catch(() => {});
  checkLegal(world);
  world.buttons.forEach((el, i) => {
    const context = `after [${world.steps.join(', ')}], the viewer shows ${world.shows?.label ?? 'nobody'}: ${describe()}`;
    if (expected[i]) expect(warns(el), `button ${i} must warn; ${context}`).to.equal(true);
    else if (!world.uncertain) expect(warns(el), `button ${i} must not warn; ${context}`).to.equal(false);
  });
}

type Step = fc.AsyncCommand<object, World>;

function step(name: string, act: (world: World) => Promise<number | void>): Step {
  return {
    check: () => true,
    async run(_model, world) {
      world.steps.push(name);
      const graceMs = await act(world);
      await checkGuard(world, graceMs ?? 0);
    },
    toString: () => name,
  };
}

const setPatient = (i: number, patient: Patient) => step(`patient${i}=${patient.label}`, async (world) => {
  world.patients[i] = patient;
  applyPatient(world.buttons[i]!, patient);
});

const setLocation = (location: string) => step(`location=${location || 'none'}`, async (world) => {
  world.locations[0] = location;
  applyLocation(world.buttons[0]!, location);
});

const click = (i: number) => step(`click${i}`, async (world) => {
  const el = world.buttons[i]!;
  const opened = windows.spy.opened.length;
  el.shadowRoot?.querySelector<HTMLButtonElement>('button[part~="base"]')?.click();
  await el.updateComplete;
  await waitFor(() => el.getAttribute('state') !== 'opening', 'the launch to reach the viewer', 6000);
  if (windows.spy.opened.length > opened && !world.known) {
    world.known = true;
    world.uncertain = true;
  }
});

const answer = (kind: 'accepted' | 'rejected' | { error: string }) =>
  step(`viewer:${typeof kind === 'string' ? kind : kind.error}`, async (world) => {
    const handle = openWindow();
    if (!handle) return;
    handle.postMessage({ testCommand: { answer: kind } }, origin);
    const { token } = await waitFor(() => windows.viewer.reports.find((report) => JSON.stringify(report.answered) === JSON.stringify(kind)), 'the viewer to answer');
    windows.viewer.reports.length = 0;
    // An answer to a launch this page sent tells it what the window shows now.
    const minted = Number(String(token).split('-').pop());
    if (typeof kind === 'string' && minted > world.tokensAtReload) world.uncertain = false;
  });

const reload = step('host-reloads', async (world) => {
  for (const el of world.buttons) el.remove();
  await Promise.resolve(); // the sessions let go of the removed buttons
  forgetViewerSessions();
  world.tokensAtReload = world.tokens.size;
  world.known = openWindow() === null;
  world.buttons = [createButton(world, 0), createButton(world, 1)];
});

/** The viewer's page leaves for sign-in on another origin and loads again, with its launch kept or lost. */
const viewerLeaves = (keep: boolean) => step(keep ? 'viewer-leaves-and-resumes' : 'viewer-leaves-and-loses-launch', async () => {
  const handle = openWindow();
  if (!handle) return;
  windows.viewer.reports.length = 0;
  handle.postMessage({ testCommand: { leave: { keep, via: `${location.origin}/test/fixtures/bounce.html` } } }, origin);
  await waitFor(() => windows.viewer.reports.find((report) => report.loaded), 'the viewer to come back', 5000);
  // A lost launch is minted again and sent: give the token provider and the message a moment.
  await new Promise((resolve) => setTimeout(resolve, 100));
});

/** A page the viewer goes to sends COOP: the window lives on, cut off; to the EMR it is closed. */
const viewerLosesOpener = step('viewer-cut-off-by-coop', async (world) => {
  const handle = openWindow();
  if (!handle) return;
  handle.postMessage({ testCommand: { navigate: `${origin}/viewer.html?coop&walk=${world.viewersVersion}` } }, origin);
  await waitFor(() => handle.closed, 'the handle to read closed', 5000);
  world.uncertain = false;
  return 1500;
});

const failNextToken = step('token-service-down', async (world) => {
  world.failNextToken = true;
});

const userCloses = step('user-closes-window', async (world) => {
  for (const handle of windows.spy.opened) handle.close();
  world.uncertain = false;
  return 1500;
});

const logout = (i: number) => step(`logout${i}`, async (world) => {
  world.buttons[i]!.logout();
});

const closeViewer = (i: number) => step(`closeViewer${i}`, async (world) => {
  world.buttons[i]!.closeViewer();
  return 1500;
});

const rerender = (fresh: boolean) => step(fresh ? 'new-viewers' : 'equal-viewers', async (world) => {
  if (fresh) world.viewersVersion++;
  for (const el of world.buttons) el.viewers = viewersConfig(world.viewersVersion);
});

// Weighted towards what moves the guard: clicks, answers and chart switches.
const commands = [fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(0, 0, 1), fc.constantFrom(...PATIENTS)).map(([i, patient]) => setPatient(i, patient)) },
  { weight: 1, arbitrary: fc.constantFrom(...LOCATIONS).map(setLocation) },
  { weight: 5, arbitrary: fc.constantFrom(0, 0, 1).map(click) },
  { weight: 3, arbitrary: fc.constantFrom<'accepted' | 'rejected' | { error: string }>('accepted', 'accepted', 'accepted', 'rejected', ...VIEWER_ERRORS.map((error) => ({ error }))).map(answer) },
  { weight: 2, arbitrary: fc.constant(failNextToken) },
  { weight: 1, arbitrary: fc.constant(userCloses) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1).map(logout) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1).map(closeViewer) },
  { weight: 1, arbitrary: fc.boolean().map(rerender) },
  { weight: 1, arbitrary: fc.constant(reload) },
  { weight: 1, arbitrary: fc.boolean().map(viewerLeaves) },
  { weight: 1, arbitrary: fc.constant(viewerLosesOpener) },
)];

async function newWorld(): Promise<World> {
  const container = document.createElement('div');
  document.body.append(container);
  const world: World = {
    buttons: [], patients: [PATIENTS[0]!, PATIENTS[1]!], locations: ['BC', 'BC'], container,
    tokens: new Map(), failNextToken: false, viewersVersion: 0, shows: null, known: true, uncertain: false, tokensAtReload: 0, steps: [],
  };
  world.buttons = [createButton(world, 0), createButton(world, 1)];
  await Promise.all(world.buttons.map((el) => el.updateComplete));
  return world;
}

async function endWorld(world: World): Promise<void> {
  for (const handle of windows.spy.opened) handle.close();
  closeAllViewers();
  world.container.remove();
  windows.spy.opened.length = 0;
  windows.viewer.reports.length = 0;
  await new Promise((resolve) => setTimeout(resolve, 0));
}

/** `WALK_SEED=n` and `WALK_RUNS=n` in the environment of web-test-runner replay or widen the walk. */
async function walkSettings(): Promise<{ seed: number; numRuns: number }> {
  const { seed, runs } = await fetch('/__walk-settings').then((response) => response.json());
  return { seed: Number(seed) || 20261123, numRuns: Number(runs) || 200 };
}

describe('the wrong-patient guard, over random walks', () => {
  before(async () => {
    origin = await testViewerOrigin();
  });

  it('warns whenever the viewer shows another patient than the chart, and only then', async function () {
    this.timeout(240_000);
    const { seed, numRuns } = await walkSettings();
    console.log(`wrong-patient walk: seed ${seed}, ${numRuns} runs (replay with WALK_SEED=${seed})`);
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 14, size: '+1' }), async (steps) => {
        const world = await newWorld();
        try {
          await fc.asyncModelRun(() => ({ model: {}, real: world }), steps);
        } finally {
          await endWorld(world);
        }
      }),
      { seed, numRuns, verbose: 1 },
    );
  });
});
