// Lease activities: the endpoints a lease caller gets in its "ready" callback. Secret NAMES only, never values.
// Classified (../activities/classified.ts): a permanent failure (401/403 from ARM) comes back at once as a value
// instead of being retried for eight minutes; the lease orchestration then fails the lease and releases the cluster.
import * as df from "durable-functions";
import { gatewayUrl } from "../../shared/config";
import { JobflowError } from "../../shared/errors";
import type { LeaseEndpoints } from "../../shared/policies/workflowTypes";
import { ACTIVITY } from "../../shared/workflow/activities";
import { services } from "../runtime/services";
import { classified } from "../activities/classified";

df.app.activity(ACTIVITY.getLeaseEndpoints, {
  handler: classified(ACTIVITY.getLeaseEndpoints, async (input: { clusterName: string; profileName: string }): Promise<LeaseEndpoints> => {
    const s = services();
    const [info, profile] = await Promise.all([s.cloud.clusters.get(input.clusterName), s.profile(input.profileName)]);
    if (!info) throw new JobflowError("NotFoundError", `cluster ${input.clusterName} does not exist`);
    const base = gatewayUrl(s.config, input.clusterName);
    const endpoints: LeaseEndpoints = {
      clusterName: input.clusterName,
      livyUrl: `${base}/livy`,
      ambariUrl: base,
      gateway: { username: profile.gateway.username, passwordSecretName: profile.gateway.passwordSecret },
      ssh: { username: profile.ssh.username, passwordSecretName: profile.ssh.passwordSecret },
    };
    if (s.config.keyVaultUrl) endpoints.gateway.keyVaultUrl = s.config.keyVaultUrl;
    if (info.sshEndpoint) endpoints.sshHost = info.sshEndpoint;
    return endpoints;
  }),
});
