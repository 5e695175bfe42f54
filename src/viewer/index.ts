export { ViewerLink, LOST_LINK_NOTICE, LAUNCH_KEY, SHOWING_KEY } from './viewer-link.js';
export type { ViewerLaunch, ViewerLinkOptions } from './viewer-link.js';
export { parseOpenerMessage } from '../core/opener-message.js';
export type { OpenerMessage, ViewerMessage, ViewerErrorCode } from '../core/protocol.js';
