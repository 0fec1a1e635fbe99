// Renders a job document (Jobflow or bare EMR steps file) before it is validated: `{{ params.NAME }}`, the run's
// built-ins (ds, ts, …) and macros in the fields that may carry templates, every problem with its JSON pointer,
// and `{{` anywhere else refused (it would otherwise reach a tag or a pattern check as literal text). Called by
// shared/spec/validate.ts, i.e. in triggers, activities and the CLI — never in orchestration code. Pure.
import type { Problem } from "../errors";
import { joinPointer } from "../spec/ajv";
import { BUILTIN_NAMES, builtinValues, MACROS, type RunContext } from "./builtins";
import type { Scope } from "./expression";
import { resolveParameters, type ParameterDeclaration, type SuppliedValue } from "./parameters";
import { looksTemplated, renderString, type RenderOptions } from "./render";

export interface TemplateInput {
  /** Values supplied for the run; problems about them point at `suppliedPointer`/NAME. */
  supplied?: Record<string, SuppliedValue>;
  suppliedPointer?: string;
  /** Prefix of pointers into the document (the envelope's "/job"). Default "". */
  documentPointer?: string;
  /** The run's built-ins; without it ds, ts, … are unresolved ("only known when a run is submitted"). */
  run?: RunContext;
}

export type RenderedDocument =
  { ok: true; doc: unknown; parameters: Record<string, string>; templated: boolean } | { ok: false; problems: Problem[] };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Where templates are rendered in a Jobflow document (pointer patterns, /steps/N/… with N any index). */
const JOBFLOW_FIELDS = [
  /^\/name$/,
  /^\/steps\/\d+\/(name|file)$/,
  /^\/steps\/\d+\/(args|pyFiles|jars|files|archives)\/\d+$/,
  /^\/steps\/\d+\/conf\/[^/]+$/,
];
/** …and in an EMR steps file (list or {Steps}; API and CLI forms). */
const EMR_FIELDS = [
  /^(\/Steps)?\/\d+\/(Name|Jar)$/,
  /^(\/Steps)?\/\d+\/Args\/\d+$/,
  /^(\/Steps)?\/\d+\/HadoopJarStep\/Jar$/,
  /^(\/Steps)?\/\d+\/HadoopJarStep\/Args\/\d+$/,
];
const JOBFLOW_WHERE = "name, steps' name, file, args, conf values, pyFiles, jars, files and archives";
const EMR_WHERE = "Name, Jar and Args";

function explain(declared: string[] | undefined, hasRun: boolean) {
  return (path: string[]): string | undefined => {
    const [head, second] = path;
    if (head === "params") {
      const name = path.slice(1).join(".");
      if (declared?.includes(name)) return `parameter '${name}' has no value (no default, none supplied)`;
      if (declared) return `'${name}' is not a declared parameter (declared: ${declared.join(", ") || "none"})`;
      return `no value for parameter '${name}': pass -p ${name}=… (or "parameters": {"${name}": …} in the request)`;
    }
    if (head === "var")
      return `Airflow Variables (var.${second ?? "value"}.…) are not available: declare a parameter and use {{ params.NAME }}`;
    if (head === "dag_run" || head === "conf")
      return `Airflow's ${head} is not available: pass the value as a parameter and use {{ params.NAME }}`;
    if ((BUILTIN_NAMES as readonly string[]).includes(head) && !hasRun) return `'${head}' is only known when a run is submitted`;
    if (head === "macros") return `'${path.join(".")}' is not a known macro (known: ${[...MACROS.keys()].join(", ")})`;
    return `'${path.join(".")}' is not defined (use {{ params.NAME }}, or a built-in: ${BUILTIN_NAMES.join(", ")})`;
  };
}

/** Renders `doc`; the result shares nothing with the input. */
export function renderJobTemplates(doc: unknown, input: TemplateInput = {}): RenderedDocument {
  const emr =
    Array.isArray(doc) ||
    (isObj(doc) && Object.prototype.hasOwnProperty.call(doc, "Steps") && !Object.prototype.hasOwnProperty.call(doc, "steps"));
  const rawDeclarations =
    !emr && isObj(doc) && isObj(doc.parameters) ? (doc.parameters as Record<string, ParameterDeclaration>) : undefined;
  // Declarations that the schema would refuse are reported by the schema; here only well-formed ones are used.
  const declarations = rawDeclarations && Object.values(rawDeclarations).every(isObj) ? rawDeclarations : undefined;
  const base = input.documentPointer ?? "";
  const resolved = resolveParameters(declarations, input.supplied ?? {}, {
    declarations: `${base}/parameters`,
    supplied: input.suppliedPointer ?? "/parameters",
  });
  const problems: Problem[] = [...resolved.problems];
  const params = resolved.values;
  const values = new Map<string, string>(input.run ? builtinValues(input.run) : []);
  for (const [name, value] of params) values.set(`params.${name}`, value);
  const scope: Scope = { values, functions: MACROS, explain: explain(declarations ? Object.keys(declarations) : undefined, !!input.run) };
  const fields = emr ? EMR_FIELDS : JOBFLOW_FIELDS;
  let templated = false;

  const visit = (value: unknown, pointer: string): unknown => {
    if (typeof value === "string") {
      const allowed = fields.some((f) => f.test(pointer));
      if (!allowed) {
        if (value.includes("{{"))
          problems.push({
            pointer: base + pointer,
            message: `templates are rendered only in ${emr ? EMR_WHERE : JOBFLOW_WHERE}; this field takes a literal value`,
          });
        return value;
      }
      if (!looksTemplated(value)) return value;
      const options: RenderOptions = { sparkSubstitution: /\/conf\/[^/]+$/.test(pointer) || (emr && /^spark\.[^=]*=/.test(value)) };
      const r = renderString(value, scope, options);
      if (!r.ok) {
        for (const message of r.problems) problems.push({ pointer: base + pointer, message });
        return value;
      }
      templated ||= r.templated;
      return r.value;
    }
    if (Array.isArray(value)) return value.map((v, i) => visit(v, joinPointer(pointer, i)));
    if (isObj(value)) {
      const out: Obj = {};
      for (const [k, v] of Object.entries(value)) {
        // Declarations hold values and descriptions, not templates; $schema is ignored.
        const skip = pointer === "" && !emr && (k === "parameters" || k === "$schema");
        Object.defineProperty(out, k, {
          value: skip ? structuredClone(v) : visit(v, joinPointer(pointer, k)),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    return value;
  };
  const rendered = visit(doc, "");
  if (problems.length) return { ok: false, problems };
  return { ok: true, doc: rendered, parameters: Object.fromEntries(params), templated };
}
