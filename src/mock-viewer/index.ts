export { SYNTHETIC_PATIENTS } from './patients.js';
export type { SyntheticPatient } from './patients.js';
