// The patient's demographics as EMRs send them, normalised for the launch token and the form POST,
// or refused: a value the viewer's back end would reject must stop the click, not a blank window.
import type { Gender, PatientContext } from './launch-context.js';

const GENDERS: Gender[] = ['female', 'male', 'other', 'unknown'];

const isAbsent = (value: unknown) => value == null || value === '';

/** ISO `YYYY-MM-DD`, and a day that exists (no 30 February). */
const isIsoDate = (value: unknown) =>
  typeof value === 'string' && /^\d{4}-\d\d-\d\d$/.test(value) && new Date(Date.parse(value) || 0).toISOString().startsWith(value);

/**
 * `fields` as the launch context's `patient`, or null when one cannot be sent. EMRs' usual forms
 * are read: F, M, O and U (any case) for the gender, a whole number for the chart id.
 */
export function toPatientContext({ id, givenName, familyName, birthDate, gender }: Record<string, unknown>): PatientContext | null {
  // A whole word or its initial, so `toString` or `__proto__` is no gender.
  const word = typeof gender === 'string' && gender.trim().toLowerCase();
  const code = GENDERS.find((name) => name === word || name[0] === word);
  const valid =
    (isAbsent(id) || typeof id === 'string' || Number.isSafeInteger(id)) &&
    (isAbsent(givenName) || typeof givenName === 'string') &&
    (isAbsent(familyName) || typeof familyName === 'string') &&
    (isAbsent(birthDate) || isIsoDate(birthDate)) &&
    (isAbsent(gender) || code !== undefined);
  if (!valid) return null;
  const patient: PatientContext = { id: isAbsent(id) ? '' : String(id) };
  for (const [key, value] of Object.entries({ givenName, familyName, birthDate, gender: code })) {
    if (!isAbsent(value)) patient[key as 'givenName'] = value as string;
  }
  return patient;
}
