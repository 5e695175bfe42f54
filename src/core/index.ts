export { validateHealthNumber } from './health-number.js';
export type { HealthNumberResult, HealthNumberInvalidReason } from './health-number.js';
export { VIEWERS, selectViewer } from './viewers.js';
export type { ViewerDescriptor, ViewerId, ViewerSelection, ViewerTransport, Network } from './viewers.js';
export { toProvinceCode } from './provinces.js';
export type { ProvinceCode } from './provinces.js';
export { ERROR_CODES } from './errors.js';
export type { CareConnectErrorCode } from './errors.js';
