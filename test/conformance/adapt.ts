// Turns a published create example (written for HDInsight 3.5-4.0, all retired) into the same request for 5.1,
// the only version Azure still creates: the version, each component's 5.1 version, masked passwords ("*****")
// replaced by ones that pass the password rules, and Basic-A sizes (retired with the A v1 series) by successors.
// Everything else is sent exactly as Microsoft published it.

const COMPONENTS_51: Record<string, Record<string, string>> = {
  spark: { Spark: "3.3" },
  hadoop: { Hadoop: "3.3" },
  kafka: { Kafka: "3.2" },
  hbase: { HBase: "2.4" },
  interactivehive: { InteractiveHive: "3.1" },
};
const RETIRED_SIZES: Record<string, string> = {
  small: "Standard_A2_v2",
  medium: "Standard_A4_v2",
  large: "Standard_D3_v2",
  extralarge: "Standard_D4_v2",
};

export const PASSWORDS = {
  gateway: "Gw-Passw0rd!2026",
  ssh: "Ssh-Passw0rd!2026",
  domain: "Dom-Passw0rd!2026",
  sshKey: "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQConformanceKey conformance@test",
};

type Json = Record<string, unknown>;

export function as51(createBody: unknown): Json {
  const body = structuredClone(createBody) as Json;
  const props = body.properties as Json;
  props.clusterVersion = "5.1";
  const def = props.clusterDefinition as Json;
  const kind = String(def.kind).toLowerCase();
  if (def.componentVersion) def.componentVersion = COMPONENTS_51[kind];
  const gateway = (def.configurations as Json | undefined)?.gateway as Json | undefined;
  if (gateway) gateway["restAuthCredential.password"] = PASSWORDS.gateway;
  const security = props.securityProfile as Json | undefined;
  if (security?.domainUserPassword) security.domainUserPassword = PASSWORDS.domain;
  for (const role of (props.computeProfile as Json).roles as Json[]) {
    const hw = role.hardwareProfile as Json;
    hw.vmSize = RETIRED_SIZES[String(hw.vmSize).toLowerCase()] ?? hw.vmSize;
    const linux = (role.osProfile as Json).linuxOperatingSystemProfile as Json;
    if (linux.password) linux.password = PASSWORDS.ssh;
    const keys = (linux.sshProfile as Json | undefined)?.publicKeys as Json[] | undefined;
    keys?.forEach((k) => (k.certificateData = PASSWORDS.sshKey));
  }
  return body;
}
