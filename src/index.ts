import './components/define.js';

export * from './core/index.js';
export { CareConnectButton } from './components/careconnect-button.js';
export type { LaunchState, LaunchTarget, PatientDemographics, TokenProvider } from './components/careconnect-button.js';
export type * from './components/events.js';
