// The one-file bundle's entry, for a <script type="module"> tag: the element, plus the two rules
// a page without a bundler may want. The npm entry (index.ts) re-exports the whole browser API.
import './components/define.js';

export { CareConnectButton } from './components/careconnect-button.js';
export { validateHealthNumber } from './core/health-number.js';
export { VIEWERS, selectViewer } from './core/viewers.js';
