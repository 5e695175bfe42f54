// What the button says, per error code. No message ever contains a health number or a name.
import type { CareConnectErrorCode } from '../core/errors.js';
import type { ProvinceCode } from '../core/provinces.js';
import type { ViewerDescriptor } from '../core/viewers.js';

// Only provinces that have a viewer ever appear in a message.
const PROVINCE_NAMES: Partial<Record<ProvinceCode, string>> = {
  AB: 'Alberta',
  BC: 'British Columbia',
  NB: 'New Brunswick',
  NL: 'Newfoundland and Labrador',
  NS: 'Nova Scotia',
  ON: 'Ontario',
  QC: 'Quebec',
  SK: 'Saskatchewan',
};

const withArticle = (word = '') => (/^[AEIOU]/.test(word) ? `An ${word}` : `A ${word}`);
const capitalized = (text: string) => text[0]!.toUpperCase() + text.slice(1);

type Viewer = ViewerDescriptor | null;
const nameOf = (v: Viewer) => v?.shortName ?? 'the viewer';
const subject = (v: Viewer) => capitalized(nameOf(v));

const MESSAGES: Record<CareConnectErrorCode, (viewer: Viewer) => string> = {
  'health-number-required': (v) =>
    `${withArticle(v ? PROVINCE_NAMES[v.healthNumberProvince] : 'valid')} health number is required to access ${nameOf(v)}.`,
  'no-viewer': () => 'No provincial viewer is available for this location.',
  'not-configured': (v) =>
    `${v?.name ?? 'This viewer'} is not set up in this EMR. Ask your EMR administrator to enable it.`,
  'popup-blocked': (v) => `The browser blocked the ${nameOf(v)} window. Allow pop-ups for this site, then try again.`,
  'viewer-timeout': (v) => `${subject(v)} did not respond. Check your network connection, then try again.`,
  'auth-failed': (v) =>
    `${subject(v)} could not sign you in. From outside the clinic network, only providers can sign in.`,
  'no-match': (v) => `${subject(v)} found no matching patient for this health number.`,
  'token-failed': (v) =>
    `The EMR could not prepare a secure launch of ${nameOf(v)}. Try again, or contact your EMR support.`,
  busy: (v) => `${subject(v)} is busy with another request. Wait a moment, then try again.`,
};

export function errorMessage(code: CareConnectErrorCode, viewer: Viewer): string {
  return MESSAGES[code](viewer);
}

export function staleMessage(viewer: ViewerDescriptor): string {
  return `${subject(viewer)} is showing a different patient — click to update.`;
}
