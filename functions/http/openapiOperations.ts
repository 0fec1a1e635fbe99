// Operation builders of the OpenAPI document (openapi.ts, openapiPolicyPaths.ts): every operation lists the
// statuses any route may answer when Azure fails under it, and its security (function key, or the console's
// session).

/** Statuses any route may answer when Azure fails under it (functions/http/problem.ts errorResponse). */
export const AZURE_FAILURES: Record<string, string> = {
  403: "Azure refused Jobflow's credentials (problem+json)",
  429: "Throttled by Azure; Retry-After when Azure said when (problem+json)",
  503: "Azure temporarily unavailable (problem+json)",
  500: "Internal error, logged with the job id (problem+json)",
};

export const op = (summary: string, responses: Record<string, string>, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  summary,
  security: [{ functionKey: [] }],
  responses: Object.fromEntries(Object.entries({ ...AZURE_FAILURES, ...responses }).map(([code, description]) => [code, { description }])),
  ...extra,
});
export const consoleOp = (
  summary: string,
  responses: Record<string, string>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  ...op(summary, responses, extra),
  security: [{ consoleSession: [] }],
});
export const idParam = (name: string): Record<string, unknown> => ({ name, in: "path", required: true, schema: { type: "string" } });
