// `jobflow cancel ID [--json]`: asks the job to stop (POST /api/jobs/{id}/cancel). Running Livy batches are
// killed, pending steps cancelled, edges detached and the cluster released — asynchronously; follow with status.
import type { Command } from "../main";
import { EXIT } from "../exitCodes";
import { onePositional, remoteCommand } from "../remote";

const USAGE = "jobflow cancel ID";

export const command: Command = {
  summary: "cancel a job (running steps are killed, the cluster released)",
  usage: USAGE,
  examples: ["jobflow cancel j-3f1c9a0b7d2e4c6a8b1d0e9f"],
  run: remoteCommand(async (ctx) => {
    const positional = onePositional(ctx, USAGE);
    if (!positional) return EXIT.usage;
    const result = await ctx.api.cancelJob(positional[0]);
    if (ctx.args.json) ctx.out.json(result);
    else {
      ctx.out.line(`cancel requested for job ${result.id}`);
      ctx.out.line(`follow it with: jobflow status ${result.id}`);
    }
    return 0;
  }),
};
