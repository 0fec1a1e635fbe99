// A schedule's warm-ups (clusters created or joined ahead of a fire time so its job starts at once): each one with
// its fire time, cluster, state (holding → used | wasted), the job that used it and what it cost. The rows come
// from GET /schedules/{id} (the same view `jobflow schedules show` prints); a wasted warm-up carries its reason.
import type { WarmupView } from "../../../shared/policies/workflowTypes";
import { time, usePoll } from "../api";
import { Problems, State } from "../components";

/** The warm-up settings shown in the schedules list (GET /schedules). */
export interface WarmupSettingsView {
  enabled: boolean;
  why: string;
  leadMinutes: number | null;
  nextWarmupAt: string | null;
}

/** The list's warm-up cell: off (and why), or on with the next warm-up time. */
export function WarmupCell(props: { warmup: WarmupSettingsView | undefined }) {
  const w = props.warmup;
  if (!w) return <span>–</span>;
  if (!w.enabled) return <span title={w.why}>off</span>;
  const lead = w.leadMinutes === null ? "observed lead" : `${w.leadMinutes} min lead`;
  return (
    <span title={w.why}>
      on ({lead}){w.nextWarmupAt ? `, next ${time(w.nextWarmupAt)}` : ""}
    </span>
  );
}

const money = (c: WarmupView["cost"]): string =>
  c ? `${c.amount.toFixed(2)} ${c.currency} · ${c.nodeMinutes.toFixed(1)} node-min${c.final ? "" : " so far"}` : "–";

/** The newest warm-ups of one schedule, as table rows (the caller owns the table). */
export function ScheduleWarmupRows(props: { scheduleId: string; limit?: number }) {
  const detail = usePoll<{ warmups?: WarmupView[] }>(`/schedules/${encodeURIComponent(props.scheduleId)}`, 5000);
  if (detail.error)
    return (
      <tr>
        <td colSpan={7}>
          <Problems error={detail.error} />
        </td>
      </tr>
    );
  return (
    <>
      {(detail.data?.warmups ?? []).slice(0, props.limit ?? 5).map((w) => (
        <tr key={`${props.scheduleId}-${w.fireAt}-${w.clusterName}`} data-schedule={props.scheduleId}>
          <td>{props.scheduleId}</td>
          <td>{time(w.fireAt)}</td>
          <td>
            {w.clusterName}
            {w.created ? "" : " (joined)"}
          </td>
          <td>
            <State state={w.state} />
          </td>
          <td>{time(w.readyAt)}</td>
          <td>{w.jobId ? <a href={`#/jobs/${encodeURIComponent(w.jobId)}`}>{w.jobId}</a> : (w.reason ?? "")}</td>
          <td title={w.cost?.basis ?? ""}>{money(w.cost)}</td>
        </tr>
      ))}
    </>
  );
}
