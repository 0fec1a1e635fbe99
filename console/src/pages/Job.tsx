// One job: state, cost share, cancel; the step DAG; the Gantt of cluster phases and step attempts on one time
// axis; per attempt the Livy batch id, YARN application id and the log (from Blob, searchable); the job's events.
import { useState } from "preact/hooks";
import { api, duration, time, usePoll } from "../api";
import { dagOption, ganttOption, type GanttBar } from "../charts";
import { Action, Chart, Problems, Section, State } from "../components";
import { JOB_TERMINAL_STATES } from "../../../shared/states/job";
import type { StepAttempt, StepRecord } from "../../../shared/workflow/jobRecord";

const TERMINAL: ReadonlySet<string> = new Set(JOB_TERMINAL_STATES); // shared/states/job.ts, bundled by Vite
/** Ended states a repair can re-run (POST /jobs/{id}/repair re-runs the failed, timed-out, cancelled and skipped steps). */
const REPAIRABLE: ReadonlySet<string> = new Set(JOB_TERMINAL_STATES.filter((s) => s !== "succeeded"));

type Attempt = StepAttempt;
type Step = StepRecord;
interface Job {
  id: string;
  name: string;
  state: string;
  submittedAt: string;
  startedAt?: string;
  endedAt?: string;
  updatedAt: string;
  error?: string;
  cluster: { name?: string; profile: string; reuse: string; acquisition?: string; readyAt?: string; releasedAt?: string };
  edges: { vm: string; state: string; error?: string }[];
  steps: Step[];
  estimatedCost?: { nodeHours: number; currency: string; amount: number; basis: string };
  tags: Record<string, string>;
}
interface Timeline {
  graph: { id: string; dependsOn: string[] }[];
  cluster: {
    name: string | null;
    lifecycle: { phase?: string; createdAt?: string; readyAt?: string; idleSince?: string; expiresAt?: string } | null;
  };
  events: { time: string; type: string; subject: string }[];
}

/** Cluster phases as seen by this job (provisioning → held → after release: idle/deleting) and every attempt. */
export function ganttBars(job: Job, timeline: Timeline | undefined): { lanes: string[]; bars: GanttBar[] } {
  const now = Date.parse(job.endedAt ?? job.updatedAt);
  const ms = (iso: string | undefined, fallback: number): number => (iso ? Date.parse(iso) : fallback);
  const bars: GanttBar[] = [];
  const lc = timeline?.cluster.lifecycle;
  const clusterLane = `cluster ${job.cluster.name ?? ""}`.trim();
  const provisionStart = ms(lc?.createdAt ?? job.submittedAt, now);
  const ready = job.cluster.readyAt ? Date.parse(job.cluster.readyAt) : undefined;
  bars.push({
    lane: clusterLane,
    label: job.cluster.acquisition === "joined" ? "joining warm cluster" : "provisioning",
    state: "provisioning",
    startMs: provisionStart,
    endMs: ready ?? now,
  });
  if (ready !== undefined)
    bars.push({ lane: clusterLane, label: "held by this job", state: "held", startMs: ready, endMs: ms(job.cluster.releasedAt, now) });
  if (job.cluster.releasedAt) {
    const released = Date.parse(job.cluster.releasedAt);
    const phase = lc?.phase ?? "released";
    bars.push({
      lane: clusterLane,
      label: `after release: ${phase}`,
      state: phase === "deleting" || phase === "deleted" ? "deleting" : "idle",
      startMs: released,
      endMs: Math.max(now, released + 1),
    });
  }
  for (const s of job.steps) {
    for (const a of s.attempts) {
      if (!a.startedAt) continue;
      const state = a.endedAt
        ? a.livyState === "success"
          ? "succeeded"
          : a.livyState === "dead" || a.error
            ? "failed"
            : s.state
        : "running";
      bars.push({
        lane: `step ${s.id}`,
        label: `${s.id} attempt ${a.attempt}`,
        state,
        startMs: Date.parse(a.startedAt),
        endMs: ms(a.endedAt, now),
      });
    }
  }
  return { lanes: [clusterLane, ...job.steps.map((s) => `step ${s.id}`)], bars };
}

function LogViewer(props: { jobId: string; step: Step; attempt: Attempt }) {
  const [text, setText] = useState<string | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [search, setSearch] = useState("");
  const load = async (): Promise<void> => {
    try {
      setText(
        await api.get<string>(
          `/jobs/${encodeURIComponent(props.jobId)}/steps/${encodeURIComponent(props.step.id)}/log?attempt=${props.attempt.attempt}`,
        ),
      );
    } catch (e) {
      setError(e as Error);
    }
  };
  if (text === undefined)
    return (
      <>
        <button type="button" onClick={() => void load()} disabled={!props.attempt.logBlob}>
          Log
        </button>
        <Problems error={error} />
      </>
    );
  const lines = text.split("\n").filter((l) => !search || l.toLowerCase().includes(search.toLowerCase()));
  return (
    <div class="log">
      <label>
        Search log <input value={search} onInput={(e) => setSearch((e.target as HTMLInputElement).value)} />
      </label>
      <pre data-testid={`log-${props.step.id}-${props.attempt.attempt}`} tabIndex={0}>
        {lines.join("\n")}
      </pre>
    </div>
  );
}

export function JobPage(props: { id: string }) {
  const path = `/jobs/${encodeURIComponent(props.id)}`;
  const job = usePoll<Job>(path, 1500, (j) => !TERMINAL.has(j.state));
  const timeline = usePoll<Timeline>(`${path}/timeline`, 3000, () => !job.data || !TERMINAL.has(job.data.state));
  const j = job.data;
  if (!j)
    return (
      <>
        <h1>Job {props.id}</h1>
        <Problems error={job.error} />
        {job.error ? null : <p aria-busy="true">Loading…</p>}
      </>
    );
  const depends = new Map((timeline.data?.graph ?? []).map((g) => [g.id, g.dependsOn]));
  const { lanes, bars } = ganttBars(j, timeline.data);
  return (
    <>
      <h1>
        {j.name} <State state={j.state} />
      </h1>
      <p class="sub">
        {j.id} · profile {j.cluster.profile} · cluster {j.cluster.name ?? "—"} ({j.cluster.reuse}
        {j.cluster.acquisition ? `, ${j.cluster.acquisition}` : ""}) · submitted {time(j.submittedAt)} · duration{" "}
        {duration(j.startedAt ?? j.submittedAt, j.endedAt ?? j.updatedAt)}
      </p>
      {j.error ? (
        <p role="alert" class="error">
          {j.error}
        </p>
      ) : null}
      <div class="row">
        {TERMINAL.has(j.state) ? null : (
          <Action
            label="Cancel job"
            testId="cancel"
            danger
            confirm={`Cancel job ${j.name}? Running batches are killed.`}
            onRun={async () => {
              await api.post(`${path}/cancel`);
              job.refresh();
            }}
          />
        )}
        {REPAIRABLE.has(j.state) ? (
          <Action
            label="Repair"
            testId="repair"
            confirm={`Start a new run of ${j.name} that re-runs its unfinished steps and their dependents?`}
            onRun={async () => {
              await api.post(`${path}/repair`, {});
              job.refresh();
            }}
          />
        ) : null}
        <span data-testid="cost">
          Cost share:{" "}
          {j.estimatedCost
            ? `${j.estimatedCost.amount.toFixed(2)} ${j.estimatedCost.currency} (${j.estimatedCost.nodeHours.toFixed(2)} node-hours; ${j.estimatedCost.basis})`
            : "not yet estimated"}
        </span>
      </div>
      <Section title="Step graph">
        <Chart
          testId="dag"
          label="Step dependency graph"
          height={Math.max(120, 70 * Math.max(1, j.steps.length / 2))}
          option={dagOption(j.steps.map((s) => ({ id: s.id, state: s.state, dependsOn: depends.get(s.id) ?? [] })))}
        />
      </Section>
      <Section title="Timeline">
        <Chart
          testId="gantt"
          label="Timeline of cluster phases and step attempts"
          height={60 + 40 * lanes.length}
          option={ganttOption(lanes, bars)}
        />
      </Section>
      <Section title="Steps and attempts">
        <table data-testid="steps">
          <thead>
            <tr>
              <th scope="col">step</th>
              <th scope="col">state</th>
              <th scope="col">attempt</th>
              <th scope="col">Livy batch</th>
              <th scope="col">YARN application</th>
              <th scope="col">started</th>
              <th scope="col">ended</th>
              <th scope="col">log</th>
            </tr>
          </thead>
          <tbody>
            {j.steps.flatMap((s) =>
              (s.attempts.length ? s.attempts : [undefined]).map((a) => (
                <tr key={`${s.id}-${a?.attempt ?? 0}`} data-step={s.id}>
                  <td>
                    {s.name}
                    {depends.get(s.id)?.length ? <div class="sub">after {depends.get(s.id)?.join(", ")}</div> : null}
                  </td>
                  <td>
                    <State state={s.state} />
                  </td>
                  <td>{a?.attempt ?? "—"}</td>
                  <td>{a?.batchId ?? "—"}</td>
                  <td>{a?.appId ?? "—"}</td>
                  <td>{time(a?.startedAt)}</td>
                  <td>
                    {time(a?.endedAt)}
                    {a?.error ? <div class="sub">{a.error}</div> : null}
                  </td>
                  <td>{a ? <LogViewer jobId={j.id} step={s} attempt={a} /> : "—"}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      </Section>
      <Section title="Edges">
        {j.edges.length === 0 ? (
          <p>No edge VMs.</p>
        ) : (
          <ul>
            {j.edges.map((e) => (
              <li key={e.vm}>
                {e.vm}: <State state={e.state} />
                {e.error ? ` — ${e.error}` : ""}
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title="Events">
        <ol data-testid="events">
          {(timeline.data?.events ?? []).map((e) => (
            <li key={`${e.time}${e.type}${e.subject}`}>
              <time>{time(e.time)}</time> {e.type} <code>{e.subject}</code>
            </li>
          ))}
        </ol>
      </Section>
    </>
  );
}
