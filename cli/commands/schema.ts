// `jobflow schema [--profile]`: prints the job (or cluster profile) JSON Schema, e.g. for editors or OpenAPI.
import { profileSchema } from "../../shared/profiles/schema";
import { jobSchemaJson } from "../../shared/spec/jobSchema";
import type { Command } from "../main";

export const command: Command = {
  summary: "print the JSON Schema of job documents (--profile: of cluster profiles)",
  usage: "jobflow schema [--profile]",
  options: { profile: { type: "boolean", description: "the schema of cluster profiles instead of job documents" } },
  examples: ["jobflow schema > job.schema.json", "jobflow schema --profile"],
  run({ args, out }) {
    out.json(args.options.profile === true ? profileSchema : jobSchemaJson());
    return 0;
  },
};
