// The fields of CareConnect's "POST integration v2.01", from the launch context.
import type { PatientContext } from '../core/launch-context.js';

const GENDER_CODES = { female: 'F', male: 'M', other: 'U', unknown: 'U' } as const;

export function formPostFields(phn: string, patient: PatientContext, organization?: string): Record<string, string> {
  const fields: Record<string, string> = { phn };
  if (patient.givenName) fields.fn = patient.givenName;
  if (patient.familyName) fields.ln = patient.familyName;
  // yyyyMMdd, only from a well-formed ISO date: a wrong date would break the viewer's match.
  if (patient.birthDate && /^\d{4}-\d{2}-\d{2}$/.test(patient.birthDate)) fields.dob = patient.birthDate.replace(/-/g, '');
  fields.g = (patient.gender && GENDER_CODES[patient.gender]) || 'U';
  if (organization) fields.o = organization;
  return fields;
}
