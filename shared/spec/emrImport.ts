// `jobflow import emr`: an EMR steps file (or a RunJobFlow-style {Steps, BootstrapActions, …} document) turned into a
// Jobflow job document with everything that translates, plus a report of what did not, why, and the replacement
// where one exists. Unlike the submit path (strict: any untranslatable step refuses the file), import leaves such
// steps out and says so. `${x}` and `%X%` placeholders become `{{ params.x }}` with a declared parameter. Pure.
import type { Problem } from "../errors";
import { emrToJobDocument, slug } from "./emr";
import { bucketOf } from "./uris";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export interface ImportNote {
  /** JSON pointer into the EMR file. */
  pointer: string;
  /** "left out" = the step is not in the document; "changed" = translated with a change to check; "note" = advice. */
  kind: "left out" | "changed" | "note";
  message: string;
  /** The replacement to use, when there is one. */
  suggestion?: string;
}

export interface EmrImportResult {
  /** The Jobflow job document (undefined when no step could be translated). */
  job?: Obj;
  notes: ImportNote[];
}

/** Replacements for what EMR runs that Livy cannot, keyed by a pattern of the import problem. */
const SUGGESTIONS: [RegExp, string][] = [
  [
    /s3-dist-cp|S3DistCp/i,
    "a copy step: a PySpark step that reads the source and writes the target (spark.read…write), or AzCopy outside the job",
  ],
  [
    /\/usr\/lib\/spark\/examples/,
    "HDInsight ships the examples under /usr/hdp/current/spark3-client/examples/; copy the jar or script to your storage and use its abfss:// URI",
  ],
  [/HIVE|hive-script/i, "run the queries with spark.sql in a PySpark step (HDInsight Spark has the Hive metastore)"],
  [/PIG|pig-script/i, "rewrite as a PySpark step; Pig is not part of HDInsight 5.1"],
  [/STREAMING|hadoop-streaming/i, "rewrite the mapper/reducer as a PySpark step (rdd.pipe runs an existing script)"],
  [
    /script-runner|runs '(bash|sh|[^']*\.sh)'/i,
    "shell scripts that prepare nodes become an HDInsight script action on the cluster profile (run on the nodes at create time); a script that moves data becomes a PySpark step",
  ],
  [/local path/, "copy the file to ADLS Gen2 (abfss://) or S3 and use that URI"],
  [/Properties are Java system properties/, "pass them as --conf spark.driver.extraJavaOptions=-Dkey=value"],
];

function suggestionFor(message: string): string | undefined {
  return SUGGESTIONS.find(([re]) => re.test(message))?.[1];
}

const FOREIGN = /\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}|%([A-Za-z_][A-Za-z0-9_]+)%/g;

/** `${x}` / `%X%` → `{{ params.x }}` in every string of the EMR file; the names found. */
function convertPlaceholders(value: unknown, pointer: string, names: Set<string>, notes: ImportNote[]): unknown {
  if (typeof value === "string") {
    if (!FOREIGN.test(value)) return value;
    FOREIGN.lastIndex = 0;
    const converted = value.replace(FOREIGN, (_m, a: string | undefined, b: string | undefined) => {
      const name = (a ?? b) as string;
      names.add(name);
      return `{{ params.${name} }}`;
    });
    notes.push({ pointer, kind: "changed", message: `placeholder(s) in '${value}' written as Jobflow parameters: '${converted}'` });
    return converted;
  }
  if (Array.isArray(value)) return value.map((v, i) => convertPlaceholders(v, `${pointer}/${i}`, names, notes));
  if (isObj(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convertPlaceholders(v, `${pointer}/${k}`, names, notes)]));
  return value;
}

const OTHER_KEYS: Record<string, string> = {
  BootstrapActions:
    "EMR bootstrap actions become HDInsight script actions on the cluster profile (persisted, run on the nodes at create time)",
  Instances:
    "the cluster's shape comes from a Jobflow cluster profile (docs/job-spec.md, Profiles): pick one with cluster.profile or override workerCount/workerVmSize",
  ReleaseLabel: "HDInsight 5.1 (Spark 3.3) is the cluster version of every profile",
  Applications: "HDInsight Spark clusters come with Spark, Hive metastore, Livy and Jupyter",
  Configurations: "cluster-wide configuration belongs to the cluster profile; per-job Spark settings go into steps[].conf",
};

/** Imports an EMR file (parsed JSON). `jobName` names the job (e.g. the file's base name). */
export function importEmrFile(input: unknown, jobName: string): EmrImportResult {
  const notes: ImportNote[] = [];
  let steps: unknown = input;
  let base = "";
  if (isObj(input)) {
    base = "/Steps";
    steps = input.Steps;
    for (const key of Object.keys(input)) {
      if (key === "Steps") continue;
      if (key === "Name" && typeof input.Name === "string") jobName = input.Name;
      else notes.push({ pointer: `/${key}`, kind: "left out", message: `${key} is not part of a job`, suggestion: OTHER_KEYS[key] });
    }
    if (!Array.isArray(steps))
      return { notes: [...notes, { pointer: "/Steps", kind: "left out", message: "no Steps list: nothing to import" }] };
  }
  if (!Array.isArray(steps))
    return { notes: [{ pointer: "", kind: "left out", message: "not an EMR steps file (a list of steps, or {Steps: [...]})" }] };
  const names = new Set<string>();
  const converted = convertPlaceholders(steps, base, names, notes) as unknown[];
  // Airflow-style {{ params.X }} already in the file are declared too (their values come with -p at submit).
  for (const m of JSON.stringify(converted).matchAll(
    /\{\{\s*params(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[\\?['"]([A-Za-z_][A-Za-z0-9_]*)\\?['"]\])/g,
  ))
    names.add(m[1] ?? m[2]);
  const imported = emrToJobDocument(base ? { Steps: converted } : converted, jobName);
  const stepIndex = (p: Problem): number => Number(new RegExp(`^${base}/(\\d+)`).exec(p.pointer)?.[1] ?? -1);
  for (const p of imported.problems) {
    const i = stepIndex(p);
    notes.push({
      pointer: p.pointer,
      kind: i >= 0 && imported.untranslated.has(i) ? "left out" : "note",
      message: p.message,
      suggestion: suggestionFor(p.message),
    });
  }
  const doc = imported.doc;
  const kept = (doc.steps as Obj[]).filter((_s, i) => !imported.untranslated.has(i));
  // Step ids cannot be templated: a templated Name gives an id from its literal text ("load_{{ ds }}" → "load").
  const used = new Set(kept.map((st) => st.id as string));
  for (const st of kept) {
    if (typeof st.name !== "string" || !st.name.includes("{{")) continue;
    used.delete(st.id as string);
    let id = slug(st.name.replace(/\{\{[^}]*\}\}/g, "").replace(/[_-]+$/, ""), "step");
    for (let n = 2; used.has(id); n++) id = `${id.slice(0, 60)}-${n}`;
    used.add(id);
    st.id = id;
  }
  if (kept.length === 0) return { notes };
  const job: Obj = { name: slug(jobName, "emr-steps") };
  if (names.size)
    job.parameters = Object.fromEntries(
      [...names].map((n) => [n, { description: 'from an EMR placeholder; supply it with -p or "parameters"' }]),
    );
  job.cluster = doc.cluster;
  job.maxConcurrentSteps = 1;
  job.steps = kept;
  // A Jobflow document names its S3 access (the EMR file relied on the cluster's instance profile).
  const found =
    JSON.stringify(kept)
      .match(/s3a:\/\/[^/"\\,]+/g)
      ?.map((u) => bucketOf(u) as string) ?? [];
  // A bucket named by a template is only known at submit: then the list cannot be complete, so none is set.
  const buckets = found.some((b) => !b || b.includes("{")) ? [] : [...new Set(found)];
  if (JSON.stringify(kept).includes("s3a://")) {
    job.data = {
      s3a: { endpoint: "https://s3.amazonaws.com", credentialsSecret: "s3-credentials", ...(buckets.length ? { buckets } : {}) },
    };
    notes.push({
      pointer: "",
      kind: "note",
      message:
        "the steps read or write S3: data.s3a was added with the AWS endpoint and the Key Vault secret name 's3-credentials' — set your own (docs/job-spec.md, S3A)",
    });
  }
  return { job, notes };
}
