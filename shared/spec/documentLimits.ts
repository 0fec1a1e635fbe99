// Size limits of a job document and its parameters, shared by the schema files, the pre-validation guards
// (limits.ts) and the template renderer: a hostile document is refused by these before anything else looks at it.

export const LIMITS = {
  documentBytes: 256 * 1024,
  nestingDepth: 32,
  steps: 256,
  args: 256,
  argLength: 4096,
  listItems: 64,
  uriLength: 2048,
  confEntries: 128,
  confValueLength: 4096,
  edges: 16,
} as const;

/** Parameter names: usable as `{{ params.NAME }}` (Airflow's spelling). */
export const PARAMETER_NAME_PATTERN = "^[A-Za-z_][A-Za-z0-9_]{0,63}$";
export const PARAMETER_LIMITS = { count: 64, valueLength: 1024, patternLength: 256, descriptionLength: 1024 } as const;
