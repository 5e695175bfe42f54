// The patient's demographics as EMRs send them, normalised for the launch token and the form POST,
// or refused: a value the viewer's back end would reject must stop the click, not a blank window.
import { isIsoDate } from './iso-date.js';
import type { Gender, PatientContext } from './launch-context.js';

const GENDERS: Gender[] = ['female', 'male', 'other', 'unknown'];

/**
 * `fields` (`id`, `givenName`, `familyName`, `birthDate`, `gender`; empty ones are left out) as the
 * launch context's `patient`, or null when one cannot be sent. EMRs' usual forms are read: F, M, O
 * and U (any case) for the gender, a whole number for the chart id.
 */
export function toPatientContext(fields: Record<string, unknown>): PatientContext | null {
  const patient: Record<string, unknown> = { id: '' };
  for (let [key, value] of Object.entries(fields)) {
    if (value == null || value === '') continue;
    if (key === 'id' && Number.isSafeInteger(value)) value = String(value);
    if (key === 'gender') {
      // A whole word or its initial: `toString` or `__proto__` is no gender.
      const word = typeof value === 'string' && value.trim().toLowerCase();
      value = GENDERS.find((name) => name === word || name[0] === word);
    }
    if (typeof value !== 'string' || (key === 'birthDate' && !isIsoDate(value))) return null;
    patient[key] = value;
  }
  return patient as unknown as PatientContext;
}
