// The fields of CareConnect's "POST integration v2.01", from the launch context.
import type { PatientContext } from '../core/launch-context.js';
import { ownProperties } from '../core/own-properties.js';

export function formPostFields(phn: string, patient: PatientContext, organization?: string): Record<string, string> {
  // Only the patient's own fields: nothing from a polluted prototype reaches the POST body.
  const { givenName, familyName, birthDate, gender } = ownProperties(patient) as Partial<PatientContext>;
  const fields: Record<string, string> = { phn };
  if (givenName) fields.fn = givenName;
  if (familyName) fields.ln = familyName;
  // yyyyMMdd: the click's toPatientContext let only an ISO day that exists through.
  if (birthDate) fields.dob = birthDate.replace(/-/g, '');
  fields.g = gender === 'female' ? 'F' : gender === 'male' ? 'M' : 'U';
  if (organization) fields.o = organization;
  return fields;
}
