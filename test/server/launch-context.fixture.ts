// The launch context the token tests mint and verify: Maple Sandbox, a valid BC PHN, in the PPN.
import type { LaunchContext } from '../../src/core/launch-context.js';

export const SAMPLE_PHN = '9698658215';

export const SAMPLE_CONTEXT: LaunchContext = {
  healthNumber: { province: 'BC', value: SAMPLE_PHN },
  patient: { id: 'chart-1001', givenName: 'Maple', familyName: 'Sandbox', birthDate: '1958-04-12', gender: 'female' },
  location: { province: 'BC' },
  user: { role: 'provider' },
  network: 'ppn',
};
