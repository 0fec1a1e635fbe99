// The pure half of webhook signing: header names, the replay window and the Key Vault name of a caller's secret.
// Orchestrations import it (a lease names the secret its callback is signed with); the HMAC itself needs
// node:crypto and runs in an activity (shared/policies/webhookSignature.ts, used by functions/policies/).
export const SIGNATURE_HEADERS = {
  caller: "x-jobflow-caller",
  timestamp: "x-jobflow-timestamp",
  signature: "x-jobflow-signature",
  /** Outgoing only: unique per delivery, the same on every retry of it (receivers de-duplicate on it). */
  delivery: "x-jobflow-delivery",
} as const;

export const SIGNATURE_WINDOW_SECONDS = 5 * 60;
const CALLER_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Key Vault secret name holding a caller's shared secret (Key Vault names allow letters, digits and hyphens). */
export const callerSecretName = (caller: string): string => `webhook-${caller}`;

export function isValidCallerId(caller: string): boolean {
  return CALLER_PATTERN.test(caller);
}
