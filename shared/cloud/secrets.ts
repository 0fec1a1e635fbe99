// Secrets by name (gateway passwords, S3 keys, webhook secrets). Values never go to logs, records or orchestration
// history: only activities call this, and pass the value straight to the client that needs it.
import type { CallOptions } from "./common";

export interface SecretStore {
  /** The current value of secret `name`. Throws NotFoundError when it does not exist; Throttled/Transient/AuthError. */
  getSecret(name: string, options?: CallOptions): Promise<string>;
}
