// The JSON Schema of a schedule body (POST /api/schedules): its fields, with the warm-up fields of issue 13. The
// cron, zone, job and parameter values have their own, more specific checks (scheduleRules, the job validator);
// this schema names the fields, types the warm-up settings and refuses unknown ones. Also in the OpenAPI document.
import { warmupFieldsSchema } from "./warmupRules";

export const scheduleBodySchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  title: "Schedule",
  type: "object",
  required: ["cron", "timezone", "job"],
  additionalProperties: false,
  properties: {
    cron: { type: "string", description: "5 fields (min hour day month weekday) or 6 (seconds first), in `timezone`." },
    timezone: { type: "string", description: "IANA time zone name, e.g. Europe/Paris or UTC." },
    job: { type: "object", description: "The job document submitted at each occurrence (see JobDocument)." },
    parameters: { type: "object", description: "Parameter values passed to every run." },
    ...warmupFieldsSchema,
  },
} as const;
