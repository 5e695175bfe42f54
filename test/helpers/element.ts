// What a test reads and does on a <careconnect-button>, as a user meets it: the inner button
// (part="base", the one a click must land on), the status line, and the state.
import type { CareConnectButton } from '../../src/components/careconnect-button.js';

/** The inner button a clinician clicks; null when the element renders none (no viewer for the location). */
export const baseButton = (el: CareConnectButton) => el.shadowRoot?.querySelector<HTMLButtonElement>('button[part~="base"]') ?? null;

/** A click on the inner button (synthetic: no user activation). */
export function click(el: CareConnectButton): void {
  const button = baseButton(el);
  if (!button) throw new Error('the element renders no button to click');
  button.click();
}

/** The status line's text, trimmed; '' while there is none. */
export const statusText = (el: CareConnectButton) => el.shadowRoot?.querySelector('[part~="status"]')?.textContent?.trim() ?? '';

/** The state the element reflects. */
export const stateOf = (el: CareConnectButton) => el.getAttribute('state');
