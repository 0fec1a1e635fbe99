// JSON Schema (2020-12) of what a cluster profile adds to the cluster's shape (schema.ts): the script actions
// HDInsight runs on the nodes at create time, and the S3A settings (connector and committer) steps that touch
// s3a:// need. Pure data: no Node built-ins.

/** Persisted script actions run on the nodes at create time (HDInsight's equivalent of EMR bootstrap actions). */
export const scriptActionsSchema = {
  type: "array",
  maxItems: 10,
  default: [],
  description:
    "Scripts HDInsight runs as root on the nodes of the given roles while the cluster is created (EMR BootstrapActions). Default [].",
  items: {
    type: "object",
    additionalProperties: false,
    required: ["name", "uri", "roles"],
    properties: {
      name: {
        type: "string",
        pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$",
        "x-hint": "1-64 letters, digits, _ . -",
        description: "Unique name of the script action.",
      },
      uri: {
        type: "string",
        maxLength: 2048,
        pattern: "^https://[^\\s]+\\.sh([?#][^\\s]*)?$",
        "x-hint": "an https:// URL of a .sh script the nodes can read (e.g. a blob with a SAS)",
        description: "Script location (bash).",
      },
      parameters: {
        type: "string",
        maxLength: 1024,
        pattern: "^[^\\n\\r]*$",
        "x-hint": "one line of arguments",
        description: "Arguments passed to the script. Default none.",
      },
      roles: {
        type: "array",
        minItems: 1,
        uniqueItems: true,
        items: { enum: ["headnode", "workernode", "zookeepernode"] },
        description: "Roles whose nodes run the script.",
      },
    },
  },
} as const;

export const s3aSettingsSchema = {
  type: "object",
  additionalProperties: false,
  description:
    "S3A for steps that touch s3a://: the connector (hadoop-aws + AWS SDK bundle of the cluster's Hadoop, spark-hadoop-cloud of its Spark) and the committer. Absent = such jobs are refused.",
  properties: {
    connector: {
      oneOf: [
        {
          type: "object",
          additionalProperties: false,
          required: ["packages"],
          description: "Maven coordinates resolved by spark-submit (spark.jars.packages); the cluster needs egress to the repository.",
          properties: {
            packages: {
              type: "array",
              minItems: 1,
              maxItems: 16,
              uniqueItems: true,
              items: { type: "string", pattern: "^[\\w.-]+:[\\w.-]+:[\\w.-]+$", "x-hint": "group:artifact:version" },
            },
            repositories: {
              type: "array",
              maxItems: 8,
              items: { type: "string", maxLength: 2048, pattern: "^https://[^\\s]+$", "x-hint": "an https:// Maven repository URL" },
              description: "Extra Maven repositories (spark.jars.repositories), e.g. a mirror.",
            },
          },
        },
        {
          type: "object",
          additionalProperties: false,
          required: ["jars"],
          description: "Jar URIs on storage the cluster reads (VNet-isolated clusters).",
          properties: {
            jars: {
              type: "array",
              minItems: 1,
              maxItems: 16,
              uniqueItems: true,
              items: {
                type: "string",
                maxLength: 2048,
                pattern: "^(abfss?|wasbs?)://[^\\s]+\\.jar$",
                "x-hint": "an abfss:// (or wasbs://) URI of a .jar ({storageAccount} allowed)",
              },
            },
          },
        },
      ],
    },
    committer: {
      enum: ["directory", "partitioned", "magic", "none"],
      description: "S3A committer for writes (none = Spark's rename-based commit). Default directory.",
    },
  },
} as const;
