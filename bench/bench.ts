// Benchmarks that run in the page; scripts/bench.ts drives them in each engine and prints
// the table. The viewer is the protocol test viewer on 127.0.0.1 (auto-accepts), so the figures
// are the SDK's and the protocol's, not a sign-in's.
import '../src/index.js';
import type { CareConnectButton } from '../src/index.js';
import { envelope, parseViewerMessage } from '../src/core/protocol.js';
import { sessionFor } from '../src/session/viewer-session.js';

const stage = document.getElementById('stage')!;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const nextEvent = (el: EventTarget, type: string) => new Promise<Event>((resolve) => el.addEventListener(type, resolve, { once: true }));
const PHNS = ['9698658215', '9735353315', '9735361219', '9012372173', '9151247483'];

async function makeButton(viewerUrl: string, page: Window = window): Promise<CareConnectButton> {
  const el = page.document.createElement('careconnect-button') as CareConnectButton;
  Object.assign(el, {
    locationProvince: 'BC',
    healthNumber: PHNS[0],
    patientId: 'p-0',
    viewers: { 'bc-careconnect': { launchUrl: viewerUrl, transport: 'post-message' } },
    tokenProvider: async () => 'bench-token',
  });
  (page === window ? stage : page.document.body).append(el);
  await el.updateComplete;
  return el;
}
const baseButton = (el: CareConnectButton) => el.shadowRoot!.querySelector<HTMLButtonElement>('button[part~="base"]')!;

/** (a) From the click to the window.open call, with window.open stubbed: what the popup blocker sees. */
async function clickToOpen(runs: number) {
  const el = await makeButton('https://viewer.example/launch');
  const original = window.open;
  const samples: number[] = [];
  let openedAt = 0;
  window.open = (() => {
    openedAt = performance.now();
    const fake = { closed: false, opener: window, top: null as unknown, focus() {}, close() {}, postMessage() {}, location: { href: 'about:blank', replace() {} } };
    fake.top = fake;
    return fake as unknown as Window;
  }) as typeof window.open;
  try {
    for (let i = 0; i < runs; i++) {
      sessionFor('bc-careconnect').close();
      el.healthNumber = PHNS[i % PHNS.length]!;
      el.patientId = `p-${i}`;
      await el.updateComplete;
      const start = performance.now();
      baseButton(el).click();
      samples.push(openedAt - start);
    }
  } finally {
    window.open = original;
    sessionFor('bc-careconnect').close();
    el.remove();
  }
  return { medianMs: median(samples) };
}

/** (b) The first launch: click to careconnect-match, window opening and viewer load included. */
async function firstMatch(viewerUrl: string, runs: number) {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const el = await makeButton(viewerUrl);
    const match = nextEvent(el, 'careconnect-match');
    const start = performance.now();
    baseButton(el).click();
    await match;
    samples.push(performance.now() - start);
    await nextEvent(el, 'careconnect-accept');
    el.closeViewer();
    el.remove();
  }
  return { medianMs: median(samples) };
}

/** (c) A patient switch: by message into the live viewer, against a reload-based relaunch. */
async function patientSwitch(viewerUrl: string, runs: number) {
  const el = await makeButton(viewerUrl);
  baseButton(el).click();
  await nextEvent(el, 'careconnect-accept');
  const byMessage: number[] = [];
  for (let i = 1; i <= runs; i++) {
    el.healthNumber = PHNS[i % PHNS.length]!;
    el.patientId = `p-${i}`;
    await el.updateComplete;
    const accepted = nextEvent(el, 'careconnect-accept');
    const start = performance.now();
    baseButton(el).click();
    await accepted;
    byMessage.push(performance.now() - start);
  }
  el.closeViewer();
  el.remove();

  // The way EMR buttons relaunch today: window.open(url, name) navigates the named window, the
  // viewer reloads, says ready, and only then takes the patient.
  const origin = new URL(viewerUrl).origin;
  const handle = window.open(viewerUrl, 'bench-reload', 'popup,width=800,height=600')!;
  const viewerSays = (type: string) => new Promise<{ requestId?: string }>((resolve) => {
    const listen = (event: MessageEvent) => {
      const message = parseViewerMessage(event.data);
      if (event.origin !== origin || event.source !== handle || message?.type !== type) return;
      window.removeEventListener('message', listen);
      resolve(message as { requestId?: string });
    };
    window.addEventListener('message', listen);
  });
  await viewerSays('ready');
  const byReload: number[] = [];
  for (let i = 1; i <= runs; i++) {
    const ready = viewerSays('ready');
    const start = performance.now();
    window.open(`${viewerUrl}&reload=${i}`, 'bench-reload');
    await ready;
    const requestId = `reload-request-${i}`;
    const accepted = viewerSays('accepted');
    handle.postMessage(envelope({ type: 'launch', requestId, token: 'bench-token' }), origin);
    await accepted;
    byReload.push(performance.now() - start);
  }
  handle.close();
  return { byMessageMs: median(byMessage), byReloadMs: median(byReload), speedup: median(byReload) / median(byMessage) };
}

/** (d) Time to first render of N buttons on one page. */
async function render(count: number, runs: number) {
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const container = document.createElement('div');
    const start = performance.now();
    for (let i = 0; i < count; i++) {
      const el = document.createElement('careconnect-button');
      el.setAttribute('location-province', 'BC');
      el.setAttribute('health-number', PHNS[i % PHNS.length]!);
      el.setAttribute('patient-id', `p-${i}`);
      container.append(el);
    }
    stage.append(container);
    await Promise.all([...container.children].map((el) => (el as CareConnectButton).updateComplete));
    samples.push(performance.now() - start);
    container.remove();
  }
  return { medianMs: median(samples) };
}

/** (e) Patient switches in a row, for the heap and listener counts taken around them by the driver. */
async function switches(viewerUrl: string, count: number) {
  const el = await makeButton(viewerUrl);
  for (let i = 0; i <= count; i++) {
    el.healthNumber = PHNS[i % PHNS.length]!;
    el.patientId = `p-${i}`;
    await el.updateComplete;
    const accepted = nextEvent(el, 'careconnect-accept');
    baseButton(el).click();
    await accepted;
  }
  el.closeViewer();
  el.remove();
}

/** Now on the clock all windows share: each window's performance.now() counts from its own start. */
const epochMs = (page: Window) => page.performance.timeOrigin + page.performance.now();

/**
 * (f) Chart window 2 (opened by this one, with its own copy of the SDK) launches into the shared viewer
 * window. Launching another patient, chart window 1 (on A) warns as soon as the launch is sent: the
 * time from chart window 2's click. Launching A again, chart window 1 says `showing` once it hears of
 * the Accept: the time from that Accept. The viewer is careconnect-launch/viewer, accepting at once.
 */
async function crossWindow(linkUrl: string, runs: number) {
  const one = await makeButton(linkUrl);
  baseButton(one).click();
  await nextEvent(one, 'careconnect-accept');
  const chart2 = window.open('./chart.html', 'bench-chart2', 'popup,width=400,height=300')!;
  while (chart2.document?.title !== 'ready') await new Promise((resolve) => setTimeout(resolve, 20));
  const two = await makeButton(linkUrl, chart2);
  const followMs: number[] = [];
  const warnMs: number[] = [];
  for (let i = 0; i < runs * 2; i++) {
    // B, then A again: chart window 1 goes stale, then back to showing.
    const patient = i % 2 === 0 ? 1 : 0;
    Object.assign(two, { healthNumber: PHNS[patient], patientId: `p-${patient}` });
    await two.updateComplete;
    let acceptedAt = 0;
    two.addEventListener('careconnect-accept', () => (acceptedAt = epochMs(chart2)), { once: true });
    const expected = patient ? 'stale' : 'showing';
    const changed = new Promise<number>((resolve) => {
      const observer = new MutationObserver(() => {
        if (one.getAttribute('state') !== expected || (!patient && !acceptedAt)) return;
        observer.disconnect();
        resolve(epochMs(window));
      });
      observer.observe(one, { attributes: true, attributeFilter: ['state'] });
    });
    const accepted = nextEvent(two, 'careconnect-accept');
    const clickedAt = epochMs(chart2);
    baseButton(two).click();
    const at = await changed;
    await accepted;
    if (patient) warnMs.push(at - clickedAt);
    else followMs.push(at - acceptedAt);
  }
  chart2.close();
  one.closeViewer();
  one.remove();
  return { warnMs: median(warnMs), followMs: median(followMs) };
}

Object.assign(window, { bench: { clickToOpen, firstMatch, patientSwitch, render, switches, crossWindow } });
document.title = 'ready';
