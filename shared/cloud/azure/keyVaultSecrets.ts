// SecretStore over @azure/keyvault-secrets. The local sandbox serves a Key Vault emulator under
// https://127.0.0.1:PORT/keyvault: its challenge names a resource that is not *.vault.azure.net, hence the option
// to skip the challenge's resource verification (never set it against real Azure).
import { SecretClient } from "@azure/keyvault-secrets";
import { systemClock } from "../../clock";
import { JobflowError } from "../../errors";
import type { SecretStore } from "../secrets";
import { retryOn429OptionsFor, tlsOptionsFor, type AzureClientOptions } from "./clientOptions";
import { withMappedErrors } from "./mapError";
import { retryOn429Policy } from "./retryOn429Policy";

export interface KeyVaultSecretStoreOptions extends AzureClientOptions {
  /** e.g. "https://myvault.vault.azure.net" or the sandbox's "https://127.0.0.1:PORT/keyvault". */
  vaultUrl: string;
  disableChallengeResourceVerification?: boolean;
}

export function createKeyVaultSecretStore(options: KeyVaultSecretStoreOptions): SecretStore {
  const clock = options.clock ?? systemClock;
  const client = new SecretClient(options.vaultUrl, options.credential, {
    retryOptions: options.retryOptions,
    disableChallengeResourceVerification: options.disableChallengeResourceVerification,
    additionalPolicies: [{ policy: retryOn429Policy(retryOn429OptionsFor(options)), position: "perRetry" }],
    ...tlsOptionsFor(options.caPem),
  });
  return {
    async getSecret(name, o): Promise<string> {
      const secret = await withMappedErrors(`get secret ${name}`, () => client.getSecret(name, { abortSignal: o?.abortSignal }), clock);
      if (secret.value === undefined) throw new JobflowError("NotFoundError", `get secret ${name}: the secret has no value`);
      return secret.value;
    },
    async getSecretVersion(name, o): Promise<{ value: string; version: string }> {
      const what = `get secret ${name}${o?.version ? ` version ${o.version}` : ""}`;
      const secret = await withMappedErrors(
        what,
        () => client.getSecret(name, { abortSignal: o?.abortSignal, version: o?.version }),
        clock,
      );
      if (secret.value === undefined) throw new JobflowError("NotFoundError", `${what}: the secret has no value`);
      return { value: secret.value, version: secret.properties.version ?? o?.version ?? "" };
    },
  };
}
