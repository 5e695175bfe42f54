// The mock CareConnect's sign-in rules, with no msw: the in-page sign-in (handlers.ts) and the
// identity provider on its third origin (identity-provider.ts, in Node) apply the same ones.

/** Demo Health Authority accounts; any BC Services Card pairing is approved by the "app". */
export const DEMO_ACCOUNTS = {
  drlee: { password: 'careconnect', name: 'Dr. Robin Lee', role: 'provider', pharmanet: true },
  'moa.kim': { password: 'careconnect', name: 'Sam Kim (MOA)', role: 'staff', pharmanet: false },
} as const;

export interface SignInRequest {
  method: 'bcsc' | 'ha';
  username?: string;
  password?: string;
  /** From the launch token: the EMR user's role, and where they connect from. */
  role: 'provider' | 'staff';
  network: 'ppn' | 'internet';
}

export interface SignedInUser {
  name: string;
  role: 'provider' | 'staff';
  /** Only users registered for PharmaNet may search it. */
  pharmanet: boolean;
}

export type SignInResult = ReturnType<typeof checkSignIn>;

/** Own only: a refusal never finds a `user` on a polluted Object.prototype. */
export const isSignedIn = (result: SignInResult): result is { user: SignedInUser } => Object.hasOwn(result, 'user');

/**
 * The sign-in rules, shared by the in-page sign-in and the demo's identity provider: a refusal
 * (`wrong-password` is for the user to retry, never a failed launch), or the user signed in.
 */
export function checkSignIn(request: Partial<SignInRequest>):
  | { user: SignedInUser }
  | { error: 'auth-failed' | 'wrong-password' | 'bad-request'; message: string } {
  if (request.network === 'internet' && request.method !== 'bcsc') {
    return { error: 'auth-failed', message: 'From the internet, sign in with the BC Services Card app.' };
  }
  if (request.method === 'ha') {
    // Own accounts only: `constructor` is no account.
    const username = request.username as keyof typeof DEMO_ACCOUNTS;
    const account = Object.hasOwn(DEMO_ACCOUNTS, username) ? DEMO_ACCOUNTS[username] : undefined;
    if (!account || account.password !== request.password) return { error: 'wrong-password', message: 'Wrong username or password.' };
    return { user: { name: account.name, role: account.role, pharmanet: account.pharmanet } };
  }
  if (request.method !== 'bcsc') return { error: 'bad-request', message: 'Choose how to sign in.' };
  // Outside the PPN, CareConnect admits providers only: an office assistant gets an authentication error.
  if (request.network === 'internet' && request.role !== 'provider') {
    return { error: 'auth-failed', message: 'Only providers can use CareConnect from outside the Private Physician Network.' };
  }
  const provider = request.role === 'provider';
  return { user: { name: provider ? 'Dr. Demo Provider' : 'Demo Office Assistant', role: provider ? 'provider' : 'staff', pharmanet: provider } };
}
