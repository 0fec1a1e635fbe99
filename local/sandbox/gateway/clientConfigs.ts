// The client configuration an HDInsight 5.1 head node would hand out through Ambari's client_config_tar, reduced to
// the keys an edge VM needs, with every value naming the cluster (default FS, head node and ZooKeeper FQDNs) so a
// test can tell which cluster a VM's /etc/*/conf came from.
import { createGzip } from "node:zlib";
import { pack } from "tar-stream";
import type { SandboxClusterView } from "../contracts";

export interface ClientComponent {
  service: string;
  component: string;
  /** Folder the files belong in on an edge VM, relative to /etc (e.g. "hadoop/conf"). */
  folder: string;
  files: Record<string, string>;
}

/** Ambari service → its client component, in the order Ambari lists them on HDInsight 5.1 Spark clusters. */
export const clientComponentNames: Record<string, string> = {
  HDFS: "HDFS_CLIENT",
  YARN: "YARN_CLIENT",
  MAPREDUCE2: "MAPREDUCE2_CLIENT",
  TEZ: "TEZ_CLIENT",
  HIVE: "HIVE_CLIENT",
  SPARK3: "SPARK3_CLIENT",
  ZOOKEEPER: "ZOOKEEPER_CLIENT",
};

/** The cluster's default file system URL (ADLS Gen2), from the ARM side when it knows it. */
export function defaultFsOf(view: SandboxClusterView): string {
  if (view.defaultFsUrl) return view.defaultFsUrl;
  const account = `${view.name
    .replace(/[^a-z0-9]/gi, "")
    .toLowerCase()
    .slice(0, 17)}storage`;
  return `abfs://${view.name}@${account}.dfs.core.windows.net`;
}

/** Internal FQDN of a cluster node, in HDInsight's `hn0-<cluster>.<suffix>.internal.cloudapp.net` style. */
export function nodeFqdn(view: SandboxClusterView, node: string): string {
  return `${node}-${view.name}.sandbox.internal.cloudapp.net`.toLowerCase();
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function siteXml(view: SandboxClusterView, props: Record<string, string>): string {
  const body = Object.entries(props)
    .map(([k, v]) => `  <property>\n    <name>${xmlEscape(k)}</name>\n    <value>${xmlEscape(v)}</value>\n  </property>`)
    .join("\n");
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<!-- Client configuration of HDInsight cluster ${xmlEscape(view.name)} (Jobflow sandbox) -->\n` +
    `<configuration>\n${body}\n</configuration>\n`
  );
}

/** All client components of the cluster with their files. */
export function clientComponents(view: SandboxClusterView): ClientComponent[] {
  const fs = defaultFsOf(view);
  const hn0 = nodeFqdn(view, "hn0");
  const hn1 = nodeFqdn(view, "hn1");
  const zk = ["zk0", "zk1", "zk2"].map((n) => nodeFqdn(view, n));
  const zkQuorum = zk.map((h) => `${h}:2181`).join(",");
  const header = `# Client configuration of HDInsight cluster ${view.name} (Jobflow sandbox)\n`;
  return [
    {
      service: "HDFS",
      component: "HDFS_CLIENT",
      folder: "hadoop/conf",
      files: {
        "core-site.xml": siteXml(view, {
          "fs.defaultFS": fs,
          "fs.azure.account.auth.type": "OAuth",
          "fs.azure.account.oauth.provider.type": "org.apache.hadoop.fs.azurebfs.oauth2.MsiTokenProvider",
          "ha.zookeeper.quorum": zkQuorum,
          "hadoop.proxyuser.livy.hosts": "*",
        }),
        "hdfs-site.xml": siteXml(view, {
          "dfs.nameservices": "mycluster",
          "dfs.ha.namenodes.mycluster": "nn1,nn2",
          "dfs.namenode.rpc-address.mycluster.nn1": `${hn0}:8020`,
          "dfs.namenode.rpc-address.mycluster.nn2": `${hn1}:8020`,
          "dfs.client.failover.proxy.provider.mycluster": "org.apache.hadoop.hdfs.server.namenode.ha.ConfiguredFailoverProxyProvider",
        }),
        "hadoop-env.sh": `${header}export JAVA_HOME=/usr/lib/jvm/temurin-8-jdk-amd64\nexport HADOOP_CONF_DIR=/etc/hadoop/conf\n`,
      },
    },
    {
      service: "YARN",
      component: "YARN_CLIENT",
      folder: "hadoop/conf",
      files: {
        "yarn-site.xml": siteXml(view, {
          "yarn.resourcemanager.hostname": "headnodehost",
          "yarn.resourcemanager.ha.enabled": "true",
          "yarn.resourcemanager.ha.rm-ids": "rm1,rm2",
          "yarn.resourcemanager.hostname.rm1": hn0,
          "yarn.resourcemanager.hostname.rm2": hn1,
          "yarn.resourcemanager.zk-address": zkQuorum,
          "yarn.resourcemanager.cluster-id": view.name,
          "yarn.timeline-service.hostname": hn0,
        }),
        "yarn-env.sh": `${header}export YARN_CONF_DIR=/etc/hadoop/conf\n`,
      },
    },
    {
      service: "MAPREDUCE2",
      component: "MAPREDUCE2_CLIENT",
      folder: "hadoop/conf",
      files: {
        "mapred-site.xml": siteXml(view, {
          "mapreduce.framework.name": "yarn",
          "mapreduce.jobhistory.address": `${hn0}:10020`,
          "mapreduce.jobhistory.webapp.address": `${hn0}:19888`,
          "yarn.app.mapreduce.am.staging-dir": `${fs}/mapreducestaging`,
        }),
      },
    },
    {
      service: "TEZ",
      component: "TEZ_CLIENT",
      folder: "tez/conf",
      files: { "tez-site.xml": siteXml(view, { "tez.lib.uris": `${fs}/hdp/apps/tez/tez.tar.gz`, "tez.am.resource.memory.mb": "3072" }) },
    },
    {
      service: "HIVE",
      component: "HIVE_CLIENT",
      folder: "hive/conf",
      files: {
        "hive-site.xml": siteXml(view, {
          "hive.metastore.uris": `thrift://${hn0}:9083,thrift://${hn1}:9083`,
          "hive.metastore.warehouse.dir": `${fs}/hive/warehouse/managed`,
          "hive.zookeeper.quorum": zkQuorum,
          "hive.server2.transport.mode": "http",
        }),
        "hive-env.sh": `${header}export HIVE_CONF_DIR=/etc/hive/conf\n`,
      },
    },
    {
      service: "SPARK3",
      component: "SPARK3_CLIENT",
      folder: "spark3/conf",
      files: {
        "spark-defaults.conf":
          `${header}spark.master yarn\nspark.submit.deployMode cluster\n` +
          `spark.eventLog.enabled true\nspark.eventLog.dir ${fs}/hdp/spark3-events\n` +
          `spark.history.fs.logDirectory ${fs}/hdp/spark3-events\nspark.yarn.historyServer.address ${hn0}:18080\n` +
          `spark.sql.warehouse.dir ${fs}/hive/warehouse\nspark.yarn.queue default\n`,
        "spark-env.sh":
          `${header}export HADOOP_CONF_DIR=/etc/hadoop/conf\nexport SPARK_CONF_DIR=/etc/spark3/conf\n` +
          `export HDINSIGHT_CLUSTER_NAME=${view.name}\n`,
      },
    },
    {
      service: "ZOOKEEPER",
      component: "ZOOKEEPER_CLIENT",
      folder: "zookeeper/conf",
      files: {
        "zoo.cfg":
          `${header}tickTime=2000\ninitLimit=10\nsyncLimit=5\nclientPort=2181\n` +
          zk.map((h, i) => `server.${i + 1}=${h}:2888:3888`).join("\n") +
          "\n",
        "zookeeper-env.sh": `${header}export ZOOKEEPER_CONF_DIR=/etc/zookeeper/conf\n`,
      },
    },
  ];
}

/**
 * A gzipped tar of components. `layout: "folders"` puts files under each component's /etc-relative folder
 * (hadoop/conf/core-site.xml …: the all-clients bundle); `"flat"` puts them at the root (one component's bundle).
 */
export async function buildConfigTarGz(components: ClientComponent[], layout: "folders" | "flat", mtime: Date): Promise<Buffer> {
  const tar = pack();
  const gzip = createGzip();
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    gzip.on("data", (c: Buffer) => chunks.push(c));
    gzip.on("end", () => resolve(Buffer.concat(chunks)));
    gzip.on("error", reject);
    tar.on("error", reject);
  });
  tar.pipe(gzip);
  const dirs = new Set<string>();
  for (const c of components) {
    if (layout === "folders") {
      const parts = c.folder.split("/");
      for (let i = 1; i <= parts.length; i++) {
        const dir = parts.slice(0, i).join("/");
        if (dirs.has(dir)) continue;
        dirs.add(dir);
        tar.entry({ name: `${dir}/`, type: "directory", mode: 0o755, mtime });
      }
    }
    for (const [file, content] of Object.entries(c.files)) {
      const name = layout === "folders" ? `${c.folder}/${file}` : file;
      tar.entry({ name, mode: file.endsWith(".sh") ? 0o755 : 0o644, mtime }, content);
    }
  }
  tar.finalize();
  return done;
}
