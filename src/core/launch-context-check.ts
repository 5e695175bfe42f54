// Shape checks for a launch context: the token's `ctx` claim must be exactly what the element sends.
import type { LaunchContext } from './launch-context.js';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const optionalString = (value: unknown) => value === undefined || typeof value === 'string';

export function isLaunchContext(value: unknown): value is LaunchContext {
  if (!isObject(value)) return false;
  const { healthNumber, patient, location, user, network } = value;
  return (
    isObject(healthNumber) && typeof healthNumber.province === 'string' && typeof healthNumber.value === 'string' &&
    isObject(patient) && typeof patient.id === 'string' && optionalString(patient.givenName) &&
    optionalString(patient.familyName) && optionalString(patient.birthDate) &&
    (patient.gender === undefined || ['female', 'male', 'other', 'unknown'].includes(patient.gender as string)) &&
    isObject(location) && optionalString(location.id) && (location.province === null || typeof location.province === 'string') &&
    isObject(user) && (user.role === 'provider' || user.role === 'staff') &&
    (network === 'ppn' || network === 'internet')
  );
}
