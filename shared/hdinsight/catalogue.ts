// What HDInsight 5.1 offers: cluster kinds with their component versions, the roles each kind has, the VM sizes
// allowed per role, and the regions. One source for both the sandbox's create validation (and its capabilities /
// billingSpecs replies) and Jobflow's own profile validation, so a profile the sandbox refuses is refused offline.
// Sources: the HDInsight 5.x component table (Spark 3.3.1, Hadoop 3.3.4, Kafka 3.2.0, HBase 2.4.11, Hive 3.1.2),
// "supported node configurations" (default/recommended sizes per role), the A v1 (Basic/Standard A, "Small"/
// "Large" aliases) retirement of 2024-08-31, and the regions of "products available by region". Pure data.

/** Cluster versions Azure still creates, and those retired (no new clusters). */
export const CREATABLE_VERSIONS = ["5.1"] as const;
export const RETIRED_VERSIONS = ["1.6", "2.1", "3.0", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "4.0", "5.0"] as const;
/** What GET reports as clusterVersion / in capabilities (5.1's current image). */
export const FULL_VERSION: Readonly<Record<string, string>> = { "5.1": "5.1.3000.0.2406130129" };

export type RoleName = "headnode" | "workernode" | "zookeepernode" | "edgenode" | "kafkamanagementnode" | "idbrokernode";

export interface KindOffer {
  /** componentVersion key → versions offered; the first is the default the RP fills in. */
  components: Readonly<Record<string, readonly string[]>>;
  /** Roles a create may name besides headnode/workernode/zookeepernode (which every kind has). */
  extraRoles: readonly RoleName[];
  /** ZooKeeper size the RP uses when the create omits the zookeeper role. */
  defaultZookeeperSize: string;
  /** Meter parameter in billingSpecs ("default" for most kinds). */
  meter: string;
}

/** Kind (lower case, as the RP compares it) → what 5.1 offers. */
export const KINDS_51: Readonly<Record<string, KindOffer>> = {
  spark: { components: { Spark: ["3.3"] }, extraRoles: ["edgenode"], defaultZookeeperSize: "Standard_A2_v2", meter: "default" },
  hadoop: { components: { Hadoop: ["3.3"] }, extraRoles: ["edgenode"], defaultZookeeperSize: "Standard_A2_v2", meter: "default" },
  hbase: { components: { HBase: ["2.4"] }, extraRoles: ["edgenode"], defaultZookeeperSize: "Standard_A4_v2", meter: "HBase" },
  interactivehive: {
    components: { InteractiveHive: ["3.1"] },
    extraRoles: ["edgenode"],
    defaultZookeeperSize: "Standard_A4_v2",
    meter: "InteractiveHive",
  },
  kafka: {
    components: { Kafka: ["3.2"] },
    extraRoles: ["edgenode", "kafkamanagementnode"],
    defaultZookeeperSize: "Standard_A4_v2",
    meter: "Kafka",
  },
};

const series = (prefix: string, sizes: readonly (string | number)[], suffix: string): string[] =>
  sizes.map((n) => `Standard_${prefix}${n}${suffix}`);
/** Dv2 / DSv2 (general purpose and memory optimised), Dv1 (still offered), Ev3 / Esv3, Av2 (ZooKeeper). */
const D_V2 = series("D", [1, 2, 3, 4, 5, 11, 12, 13, 14, 15], "_v2");
const DS_V2 = series("DS", [1, 2, 3, 4, 5, 11, 12, 13, 14, 15], "_v2");
const D_V1 = series("D", [1, 2, 3, 4, 11, 12, 13, 14], "");
const E_V3 = series("E", [2, 4, 8, 16, 20, 32, 48, 64], "_v3");
const ES_V3 = series("E", [2, 4, 8, 16, 20, 32, 48, 64], "s_v3");
const A_V2 = [
  "Standard_A1_v2",
  "Standard_A2_v2",
  "Standard_A4_v2",
  "Standard_A8_v2",
  "Standard_A2m_v2",
  "Standard_A4m_v2",
  "Standard_A8m_v2",
];
const big = (list: string[]) => list.filter((s) => !/_(D|DS)(1|2)(_v2)?$|_E2s?_v3$/.test(s));

/** Role → VM sizes HDInsight 5.1 accepts for it (head nodes need ≥4 cores; ZooKeeper runs on Av2, Dv2/DSv2, small Ev3). */
export const VM_SIZES_BY_ROLE: Readonly<Record<RoleName, readonly string[]>> = {
  headnode: big([...D_V2, ...DS_V2, ...D_V1, ...E_V3, ...ES_V3]),
  workernode: [...D_V2, ...DS_V2, ...D_V1, ...E_V3, ...ES_V3],
  edgenode: [...D_V2, ...DS_V2, ...D_V1, ...E_V3, ...ES_V3],
  kafkamanagementnode: big([...D_V2, ...DS_V2, ...E_V3, ...ES_V3]),
  // The published validateCreateRequest example passes a Standard_D13_V2 ZooKeeper role: Dv2/DSv2 are offered too.
  zookeepernode: [...A_V2, ...D_V2, ...DS_V2, "Standard_E2_v3", "Standard_E4_v3", "Standard_E8_v3"],
  idbrokernode: [...A_V2, "Standard_D2_v2", "Standard_D3_v2", "Standard_E2_v3", "Standard_E4_v3"],
};

/** Role name in capabilities' vmsize_filters / billingSpecs nodeTypes. */
export const NODE_TYPE: Readonly<Record<RoleName, string>> = {
  headnode: "HeadNodeRole",
  workernode: "WorkerNodeRole",
  zookeepernode: "ZookeeperRole",
  edgenode: "EdgeNodeRole",
  kafkamanagementnode: "KafkaManagementNodeRole",
  idbrokernode: "IdBrokerNodeRole",
};

/** Regions HDInsight is offered in: ARM name → display name (ARM accepts either, any case, spaces ignored). */
export const REGIONS: Readonly<Record<string, string>> = {
  australiacentral: "Australia Central",
  australiaeast: "Australia East",
  australiasoutheast: "Australia Southeast",
  brazilsouth: "Brazil South",
  canadacentral: "Canada Central",
  canadaeast: "Canada East",
  centralindia: "Central India",
  centralus: "Central US",
  eastasia: "East Asia",
  eastus: "East US",
  eastus2: "East US 2",
  francecentral: "France Central",
  germanywestcentral: "Germany West Central",
  italynorth: "Italy North",
  japaneast: "Japan East",
  japanwest: "Japan West",
  jioindiawest: "Jio India West",
  koreacentral: "Korea Central",
  koreasouth: "Korea South",
  northcentralus: "North Central US",
  northeurope: "North Europe",
  norwayeast: "Norway East",
  polandcentral: "Poland Central",
  qatarcentral: "Qatar Central",
  southafricanorth: "South Africa North",
  southcentralus: "South Central US",
  southeastasia: "Southeast Asia",
  southindia: "South India",
  swedencentral: "Sweden Central",
  switzerlandnorth: "Switzerland North",
  uaenorth: "UAE North",
  uksouth: "UK South",
  ukwest: "UK West",
  westcentralus: "West Central US",
  westeurope: "West Europe",
  westindia: "West India",
  westus: "West US",
  westus2: "West US 2",
  westus3: "West US 3",
};
