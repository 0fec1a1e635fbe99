// GET /api/jobs/{id}/timeline: what the console's job page draws besides the record — the step graph (dependsOn,
// from the orchestration's input: the record carries states, not edges) and the cluster's lifecycle times (from
// its lifecycle orchestration's status), plus the job's milestones as events in time order. Read-only; no secrets
// (the job document holds secret references only).
import type { HttpRequest } from "@azure/functions";
import type { DurableClient } from "durable-functions";
import type { JobRecord } from "../../shared/workflow/jobRecord";
import { clusterInstanceId } from "../../shared/workflow/activities";
import type { JobRunInput } from "../../shared/workflow/jobRunInput";
import { json, problem } from "./problem";
import type { RouteDeps } from "./routeDeps";
import type { ApiHandlers } from "./routes";

interface LifecycleStatus {
  phase?: string;
  holders?: unknown[];
  createdAt?: string;
  readyAt?: string;
  idleSince?: string;
  expiresAt?: string;
}

/** The job's milestones, oldest first, in the API's vocabulary. */
export function jobMilestones(record: JobRecord): { time: string; type: string; subject: string }[] {
  const out: { time: string; type: string; subject: string }[] = [{ time: record.submittedAt, type: "job.submitted", subject: record.id }];
  const add = (time: string | undefined, type: string, subject: string): void => void (time && out.push({ time, type, subject }));
  add(record.cluster.readyAt, `cluster.${record.cluster.acquisition ?? "acquired"}`, record.cluster.name ?? "");
  add(record.startedAt, "job.started", record.id);
  for (const step of record.steps) {
    for (const a of step.attempts) {
      add(a.startedAt, "step.attempt.started", `${step.id}#${a.attempt}`);
      add(a.endedAt, `step.attempt.${a.livyState ?? "ended"}`, `${step.id}#${a.attempt}`);
    }
  }
  add(record.cluster.releasedAt, "cluster.released", record.cluster.name ?? "");
  add(record.endedAt, `job.${record.state}`, record.id);
  return out.sort((a, b) => a.time.localeCompare(b.time));
}

export function jobTimelineRoutes(deps: RouteDeps): Pick<ApiHandlers, "jobsTimeline"> {
  const jobsTimeline = async (request: HttpRequest, client: DurableClient) => {
    const id = request.params.id;
    const record = await deps.jobs.get(id);
    if (!record) return problem(404, "Not found", `no job '${id}' (or its first record is not written yet)`);
    const status = await client.getStatus(id, { showInput: true }).catch(() => undefined);
    const input = status?.input as JobRunInput | undefined;
    const graph = (input?.job.steps ?? []).map((s) => ({ id: s.id, dependsOn: s.dependsOn }));
    const lifecycle = record.cluster.name
      ? (((await client.getStatus(clusterInstanceId(record.cluster.name)).catch(() => undefined))?.customStatus as
          LifecycleStatus | undefined) ?? null)
      : null;
    return json(200, { id, graph, cluster: { name: record.cluster.name ?? null, lifecycle }, events: jobMilestones(record) });
  };
  return { jobsTimeline };
}
