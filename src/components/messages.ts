// What the button says, in English and (loaded on first need) Canadian French, the way
// @lit/localize's runtime mode loads a locale. No message ever holds a health number or a name.
import type { CareConnectErrorCode } from '../core/errors.js';
import type { ProvinceCode } from '../core/provinces.js';
import type { ViewerDescriptor } from '../core/viewers.js';

export type Language = 'en' | 'fr';
export type MessageKey = CareConnectErrorCode | 'stale' | 'retry';
type Viewer = ViewerDescriptor | null;
export type Catalog = Record<MessageKey, (short: string, viewer: Viewer) => string>;

// Only provinces that have a viewer ever appear in a message, each in the phrase its language needs.
const PROVINCE_EN: Partial<Record<ProvinceCode, string>> = {
  AB: 'An Alberta', BC: 'A British Columbia', NB: 'A New Brunswick', NL: 'A Newfoundland and Labrador',
  NS: 'A Nova Scotia', ON: 'An Ontario', QC: 'A Quebec', SK: 'A Saskatchewan',
};
const EN: Catalog = {
  'health-number-required': (s, v) => `${(v && PROVINCE_EN[v.healthNumberProvince]) ?? 'A valid'} health number is required to access ${s}.`,
  'no-viewer': () => 'No provincial viewer is available for this location.',
  'not-configured': (s, v) => `${v?.name ?? s} is not set up in this EMR. Ask your EMR administrator to enable it.`,
  'popup-blocked': (s) => `The browser blocked the ${s} window. Allow pop-ups for this site, then try again.`,
  'viewer-timeout': (s) => `${s} did not respond. Try again in a few minutes, or check your network connection.`,
  'auth-failed': (s) => `${s} could not sign you in. Check your account; outside the clinic network, only providers have access.`,
  'no-match': (s) => `${s} found no matching patient for this health number.`,
  'token-failed': (s) => `The EMR could not prepare a secure launch of ${s}. Try again, or contact your EMR support.`,
  busy: (s) => `${s} is busy with another request. Wait a moment, then try again.`,
  stale: (s) => `${s} is showing a different patient — click to update.`,
  retry: () => 'Try again',
};

export const CATALOGS: Partial<Record<Language, Catalog>> = { en: EN };
let french: Promise<void> | undefined;

/** Loads the French catalog once; English-only pages never download it. */
export function loadFrench(): Promise<void> {
  return (french ??= import('./messages-fr.js').then((module) => void (CATALOGS.fr = module.FR)));
}

/** The message in `language`, or in English while that catalog is still loading. */
export function message(key: MessageKey, viewer: Viewer, language: Language = 'en'): string {
  const catalog = CATALOGS[language] ?? EN;
  return catalog[key](viewer?.shortName ?? (catalog === EN ? 'EHR viewer' : 'Visualiseur DSE'), viewer);
}

/** English unless the element, an ancestor or the page says French (`lang="fr"`, `fr-CA`, ...). */
export function languageOf(element: Element): Language {
  return /^fr\b/i.test((element.closest('[lang]') as HTMLElement | null)?.lang ?? '') ? 'fr' : 'en';
}
