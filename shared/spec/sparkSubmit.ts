// Translation of a spark-submit command line (as found in EMR steps) into the fields of a Livy batch / Jobflow
// step. Every option either maps to a field, is accepted and dropped for a stated reason (Livy on YARN always runs
// in cluster mode), or is a problem — nothing is silently lost. Pure.
import { isLocalPath, toS3a, toS3aInValue } from "./uris";

/** Step fields a spark-submit command line can set (a subset of the job document's step). */
export interface SubmitFields {
  file?: string;
  className?: string;
  args: string[];
  jars?: string[];
  pyFiles?: string[];
  files?: string[];
  archives?: string[];
  conf: Record<string, string>;
  driverMemory?: string;
  driverCores?: number;
  executorMemory?: string;
  executorCores?: number;
  numExecutors?: number;
  queue?: string;
}

export interface SubmitTranslation {
  fields: SubmitFields;
  /** argIndex: position in the given argument list. */
  problems: { argIndex: number; message: string }[];
  /** Where each field came from: field path ("driverMemory", "conf/spark.x", "jars") → argIndex. */
  origin: Map<string, number>;
}

type ListField = "jars" | "pyFiles" | "files" | "archives";
type Target =
  | { kind: "field"; field: "className" | "driverMemory" | "executorMemory" | "queue" }
  | { kind: "int"; field: "driverCores" | "executorCores" | "numExecutors" }
  | { kind: "list"; field: ListField }
  | { kind: "conf" }
  | { kind: "confKey"; key: string }
  | { kind: "drop"; allowed: readonly string[]; why: string }
  | { kind: "refuse"; why: string };

const VALUE_OPTIONS: Record<string, Target> = {
  "--class": { kind: "field", field: "className" },
  "--conf": { kind: "conf" },
  "-c": { kind: "conf" },
  "--jars": { kind: "list", field: "jars" },
  "--py-files": { kind: "list", field: "pyFiles" },
  "--files": { kind: "list", field: "files" },
  "--archives": { kind: "list", field: "archives" },
  "--driver-memory": { kind: "field", field: "driverMemory" },
  "--executor-memory": { kind: "field", field: "executorMemory" },
  "--driver-cores": { kind: "int", field: "driverCores" },
  "--executor-cores": { kind: "int", field: "executorCores" },
  "--num-executors": { kind: "int", field: "numExecutors" },
  "--queue": { kind: "field", field: "queue" },
  "--name": { kind: "confKey", key: "spark.app.name" },
  "--packages": { kind: "confKey", key: "spark.jars.packages" },
  "--repositories": { kind: "confKey", key: "spark.jars.repositories" },
  "--exclude-packages": { kind: "confKey", key: "spark.jars.excludes" },
  "--driver-java-options": { kind: "confKey", key: "spark.driver.extraJavaOptions" },
  "--driver-class-path": { kind: "confKey", key: "spark.driver.extraClassPath" },
  "--driver-library-path": { kind: "confKey", key: "spark.driver.extraLibraryPath" },
  // yarn-cluster / yarn-client: the spellings deprecated since Spark 2 (= --master yarn --deploy-mode cluster/client).
  "--master": { kind: "drop", allowed: ["yarn", "yarn-cluster", "yarn-client"], why: "Livy always submits to YARN" },
  "--deploy-mode": { kind: "drop", allowed: ["cluster", "client"], why: "Livy on YARN always runs the driver in cluster mode" },
  "--properties-file": { kind: "refuse", why: "it names a file on the EMR master node; move its entries into --conf options" },
  "--proxy-user": { kind: "refuse", why: "Jobflow does not submit on behalf of other users" },
  "--total-executor-cores": {
    kind: "refuse",
    why: "it applies to Spark standalone and Mesos only; use --num-executors and --executor-cores",
  },
  "--principal": { kind: "refuse", why: "Kerberos credentials never travel in a job" },
  "--keytab": { kind: "refuse", why: "Kerberos credentials never travel in a job" },
  "--kill": { kind: "refuse", why: "it is not a submission" },
  "--status": { kind: "refuse", why: "it is not a submission" },
};

const FLAG_OPTIONS: Record<string, Target> = {
  "--verbose": { kind: "drop", allowed: [], why: "it only changes spark-submit's own output" },
  "-v": { kind: "drop", allowed: [], why: "it only changes spark-submit's own output" },
  "--supervise": { kind: "refuse", why: "it applies to Spark standalone and Mesos only" },
  "--help": { kind: "refuse", why: "it is not a submission" },
  "-h": { kind: "refuse", why: "it is not a submission" },
  "--version": { kind: "refuse", why: "it is not a submission" },
};

/** Conf keys that choose where the driver runs; Livy decides that, so they are dropped like --master/--deploy-mode. */
const DROPPED_CONF = new Set(["spark.master", "spark.submit.deployMode"]);

const LOCAL_PATH = "is a local path on the EMR master node, which HDInsight cannot read: copy it to ADLS Gen2 or S3 and use that URI";

/** Translates spark-submit arguments (without the leading "spark-submit"). */
export function translateSparkSubmit(args: readonly string[]): SubmitTranslation {
  const fields: SubmitFields = { args: [], conf: {} };
  const problems: SubmitTranslation["problems"] = [];
  const origin = new Map<string, number>();
  let i = 0;
  while (i < args.length) {
    const arg = args[i];
    if (!arg.startsWith("-")) break; // the primary resource
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const flag = FLAG_OPTIONS[name];
    const option = Object.prototype.hasOwnProperty.call(VALUE_OPTIONS, name) ? VALUE_OPTIONS[name] : undefined;
    if (flag && Object.prototype.hasOwnProperty.call(FLAG_OPTIONS, name)) {
      if (flag.kind === "refuse") problems.push({ argIndex: i, message: `spark-submit option ${name} cannot be translated: ${flag.why}` });
      i++;
      continue;
    }
    if (!option) {
      problems.push({ argIndex: i, message: `unknown spark-submit option ${name}: no Livy equivalent is known` });
      i++;
      continue;
    }
    let value: string;
    let valueIndex: number;
    if (eq > 0) {
      value = arg.slice(eq + 1);
      valueIndex = i;
      i++;
    } else if (i + 1 < args.length) {
      value = args[i + 1];
      valueIndex = i + 1;
      i += 2;
    } else {
      problems.push({ argIndex: i, message: `spark-submit option ${name} needs a value` });
      break;
    }
    applyOption(name, option, value, valueIndex, fields, problems, origin);
  }
  if (i >= args.length) {
    problems.push({ argIndex: Math.max(0, args.length - 1), message: "spark-submit names no application file" });
    return { fields, problems, origin };
  }
  const primary = toS3a(args[i]);
  if (isLocalPath(primary)) problems.push({ argIndex: i, message: `application file '${args[i]}' ${LOCAL_PATH}` });
  fields.file = primary;
  origin.set("file", i);
  // Application arguments: s3:// paths must become s3a:// or the application cannot open them on HDInsight — also
  // inside a value (--output-path=s3://b/x, a,b lists).
  fields.args = args.slice(i + 1).map((a) => toS3aInValue(a));
  origin.set("args", i + 1);
  return { fields, problems, origin };
}

function applyOption(
  name: string,
  option: Target,
  value: string,
  at: number,
  fields: SubmitFields,
  problems: SubmitTranslation["problems"],
  origin: Map<string, number>,
): void {
  switch (option.kind) {
    case "field":
      fields[option.field] = value;
      origin.set(option.field, at);
      return;
    case "int": {
      const n = /^[0-9]{1,6}$/.test(value) ? Number(value) : NaN;
      if (Number.isNaN(n)) problems.push({ argIndex: at, message: `${name} must be a whole number, got '${value}'` });
      else {
        fields[option.field] = n;
        origin.set(option.field, at);
      }
      return;
    }
    case "list": {
      const items = value
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
        .map(toS3a);
      for (const item of items) if (isLocalPath(item)) problems.push({ argIndex: at, message: `${name} entry '${item}' ${LOCAL_PATH}` });
      fields[option.field] = items;
      origin.set(option.field, at);
      return;
    }
    case "conf": {
      const eq = value.indexOf("=");
      if (eq <= 0) {
        problems.push({ argIndex: at, message: `${name} value '${value}' must be key=value` });
        return;
      }
      const key = value.slice(0, eq);
      if (DROPPED_CONF.has(key)) return;
      setConf(key, toS3aInValue(value.slice(eq + 1)), at, fields, origin);
      return;
    }
    case "confKey":
      setConf(option.key, value, at, fields, origin);
      return;
    case "drop":
      if (!option.allowed.includes(value)) problems.push({ argIndex: at, message: `${name} ${value} cannot be translated: ${option.why}` });
      return;
    case "refuse":
      problems.push({ argIndex: at, message: `spark-submit option ${name} cannot be translated: ${option.why}` });
      return;
  }
}

function setConf(key: string, value: string, at: number, fields: SubmitFields, origin: Map<string, number>): void {
  // defineProperty-free assignment is safe here: conf keys are checked against ^spark\. by the job schema, and
  // Object.fromEntries-style creation avoids the __proto__ setter.
  fields.conf = Object.fromEntries([...Object.entries(fields.conf), [key, value]]);
  origin.set(`conf/${key}`, at);
}
