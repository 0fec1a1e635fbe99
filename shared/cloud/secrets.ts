// Secrets by name (gateway passwords, S3 keys, webhook secrets). Values never go to logs, records or orchestration
// history: only activities call this, and pass the value straight to the client that needs it.
import type { CallOptions } from "./common";

export interface SecretStore {
  /** The current value of secret `name`. Throws NotFoundError when it does not exist; Throttled/Transient/AuthError. */
  getSecret(name: string, options?: CallOptions): Promise<string>;
  /**
   * Secret `name` at `version` (the current version when omitted), with the version id it is. Used to pin a
   * credential to what a resource was created with (a rotation must not break the clusters already running).
   * Throws NotFoundError when the secret or version does not exist; Throttled/Transient/AuthError.
   */
  getSecretVersion(name: string, options?: CallOptions & { version?: string }): Promise<{ value: string; version: string }>;
}
