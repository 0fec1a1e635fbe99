// Service Bus queue `jobs`: the same document as POST /jobs. Idempotent: the job id comes from the idempotency key,
// else the message id, so a redelivery after a crash or a duplicate send never creates a second job. An invalid
// message is dead-lettered at once with the validation problems as the reason (retrying cannot fix it).
import * as df from "durable-functions";
import type { InvocationContext } from "@azure/functions";
import type { DurableClient } from "durable-functions";
import { submitJob } from "../submit";
import { logJson } from "../runtime/telemetryHooks";

export class DeadLetterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeadLetterError";
  }
}

df.app.client.serviceBusQueue("jobsQueue", {
  connection: "ServiceBusConnection",
  queueName: "%JOBFLOW_JOBS_QUEUE%",
  handler: async (message: unknown, client: DurableClient, context: InvocationContext) => {
    const messageId = String(context.triggerMetadata?.messageId ?? "");
    const body = typeof message === "string" ? message : message instanceof Uint8Array ? Buffer.from(message).toString("utf8") : message;
    const result = await submitJob(client, body, messageId ? { messageId } : {});
    if (!result.ok) {
      throw new DeadLetterError(`invalid job document: ${result.problems.map((p) => `${p.pointer || "/"}: ${p.message}`).join("; ")}`);
    }
    logJson(context, { event: "jobQueued", jobId: result.jobId, duplicate: result.duplicate, messageId });
  },
});
