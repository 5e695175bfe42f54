export { ViewerWindow, viewerWindowFor, viewerWindowName, POPUP_FEATURES } from './viewer-window.js';
export type { OpenOutcome } from './viewer-window.js';
