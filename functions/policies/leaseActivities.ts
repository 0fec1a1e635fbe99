// Lease activities: the endpoints a lease caller gets in its "ready" callback. Secret NAMES only, never values.
// Classified (../activities/classified.ts): a permanent failure (401/403 from ARM) comes back at once as a value
// instead of being retried for eight minutes; the lease orchestration then fails the lease and releases the cluster.
import { gatewayUrl } from "../../shared/config";
import { JobflowError } from "../../shared/errors";
import type { LeaseEndpoints } from "../../shared/policies/workflowTypes";
import { ACTIVITY } from "../../shared/workflow/activities";
import type { ActivityDeps, ActivityHandlers } from "../activities/activityDeps";
import { classified } from "../activities/classified";

export function leaseActivities(deps: ActivityDeps): Pick<ActivityHandlers, typeof ACTIVITY.getLeaseEndpoints> {
  const { config } = deps;
  return {
    [ACTIVITY.getLeaseEndpoints]: classified(ACTIVITY.getLeaseEndpoints, async (input) => {
      const [info, profile] = await Promise.all([deps.clusters.get(input.clusterName), deps.profile(input.profileName)]);
      if (!info) throw new JobflowError("NotFoundError", `cluster ${input.clusterName} does not exist`);
      const base = gatewayUrl(config, input.clusterName);
      const endpoints: LeaseEndpoints = {
        clusterName: input.clusterName,
        livyUrl: `${base}/livy`,
        ambariUrl: base,
        gateway: { username: profile.gateway.username, passwordSecretName: profile.gateway.passwordSecret },
        ssh: { username: profile.ssh.username, passwordSecretName: profile.ssh.passwordSecret },
      };
      if (config.keyVaultUrl) endpoints.gateway.keyVaultUrl = config.keyVaultUrl;
      if (info.sshEndpoint) endpoints.sshHost = info.sshEndpoint;
      return endpoints;
    }),
  };
}
