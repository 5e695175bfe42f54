import { unsafeCSS } from '@lit/reactive-element';

// Each public custom property is read where it is used, with its default, so a vendor can theme
// from :root. (Material's private --_x copies would cost bytes this bundle does not have.)
// A constant with no interpolation, so nothing here is unsafe: `unsafeCSS` rather than the `css`
// tag spares the bundle the tag's value checks and their error text (170 B gzip).
export default unsafeCSS(`
  :host {
    position: relative;
    display: inline-flex;
    flex-direction: column;
    align-items: var(--careconnect-button-align, flex-start);
    gap: 4px;
    vertical-align: middle;
    /* Unset, this is no declaration at all: the button keeps the page's font. */
    font-family: var(--careconnect-button-font-family);
  }
  :host([hidden]) {
    display: none;
  }
  button {
    font: inherit;
    border: 0;
    cursor: pointer;
  }
  [part='base'] {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    min-height: 32px;
    padding: 6px 14px;
    border-radius: var(--careconnect-button-radius, 4px);
    background: var(--careconnect-button-background, #234075);
    color: var(--careconnect-button-color, #fff);
    font-weight: 600;
    white-space: nowrap;
  }
  button:focus-visible {
    outline: 3px solid var(--careconnect-button-focus-ring, #1a5a96);
    outline-offset: 2px;
  }
  [part='icon'] {
    width: 1em;
    height: 1em;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
  }
  :host([compact]) [part='base'] {
    padding: 6px 8px;
  }
  [part='status'] {
    margin: 0;
    max-width: 32em;
    font-size: 0.875em;
  }
  /* The phases of a launch are said in the page's colour; an error in its own. */
  :host([state='error']) [part='status'] {
    color: var(--careconnect-button-error-color, #b3261e);
  }
  /* Visually hidden but still read: the compact label (the button's name) and the empty live
     region (so its first message is announced). */
  :host([compact]) [part='label'],
  [part='status']:empty {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
  }
  /* While the window opens and until the viewer answers (aria-busy): the pointer, still on the button, says so. */
  :host([state='opening']) [part='base'] {
    cursor: progress;
  }
  /* A bar under the button, so the warning never looks like the focus ring. */
  :host([state='stale']) [part='base'] {
    box-shadow: inset 0 -4px var(--careconnect-button-warning-color, #8a4b00);
  }
  [part='warning'] {
    color: var(--careconnect-button-warning-color, #8a4b00);
    font-weight: 600;
  }
  [part='retry'] {
    color: inherit;
    background: none;
    padding: 0;
    text-decoration: underline;
  }
`);
