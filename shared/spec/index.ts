// The job spec: schema (source of truth), validation + normalization, EMR import. Pure; orchestrations may import it.
export { jobSchema, stepSchema, jobSchemaJson, LIMITS, STEP_ID_PATTERN, EDGE_NAME_PATTERN } from "./jobSchema";
export type { JobDocument, StepDocument } from "./jobSchema";
export { parseJobText, validateJobDocument, MAX_PROBLEMS } from "./validate";
export type { ValidateOptions, ValidationResult } from "./validate";
export { DEFAULTS } from "./normalize";
export { isEmrStepsShape, EMR_DEFAULT_ACTION } from "./emr";
export { translateSparkSubmit } from "./sparkSubmit";
export { concurrentPeers, findCycles } from "./graph";
export { toS3a } from "./uris";
