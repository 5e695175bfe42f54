// Shape checks for a launch context: the token's `ctx` claim must be exactly what the element sends,
// one spelling per field; a verifier refuses any other (docs/tokens.md, "The token format").
import { isIsoDate } from './iso-date.js';
import type { LaunchContext } from './launch-context.js';
import { ownProperties } from './own-properties.js';
import { isProvinceCode } from './provinces.js';

/** The object's own properties, or null for anything that is not a plain object. */
const own = (value: unknown) => (typeof value === 'object' && value !== null && !Array.isArray(value) ? ownProperties(value) : null);
const optionalString = (value: unknown) => value === undefined || typeof value === 'string';
/**
 * A health number as `validateHealthNumber` gives it: ASCII digits and upper-case letters (a Quebec NAM,
 * an Ontario version code), no spaces or dashes. Whether it is valid in its province is the minter's check.
 */
const isNormalHealthNumber = (value: unknown) => typeof value === 'string' && /^[0-9A-Z]+$/.test(value);

export function isLaunchContext(value: unknown): value is LaunchContext {
  const ctx = own(value);
  if (!ctx) return false;
  const [healthNumber, patient, location, user] = [ctx.healthNumber, ctx.patient, ctx.location, ctx.user].map(own);
  return (
    !!healthNumber && isProvinceCode(healthNumber.province) && isNormalHealthNumber(healthNumber.value) &&
    !!patient && typeof patient.id === 'string' && optionalString(patient.givenName) &&
    optionalString(patient.familyName) && (patient.birthDate === undefined || (typeof patient.birthDate === 'string' && isIsoDate(patient.birthDate))) &&
    (patient.gender === undefined || ['female', 'male', 'other', 'unknown'].includes(patient.gender as string)) &&
    !!location && optionalString(location.id) && (location.province === null || isProvinceCode(location.province)) &&
    !!user && (user.role === 'provider' || user.role === 'staff') &&
    (ctx.network === 'ppn' || ctx.network === 'internet')
  );
}
