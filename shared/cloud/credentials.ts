// Which identity the cloud clients use. Effectful (reads no env itself, but builds @azure/identity credentials):
// not for orchestrations.
//   azure + AZURE_CLIENT_ID  → the app's user-assigned managed identity
//   azure without a client id → DefaultAzureCredential (a developer's az login / VS Code / env credentials)
//   local                    → a fixed bearer token that the local sandbox accepts
import { DefaultAzureCredential, ManagedIdentityCredential, type AccessToken, type TokenCredential } from "@azure/identity";
import type { JobflowConfig } from "../config";

/** The bearer token the local sandbox accepts by default (not a secret: it only opens the local emulator). */
export const LOCAL_SANDBOX_TOKEN = "jobflow-local-sandbox-token";

/**
 * Hands out one fixed bearer token for any scope, valid for an hour from each call. For the local sandbox only.
 * The token is kept in a private field and never appears in `toString`/`JSON.stringify`/inspect output.
 */
export class StaticTokenCredential implements TokenCredential {
  readonly #token: string;
  constructor(
    token: string = LOCAL_SANDBOX_TOKEN,
    private readonly nowMs: () => number = () => Date.now(),
  ) {
    this.#token = token;
  }
  async getToken(): Promise<AccessToken> {
    return { token: this.#token, expiresOnTimestamp: this.nowMs() + 3_600_000, tokenType: "Bearer" };
  }
  toJSON(): object {
    return { type: "StaticTokenCredential" };
  }
  toString(): string {
    return "StaticTokenCredential";
  }
}

export interface CreateCredentialOptions {
  /** Local target: the token the sandbox accepts (default LOCAL_SANDBOX_TOKEN). */
  localToken?: string;
}

export function createCredential(
  config: Pick<JobflowConfig, "target" | "clientId" | "tenantId">,
  options: CreateCredentialOptions = {},
): TokenCredential {
  if (config.target === "local") return new StaticTokenCredential(options.localToken);
  if (config.clientId) return new ManagedIdentityCredential({ clientId: config.clientId });
  return new DefaultAzureCredential(config.tenantId ? { tenantId: config.tenantId } : {});
}
