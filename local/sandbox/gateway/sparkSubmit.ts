// What spark-submit does with a batch before and while its driver starts, as far as the sandbox imitates it:
// the command line Livy runs (printed into the batch log with Spark's redaction of secret-looking conf values,
// spark.redaction.regex), and the class-path check a real cluster performs implicitly — a batch that opens
// s3a:// without hadoop-aws + the AWS SDK bundle dies with ClassNotFoundException, and a connector built for
// another Hadoop/SDK dies with NoSuchMethodError. This is the "Azure side": it knows HDInsight's component
// versions itself and imports nothing from Jobflow.
import type { CreateBatchRequest } from "./livyRequest";

/** Spark 3.3's default spark.redaction.regex and Utils.REDACTION_REPLACEMENT_TEXT. */
export const SPARK_DEFAULT_REDACTION_REGEX = "(?i)secret|password|token|access[.]key";
export const SPARK_REDACTION_REPLACEMENT = "*********(redacted)";

/** HDInsight version → the Hadoop release on its class path and the AWS SDK bundle that release was built with. */
const HADOOP_OF: Record<string, { hadoop: string; awsSdkBundle: string }> = {
  "5.1": { hadoop: "3.3.4", awsSdkBundle: "1.12.262" },
};

const SPARK_SUBMIT = "/usr/hdp/current/spark3-client/bin/spark-submit";

/** A Java regex as Spark reads it → a JS RegExp (leading inline flags such as (?i) become JS flags). */
export function javaRegex(pattern: string): RegExp | undefined {
  const m = /^\(\?([imsux]+)\)/.exec(pattern);
  const flags = m ? [...new Set(m[1].replace(/[ux]/g, ""))].join("") : "";
  try {
    return new RegExp(m ? pattern.slice(m[0].length) : pattern, flags);
  } catch {
    return undefined;
  }
}

/** Spark's Utils.redact over conf pairs: a value is replaced when the regex matches its key or the value. */
export function redactSparkConf(conf: Record<string, string>): Record<string, string> {
  const regex = javaRegex(conf["spark.redaction.regex"] ?? SPARK_DEFAULT_REDACTION_REGEX) ?? javaRegex(SPARK_DEFAULT_REDACTION_REGEX)!;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(conf)) out[k] = regex.test(k) || regex.test(v) ? SPARK_REDACTION_REPLACEMENT : v;
  return out;
}

const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/** The spark-submit command line Livy runs for the batch, conf redacted the way Spark redacts it. */
export function sparkSubmitCommandLine(request: CreateBatchRequest): string {
  const args: string[] = [SPARK_SUBMIT, "--master", "yarn", "--deploy-mode", "cluster"];
  if (request.name !== undefined) args.push("--name", request.name);
  if (request.className !== undefined) args.push("--class", request.className);
  const lists: [string, string[] | undefined][] = [
    ["--jars", request.jars],
    ["--py-files", request.pyFiles],
    ["--files", request.files],
    ["--archives", request.archives],
  ];
  for (const [flag, list] of lists) if (list?.length) args.push(flag, list.join(","));
  const sizes: [string, string | number | undefined][] = [
    ["--driver-memory", request.driverMemory],
    ["--driver-cores", request.driverCores],
    ["--executor-memory", request.executorMemory],
    ["--executor-cores", request.executorCores],
    ["--num-executors", request.numExecutors],
    ["--queue", request.queue],
    ["--proxy-user", request.proxyUser],
  ];
  for (const [flag, value] of sizes) if (value !== undefined) args.push(flag, String(value));
  for (const [k, v] of Object.entries(redactSparkConf(request.conf ?? {}))) args.push("--conf", `${k}=${v}`);
  args.push(request.file, ...(request.args ?? []));
  return args.map(quote).join(" ");
}

/** A batch the class path makes fail: the driver's exception lines and YARN's diagnostics. */
export interface ClasspathFailure {
  stderr: string[];
  diagnostics: string;
}

function opensS3a(r: CreateBatchRequest): boolean {
  const texts = [
    r.file,
    ...(r.jars ?? []),
    ...(r.pyFiles ?? []),
    ...(r.files ?? []),
    ...(r.archives ?? []),
    ...(r.args ?? []),
    ...Object.values(r.conf ?? {}),
  ];
  return texts.some((t) => /s3a:\/\//i.test(t));
}

/** Version of `artifact` on the batch's class path: from jars (and spark.jars) by file name, or spark.jars.packages. */
function versionOn(r: CreateBatchRequest, group: string, artifact: string): string | undefined {
  const conf = r.conf ?? {};
  const jars = [...(r.jars ?? []), ...(conf["spark.jars"] ?? "").split(",")].map((j) => j.trim().split(/[?#]/)[0]);
  for (const jar of jars) {
    const m = new RegExp(`(?:^|/)${artifact}-(\\d[\\w.]*)\\.jar$`).exec(jar);
    if (m) return m[1];
  }
  for (const p of (conf["spark.jars.packages"] ?? "").split(",").map((s) => s.trim())) {
    const [g, a, v] = p.split(":");
    if (g === group && a === artifact && v) return v;
  }
  return undefined;
}

const at = (frames: string[]) => frames.map((f) => `\tat ${f}`);

/** How a batch fails on a cluster of `clusterVersion` because of its S3A class path, or undefined if it does not. */
export function classpathFailure(request: CreateBatchRequest, clusterVersion: string): ClasspathFailure | undefined {
  if (!opensS3a(request)) return undefined;
  const stack = HADOOP_OF[clusterVersion] ?? HADOOP_OF["5.1"];
  const aws = versionOn(request, "org.apache.hadoop", "hadoop-aws");
  const sdk = versionOn(request, "com.amazonaws", "aws-java-sdk-bundle");
  if (aws === undefined) {
    const cnf = "java.lang.ClassNotFoundException: Class org.apache.hadoop.fs.s3a.S3AFileSystem not found";
    return {
      stderr: [
        `Exception in thread "main" java.lang.RuntimeException: ${cnf}`,
        ...at([
          "org.apache.hadoop.conf.Configuration.getClass(Configuration.java:2688)",
          "org.apache.hadoop.fs.FileSystem.getFileSystemClass(FileSystem.java:3431)",
          "org.apache.hadoop.fs.FileSystem.createFileSystem(FileSystem.java:3466)",
          "org.apache.hadoop.fs.FileSystem.get(FileSystem.java:540)",
        ]),
        `Caused by: ${cnf}`,
      ],
      diagnostics: `User class threw exception: java.lang.RuntimeException: ${cnf}`,
    };
  }
  if (sdk === undefined) {
    const ncdf = "java.lang.NoClassDefFoundError: com/amazonaws/AmazonClientException";
    return {
      stderr: [
        `Exception in thread "main" ${ncdf}`,
        ...at(["org.apache.hadoop.fs.s3a.S3AFileSystem.initialize(S3AFileSystem.java:420)"]),
        "Caused by: java.lang.ClassNotFoundException: com.amazonaws.AmazonClientException",
      ],
      diagnostics: `User class threw exception: ${ncdf}`,
    };
  }
  if (aws !== stack.hadoop || sdk !== stack.awsSdkBundle) {
    const nsme =
      aws !== stack.hadoop
        ? "java.lang.NoSuchMethodError: 'org.apache.hadoop.fs.statistics.DurationTracker org.apache.hadoop.fs.statistics.impl.IOStatisticsBinding.trackDuration(org.apache.hadoop.fs.statistics.DurationTrackerFactory, java.lang.String)'"
        : "java.lang.NoSuchMethodError: 'com.amazonaws.services.s3.AmazonS3ClientBuilder com.amazonaws.services.s3.AmazonS3ClientBuilder.withPathStyleAccessEnabled(java.lang.Boolean)'";
    return {
      stderr: [
        `Exception in thread "main" ${nsme}`,
        ...at(["org.apache.hadoop.fs.s3a.S3AFileSystem.initialize(S3AFileSystem.java:512)"]),
        `sandbox: hadoop-aws ${aws} + aws-java-sdk-bundle ${sdk} on HDInsight ${clusterVersion} (Hadoop ${stack.hadoop}, which needs hadoop-aws ${stack.hadoop} + aws-java-sdk-bundle ${stack.awsSdkBundle})`,
      ],
      diagnostics: `User class threw exception: ${nsme}`,
    };
  }
  return undefined;
}
