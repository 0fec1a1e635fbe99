// Schedules and leases: next fire times, warm-ups (on/off, the next one, and each schedule's latest with state and
// cost), pause/resume; active compute leases and their expiry (leases are renewed and released by their callers
// with signed requests, so the console only shows them).
import { api, time, usePoll } from "../api";
import { Action, Problems, Section, State } from "../components";
import { ScheduleWarmupRows, WarmupCell, type WarmupSettingsView } from "./Warmups";

interface Schedule {
  id: string;
  cron: string;
  timezone?: string;
  state: string;
  jobName: string;
  nextRunAt: string | null;
  warmup?: WarmupSettingsView;
  runs: { jobId?: string; at?: string }[];
}
interface Lease {
  leaseId: string;
  caller: string;
  state: string;
  clusterName: string;
  requestedAt: string;
  expiresAt: string;
  hardCapAt: string;
  renewals: number;
}

export function SchedulesPage() {
  const schedules = usePoll<{ schedules: Schedule[] }>("/schedules", 5000);
  const leases = usePoll<{ leases: Lease[] }>("/compute-requests", 5000);
  return (
    <>
      <h1>Schedules and leases</h1>
      <Section title="Schedules">
        <Problems error={schedules.error} />
        <table data-testid="schedules">
          <thead>
            <tr>
              <th scope="col">schedule</th>
              <th scope="col">job</th>
              <th scope="col">cron</th>
              <th scope="col">state</th>
              <th scope="col">next run</th>
              <th scope="col">warm-up</th>
              <th scope="col">last runs</th>
              <th scope="col">
                <span class="sr-only">actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(schedules.data?.schedules ?? []).map((s) => (
              <tr key={s.id}>
                <td>{s.id}</td>
                <td>{s.jobName}</td>
                <td>
                  <code>{s.cron}</code> {s.timezone ?? ""}
                </td>
                <td>
                  <State state={s.state} />
                </td>
                <td>{time(s.nextRunAt)}</td>
                <td>
                  <WarmupCell warmup={s.warmup} />
                </td>
                <td>
                  {s.runs.slice(0, 3).map((r) =>
                    r.jobId ? (
                      <a key={r.jobId} href={`#/jobs/${encodeURIComponent(r.jobId)}`}>
                        {r.jobId}{" "}
                      </a>
                    ) : null,
                  )}
                </td>
                <td>
                  {s.state === "paused" ? (
                    <Action
                      label="Resume"
                      onRun={async () => {
                        await api.post(`/schedules/${encodeURIComponent(s.id)}/resume`);
                        schedules.refresh();
                      }}
                    />
                  ) : (
                    <Action
                      label="Pause"
                      onRun={async () => {
                        await api.post(`/schedules/${encodeURIComponent(s.id)}/pause`);
                        schedules.refresh();
                      }}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {schedules.data?.schedules.length === 0 ? <p>No schedules.</p> : null}
      </Section>
      <Section title="Warm-ups">
        <table data-testid="warmups">
          <thead>
            <tr>
              <th scope="col">schedule</th>
              <th scope="col">fire time</th>
              <th scope="col">cluster</th>
              <th scope="col">state</th>
              <th scope="col">ready</th>
              <th scope="col">job or reason</th>
              <th scope="col">cost</th>
            </tr>
          </thead>
          <tbody>
            {(schedules.data?.schedules ?? []).map((s) => (
              <ScheduleWarmupRows key={s.id} scheduleId={s.id} />
            ))}
          </tbody>
        </table>
      </Section>
      <Section title="Compute leases">
        <Problems error={leases.error} />
        <table data-testid="leases">
          <thead>
            <tr>
              <th scope="col">lease</th>
              <th scope="col">caller</th>
              <th scope="col">state</th>
              <th scope="col">cluster</th>
              <th scope="col">expires</th>
              <th scope="col">hard cap</th>
              <th scope="col">renewals</th>
            </tr>
          </thead>
          <tbody>
            {(leases.data?.leases ?? []).map((l) => (
              <tr key={l.leaseId}>
                <td>{l.leaseId}</td>
                <td>{l.caller}</td>
                <td>
                  <State state={l.state} />
                </td>
                <td>{l.clusterName}</td>
                <td>{time(l.expiresAt)}</td>
                <td>{time(l.hardCapAt)}</td>
                <td>{l.renewals}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {leases.data?.leases.length === 0 ? <p>No leases.</p> : null}
      </Section>
    </>
  );
}
