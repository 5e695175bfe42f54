// The wrong-patient guard as a model-based random walk (fast-check) against a real viewer window on
// a second origin, which may leave for sign-in and come back, or be cut off by COOP, and against more
// chart windows of the EMR, opened with window.open from this page or from each other, each with its
// own SDK. The truth is what the viewer window itself says it shows; after every step, every button
// in every chart window must warn when that truth is another patient than its chart's, and this
// page's buttons must not warn when it is not (unless the page cannot know).
import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import '../../src/components/define.js';
import type { CareConnectButton } from '../../src/components/careconnect-button.js';
import { forgetViewerSessions, sessionFor, type WindowState } from '../../src/session/viewer-session.js';
import { closeAllViewers, spyOnWindowOpen, testViewerOrigin, useViewerWindows, waitFor } from '../helpers/browser.js';
import { baseButton, statusText as statusOf } from '../helpers/element.js';

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

type ChartWindow = Window & typeof globalThis & { chartReady?: boolean };

/** Another chart window of the EMR: its own SDK, one button, and the windows its window.open returned. */
interface Chart {
  win: ChartWindow;
  button: CareConnectButton;
  patient: Patient;
  opened: Window[];
  /** Opened or reloaded while no page that launched into the viewer was alive to tell it: it cannot know until a launch. */
  blind: boolean;
}

/** The page, the buttons on it, the other chart windows, and what the viewer window really shows. */
interface World {
  charts: Chart[];
  /** Every chart window the walk opened: none of them is the viewer window. */
  chartWindows: Set<Window>;
  /** The page whose launch went to the viewer last, in its present life ('page' is this one): it answers a newcomer. */
  owner: 'page' | Chart | null;
  /** Whether this page holds the viewer window (it launched since its last reload). */
  pageHolds: boolean;
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

let current: World | undefined;
/** The viewer window, whichever chart window's window.open returned it. */
const viewerHandles = () => [...windows.spy.opened, ...(current?.charts ?? []).flatMap((chart) => chart.opened)]
  .filter((handle) => !current?.chartWindows.has(handle));
const openWindow = () => viewerHandles().filter((handle) => !handle.closed).at(-1) ?? null;
let chartCount = 0;
const warns = (el: CareConnectButton) => el.getAttribute('state') === 'stale' || WARNING.test(statusOf(el));
const picksTheBcViewer = (location: string) => location === 'BC' || location === '';

function viewersConfig(version: number) {
  return { 'bc-careconnect': { launchUrl: `${origin}/viewer.html?walk=${version}`, transport: 'post-message' as const } };
}

function createButton(world: World, index: number, page: Window = window, patient = world.patients[index]!): CareConnectButton {
  const el = page.document.createElement('careconnect-button') as CareConnectButton;
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
  applyPatient(el, patient);
  applyLocation(el, page === window ? world.locations[index]! : 'BC');
  (page === window ? world.container : page.document.body).append(el);
  return el;
}

/** Opens (or reloads) a chart window with its own SDK, and spies on its window.open. */
async function loadChart(world: World, win: ChartWindow, patient: Patient): Promise<Chart> {
  world.chartWindows.add(win);
  await waitFor(() => win.chartReady && win.document.readyState === 'complete', 'the chart window to load its SDK', 8000);
  const { opened } = spyOnWindowOpen(win);
  const chart: Chart = { win, patient, opened, blind: world.owner === null && openWindow() !== null, button: undefined! };
  chart.button = createButton(world, 0, win, patient);
  await chart.button.updateComplete;
  return chart;
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
  const state: WindowState = sessionFor('bc-careconnect').state;
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
  // Every other chart window is at a BC location: it must warn, unless it cannot know.
  const chartMustWarn = world.charts.map((chart) => open && !chart.blind && world.shows !== null && world.shows !== chart.patient);
  const describe = () => [
    ...world.buttons.map((el, i) => `button ${i} (${world.patients[i]!.label} at "${world.locations[i]}"): state=${el.getAttribute('state')} status="${statusOf(el)}"`),
    ...world.charts.map((chart, j) => `chart window ${j + 2} (${chart.patient.label}${chart.blind ? ', blind' : ''}): state=${chart.button.getAttribute('state')} status="${statusOf(chart.button)}"`),
  ].join('; ');
  const settled = () => world.buttons.every((el, i) => (expected[i] ? warns(el) : world.uncertain || !warns(el))) &&
    world.charts.every((chart, j) => !chartMustWarn[j] || warns(chart.button));
  await Promise.all([...world.buttons, ...world.charts.map((chart) => chart.button)].map((el) => el.updateComplete));
  // The closed poll runs every 500 ms: a warning about a window just closed may linger that long.
  if (graceMs && !settled()) await waitFor(settled, 'the buttons to catch up', graceMs).catch(() => {});
  checkLegal(world);
  world.buttons.forEach((el, i) => {
    const context = `after [${world.steps.join(', ')}], the viewer shows ${world.shows?.label ?? 'nobody'}: ${describe()}`;
    if (expected[i]) expect(warns(el), `button ${i} must warn; ${context}`).to.equal(true);
    else if (!world.uncertain) expect(warns(el), `button ${i} must not warn; ${context}`).to.equal(false);
  });
  world.charts.forEach((chart, j) => {
    const context = `after [${world.steps.join(', ')}], the viewer shows ${world.shows?.label ?? 'nobody'}: ${describe()}`;
    if (chartMustWarn[j]) expect(warns(chart.button), `chart window ${j + 2} must warn; ${context}`).to.equal(true);
  });
}

type Step = fc.AsyncCommand<object, World>;

function step(name: string, act: (world: World) => Promise<number | void>): Step {
  return {
    check: () => true,
    async run(_model, world) {
      world.steps.push(name);
      const graceMs = await act(world);
      await checkGuard(world, graceMs ?? 0).catch((error) => {
        console.log(`wrong-patient walk: ${error.message}`); // the runner shows only the counterexample
        throw error;
      });
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
  baseButton(el)?.click(); // a location with no viewer renders no button
  await el.updateComplete;
  await waitFor(() => el.getAttribute('state') !== 'opening', 'the launch to reach the viewer', 6000);
  if (windows.spy.opened.length > opened) world.pageHolds = true;
  if (windows.spy.opened.length > opened && !world.known) {
    world.known = true;
    world.uncertain = true;
  }
  if (el.getAttribute('state') === 'waiting') launched(world, 'page');
});

/** A launch went to the viewer: every other chart window heard of it, and now warns until it hears what the viewer shows. */
function launched(world: World, by: 'page' | Chart) {
  world.owner = by;
  for (const chart of world.charts) chart.blind = false;
  if (by !== 'page') {
    world.known = true;
    world.uncertain = true;
  }
}

/** The viewer's user answers; `screen`: its error screen replaces the record on show. */
type Answer = 'accepted' | 'rejected' | { error: string; screen?: true };
const answer = (kind: Answer) =>
  step(`viewer:${typeof kind === 'string' ? kind : kind.error + (kind.screen ? '-screen' : '')}`, async (world) => {
    const handle = openWindow();
    if (!handle) return;
    handle.postMessage({ testCommand: { answer: kind } }, origin);
    const { token, heard } = await waitFor(() => windows.viewer.reports.find((report) => JSON.stringify(report.answered) === JSON.stringify(kind)), 'the viewer to answer');
    windows.viewer.reports.length = 0;
    // An answer that a chart window alive heard, to a launch sent since this page's reload, tells this page what the window shows now.
    const minted = Number(String(token).split('-').pop());
    if (heard && (typeof kind === 'string' || kind.screen !== undefined) && minted > world.tokensAtReload) world.uncertain = false;
    if (!heard) world.uncertain = true;
  });

/** The user signs out from the viewer's own link: the window shows no one. */
const viewerSignsOut = step('viewer:own-log-out', async (world) => {
  const handle = openWindow();
  if (!handle) return;
  handle.postMessage({ testCommand: { signOut: true } }, origin);
  const { heard } = await waitFor(() => windows.viewer.reports.find((report) => report.signedOut), 'the viewer to sign out');
  windows.viewer.reports.length = 0;
  if (!heard) world.uncertain = true;
});

/** Another chart window, opened with window.open by this page or by a chart window, as OSCAR and Juno open charts. */
const openChart = (fromChart: boolean, patient: Patient) => step(`open-chart(${patient.label}${fromChart ? ', from a chart window' : ''})`, async (world) => {
  if (world.charts.length >= 2) return;
  const opener = fromChart && world.charts[0] ? world.charts[0].win : window;
  let win: ChartWindow;
  try {
    win = opener.open('/test/fixtures/chart.html', `walk-chart-${++chartCount}`, 'popup,width=420,height=320') as ChartWindow;
  } catch {
    return; // Firefox now and then aborts a window.open from a chart window it is still settling: no chart this time
  }
  if (!win) return;
  world.charts.push(await loadChart(world, win, patient));
  // A newcomer asks the window's owner what it shows: within a second.
  return 1000;
});

const chartPatient = (j: number, patient: Patient) => step(`chart${j + 2}-patient=${patient.label}`, async (world) => {
  const chart = world.charts[j];
  if (!chart) return;
  chart.patient = patient;
  applyPatient(chart.button, patient);
});

const chartClick = (j: number) => step(`chart${j + 2}-click`, async (world) => {
  const chart = world.charts[j];
  if (!chart) return;
  baseButton(chart.button)?.click();
  await chart.button.updateComplete;
  await waitFor(() => chart.button.getAttribute('state') !== 'opening', 'the launch to reach the viewer', 6000);
  if (chart.button.getAttribute('state') === 'waiting') launched(world, chart);
  // This page hears of it within a second.
  return 1000;
});

const closeChart = (j: number) => step(`chart${j + 2}-closes`, async (world) => {
  const chart = world.charts[j];
  if (!chart) return;
  chart.win.close();
  world.charts.splice(j, 1);
  if (world.owner === chart) world.owner = null;
});

const reloadChart = (j: number) => step(`chart${j + 2}-reloads`, async (world) => {
  const chart = world.charts[j];
  if (!chart) return;
  chart.win.chartReady = false;
  chart.win.location.reload();
  await waitFor(() => !chart.win.chartReady && chart.win.document.readyState !== 'complete', 'the reload to start', 3000).catch(() => {});
  if (world.owner === chart) world.owner = null;
  world.charts[j] = await loadChart(world, chart.win, chart.patient);
  return 1000;
});

const reload = step('host-reloads', async (world) => {
  if (world.owner === 'page') world.owner = null;
  world.pageHolds = false;
  for (const el of world.buttons) el.remove();
  await Promise.resolve(); // the sessions let go of the removed buttons
  forgetViewerSessions();
  world.tokensAtReload = world.tokens.size;
  // A chart window that heard what the viewer shows tells the reloaded page (or says "unknown", and it warns).
  world.known = openWindow() === null || world.charts.some((chart) => !chart.blind);
  if (world.charts.length) world.uncertain = true;
  world.buttons = [createButton(world, 0), createButton(world, 1)];
  return world.charts.length ? 1000 : 0;
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
  for (const handle of viewerHandles()) handle.close();
  // Only a page that holds the window sees it close, and tells the others.
  world.uncertain = !(world.pageHolds || world.charts.some((chart) => chart.opened.length));
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
const pageSteps = [
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(0, 0, 1), fc.constantFrom(...PATIENTS)).map(([i, patient]) => setPatient(i, patient)) },
  { weight: 1, arbitrary: fc.constantFrom(...LOCATIONS).map(setLocation) },
  { weight: 5, arbitrary: fc.constantFrom(0, 0, 1).map(click) },
  { weight: 3, arbitrary: fc.constantFrom<Answer>('accepted', 'accepted', 'accepted', 'rejected', ...VIEWER_ERRORS.map((error) => ({ error }))).map(answer) },
  { weight: 2, arbitrary: fc.constant(failNextToken) },
  { weight: 1, arbitrary: fc.constant(userCloses) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1).map(logout) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1).map(closeViewer) },
  { weight: 1, arbitrary: fc.boolean().map(rerender) },
  { weight: 1, arbitrary: fc.constant(reload) },
  { weight: 1, arbitrary: fc.boolean().map(viewerLeaves) },
  { weight: 1, arbitrary: fc.constant(viewerLosesOpener) },
  { weight: 1, arbitrary: fc.constant(viewerSignsOut) },
  { weight: 1, arbitrary: fc.constant<Answer>({ error: 'no-match', screen: true }).map(answer) },
];
/** Other chart windows: each loads the SDK, which takes a second or so, so these walks are fewer. */
const windowSteps = [
  { weight: 2, arbitrary: fc.tuple(fc.boolean(), fc.constantFrom(...PATIENTS)).map(([fromChart, patient]) => openChart(fromChart, patient)) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(0, 1), fc.constantFrom(...PATIENTS)).map(([j, patient]) => chartPatient(j, patient)) },
  { weight: 3, arbitrary: fc.constantFrom(0, 1).map(chartClick) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1).map(closeChart) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1).map(reloadChart) },
];

async function newWorld(): Promise<World> {
  const container = document.createElement('div');
  document.body.append(container);
  const world: World = {
    charts: [], chartWindows: new Set(), owner: null, pageHolds: false,
    buttons: [], patients: [PATIENTS[0]!, PATIENTS[1]!], locations: ['BC', 'BC'], container,
    tokens: new Map(), failNextToken: false, viewersVersion: 0, shows: null, known: true, uncertain: false, tokensAtReload: 0, steps: [],
  };
  world.buttons = [createButton(world, 0), createButton(world, 1)];
  await Promise.all(world.buttons.map((el) => el.updateComplete));
  current = world;
  return world;
}

/** Resolves once no chart window has spoken on the EMR channel for `quietMs` (or after `maxMs`). */
async function channelQuiet(quietMs: number, maxMs: number): Promise<void> {
  const listener = new BroadcastChannel('careconnect-launch');
  let last = performance.now();
  listener.onmessage = () => {
    last = performance.now();
  };
  const started = performance.now();
  while (performance.now() - last < quietMs && performance.now() - started < maxMs) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  listener.close();
}

function isBlank(win: Window): boolean {
  try {
    return win.location.href === 'about:blank' && win.document.readyState === 'complete';
  } catch {
    return false;
  }
}

async function endWorld(world: World): Promise<void> {
  for (const handle of viewerHandles()) handle.close();
  // A chart window's page says, as it goes (pagehide), that a launch it held is now anyone's guess. Firefox
  // reads a window closed before its page is gone, so that news could reach the next run's sessions:
  // each page leaves for about:blank first, and once the blank page is in, the chart page is gone.
  for (const win of world.chartWindows) if (!win.closed) win.location.replace('about:blank');
  await waitFor(() => [...world.chartWindows].every((win) => win.closed || isBlank(win)), 'the chart pages to go', 5000);
  for (const win of world.chartWindows) win.close();
  // Firefox closes a window a moment later, and until then its page still answers on the EMR channel;
  // what the chart windows said last may still be on its way. The next run starts from a fresh page.
  await waitFor(() => [...world.chartWindows].every((win) => win.closed), 'the chart windows to close', 5000);
  // In Firefox a window reads closed before its page is gone: its last news on the EMR channel may
  // come later still, and would reach the next run's fresh sessions. Wait for the channel to go quiet.
  if (world.chartWindows.size) await channelQuiet(400, 5000);
  forgetViewerSessions();
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

  async function walk(commands: Array<fc.WeightedArbitrary<Step>>, numRuns: number, seed: number) {
    await fc.assert(
      fc.asyncProperty(fc.commands([fc.oneof(...commands)], { maxCommands: 14, size: '+1' }), async (steps) => {
        const world = await newWorld();
        try {
          await fc.asyncModelRun(() => ({ model: {}, real: world }), steps);
        } finally {
          await endWorld(world);
        }
      }),
      { seed, numRuns, verbose: 1 },
    );
  }

  it('warns whenever the viewer shows another patient than the chart, and only then', async function () {
    this.timeout(360_000);
    const { seed, numRuns } = await walkSettings();
    console.log(`wrong-patient walk: seed ${seed}, ${numRuns} runs (replay with WALK_SEED=${seed})`);
    await walk(pageSteps, numRuns, seed);
  });

  it('warns in every chart window of the EMR, opened from each other, switched, reloaded and closed', async function () {
    this.timeout(360_000);
    const { seed, numRuns } = await walkSettings();
    const runs = Math.max(1, Math.round(numRuns / 5));
    console.log(`wrong-patient walk with chart windows: seed ${seed}, ${runs} runs (replay with WALK_SEED=${seed})`);
    await walk([...pageSteps, ...windowSteps], runs, seed);
  });
});
