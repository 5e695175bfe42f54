// The EMR's records win over the browser's: the context to sign when `authorize` returns the chart,
// or a mismatch when the request names another number or other demographics.
import { validateHealthNumber } from '../core/health-number.js';
import type { LaunchContext } from '../core/launch-context.js';
import { ownProperties } from '../core/own-properties.js';
import { toPatientContext } from '../core/patient-context.js';

/** What the EMR's records hold for `ctx.patient.id`, in any form the button accepts (`9698 658 215`, `F`). */
export interface Chart {
  healthNumber: { province: string; value: string };
  patient: { givenName?: string; familyName?: string; birthDate?: string; gender?: string };
}

const DEMOGRAPHICS = ['givenName', 'familyName', 'birthDate', 'gender'] as const;

/** A health number in the button's normal form (separators out, province code upper-case), or null. */
function normalHealthNumber(healthNumber: unknown) {
  const { province, value } = ownProperties(healthNumber);
  const checked = validateHealthNumber(province, value);
  return checked.valid ? { province: checked.province, value: checked.value } : null;
}

/**
 * `ctx` (its known keys only, see `pickLaunchContext`) with the chart's health number and
 * demographics, both sides in the button's normal forms. Every demographic the request names must
 * equal the chart's exactly (names are not case-folded: the page shows what the records hold); one
 * it leaves out comes from the chart. A chart that is not one is the EMR's bug: a TypeError, which
 * names no value.
 */
export function chartContext(ctx: LaunchContext, chart: unknown): LaunchContext | 'mismatch' {
  const record = ownProperties(chart);
  const healthNumber = normalHealthNumber(record.healthNumber);
  const recorded = ownProperties(record.patient);
  // The demographics only: a record may hold more (an MRN, flags) that is no business of the token.
  const patient = toPatientContext(Object.fromEntries([['id', ctx.patient.id], ...DEMOGRAPHICS.map((key) => [key, recorded[key]])]));
  if (!healthNumber || !patient) {
    throw new TypeError('authorize returned a chart that is not { healthNumber: { province, value }, patient: { givenName?, familyName?, birthDate?, gender? } } with a valid health number');
  }
  const asked = normalHealthNumber(ctx.healthNumber);
  if (asked?.province !== healthNumber.province || asked.value !== healthNumber.value) return 'mismatch';
  const askedPatient = toPatientContext({ ...ctx.patient }); // null for a birth date that is no ISO date
  if (!askedPatient || DEMOGRAPHICS.some((key) => askedPatient[key] !== undefined && askedPatient[key] !== patient[key])) return 'mismatch';
  return { ...ctx, healthNumber, patient };
}
