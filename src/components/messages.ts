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

const MESSAGES: Record<CareConnectErrorCode, (viewer: ViewerDescriptor | null) => string> = {
  'health-number-required': (v) =>
    v
      ? `${withArticle(PROVINCE_NAMES[v.healthNumberProvince])} health number is required to access ${v.shortName}.`
      : 'A valid health number is required.',
  'no-viewer': () => 'No provincial viewer is available for this location.',
  'not-configured': (v) =>
    `${v?.name ?? 'This viewer'} is not set up in this EMR. Ask your EMR administrator to enable it.`,
  'popup-blocked': (v) =>
    `The browser blocked the ${v?.shortName ?? 'viewer'} window. Allow pop-ups for this site, then try again.`,
  'viewer-timeout': (v) =>
    `${v?.shortName ?? 'The viewer'} did not respond. Check your network connection, then try again.`,
  'auth-failed': (v) =>
    `${v?.shortName ?? 'The viewer'} could not sign you in. From outside the clinic network, only providers can sign in.`,
  'no-match': (v) => `${v?.shortName ?? 'The viewer'} found no matching patient for this health number.`,
  'token-failed': (v) =>
    `The EMR could not prepare a secure launch of ${v?.shortName ?? 'the viewer'}. Try again, or contact your EMR support.`,
  busy: (v) => `${v?.shortName ?? 'The viewer'} is still opening. Wait a moment, then try again.`,
};

export function errorMessage(code: CareConnectErrorCode, viewer: ViewerDescriptor | null): string {
  return MESSAGES[code](viewer);
}
