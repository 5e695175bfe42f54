// careconnect-launch/vue: types only. It declares <careconnect-button> in Vue's GlobalComponents, so
// vue-tsc checks its properties and types its events in SFC templates; at run time the module is empty.
import type { EmitFn, HTMLAttributes, PublicProps } from 'vue';
import type { CareConnectButton } from '../components/careconnect-button.js';
import type { CareConnectEventMap } from '../components/events.js';

/** What a template may set: every property the element declares to Lit, less the read-only `state`. */
export type CareConnectButtonProps = Partial<Pick<CareConnectButton, Exclude<keyof typeof CareConnectButton.properties, 'state'>>>;

/** `@careconnect-accept="(e) => ..."`: each handler gets the element's own event, `e.detail` typed. */
export type CareConnectButtonEmits = { [K in keyof CareConnectEventMap]: (event: CareConnectEventMap[K]) => void };

/** The shape vue-tsc reads a custom element from (vuejs.org, "Web Components and TypeScript"). */
export type CareConnectButtonVue = new () => CareConnectButton & {
  /** @deprecated For template type-checking only: a ref to the element has no `$props`. */
  $props: HTMLAttributes & CareConnectButtonProps & PublicProps;
  /** @deprecated For template type-checking only: a ref to the element has no `$emit`. */
  $emit: EmitFn<CareConnectButtonEmits>;
};

declare module 'vue' {
  interface GlobalComponents {
    'careconnect-button': CareConnectButtonVue;
  }
}
