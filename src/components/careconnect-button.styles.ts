import { css } from '@lit/reactive-element';

// Public custom properties are read once into private ones, so a vendor can theme from :root.
export default css`
  :host {
    --_bg: var(--careconnect-button-background, #234075);
    --_fg: var(--careconnect-button-color, #fff);
    --_focus: var(--careconnect-button-focus-ring, #1a5a96);
    --_warning: var(--careconnect-button-warning-color, #8a4b00);
    position: relative;
    display: inline-flex;
    flex-direction: column;
    align-items: flex-start;
    gap: 4px;
    vertical-align: middle;
  }
  :host([hidden]) {
    display: none;
  }
  button {
    font: inherit;
    cursor: pointer;
  }
  [part~='base'] {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    min-height: 32px;
    padding: 6px 14px;
    border: 0;
    border-radius: var(--careconnect-button-radius, 4px);
    background: var(--_bg);
    color: var(--_fg);
    font-weight: 600;
    white-space: nowrap;
  }
  [part~='base']:hover {
    filter: brightness(1.15);
  }
  button:focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  [part~='icon'] {
    width: 1em;
    height: 1em;
    fill: currentColor;
  }
  :host([compact]) [part~='base'] {
    padding: 6px 8px;
  }
  [part~='status'] {
    margin: 0;
    max-width: 32em;
    color: var(--careconnect-button-error-color, #b3261e);
    font-size: 0.875em;
  }
  /* Visually hidden but still read: the compact label (the button's name) and the empty live
     region (so its first message is announced). */
  :host([compact]) [part~='label'],
  [part~='status']:empty {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
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
    color: inherit;
    background: none;
    border: 0;
    padding: 0;
    text-decoration: underline;
  }
`;
