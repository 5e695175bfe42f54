// Synthetic patients for the demo and the mock viewer. Nobody real: names are invented and the
// PHNs were generated to pass the mod-11 check (none is a published test PHN).
import type { Gender } from '../core/launch-context.js';

export interface SyntheticPatient {
  /** The demo EMR's chart id. */
  id: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  gender: Gender;
  healthNumber: { province: string; value: string } | null;
  /** Why QA would pick this patient. */
  scenario: string;
}

export const SYNTHETIC_PATIENTS: readonly SyntheticPatient[] = Object.freeze([
  { id: 'chart-1001', givenName: 'Maple', familyName: 'Sandbox', birthDate: '1958-04-12', gender: 'female', healthNumber: { province: 'BC', value: '9014263862' }, scenario: 'Valid BC PHN' },
  { id: 'chart-1002', givenName: 'Cedar', familyName: 'Testwood', birthDate: '1984-11-03', gender: 'male', healthNumber: { province: 'BC', value: '9245456408' }, scenario: 'Valid BC PHN' },
  { id: 'chart-1003', givenName: 'Juniper', familyName: 'Mockley', birthDate: '2012-06-30', gender: 'other', healthNumber: { province: 'BC', value: '9484967263' }, scenario: 'Valid BC PHN, a child' },
  { id: 'chart-1004', givenName: 'Alder', familyName: 'Fakerson', birthDate: '1971-01-19', gender: 'male', healthNumber: { province: 'BC', value: '9014263863' }, scenario: 'BC PHN with a wrong check digit' },
  { id: 'chart-1005', givenName: 'Willow', familyName: 'Nonumber', birthDate: '1990-09-09', gender: 'female', healthNumber: null, scenario: 'No health number on file' },
  { id: 'chart-1006', givenName: 'Aspen', familyName: 'Prairie', birthDate: '1966-02-14', gender: 'unknown', healthNumber: { province: 'AB', value: '123456782' }, scenario: 'Alberta number only' },
] satisfies SyntheticPatient[]);
