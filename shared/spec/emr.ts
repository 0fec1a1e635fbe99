// EMR import: a bare steps file in either form users keep on disk —
//   * API/boto3/Airflow StepConfig list: { Name, ActionOnFailure, HadoopJarStep: { Jar, MainClass, Args, Properties } }
//   * `aws emr add-steps --steps file://…` CLI JSON: { Type, Name, ActionOnFailure, Args, Jar, MainClass, Properties }
// — as a list or wrapped as { "Steps": [...] }. It becomes a Jobflow job document with EMR behaviour (default
// profile, a fresh cluster, deleted at once, one step at a time). What cannot be translated is a problem naming the
// step and the reason; nothing is dropped silently. Pure.
import type { Problem } from "../errors";
import { joinPointer, pointerSegment } from "./ajv";
import { STEP_ID_PATTERN } from "./jobSchema";
import { translateSparkSubmit, type SubmitFields } from "./sparkSubmit";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const has = (o: Obj, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** A bare EMR steps file: a list, or an object with "Steps" and no Jobflow "steps". */
export function isEmrStepsShape(doc: unknown): doc is unknown[] | Obj {
  return Array.isArray(doc) || (isObj(doc) && has(doc, "Steps") && !has(doc, "steps"));
}

export interface EmrImport {
  /** The translated Jobflow job document (validated afterwards like any job). */
  doc: Obj;
  /** Problems found while translating, pointing into the EMR file. */
  problems: Problem[];
  source: "emr-api" | "emr-cli";
  /** Maps a problem of the translated document (/steps/i/…) back onto the EMR file. */
  mapProblem(p: Problem): Problem;
  /** Indexes of steps that could not be translated (their follow-on problems would only repeat the cause). */
  untranslated: Set<number>;
}

/** EMR's own defaults when ActionOnFailure is omitted (see docs/job-spec.md). */
export const EMR_DEFAULT_ACTION = { cli: "CONTINUE", api: "TERMINATE_CLUSTER" } as const;
const ACTIONS: Record<string, string> = {
  TERMINATE_CLUSTER: "TERMINATE_CLUSTER",
  TERMINATE_JOB_FLOW: "TERMINATE_CLUSTER",
  CANCEL_AND_WAIT: "CANCEL_AND_WAIT",
  CONTINUE: "CONTINUE",
};
const API_KEYS = ["Name", "ActionOnFailure", "HadoopJarStep"];
const JAR_KEYS = ["Jar", "MainClass", "Args", "Properties"];
const CLI_KEYS = ["Type", "Name", "ActionOnFailure", "Args", "Jar", "MainClass", "Properties"];
const CLI_DEFAULT_NAMES: Record<string, string> = { SPARK: "Spark application", CUSTOM_JAR: "Custom JAR" };
const REFUSED_TYPES: Record<string, string> = {
  STREAMING: "Hadoop streaming runs MapReduce, which Livy (Spark only) cannot submit",
  HIVE: "Hive scripts have no Livy equivalent; run the queries with spark.sql in a PySpark step",
  PIG: "Pig is not part of HDInsight 5.1 and has no Livy equivalent",
  IMPALA: "Impala is not part of HDInsight",
};

/** A name usable as a job name / step id: invalid characters become "-". */
export function slug(text: string, fallback: string): string {
  const s = text
    .replace(/[^A-Za-z0-9_-]+/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")
    .slice(0, 64)
    .replace(/-+$/, "");
  return new RegExp(STEP_ID_PATTERN).test(s) ? s : fallback;
}

interface Translated {
  step: Obj;
  /** Field path in the step ("driverMemory", "conf/spark.x") → pointer in the EMR file. */
  origin: Map<string, string>;
  form: "api" | "cli";
}

export function emrToJobDocument(input: unknown[] | Obj, jobName: string): EmrImport {
  const problems: Problem[] = [];
  let base = "";
  let list: unknown[] = [];
  if (Array.isArray(input)) list = input;
  else {
    base = "/Steps";
    for (const key of Object.keys(input))
      if (key !== "Steps")
        problems.push({ pointer: joinPointer("", key), message: "is not a known field of an EMR steps file (allowed: Steps)" });
    if (Array.isArray(input.Steps)) list = input.Steps;
    else problems.push({ pointer: "/Steps", message: "must be a list of EMR steps" });
  }
  if (list.length === 0 && !problems.length) problems.push({ pointer: base, message: "must have at least 1 step" });
  const used = new Set<string>();
  const translated: Translated[] = [];
  const names: string[] = [];
  const untranslated = new Set<number>();
  list.forEach((raw, i) => {
    const at = `${base}/${i}`;
    const before = problems.length;
    const t = translateStep(raw, i, at, problems);
    if (problems.length > before) untranslated.add(i);
    let id = slug(typeof t.step.name === "string" ? t.step.name : "", `step-${i + 1}`);
    for (let n = 2; used.has(id); n++) id = `${id.slice(0, 60)}-${n}`;
    used.add(id);
    t.step.id = id;
    names.push(typeof t.step.name === "string" ? t.step.name : id);
    translated.push(t);
  });
  const doc: Obj = {
    name: slug(jobName, "emr-steps"),
    cluster: { profile: "default", reuse: "never", keepWarmMinutes: 0 },
    maxConcurrentSteps: 1,
    steps: translated.map((t) => t.step),
  };
  const source = translated.length && translated.every((t) => t.form === "cli") ? "emr-cli" : "emr-api";
  const mapProblem = (p: Problem): Problem => {
    const m = /^\/steps\/(\d+)(?:\/(.*))?$/.exec(p.pointer);
    if (!m) return { pointer: "", message: `${p.pointer ? p.pointer.slice(1) + " " : ""}${p.message}` };
    const i = Number(m[1]);
    const rest = m[2] ?? "";
    const t = translated[i];
    let pointer = `${base}/${i}`;
    for (let cut = rest; cut; cut = cut.includes("/") ? cut.slice(0, cut.lastIndexOf("/")) : "") {
      const found = t?.origin.get(cut);
      if (found) {
        pointer = found;
        break;
      }
    }
    return { pointer, message: `step '${names[i] ?? i}': ${rest ? rest.split("/")[0] + " " : ""}${p.message}` };
  };
  return { doc, problems, source, mapProblem, untranslated };
}

function translateStep(raw: unknown, i: number, at: string, problems: Problem[]): Translated {
  const step: Obj = {};
  const origin = new Map<string, string>();
  if (!isObj(raw)) {
    problems.push({
      pointer: at,
      message: "must be an EMR step: an object with Name and HadoopJarStep (API form) or with Type and Args (CLI form)",
    });
    return { step, origin, form: "api" };
  }
  const form = has(raw, "HadoopJarStep") ? "api" : "cli";
  const label = typeof raw.Name === "string" && raw.Name ? `step '${raw.Name}'` : `step ${i}`;
  const refuse = (pointer: string, why: string) => problems.push({ pointer, message: `${label} cannot be translated: ${why}` });
  for (const key of Object.keys(raw)) {
    if (!(form === "api" ? API_KEYS : CLI_KEYS).includes(key)) {
      problems.push({
        pointer: joinPointer(at, key),
        message: `is not a field of an EMR step in the ${form.toUpperCase()} form (allowed: ${(form === "api" ? API_KEYS : CLI_KEYS).join(", ")})`,
      });
    }
  }
  // Name
  const type =
    form === "cli"
      ? typeof raw.Type === "string"
        ? raw.Type.toUpperCase()
        : raw.Type === undefined
          ? "CUSTOM_JAR"
          : undefined
      : undefined;
  if (typeof raw.Name === "string") step.name = raw.Name;
  else if (raw.Name !== undefined) problems.push({ pointer: `${at}/Name`, message: "must be a string" });
  else if (form === "api") problems.push({ pointer: `${at}/Name`, message: "is required" });
  else step.name = CLI_DEFAULT_NAMES[type ?? ""] ?? `step-${i + 1}`;
  origin.set("name", `${at}/Name`);
  // ActionOnFailure
  const action = raw.ActionOnFailure;
  if (action === undefined) step.actionOnFailure = EMR_DEFAULT_ACTION[form];
  else if (typeof action === "string" && has(ACTIONS, action)) step.actionOnFailure = ACTIONS[action];
  else
    problems.push({
      pointer: `${at}/ActionOnFailure`,
      message: `must be one of "TERMINATE_CLUSTER", "TERMINATE_JOB_FLOW", "CANCEL_AND_WAIT", "CONTINUE"`,
    });
  origin.set("actionOnFailure", `${at}/ActionOnFailure`);
  // The command
  let jarAt = at;
  let fields: Obj = raw;
  if (form === "api") {
    jarAt = `${at}/HadoopJarStep`;
    if (!isObj(raw.HadoopJarStep)) {
      problems.push({ pointer: jarAt, message: "must be an object with Jar and Args" });
      return { step, origin, form };
    }
    fields = raw.HadoopJarStep;
    for (const key of Object.keys(fields))
      if (!JAR_KEYS.includes(key))
        problems.push({ pointer: joinPointer(jarAt, key), message: `is not a field of HadoopJarStep (allowed: ${JAR_KEYS.join(", ")})` });
  }
  const args = fields.Args;
  if (args !== undefined && !(Array.isArray(args) && args.every((a) => typeof a === "string"))) {
    problems.push({ pointer: `${jarAt}/Args`, message: "must be a list of strings" });
    return { step, origin, form };
  }
  const argList = (args ?? []) as string[];
  const props = fields.Properties;
  const hasProps =
    props !== undefined &&
    !(Array.isArray(props) && props.length === 0) &&
    props !== "" &&
    !(isObj(props) && Object.keys(props).length === 0);
  if (hasProps)
    refuse(
      `${jarAt}/Properties`,
      "Properties are Java system properties of the step's main class, which has no Livy equivalent; pass them as --conf spark.driver.extraJavaOptions=-Dkey=value",
    );
  if (type !== undefined && has(REFUSED_TYPES, type)) {
    refuse(`${at}/Type`, `it is a ${type} step: ${REFUSED_TYPES[type]}`);
    return { step, origin, form };
  }
  if (form === "cli" && type !== "SPARK" && type !== "CUSTOM_JAR") {
    problems.push({ pointer: `${at}/Type`, message: `must be one of "Spark", "CUSTOM_JAR", "STREAMING", "HIVE", "PIG"` });
    return { step, origin, form };
  }
  let submitArgs: string[] | undefined;
  let argOffset = 0;
  if (type === "SPARK") {
    if (fields.Jar !== undefined || fields.MainClass !== undefined)
      refuse(
        `${at}/${fields.Jar !== undefined ? "Jar" : "MainClass"}`,
        "a Spark step takes only Args (spark-submit options, the application and its arguments)",
      );
    submitArgs = argList;
  } else {
    const jar = fields.Jar;
    if (typeof jar !== "string" || !jar) {
      problems.push({ pointer: `${jarAt}/Jar`, message: "is required (a custom jar step names its jar)" });
      return { step, origin, form };
    }
    if (/(^|\/)command-runner\.jar$/i.test(jar)) {
      if (fields.MainClass !== undefined) refuse(`${jarAt}/MainClass`, "command-runner.jar takes no MainClass");
      const command = argList[0] ?? "";
      if (!/(^|\/)spark-submit$/.test(command)) {
        refuse(
          `${jarAt}/Args${argList.length ? "/0" : ""}`,
          command
            ? `it runs '${command}' through command-runner.jar; only spark-submit commands can become Livy batches`
            : "command-runner.jar has no command to run",
        );
        return { step, origin, form };
      }
      submitArgs = argList.slice(1);
      argOffset = 1;
    } else {
      const what = /(^|\/)script-runner\.jar$/i.test(jar)
        ? "it runs a script through script-runner.jar on the EMR master node"
        : `it runs the custom jar '${jar}' with 'hadoop jar' on the EMR master node`;
      refuse(
        `${jarAt}/Jar`,
        `${what}; only spark-submit steps can become Livy batches (to run a Spark jar, write a Jobflow step with file and className)`,
      );
      return { step, origin, form };
    }
  }
  const submit = translateSparkSubmit(submitArgs);
  for (const p of submit.problems) problems.push({ pointer: `${jarAt}/Args/${p.argIndex + argOffset}`, message: `${label}: ${p.message}` });
  for (const [field, index] of submit.origin) {
    const path = field.startsWith("conf/") ? `conf/${pointerSegment(field.slice(5))}` : field;
    origin.set(path, `${jarAt}/Args/${index + argOffset}`);
  }
  copyFields(submit.fields, step);
  return { step, origin, form };
}

function copyFields(fields: SubmitFields, step: Obj): void {
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (key === "conf" && Object.keys(value as object).length === 0) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    step[key] = value;
  }
}
