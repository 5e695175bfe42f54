import './components/define.js';

export * from './core/index.js';
export { CareConnectButton } from './components/careconnect-button.js';
export type { LaunchState, PatientDemographics, TokenProvider } from './components/careconnect-button.js';
export type * from './components/events.js';
