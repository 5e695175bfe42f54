// The wrong-patient guard across the EMR's chart windows: this test page is chart window 1, and it
// opens more chart windows with window.open, as OSCAR, Juno and their forks open each chart. Each
// runs its own copy of the SDK; the viewer is careconnect-launch/viewer on a second origin.
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/define.js';
import type { CareConnectButton } from '../../src/components/careconnect-button.js';
import { viewerWindowName } from '../../src/session/viewer-session.js';
import { sleep, spyOnWindowOpen, testEngine, testViewerOrigin, useViewerWindows, waitFor } from '../helpers/browser.js';
import { click, stateOf, statusText } from '../helpers/element.js';

const PATIENT_A = { healthNumber: '9698 658 215', patientId: 'chart-A' };
const PATIENT_B = { healthNumber: '9735 353 315', patientId: 'chart-B' };
type Patient = typeof PATIENT_A;
type ChartWindow = Window & typeof globalThis & { chartReady?: boolean };

const windows = useViewerWindows();
const charts: Window[] = [];
let origin: string;
let tokens = 0;

beforeEach(async () => {
  origin = await testViewerOrigin();
});

afterEach(async () => {
  for (const chart of charts.splice(0)) chart.close();
  await sleep(0);
});

function setUp(el: CareConnectButton, patient: Patient, viewerPage = 'link.html') {
  Object.assign(el, patient, {
    viewers: { 'bc-careconnect': { launchUrl: `${origin}/${viewerPage}${viewerPage.includes('?') ? '&' : '?'}emr=${encodeURIComponent(location.origin)}`, transport: 'post-message' } },
    tokenProvider: async () => `token-${++tokens}`,
  });
}

/** A button in this page, chart window 1. */
async function chartOneButton(patient: Patient, viewerPage?: string) {
  const el = await fixture<CareConnectButton>(html`<careconnect-button location-province="BC"></careconnect-button>`);
  setUp(el, patient, viewerPage);
  await el.updateComplete;
  return el;
}

/** Another chart window opened from this one, with a button for `patient`; `unrelated`: as in a tab of its own. */
async function openChart(patient: Patient, viewerPage?: string, unrelated = false) {
  const win = window.open(`/test/fixtures/chart.html${unrelated ? '?unrelated' : ''}`, `chart-${charts.length + 2}`, 'popup,width=420,height=300') as ChartWindow;
  charts.push(win);
  await waitFor(() => win.chartReady, 'the chart window to load the SDK', 8000);
  const el = win.document.createElement('careconnect-button') as CareConnectButton;
  el.setAttribute('location-province', 'BC');
  setUp(el, patient, viewerPage);
  win.document.body.append(el);
  await el.updateComplete;
  return el;
}

const viewer = () => windows.spy.opened[0]!;
const command = (testCommand: object) => viewer().postMessage({ testCommand }, origin);
const launches = () => windows.viewer.reports.filter((report) => report.launch);

/** Click, and the viewer's user accepts the match. */
async function launchAndAccept(el: CareConnectButton) {
  const before = launches().length;
  click(el);
  await waitFor(() => launches().length > before, 'the launch to reach the viewer', 5000);
  command({ call: 'match' });
  command({ call: 'accepted' });
  await waitFor(() => stateOf(el) === 'showing', 'the accept', 5000);
}

describe('the guard across chart windows', () => {
  it('chart window 1 warns within 1 s when chart window 2 shows another patient in the same viewer window, and a click there relaunches', async () => {
    const one = await chartOneButton(PATIENT_A);
    await launchAndAccept(one);
    const two = await openChart(PATIENT_B);
    await waitFor(() => stateOf(two) === 'stale', 'a chart opened later to learn what the window shows', 1000);

    await launchAndAccept(two);
    expect(windows.spy.opened.filter((handle) => !handle.closed && !charts.includes(handle)).length, 'one viewer window').to.equal(1);
    const accepted = performance.now();
    await waitFor(() => stateOf(one) === 'stale', 'chart window 1 to warn', 1000);
    expect(performance.now() - accepted).to.be.below(1000);

    // Chart 1's click never only focuses a window another chart took: it launches A again.
    await launchAndAccept(one);
    expect(launches()).to.have.length(3);
    await waitFor(() => stateOf(two) === 'stale', 'chart window 2 to warn', 1000);
  });

  it('a chart window opened later says showing for the patient on screen, and stale for another', async () => {
    const one = await chartOneButton(PATIENT_A);
    await launchAndAccept(one);
    const sameA = await openChart(PATIENT_A);
    const otherB = await openChart(PATIENT_B);
    await waitFor(() => stateOf(sameA) === 'showing' && stateOf(otherB) === 'stale', 'both to learn the record', 1000);
  });

  it("every chart window stops saying showing when the viewer signs out from its own link", async () => {
    const one = await chartOneButton(PATIENT_A);
    await launchAndAccept(one);
    const two = await openChart(PATIENT_B);
    await waitFor(() => stateOf(two) === 'stale', 'chart 2 to warn');
    command({ call: 'showing', args: [null] });
    await waitFor(() => stateOf(one) === 'idle' && stateOf(two) === 'idle', 'both to hear the sign-out', 1000);
  });

  it("after a no-match for chart 2's patient, chart 1 no longer says showing", async () => {
    const one = await chartOneButton(PATIENT_A);
    await launchAndAccept(one);
    const two = await openChart(PATIENT_B);
    click(two);
    await waitFor(() => launches().length === 2, 'the launch of B');
    command({ call: 'error', args: ['no-match'] });
    await waitFor(() => stateOf(two) === 'error', 'the no-match in chart 2');
    // Until the viewer says what its screen shows, nobody knows: chart 1 warns.
    await waitFor(() => stateOf(one) === 'stale', 'chart 1 to warn', 1000);
    command({ call: 'showing', args: [null] });
    await waitFor(() => stateOf(one) === 'idle', 'chart 1 to hear the record is gone', 1000);
    // And its click launches A again, rather than focus a "No matching patient" screen.
    await launchAndAccept(one);
    expect(launches()).to.have.length(3);
  });

  it('a chart window opened after the one that launched closed learns the record from a window that heard it', async () => {
    const one = await chartOneButton(PATIENT_A);
    await launchAndAccept(one);
    const two = await openChart(PATIENT_B);
    await launchAndAccept(two);
    await waitFor(() => stateOf(one) === 'stale', 'chart window 1 to warn', 1000);
    (two.ownerDocument.defaultView as Window).close();
    const three = await openChart(PATIENT_A);
    // Chart window 1 never launched B, and no longer holds the window's last launch: it still answers.
    await waitFor(() => stateOf(three) === 'stale', 'chart window 3 to warn', 1000);
  });

  it('chart windows opened from a page with no button yet (a schedule) share one viewer window', async () => {
    const schedule = window.open('/test/fixtures/chart.html?unrelated', 'schedule', 'popup,width=420,height=300') as ChartWindow;
    charts.push(schedule);
    await waitFor(() => schedule.chartReady, 'the schedule page');
    const fromSchedule = async (patient: Patient) => {
      const win = schedule.open('/test/fixtures/chart.html', `from-schedule-${charts.length}`, 'popup,width=420,height=300') as ChartWindow;
      charts.push(win);
      await waitFor(() => win.chartReady, 'a chart window', 8000);
      const { opened } = spyOnWindowOpen(win);
      const el = win.document.createElement('careconnect-button') as CareConnectButton;
      el.setAttribute('location-province', 'BC');
      setUp(el, patient);
      win.document.body.append(el);
      await el.updateComplete;
      return { el, opened };
    };
    const x = await fromSchedule(PATIENT_A);
    const y = await fromSchedule(PATIENT_B);
    click(x.el);
    await waitFor(() => launches().length === 1, 'the launch from the first chart', 5000);
    x.opened[0]!.postMessage({ testCommand: { call: 'match' } }, origin);
    x.opened[0]!.postMessage({ testCommand: { call: 'accepted' } }, origin);
    await waitFor(() => stateOf(x.el) === 'showing' && stateOf(y.el) === 'stale', 'the second chart to warn', 2000);
    click(y.el);
    await waitFor(() => launches().length === 2, 'the launch from the second chart', 5000);
    // WebKit finds a named window only from the window that opened it or that window's opener, not
    // from a sibling: there the second chart window gets a viewer window of its own (a second sign-in).
    const same = y.opened[0] === x.opened[0];
    expect(same, 'the same viewer window, but in WebKit').to.equal((await testEngine()) !== 'webkit');
    for (const handle of [...x.opened, ...y.opened]) handle.close();
    // This page is a tab of its own to these charts: it hears their window closed before they go.
    await waitFor(() => stateOf(x.el) === 'idle' && stateOf(y.el) === 'idle', 'the charts to see their windows closed', 2000);
  });

  it('takes malformed news from the EMR channel as an unknown record, or (with no valid stamp) as no news, never an exception', async () => {
    const one = await chartOneButton(PATIENT_A);
    await launchAndAccept(one);
    const errors: unknown[] = [];
    const onError = (event: ErrorEvent) => errors.push(event.message);
    window.addEventListener('error', onError);
    const forger = new BroadcastChannel('careconnect-launch');
    try {
      const name = viewerWindowName('bc-careconnect');
      // News with no stamp, or one that is no number, is older than any record: dropped.
      for (const at of [undefined, 'later', { valueOf: 1 }, null]) forger.postMessage({ name, shown: null, at });
      forger.postMessage(null);
      forger.postMessage('hello');
      // A name that is no string, and one no String() can read.
      for (const bad of [42, { toString: 0 }, ['careconnect-bc-careconnect-1x1']]) forger.postMessage({ name: bad, shown: '?', at: Date.now() + 1 });
      await sleep(100);
      expect(stateOf(one), 'unstamped news changes nothing').to.equal('showing');
      for (const shown of [{ toString: 1 }, 42, { digest: 'x' }]) forger.postMessage({ name, shown, at: Date.now() + 1 });
      await waitFor(() => stateOf(one) === 'stale', 'the record to be unknown', 1000);
      expect(errors).to.deep.equal([]);
    } finally {
      forger.close();
      window.removeEventListener('error', onError);
    }
  });

  it('a chart window for the patient another chart window put in the viewer says showing, with no warning', async () => {
    const one = await chartOneButton(PATIENT_A);
    click(one);
    await waitFor(() => launches().length === 1, 'the launch to reach the viewer', 5000);
    // Chart window 2 is there before the Accept: it hears the launch, then what the viewer shows.
    const two = await openChart(PATIENT_A);
    command({ call: 'match' });
    command({ call: 'accepted' });
    await waitFor(() => stateOf(one) === 'showing', 'the accept', 5000);
    await waitFor(() => stateOf(two) === 'showing' && statusText(two) === '', 'chart window 2 to say showing', 1000);
  });

  it("a launch still waiting for the Accept, replaced by chart 2's, stops waiting at once: chart 1 warns", async () => {
    const one = await chartOneButton(PATIENT_A);
    click(one);
    await waitFor(() => launches().length === 1 && stateOf(one) === 'waiting', 'the launch of A to wait for the Accept', 5000);
    const two = await openChart(PATIENT_B);
    click(two);
    await waitFor(() => launches().length === 2, 'the launch of B', 5000);
    // Whichever comes first, the news from chart 2 (stale) or the viewer's busy (an error, with the warning).
    await waitFor(() => stateOf(one) !== 'waiting' && /different patient/.test(statusText(one)), 'chart 1 to warn rather than wait', 1000);
    expect(stateOf(two)).to.equal('waiting');
  });

  it("the EMR's logout in chart 1, whose patient chart 2 replaced, signs the viewer out and ends chart 2's launch waiting for the Accept", async () => {
    const one = await chartOneButton(PATIENT_A);
    await launchAndAccept(one);
    const two = await openChart(PATIENT_B);
    const rejected: unknown[] = [];
    two.addEventListener('careconnect-reject', (e) => rejected.push((e as CustomEvent).detail));
    click(two);
    await waitFor(() => launches().length === 2 && stateOf(two) === 'waiting', 'the launch of B to wait for the Accept', 5000);
    one.logout();
    await waitFor(() => stateOf(two) !== 'waiting', 'chart 2 to stop waiting', 2000);
    expect(rejected).to.have.length(1);
    await waitFor(() => stateOf(one) === 'idle' && stateOf(two) === 'idle', 'both to hear the viewer shows no one', 1000);
  });

  it('a launch nobody acknowledges, because another chart window took the viewer, ends in launch-lost, not waiting for ever', async function () {
    this.timeout(10_000);
    const one = await chartOneButton(PATIENT_A, 'viewer.html?noack');
    const errors: string[] = [];
    one.addEventListener('careconnect-error', (e) => errors.push((e as CustomEvent).detail.code));
    click(one);
    await waitFor(() => windows.viewer.reports.find((report) => report.received?.type === 'launch'), 'the launch', 5000);
    const two = await openChart(PATIENT_B, 'viewer.html?noack');
    const taken = (two.ownerDocument.defaultView as ChartWindow).open('', viewerWindowName('bc-careconnect'));
    expect(taken === viewer(), 'chart 2 found the viewer window by name').to.equal(true);
    await waitFor(() => errors.length, 'launch-lost', 5000);
    expect(errors).to.deep.equal(['launch-lost']);
    expect(stateOf(one)).to.equal('error');
  });
});

describe('a chart in an unrelated tab', () => {
  const warning = 'Another CareConnect window, opened from another tab, is showing a different patient. Close it if you no longer need it.';

  it('opens a viewer window of its own (a second sign-in); each tab warns of the other\'s window while it shows another patient', async () => {
    const one = await chartOneButton(PATIENT_A);
    await launchAndAccept(one);
    const other = await openChart(PATIENT_B, 'link.html', true);
    // A tab with no window of its own yet warns of chart 1's, which shows A.
    await waitFor(() => statusText(other) === warning, 'the unrelated chart to warn of chart 1\'s window', 1000);
    expect(stateOf(other), 'its own button has no window').to.equal('idle');
    const { opened } = spyOnWindowOpen(other.ownerDocument.defaultView!);
    click(other);
    await waitFor(() => launches().length === 2, 'the launch from the unrelated chart', 5000);
    expect(opened).to.have.length(1);
    expect(opened[0], 'a second viewer window').not.to.equal(viewer());
    opened[0]!.postMessage({ testCommand: { call: 'match' } }, origin);
    opened[0]!.postMessage({ testCommand: { call: 'accepted' } }, origin);
    await waitFor(() => stateOf(other) === 'showing', 'the accept in the second window');
    // Each chart's record is of the window its click reached: the first still shows A, the second B;
    // and each warns of the other tab's window.
    await waitFor(() => statusText(one) === warning, 'chart 1 to warn of the other tab\'s window', 1000);
    expect(stateOf(one)).to.equal('showing');
    expect(statusText(other)).to.equal(warning);
    // Closed, that window shows no one: chart 1's warning goes.
    // (The other tab's closed poll finds it; a background tab's timers run late on a loaded machine.)
    opened[0]!.close();
    await waitFor(() => statusText(one) === '', 'chart 1\'s warning to go', 5000);
    expect(stateOf(one)).to.equal('showing');
  });

  it('a tab warns of another tab\'s window only while it shows another patient than its chart\'s', async () => {
    const one = await chartOneButton(PATIENT_A);
    await launchAndAccept(one);
    const other = await openChart(PATIENT_B, 'link.html', true);
    await waitFor(() => statusText(other) === warning, 'the unrelated chart to warn', 1000);
    Object.assign(other, PATIENT_A);
    await waitFor(() => statusText(other) === '', 'no warning for the patient that window shows', 1000);
    viewer().close();
    Object.assign(other, PATIENT_B);
    await waitFor(() => stateOf(one) === 'idle', 'chart 1 to see its window closed', 2000);
    // Its news crosses to the other tab's process: on a loaded machine that once took over 100 ms.
    await waitFor(() => statusText(other) === '', 'no warning once that window closed', 1000);
  });
});

describe('a viewer window no one else can name', () => {
  it('is not found by the old fixed name', async () => {
    const one = await chartOneButton(PATIENT_A);
    await launchAndAccept(one);
    const byOldName = window.open('', 'careconnect-bc-careconnect');
    try {
      expect(byOldName).not.to.equal(viewer());
    } finally {
      byOldName?.close();
    }
  });

  it('never launches into a frame that holds its name', async () => {
    const frame = document.createElement('iframe');
    frame.name = viewerWindowName('bc-careconnect');
    document.body.append(frame);
    try {
      const one = await chartOneButton(PATIENT_A);
      const errors: string[] = [];
      one.addEventListener('careconnect-error', (e) => errors.push((e as CustomEvent).detail.code));
      click(one);
      await one.updateComplete;
      expect(errors).to.deep.equal(['launch-lost']);
      expect(windows.spy.opened.every((handle) => handle !== frame.contentWindow || handle.location.href === 'about:blank')).to.equal(true);
      await sleep(300);
      expect(launches()).to.have.length(0);
    } finally {
      frame.remove();
    }
  });
});
