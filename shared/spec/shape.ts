// One clear message for a document that is none of the accepted shapes (instead of a dozen schema problems), and
// line/column for invalid JSON. Accepted: a Jobflow job document (object with name/steps/…), a bare EMR steps file
// (a list of steps, or {Steps: [...]}) in the API or CLI form, or the submit envelope {job, parameters, …}. Pure.
import type { Problem } from "../errors";
import { jobSchema } from "./jobSchema";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

const JOB_KEYS = new Set(Object.keys(jobSchema.properties));
const EMR_STEP_KEYS = new Set(["Name", "ActionOnFailure", "HadoopJarStep", "Type", "Args", "Jar", "MainClass", "Properties"]);
/** Terraform's aws_emr_cluster `step` blocks (and boto3 dumps in snake_case). */
const SNAKE_STEP_KEYS = ["hadoop_jar_step", "action_on_failure", "main_class"];
const EXPECTED =
  'expected a Jobflow job document ({"name", "steps": [...]}), an EMR steps file (a list of steps, or {"Steps": [...]}, ' +
  'each {Name, ActionOnFailure, HadoopJarStep: {Jar, Args}} or {Type, Name, Args}) or {"job": …, "parameters": {…}}';

function snakeStep(v: unknown): boolean {
  return isObj(v) && SNAKE_STEP_KEYS.some((k) => k in v);
}

/** A problem when `doc` is recognisably none of the accepted shapes, else undefined (validation goes on). */
export function unrecognisedShape(doc: unknown): Problem | undefined {
  const items = Array.isArray(doc)
    ? doc
    : isObj(doc) && Array.isArray(doc.step)
      ? doc.step
      : isObj(doc) && Array.isArray(doc.steps)
        ? doc.steps
        : [];
  if (items.some(snakeStep) || snakeStep(doc)) {
    return {
      pointer: "",
      message:
        "looks like Terraform's aws_emr_cluster step blocks (snake_case: name, action_on_failure, hadoop_jar_step {jar, args}); " +
        'write them as EMR API steps instead: [{"Name": …, "ActionOnFailure": …, "HadoopJarStep": {"Jar": …, "Args": [...]}}] (`jobflow import emr` then translates them)',
    };
  }
  // Scalars and {} keep the plain schema messages ("must be a JSON object", "/name is required").
  if (!isObj(doc) || Object.keys(doc).length === 0) return undefined;
  const keys = Object.keys(doc);
  if (keys.some((k) => JOB_KEYS.has(k) || k === "Steps" || k === "job")) return undefined;
  if (keys.some((k) => EMR_STEP_KEYS.has(k))) {
    return { pointer: "", message: 'is a single EMR step: put it in a list ([{…}]) or under "Steps"' };
  }
  return {
    pointer: "",
    message: `is not a recognised document (found ${keys
      .slice(0, 8)
      .map((k) => `"${k}"`)
      .join(", ")}): ${EXPECTED}`,
  };
}

/** "is not valid JSON at line L, column C: …" from a JSON.parse error (Node gives a character position). */
export function jsonSyntaxProblem(text: string, err: unknown): Problem {
  const message = err instanceof Error ? err.message : String(err);
  const m = /position (\d+)/.exec(message);
  if (!m) return { pointer: "", message: `is not valid JSON: ${message}` };
  const position = Math.min(Number(m[1]), text.length);
  const before = text.slice(0, position);
  const line = before.split("\n").length;
  const column = position - before.lastIndexOf("\n");
  const reason = message.replace(/ in JSON at position \d+.*$/, "").replace(/\s*\(line \d+ column \d+\)/, "");
  return { pointer: "", message: `is not valid JSON at line ${line}, column ${column}: ${reason}` };
}
