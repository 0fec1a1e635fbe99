// The cluster definition the RP keeps from a create request: the secrets removed exactly where the REST spec
// marks them (x-ms-secret: clusterDefinition.configurations, linuxOperatingSystemProfile.sshProfile,
// role.minInstanceCount, role.scriptActions; format password: securityProfile.domainUserPassword) plus the other
// credentials the RP never echoes (OS passwords, storage keys and SAS keys), and what the RP fills in: the default
// componentVersion, the zookeeper role it adds, the read-only data disk fields. Pure.
import { defaultComponentVersion, kindOffer } from "../../../shared/hdinsight/checks";

type Json = Record<string, unknown>;

/** Read-only fields the RP reports on each data disks group (Kafka's managed disks: S30 standard). */
const DATA_DISK_DEFAULTS = { storageAccountType: "Standard_LRS", diskSizeGB: 1023 };

/** The properties GET returns for a create body's properties (a deep copy; the input is not changed). */
export function storedProperties(properties: Json, kind: string): Json {
  const copy = structuredClone(properties);
  const def = (copy.clusterDefinition ?? {}) as Json;
  delete def.configurations;
  if (def.componentVersion === undefined) {
    const fill = defaultComponentVersion(kind);
    if (fill) def.componentVersion = fill;
  }
  const storage = (copy.storageProfile as { storageaccounts?: Json[] } | undefined)?.storageaccounts;
  storage?.forEach((a) => {
    delete a.key;
    delete a.saskey;
  });
  const security = copy.securityProfile as Json | undefined;
  if (security) delete security.domainUserPassword;
  const compute = (copy.computeProfile ?? { roles: [] }) as { roles: Json[] };
  compute.roles.forEach(redactRole);
  addZookeeperRole(compute.roles, kind);
  return copy;
}

function redactRole(role: Json): void {
  delete role.minInstanceCount;
  delete role.scriptActions;
  const linux = (role.osProfile as { linuxOperatingSystemProfile?: Json } | undefined)?.linuxOperatingSystemProfile;
  if (linux) {
    delete linux.password;
    delete linux.sshProfile;
  }
  const disks = role.dataDisksGroups as Json[] | undefined;
  disks?.forEach((g) => Object.assign(g, DATA_DISK_DEFAULTS, { disksPerNode: g.disksPerNode }));
}

/** The RP creates three ZooKeeper nodes when the request omits the role, with the head node's login and network. */
function addZookeeperRole(roles: Json[], kind: string): void {
  if (roles.some((r) => String(r.name).toLowerCase() === "zookeepernode")) return;
  const head = roles.find((r) => String(r.name).toLowerCase() === "headnode");
  const username =
    ((head?.osProfile as { linuxOperatingSystemProfile?: Json } | undefined)?.linuxOperatingSystemProfile?.username as
      string | undefined) ?? "sshuser";
  roles.push({
    name: "zookeepernode",
    targetInstanceCount: 3,
    hardwareProfile: { vmSize: (kindOffer(kind)?.defaultZookeeperSize ?? "Standard_A2_v2").toLowerCase() },
    osProfile: { linuxOperatingSystemProfile: { username } },
    ...(head?.virtualNetworkProfile !== undefined ? { virtualNetworkProfile: structuredClone(head.virtualNetworkProfile) } : {}),
  });
}

/** The create's cluster configurations (Ambari config types) for the configurations API, without the gateway password. */
export function storedConfigurations(properties: Json): Record<string, Record<string, unknown>> {
  const def = properties.clusterDefinition as Json | undefined;
  const configs = structuredClone((def?.configurations ?? {}) as Record<string, Record<string, unknown>>);
  if (configs.gateway) delete configs.gateway["restAuthCredential.password"];
  return configs;
}
