// The S3A connector a cluster needs, per HDInsight version, and the check that a profile's connector matches it.
// hadoop-aws must be exactly the cluster's Hadoop version and the AWS SDK bundle the one that hadoop-aws release was
// built with (hadoop-project's aws-java-sdk.version); Spark's cloud committer bindings (spark-hadoop-cloud) must be
// the cluster's Spark and Scala version. Mixing versions fails at run time (NoSuchMethodError, NoClassDefFoundError).
// Pure data and functions.
import type { Problem } from "../errors";
import type { S3aConnector, S3aProfileSettings } from "../model/profile";

export interface S3aStack {
  /** Apache Hadoop release the cluster runs (hadoop-aws must be this version). */
  hadoop: string;
  /** com.amazonaws:aws-java-sdk-bundle version that hadoop-aws release was built and tested with. */
  awsSdkBundle: string;
  /** Apache Spark release (spark-hadoop-cloud must be this version). */
  spark: string;
  /** Scala binary version of that Spark build. */
  scala: string;
}

/**
 * HDInsight version → component versions. 5.1: Hadoop 3.3.4, Spark 3.3.1 (Scala 2.12), per the HDInsight 5.x
 * component table; Hadoop 3.3.4's hadoop-project pom pins aws-java-sdk-bundle 1.12.262.
 */
export const S3A_STACKS: Readonly<Record<string, S3aStack>> = Object.freeze({
  "5.1": { hadoop: "3.3.4", awsSdkBundle: "1.12.262", spark: "3.3.1", scala: "2.12" },
});

export type ConnectorArtifact = "hadoop-aws" | "aws-java-sdk-bundle" | "spark-hadoop-cloud";

const GROUP: Record<ConnectorArtifact, string> = {
  "hadoop-aws": "org.apache.hadoop",
  "aws-java-sdk-bundle": "com.amazonaws",
  "spark-hadoop-cloud": "org.apache.spark",
};

function artifactId(artifact: ConnectorArtifact, stack: S3aStack): string {
  return artifact === "spark-hadoop-cloud" ? `spark-hadoop-cloud_${stack.scala}` : artifact;
}

function expectedVersion(artifact: ConnectorArtifact, stack: S3aStack): string {
  if (artifact === "hadoop-aws") return stack.hadoop;
  if (artifact === "aws-java-sdk-bundle") return stack.awsSdkBundle;
  return stack.spark;
}

/** The Maven coordinates (group:artifact:version) of the matching connector for a cluster version. */
export function connectorPackages(clusterVersion: string): string[] {
  const stack = S3A_STACKS[clusterVersion];
  if (!stack) return [];
  return (["hadoop-aws", "aws-java-sdk-bundle", "spark-hadoop-cloud"] as const).map(
    (a) => `${GROUP[a]}:${artifactId(a, stack)}:${expectedVersion(a, stack)}`,
  );
}

/** Which connector artifact (and version) a Maven coordinate or jar URI is, if any. */
export function identifyArtifact(item: string): { artifact: ConnectorArtifact; version: string; scala?: string } | undefined {
  const coordinate = /^([\w.-]+):([\w.-]+):([\w.-]+)$/.exec(item);
  const jar = /(?:^|\/)([A-Za-z][\w.-]*?)-(\d[\w.]*(?:-[\w.]+)?)\.jar$/i.exec(item.split(/[?#]/)[0]);
  const [name, version] = coordinate ? [coordinate[2], coordinate[3]] : jar ? [jar[1], jar[2]] : [undefined, undefined];
  if (name === undefined || version === undefined) return undefined;
  if (name === "hadoop-aws" || name === "aws-java-sdk-bundle") return { artifact: name, version };
  const cloud = /^spark-hadoop-cloud_(2\.1[23])$/.exec(name);
  return cloud ? { artifact: "spark-hadoop-cloud", version, scala: cloud[1] } : undefined;
}

/** The connector's items: Maven coordinates or jar URIs. */
export function connectorItems(connector: S3aConnector): string[] {
  return "packages" in connector ? connector.packages : connector.jars;
}

/**
 * Problems of a profile's S3A settings against its HDInsight version (pointer = where `s3a` sits in the profile
 * document). Checks: hadoop-aws and the SDK bundle present with the exact matching versions; spark-hadoop-cloud
 * of the cluster's Spark/Scala present when a committer is on (Spark's PathOutputCommitProtocol lives there).
 */
export function connectorProblems(s3a: S3aProfileSettings | undefined, clusterVersion: string, pointer = "/s3a"): Problem[] {
  if (!s3a?.connector) return [];
  const stack = S3A_STACKS[clusterVersion];
  const where = `${pointer}/connector/${"packages" in s3a.connector ? "packages" : "jars"}`;
  if (!stack) return [{ pointer: where, message: `no known S3A connector versions for HDInsight ${clusterVersion}` }];
  const items = connectorItems(s3a.connector);
  const found = new Map<ConnectorArtifact, number>();
  const problems: Problem[] = [];
  items.forEach((item, i) => {
    const id = identifyArtifact(item);
    if (!id) return;
    if (found.has(id.artifact)) {
      problems.push({ pointer: `${where}/${i}`, message: `${id.artifact} is listed twice` });
      return;
    }
    found.set(id.artifact, i);
    const want = expectedVersion(id.artifact, stack);
    const scalaWrong = id.scala !== undefined && id.scala !== stack.scala;
    if (id.version !== want || scalaWrong) {
      problems.push({
        pointer: `${where}/${i}`,
        message:
          `${item} does not match HDInsight ${clusterVersion} (Hadoop ${stack.hadoop}, Spark ${stack.spark}): ` +
          `use ${GROUP[id.artifact]}:${artifactId(id.artifact, stack)}:${want}; mixed versions fail at run time with NoSuchMethodError`,
      });
    }
  });
  const needed: ConnectorArtifact[] = ["hadoop-aws", "aws-java-sdk-bundle"];
  if ((s3a.committer ?? "directory") !== "none") needed.push("spark-hadoop-cloud");
  for (const artifact of needed) {
    if (found.has(artifact)) continue;
    const coordinate = `${GROUP[artifact]}:${artifactId(artifact, stack)}:${expectedVersion(artifact, stack)}`;
    const why =
      artifact === "spark-hadoop-cloud"
        ? ` (Spark's S3A committer bindings, needed by committer '${s3a.committer ?? "directory"}'; or set ${pointer}/committer to "none")`
        : "";
    problems.push({ pointer: where, message: `the S3A connector lacks ${coordinate}${why}` });
  }
  return problems;
}
