// A launch context's known keys only, at every level: the token carries what the EMR vouches for,
// never a key the browser added (`ctx.extra`, `patient.verifiedByEmr`).
import type { LaunchContext, PatientContext } from './launch-context.js';

/** Copies the keys that `value` holds and `keys` names, leaving out the absent (undefined) ones. */
function pick<T extends object>(value: T, keys: readonly (keyof T)[]): T {
  const picked = {} as T;
  for (const key of keys) if (Object.hasOwn(value, key) && value[key] !== undefined) picked[key] = value[key];
  return picked;
}

const PATIENT_KEYS: readonly (keyof PatientContext)[] = ['id', 'givenName', 'familyName', 'birthDate', 'gender'];

/** `ctx`, checked by `isLaunchContext` first, with nothing but the members `LaunchContext` declares. */
export function pickLaunchContext(ctx: LaunchContext): LaunchContext {
  return {
    healthNumber: pick(ctx.healthNumber, ['province', 'value']),
    patient: pick(ctx.patient, PATIENT_KEYS),
    location: pick(ctx.location, ['id', 'province']),
    user: pick(ctx.user, ['role']),
    network: ctx.network,
  };
}
