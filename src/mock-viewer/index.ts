export { SYNTHETIC_PATIENTS, REGISTRY } from './patients.js';
export type { SyntheticPatient, RegistryEntry, Demographics } from './patients.js';
export { recordFor, lastFourteenMonths } from './records.js';
export type { PatientRecord, RecordSection, Encounter, LabResult, ImagingReport, ClinicalDocument, Dispense } from './records.js';
export { handlers, scenarios, SCENARIO_NAMES, MOCK_API, DEMO_ACCOUNTS, IDP_SCENARIOS, checkSignIn } from './msw/handlers.js';
export type { ScenarioName, SignInRequest, SignedInUser } from './msw/handlers.js';
export { DEMO_ISSUER, DEMO_TOKEN_PATH, DEMO_JWKS_PATH, counterpartOrigin } from './demo-emr.js';
