// The registry of provincial EHR viewers and the rule that picks one for a clinic location.
import { toProvinceCode, type ProvinceCode } from './provinces.js';

export type ViewerId =
  | 'bc-careconnect'
  | 'ab-netcare'
  | 'sk-ehr-viewer'
  | 'on-connecting-ontario'
  | 'qc-dsq'
  | 'ns-share'
  | 'nb-ehr-viewer'
  | 'nl-healthe-nl';

export type ViewerTransport = 'post-message' | 'form-post';
export type Network = 'ppn' | 'internet';

export interface ViewerDescriptor {
  readonly id: ViewerId;
  /** The button label, e.g. "BC CareConnect". */
  readonly name: string;
  /** The name used in sentences, with no article: "... required to access CareConnect". */
  readonly shortName: string;
  readonly province: ProvinceCode;
  /** The province whose health number the viewer needs. */
  readonly healthNumberProvince: ProvinceCode;
  /** Default launch URL (inside the private network), or null when the EMR must configure it. */
  readonly launchUrl: string | null;
  /** `new URL(launchUrl).origin`, or null. */
  readonly origin: string | null;
  /** Known launch URLs per network, where they differ. */
  readonly launchUrls: Readonly<Partial<Record<Network, string>>>;
  readonly transport: ViewerTransport;
}

function viewer(
  id: ViewerId,
  province: ProvinceCode,
  name: string,
  shortName = name,
  urls?: Partial<Record<Network, string>>,
  transport: ViewerTransport = 'post-message',
): ViewerDescriptor {
  // No prototype: a network the viewer has no URL for must not find one on a polluted Object.prototype.
  const launchUrls = { __proto__: null, ...urls } as Partial<Record<Network, string>>;
  const launchUrl = launchUrls.ppn ?? launchUrls.internet ?? null;
  return Object.freeze({
    id,
    name,
    shortName,
    province,
    healthNumberProvince: province,
    launchUrl,
    origin: launchUrl ? new URL(launchUrl).origin : null,
    launchUrls: Object.freeze(launchUrls),
    transport,
  });
}

/**
 * One clinician viewer per province. Manitoba's eChart is deliberately absent: it is never
 * offered from an EMR. Only CareConnect publishes its launch URLs (the "POST integration v2.01");
 * the others need `.viewers[id].launchUrl` from the EMR's integration agreement.
 */
export const VIEWERS: Readonly<Record<ViewerId, ViewerDescriptor>> = Object.freeze({ __proto__: null, ...(Object.fromEntries([
  viewer('bc-careconnect', 'BC', 'BC CareConnect', 'CareConnect', {
    ppn: 'https://bc.careconnect.ca/Welcome/Search',
    internet: 'https://health.careconnect.ca/Welcome/Search',
  }, 'form-post'),
  viewer('ab-netcare', 'AB', 'Alberta Netcare Portal'),
  viewer('sk-ehr-viewer', 'SK', 'Saskatchewan eHR Viewer', 'eHR Viewer'),
  viewer('on-connecting-ontario', 'ON', 'ConnectingOntario ClinicalViewer', 'ConnectingOntario'),
  viewer('qc-dsq', 'QC', 'Dossier santé Québec'),
  viewer('ns-share', 'NS', 'SHARE'),
  viewer('nb-ehr-viewer', 'NB', 'NB EHR Clinical Viewer', 'EHR Clinical Viewer'),
  viewer('nl-healthe-nl', 'NL', 'HEALTHe NL'),
].map((v) => [v.id, v])) as Record<ViewerId, ViewerDescriptor>) });

/** True for the id of a viewer in VIEWERS, never for a name its prototype has (`constructor`). */
export const isViewerId = (value: unknown): value is ViewerId => typeof value === 'string' && Object.hasOwn(VIEWERS, value);

const VIEWER_BY_PROVINCE = new Map<ProvinceCode, ViewerDescriptor>(
  Object.values(VIEWERS).map((v) => [v.province, v]),
);

export interface ViewerSelection {
  /** The province of the clinic location selected in the EMR. */
  locationProvince?: string | null;
  /** The province of the EMR account, used when the location has none. */
  accountProvince?: string | null;
}

const isBlank = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/**
 * Picks the viewer for the selected location's province, falling back to the account's province
 * only when the location has none. A location in a province without a viewer gives null: an
 * Alberta EMR account must not offer Alberta Netcare at a Manitoba clinic.
 */
export function selectViewer(selection: ViewerSelection | null | undefined): ViewerDescriptor | null {
  const location = selection?.locationProvince;
  const province = toProvinceCode(isBlank(location) ? selection?.accountProvince : location);
  return (province && VIEWER_BY_PROVINCE.get(province)) || null;
}
