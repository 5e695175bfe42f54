export { ViewerSession, sessionFor, viewerWindowName, POPUP_FEATURES, DEFAULT_TIMEOUT_MS } from './viewer-session.js';
export type { LaunchRequest, SessionEvent, SessionListener } from './viewer-session.js';
