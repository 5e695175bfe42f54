// Reads one viewer's entry of `.viewers`, from own properties only, and never throws: a polluted
// Object.prototype must not enable a viewer or redirect a launch, and a broken entry is a typed error.
import { ownProperties } from '../core/own-properties.js';
import type { ViewerId } from '../core/viewers.js';
import type { ViewerConfig } from './events.js';

const isOptionalString = (value: unknown) => value == null || typeof value === 'string';

/** The entry the host listed for `id`, copied; null when it is not listed or cannot be used as it is. */
export function readViewerConfig(viewers: unknown, id: ViewerId): ViewerConfig | null {
  try {
    const entry = Object.hasOwn(viewers as object, id) ? (viewers as Record<string, unknown>)[id] : null;
    if (typeof entry !== 'object' || !entry) return null;
    const { launchUrl, transport, organization } = ownProperties(entry);
    const valid = isOptionalString(launchUrl) && isOptionalString(organization) &&
      (transport == null || transport === 'post-message' || transport === 'form-post');
    return valid ? ({ launchUrl, transport, organization } as ViewerConfig) : null;
  } catch {
    return null; // a getter that throws, a revoked proxy, no .viewers at all
  }
}
