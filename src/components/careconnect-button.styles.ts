import { css } from '@lit/reactive-element';

export default css`
  :host {
    position: relative;
    --_bg: var(--careconnect-button-background, #234075);
    --_fg: var(--careconnect-button-color, #ffffff);
    --_radius: var(--careconnect-button-radius, 4px);
    --_focus: var(--careconnect-button-focus-ring, #1a5a96);
    --_error: var(--careconnect-button-error-color, #b3261e);
    --_warning: var(--careconnect-button-warning-color, #8a4b00);
    display: inline-flex;
    flex-direction: column;
    align-items: flex-start;
    gap: 4px;
    vertical-align: middle;
  }
  :host([hidden]) {
    display: none;
  }
  [part~='base'] {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    min-height: 32px;
    padding: 6px 14px;
    border: 0;
    border-radius: var(--_radius);
    background: var(--_bg);
    color: var(--_fg);
    font: inherit;
    font-weight: 600;
    white-space: nowrap;
    cursor: pointer;
  }
  [part~='icon'] {
    width: 1em;
    height: 1em;
    fill: currentColor;
    flex: none;
  }
  :host([compact]) [part~='base'] {
    padding: 6px 8px;
  }
  /* Icon-only, the viewer's name is still the button's accessible name. */
  :host([compact]) [part~='label'] {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  [part~='base']:hover {
    filter: brightness(1.15);
  }
  [part~='base']:focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  [part~='base'][aria-busy='true'] {
    cursor: progress;
  }
  [part~='status'] {
    margin: 0;
    max-width: 32em;
    color: var(--_error);
    font-size: 0.875em;
  }
  /* Empty, the live region stays in the accessibility tree (so its first message is announced) but takes no room. */
  [part~='status']:empty {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
  }
  :host([state='stale']) [part~='base'] {
    outline: 2px dashed var(--_warning);
    outline-offset: 2px;
  }
  :host([state='stale']) [part~='status'] {
    color: var(--_warning);
    font-weight: 600;
  }
  [part~='retry'] {
    font: inherit;
    color: inherit;
    background: none;
    border: 0;
    padding: 0;
    text-decoration: underline;
    cursor: pointer;
  }
  [part~='retry']:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 1px;
  }
`;
