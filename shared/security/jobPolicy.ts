// The security options of job validation from the deployment's configuration: which secrets a job may reference
// and where its webhooks may point. One function so the API, the queue, schedules, the validate route and the
// CLI's offline commands apply the same rules. Pure.
import type { JobflowConfig } from "../config";
import type { ProfileCatalog } from "../profiles/catalog";
import type { OutboundPolicy } from "./outboundUrl";
import { secretScope, type SecretScope } from "./secretScope";

export type JobSecurityConfig = Pick<JobflowConfig, "jobSecrets" | "webhookAllowHosts" | "ownHosts" | "notifySecretName">;

export interface JobSecurityOptions {
  secretScope: SecretScope;
  outbound: OutboundPolicy;
}

export function jobSecurityOptions(config: JobSecurityConfig, profiles: ProfileCatalog): JobSecurityOptions {
  return {
    secretScope: secretScope({
      prefixes: config.jobSecrets.prefixes,
      names: config.jobSecrets.names,
      profiles,
      notifySecretName: config.notifySecretName,
    }),
    outbound: outboundPolicy(config),
  };
}

export function outboundPolicy(config: Pick<JobflowConfig, "webhookAllowHosts" | "ownHosts">): OutboundPolicy {
  return { allowHosts: config.webhookAllowHosts, ownHosts: config.ownHosts };
}
