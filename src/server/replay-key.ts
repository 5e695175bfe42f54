// What a verifier claims in its replay cache: one key per issuer and `jti`, so two EMRs sharing a
// cache cannot burn each other's tokens by reusing a `jti`.
import { base64url } from 'jose';

/** SHA-256 of `[iss, jti]` as JSON (unambiguous where the two meet), base64url: 43 characters. */
export async function replayKey(issuer: string, jti: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify([issuer, jti])));
  return base64url.encode(new Uint8Array(digest));
}
