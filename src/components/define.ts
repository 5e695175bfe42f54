// Registration is its own, guarded step: two vendor bundles on one EMR page must not throw.
import { CareConnectButton } from './careconnect-button.js';

if (!customElements.get('careconnect-button')) customElements.define('careconnect-button', CareConnectButton);

declare global {
  interface HTMLElementTagNameMap {
    'careconnect-button': CareConnectButton;
  }
}
