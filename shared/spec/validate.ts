// Entry points of job validation: text or parsed value in, normalized JobSpec or every problem out. Accepts a
// Jobflow job document or a bare EMR steps file (either form), told apart by shape. Never throws.
import type { Problem } from "../errors";
import type { JobSpec } from "../model/job";
import { profileCatalog, type ProfileCatalog } from "../profiles/catalog";
import { ajvProblems, compileSchema } from "./ajv";
import { emrToJobDocument, isEmrStepsShape } from "./emr";
import { renderJobTemplates } from "../templates/document";
import type { RunContext } from "../templates/builtins";
import type { SuppliedValue } from "../templates/parameters";
import { jobSchema, LIMITS, submitEnvelopeSchema, type JobDocument } from "./jobSchema";
import { shapeProblems, textSizeProblem } from "./limits";
import { normalizeJob } from "./normalize";
import { jsonSyntaxProblem, unrecognisedShape } from "./shape";
import { semanticProblems } from "./semantic";
import type { OutboundPolicy } from "../security/outboundUrl";
import type { SecretScope } from "../security/secretScope";

export interface ValidateOptions {
  /** Profiles a job may name. Default: the built-in profiles. */
  profiles?: ProfileCatalog;
  /** Registered edge VM names; when given, `edges` may name only these. Default: not checked. */
  knownEdges?: readonly string[];
  /** Document size limit in bytes (parseJobText). Default 256 KiB. */
  maxDocumentBytes?: number;
  /** Job name given to a bare EMR steps file (e.g. the file's base name). Default "emr-steps". */
  emrJobName?: string;
  /** Secrets a job may reference. Default: names under data- or s3-, platform secrets refused. */
  secretScope?: SecretScope;
  /** Where notify.webhook may point. Default: public https only. */
  outbound?: OutboundPolicy;
  /** Parameter values (e.g. `-p NAME=value`); an envelope's own `parameters` take precedence. Default none. */
  parameters?: Record<string, SuppliedValue>;
  /**
   * The run's built-ins (ds, ts, job_id, …), or a function giving them from the document's idempotency key and the
   * envelope's logicalDate (the job id derives from the key). Default: built-ins are unresolved.
   */
  run?: RunContext | ((request: { idempotencyKey?: string; logicalDate?: string }) => RunContext);
}

export type ValidationResult = { ok: true; job: JobSpec } | { ok: false; problems: Problem[] };

/** More problems than this are summarised in one last problem (a hostile document could produce thousands). */
export const MAX_PROBLEMS = 200;

const validateSchema = compileSchema(jobSchema);
const validateEnvelope = compileSchema(submitEnvelopeSchema);

/** `{job, parameters?, logicalDate?}`: a job submitted with parameter values (POST /api/jobs, the jobs queue). */
export function isSubmitEnvelope(doc: unknown): doc is { job: unknown; parameters?: Record<string, SuppliedValue>; logicalDate?: string } {
  return (
    typeof doc === "object" &&
    doc !== null &&
    !Array.isArray(doc) &&
    Object.prototype.hasOwnProperty.call(doc, "job") &&
    !["steps", "Steps", "name"].some((k) => Object.prototype.hasOwnProperty.call(doc, k))
  );
}

function fail(problems: Problem[]): ValidationResult {
  if (problems.length <= MAX_PROBLEMS) return { ok: false, problems };
  return {
    ok: false,
    problems: [...problems.slice(0, MAX_PROBLEMS), { pointer: "", message: `and ${problems.length - MAX_PROBLEMS} more problems` }],
  };
}

/** Parses JSON text (a job document or an EMR steps file) and validates it. */
export function parseJobText(text: string, options: ValidateOptions = {}): ValidationResult {
  try {
    if (typeof text !== "string") return fail([{ pointer: "", message: "must be JSON text" }]);
    const tooBig = textSizeProblem(text, options.maxDocumentBytes ?? LIMITS.documentBytes);
    if (tooBig) return fail([tooBig]);
    let doc: unknown;
    try {
      doc = JSON.parse(text.replace(/^\uFEFF/, ""));
    } catch (err) {
      return fail([jsonSyntaxProblem(text.replace(/^\uFEFF/, ""), err)]);
    }
    return validateJobDocument(doc, options);
  } catch (err) {
    return fail([{ pointer: "", message: `could not be validated: ${err instanceof Error ? err.message : String(err)}` }]);
  }
}

/** Validates a parsed job document or EMR steps file and returns the normalized job with defaults applied. */
export function validateJobDocument(input: unknown, options: ValidateOptions = {}): ValidationResult {
  try {
    const shape = shapeProblems(input);
    if (shape.length) return fail(shape);
    const unrecognised = unrecognisedShape(input);
    if (unrecognised) return fail([unrecognised]);
    if (!isSubmitEnvelope(input)) return validateRendered(input, options, options.parameters ?? {}, undefined, "");
    if (!validateEnvelope(input)) return fail(ajvProblems(validateEnvelope.errors));
    return validateRendered(input.job, options, { ...options.parameters, ...input.parameters }, input.logicalDate, "/job");
  } catch (err) {
    return fail([{ pointer: "", message: `could not be validated: ${err instanceof Error ? err.message : String(err)}` }]);
  }
}

/** Renders the templates of `raw` (problems prefixed with `base`, the envelope's /job), then validates it. */
function validateRendered(
  raw: unknown,
  options: ValidateOptions,
  supplied: Record<string, SuppliedValue>,
  logicalDate: string | undefined,
  base: string,
): ValidationResult {
  const key =
    typeof raw === "object" && raw !== null && typeof (raw as { idempotencyKey?: unknown }).idempotencyKey === "string"
      ? (raw as { idempotencyKey: string }).idempotencyKey
      : undefined;
  const run = typeof options.run === "function" ? options.run({ idempotencyKey: key, logicalDate }) : options.run;
  const rendered = renderJobTemplates(raw, { supplied, suppliedPointer: "/parameters", documentPointer: base, run });
  const prefix = (problems: Problem[]): Problem[] => problems.map((p) => ({ ...p, pointer: base + p.pointer }));
  if (!rendered.ok) {
    // Report malformed declarations too (the renderer only uses well-formed ones).
    const declarationProblems = validateSchema(raw)
      ? []
      : ajvProblems(validateSchema.errors).filter((p) => p.pointer.startsWith("/parameters"));
    return fail([...prefix(declarationProblems), ...rendered.problems]);
  }
  const result = validateDocument(rendered.doc, options);
  if (!result.ok) return fail(prefix(result.problems));
  if (Object.keys(rendered.parameters).length) result.job.parameters = rendered.parameters;
  return result;
}

function validateDocument(doc: unknown, options: ValidateOptions): ValidationResult {
  const profiles = options.profiles ?? profileCatalog();
  if (isEmrStepsShape(doc)) {
    const imported = emrToJobDocument(doc, options.emrJobName ?? "emr-steps");
    // Import problems point into the EMR file; the translated document is then checked like any job, with
    // problems mapped back onto the EMR step they came from.
    const checked = checkDocument(imported.doc, { ...options, profiles }, false);
    const mapped = checked.ok
      ? []
      : checked.problems
          .filter((p) => !imported.untranslated.has(Number(/^\/steps\/(\d+)/.exec(p.pointer)?.[1] ?? -1)))
          .map((p) => imported.mapProblem(p));
    const problems = [...imported.problems, ...mapped];
    if (problems.length || !checked.ok) return fail(problems);
    return { ok: true, job: normalizeJob(imported.doc as JobDocument, imported.source) };
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    return fail([{ pointer: "", message: "must be a JSON object (a Jobflow job) or a list of EMR steps" }]);
  }
  const checked = checkDocument(doc, { ...options, profiles }, true);
  return checked.ok ? { ok: true, job: normalizeJob(doc as JobDocument, "jobflow") } : fail(checked.problems);
}

function checkDocument(
  doc: unknown,
  options: ValidateOptions & { profiles: ProfileCatalog },
  requireS3aSection: boolean,
): { ok: true } | { ok: false; problems: Problem[] } {
  const problems = validateSchema(doc) ? [] : ajvProblems(validateSchema.errors);
  problems.push(
    ...semanticProblems(doc, {
      profiles: options.profiles,
      knownEdges: options.knownEdges,
      requireS3aSection,
      secretScope: options.secretScope,
      outbound: options.outbound,
    }),
  );
  return problems.length ? { ok: false, problems } : { ok: true };
}
