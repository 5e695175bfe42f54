// The viewer's popup window: opened synchronously inside the click, then reused and focused.
// Plain TS, no Lit: the element drives it, tests can drive it with a fake `window.open`.
import type { ViewerId } from '../core/viewers.js';

/** A popup (not a tab) big enough for a chart viewer; no `noopener`, the SDK needs the handle. */
export const POPUP_FEATURES = 'popup,width=1200,height=900';

/** Window names carry the viewer only: a patient identifier never goes into a window name. */
export const viewerWindowName = (viewerId: ViewerId) => `careconnect-${viewerId}`;

export type OpenOutcome = 'opened' | 'reused' | 'blocked';

export class ViewerWindow {
  private handle: Window | null = null;

  constructor(readonly name: string) {}

  get isOpen(): boolean {
    return this.handle !== null && !this.handle.closed;
  }

  /**
   * Must be called synchronously in the click handler, before any `await`: Safari and Firefox
   * block a popup opened after the user gesture's task has ended.
   */
  openOrFocus(url: string): OpenOutcome {
    if (this.isOpen) {
      this.handle!.focus();
      return 'reused';
    }
    const handle = window.open(url, this.name, POPUP_FEATURES);
    if (!handle) return 'blocked';
    this.handle = handle;
    return 'opened';
  }

  close(): void {
    if (this.isOpen) this.handle!.close();
    this.handle = null;
  }
}

// Every button on the page that targets one viewer shares one window, as a named window does.
const windows = new Map<string, ViewerWindow>();

export function viewerWindowFor(viewerId: ViewerId): ViewerWindow {
  const name = viewerWindowName(viewerId);
  let viewerWindow = windows.get(name);
  if (!viewerWindow) windows.set(name, (viewerWindow = new ViewerWindow(name)));
  return viewerWindow;
}
