// Configuration, patient data and messages come from the host page or another window: read only
// what the object itself holds, never what a polluted Object.prototype would add.

/** A copy of `value`'s own enumerable properties in an object with no prototype. May throw (a getter). */
export const ownProperties = (value: unknown): Record<string, unknown> => Object.assign(Object.create(null), value);
