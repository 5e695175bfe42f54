// Shared by the browser tests: window.open stubs, the second-origin viewer, and waiting.
import { VIEWERS, type ViewerId } from '../../src/core/viewers.js';
import { sessionFor } from '../../src/session/viewer-session.js';

export interface OpenCall {
  url: string | undefined;
  name: string | undefined;
  features: string | undefined;
}

export interface FakeWindow {
  closed: boolean;
  opener: Window;
  top: FakeWindow;
  focusCount: number;
  navigations: string[];
  posted: Array<{ message: unknown; targetOrigin: string }>;
  location: { href: string; replace(url: string): void };
  focus(): void;
  close(): void;
  postMessage(message: unknown, targetOrigin: string): void;
}

/** A stand-in for a popup: records focus, navigation and what is posted to it. */
export function fakeWindow(): FakeWindow {
  const fake: FakeWindow = {
    closed: false,
    opener: window,
    get top() {
      return fake;
    },
    focusCount: 0,
    navigations: [],
    posted: [],
    location: {
      href: 'about:blank',
      replace: (url) => {
        fake.location.href = url;
        fake.navigations.push(url);
      },
    },
    focus: () => void fake.focusCount++,
    close: () => void (fake.closed = true),
    postMessage: (message, targetOrigin) => void fake.posted.push({ message, targetOrigin }),
  };
  return fake;
}

/** Replaces window.open with a recorder that hands back a fake window, or null (blocked). */
export function stubWindowOpen(result: 'fake-window' | 'blocked' = 'fake-window') {
  const calls: OpenCall[] = [];
  const fake = fakeWindow();
  const original = window.open;
  window.open = ((url?: string | URL, name?: string, features?: string) => {
    calls.push({ url: url?.toString(), name, features });
    return result === 'blocked' ? null : (fake as unknown as Window);
  }) as typeof window.open;
  return { calls, fake, restore: () => void (window.open = original) };
}

/** Wraps the real window.open of `page` (this one, or another chart window), keeping every handle it returns. */
export function spyOnWindowOpen(page: Window = window) {
  const original = page.open;
  const opened: Window[] = [];
  page.open = ((...args: Parameters<typeof window.open>) => {
    const handle = original.apply(page, args);
    if (handle) opened.push(handle);
    return handle;
  }) as typeof window.open;
  return { opened, restore: () => void (page.open = original) };
}

/**
 * For a test file that opens real viewer windows: each test gets window.open spied and the viewer's
 * reports collected, and every viewer window is closed after it.
 */
export function useViewerWindows() {
  const windows = {} as { spy: ReturnType<typeof spyOnWindowOpen>; viewer: ReturnType<typeof collectViewerReports> };
  beforeEach(() => {
    windows.spy = spyOnWindowOpen();
    windows.viewer = collectViewerReports();
  });
  afterEach(() => {
    closeAllViewers();
    windows.spy.restore();
    windows.viewer.stop();
  });
  return windows;
}

export function closeAllViewers(): void {
  for (const id of Object.keys(VIEWERS) as ViewerId[]) sessionFor(id).close();
}

const served = new Map<string, Promise<string>>();
/** A fact the test servers publish at a path, fetched once per page. */
function servedFact(path: string): Promise<string> {
  if (!served.has(path)) served.set(path, fetch(path).then((response) => response.text()));
  return served.get(path)!;
}

/** The 127.0.0.1 origin of the test viewer server (the test page itself is on localhost). */
export const testViewerOrigin = () => servedFact('/__viewer-origin');

export type Engine = 'chromium' | 'firefox' | 'webkit';
/** The engine running this page, as web-test-runner was told (ENGINE): for tests of engine differences. */
export const testEngine = () => servedFact('/__engine') as Promise<Engine>;

export async function waitFor<T>(probe: () => T | undefined | null | false, what: string, timeoutMs = 3000): Promise<T> {
  const start = performance.now();
  for (;;) {
    const value = probe();
    if (value) return value;
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Collects the `testReport`s the test viewer posts back (what it received, from which origin). */
export function collectViewerReports() {
  const reports: Array<Record<string, any>> = [];
  const onMessage = (event: MessageEvent) => {
    if (event.data?.testReport) reports.push({ ...event.data.testReport, from: event.origin });
  };
  window.addEventListener('message', onMessage);
  return { reports, stop: () => window.removeEventListener('message', onMessage) };
}

export function recordEvents<T>(el: EventTarget, type: string) {
  const seen: CustomEvent<T>[] = [];
  el.addEventListener(type, (e) => seen.push(e as CustomEvent<T>));
  return seen;
}
