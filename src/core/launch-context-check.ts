// Shape checks for a launch context: the token's `ctx` claim must be exactly what the element sends.
import type { LaunchContext } from './launch-context.js';
import { ownProperties } from './own-properties.js';

/** The object's own properties, or null for anything that is not a plain object. */
const own = (value: unknown) => (typeof value === 'object' && value !== null && !Array.isArray(value) ? ownProperties(value) : null);
const optionalString = (value: unknown) => value === undefined || typeof value === 'string';

export function isLaunchContext(value: unknown): value is LaunchContext {
  const ctx = own(value);
  if (!ctx) return false;
  const [healthNumber, patient, location, user] = [ctx.healthNumber, ctx.patient, ctx.location, ctx.user].map(own);
  return (
    !!healthNumber && typeof healthNumber.province === 'string' && typeof healthNumber.value === 'string' &&
    !!patient && typeof patient.id === 'string' && optionalString(patient.givenName) &&
    optionalString(patient.familyName) && optionalString(patient.birthDate) &&
    (patient.gender === undefined || ['female', 'male', 'other', 'unknown'].includes(patient.gender as string)) &&
    !!location && optionalString(location.id) && (location.province === null || typeof location.province === 'string') &&
    !!user && (user.role === 'provider' || user.role === 'staff') &&
    (ctx.network === 'ppn' || ctx.network === 'internet')
  );
}
