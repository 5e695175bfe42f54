// What the button says, in English and (loaded on first need) Canadian French, the way
// @lit/localize's runtime mode loads a locale. Catalogs are plain strings with {placeholders},
// so a translator edits text, not code. No message ever holds a health number or a name.
import type { CareConnectErrorCode } from '../core/errors.js';
import type { ProvinceCode } from '../core/provinces.js';
import type { ViewerDescriptor } from '../core/viewers.js';

export type Language = 'en' | 'fr';
/** `no-viewer` has no sentence: with no viewer for the location the element renders nothing and never emits it. */
export type ShownErrorCode = Exclude<CareConnectErrorCode, 'no-viewer'>;
/** The phases of a launch, which the status line announces as it goes. */
export type PhaseKey = 'opening' | 'waiting' | 'matching';
export type MessageKey = ShownErrorCode | 'stale' | 'stale-number' | 'stale-pending' | 'stale-still' | 'stale-other-tab' | 'retry' | PhaseKey;

/**
 * `{viewer}` is the viewer's short name, `{name}` its full name, `{province}` the province's phrase
 * from `provinces` (only provinces with a viewer ever appear). A message is always about one viewer.
 */
export interface Catalog {
  messages: Record<MessageKey, string>;
  provinces: Partial<Record<ProvinceCode, string>>;
}

const EN: Catalog = {
  messages: {
    'health-number-required': '{province} health number is required to access {viewer}.',
    'not-configured': '{name} is not set up in this EMR. Ask your EMR administrator to enable it.',
    'popup-blocked': 'The browser blocked the {viewer} window. Allow pop-ups for this site, then try again.',
    'viewer-timeout': '{viewer} did not respond. Try again in a few minutes, or check your network connection.',
    'auth-failed': '{viewer} could not sign you in. Check your account; outside the clinic network, only providers have access.',
    'no-match': '{viewer} found no matching patient for this health number.',
    'token-failed': 'The EMR could not prepare a secure launch of {viewer}. Try again, or contact your EMR support.',
    busy: '{viewer} is busy with another request. Wait a moment, then try again.',
    unavailable: '{viewer} says its service is unavailable. Try again in a few minutes.',
    'launch-lost': '{viewer} lost the launch. Try again, or contact your EMR support.',
    'blocked-by-policy': "This page's security policy (form-action) blocked {viewer}. Contact your EMR support.",
    'demographics-invalid': "{viewer} cannot take this chart's name, birth date, gender or ID. Check them, or contact your EMR support.",
    stale: '{viewer} is showing a different patient — click to update.',
    'stale-number': '{viewer} is showing a different patient. {province} health number is required to update it.',
    'stale-pending': '{viewer} still shows a different patient until you accept this one.',
    'stale-still': '{viewer} is still showing a different patient.',
    'stale-other-tab': 'Another {viewer} window, opened from another tab, is showing a different patient. Close it if you no longer need it.',
    retry: 'Try again',
    opening: 'Opening {viewer}…',
    waiting: 'Waiting for {viewer}: sign in if it asks.',
    matching: 'Review the patient in {viewer}, then Accept.',
  },
  provinces: {
    AB: 'An Alberta', BC: 'A British Columbia', NB: 'A New Brunswick', NL: 'A Newfoundland and Labrador',
    NS: 'A Nova Scotia', ON: 'An Ontario', QC: 'A Quebec', SK: 'A Saskatchewan',
  },
};

// No prototype: until French loads, a polluted Object.prototype.fr is no catalog.
export const CATALOGS = { __proto__: null, en: EN } as Partial<Record<Language, Catalog>>;
let french: Promise<boolean> | undefined;

/**
 * Loads the French catalog once, when a French element first renders (so before any click);
 * English-only pages never download it. True once it is in; false when it could not load (offline,
 * the page's CSP, an integrity pin that does not match): the element stays in English, and the next
 * render for another reason tries again. Never a render of its own on failure, which would ask again
 * at once, for ever.
 */
export function loadFrench(): Promise<boolean> {
  return (french ??= import('./messages-fr.js').then(
    // The French lines come in the English catalog's order, without keys.
    ({ FR_MESSAGES, FR_PROVINCES }) => !!(CATALOGS.fr = {
      messages: Object.fromEntries(Object.keys(EN.messages).map((key, i) => [key, FR_MESSAGES[i]])) as Catalog['messages'],
      provinces: FR_PROVINCES,
    }),
    () => (french = undefined, false),
  ));
}

/** The message about `viewer` in `language`, or in English while that catalog is still loading. */
export function message(key: MessageKey, viewer: ViewerDescriptor, language: Language = 'en'): string {
  const catalog = CATALOGS[language] ?? EN;
  // Each placeholder appears at most once in a message.
  return catalog.messages[key]
    .replace('{viewer}', viewer.shortName)
    .replace('{name}', viewer.name)
    .replace('{province}', catalog.provinces[viewer.healthNumberProvince]!);
}

/** English unless the element, an ancestor or the page says French (`lang="fr"`, `fr-CA`, ...). */
export function languageOf(element: Element): Language {
  return /^fr\b/i.test((element.closest('[lang]') as HTMLElement | null)?.lang ?? '') ? 'fr' : 'en';
}
