// Jobs: the list (state filter = the API's state index; name and tag filters on the loaded page; paging with the
// API's continuation token) and the submit panel (paste or upload a job document or EMR steps file → validate →
// problems inline with JSON pointers, or the plan → submit).
import { useState } from "preact/hooks";
import { api, duration, time, usePoll } from "../api";
import { Action, Problems, Section, State } from "../components";
import { JOB_STATES, JOB_TERMINAL_STATES } from "../../../shared/states/job";

// The one job vocabulary (shared/states/job.ts, bundled by Vite): the filter offers exactly the API's states.
const STATES = JOB_STATES;
const TERMINAL: ReadonlySet<string> = new Set(JOB_TERMINAL_STATES);

interface JobRow {
  id: string;
  name: string;
  state: string;
  submittedAt: string;
  startedAt?: string;
  endedAt?: string;
  updatedAt?: string;
  cluster?: string;
  profile?: string;
  tags?: Record<string, string>;
  estimatedCost?: { amount: number; currency: string };
}

interface Plan {
  cluster: { name: string; naming: string; profile: { name: string; hash: string } };
  batches: { stepId: string; dependsOn: string[]; actionOnFailure: string; retries: number; warnings: string[] }[];
  edges: { commands: { vm: string }[] };
}

function SubmitPanel() {
  const [text, setText] = useState("");
  const [fileName, setFileName] = useState<string | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [plan, setPlan] = useState<Plan | undefined>(undefined);
  const nameQuery = fileName ? `?name=${encodeURIComponent(fileName.replace(/\.[^.]*$/, ""))}` : "";
  const validate = async (): Promise<void> => {
    setPlan(undefined);
    setError(undefined);
    try {
      setPlan((await api.post<{ plan: Plan }>(`/jobs/validate${nameQuery}`, text, true)).plan);
    } catch (e) {
      setError(e as Error);
    }
  };
  const submit = async (): Promise<void> => {
    const created = await api.post<{ id: string }>("/jobs", text, true);
    window.location.hash = `#/jobs/${encodeURIComponent(created.id)}`;
  };
  return (
    <Section title="Submit a job">
      <label for="job-document">Job document or EMR steps file (JSON)</label>
      <textarea
        id="job-document"
        rows={10}
        value={text}
        spellcheck={false}
        onInput={(e) => {
          setText((e.target as HTMLTextAreaElement).value);
          setPlan(undefined);
        }}
      />
      <div class="row">
        <label>
          Upload{" "}
          <input
            type="file"
            accept=".json,application/json"
            onChange={async (e) => {
              const file = (e.target as HTMLInputElement).files?.[0];
              if (file) {
                setFileName(file.name);
                setText(await file.text());
                setPlan(undefined);
              }
            }}
          />
        </label>
        <button type="button" onClick={() => void validate()} data-testid="validate">
          Validate and plan
        </button>
        <Action label="Submit" testId="submit" onRun={submit} />
      </div>
      <Problems error={error} />
      {plan ? (
        <div class="plan" data-testid="plan">
          <p>
            Valid. Cluster <code>{plan.cluster.name}</code> (profile {plan.cluster.profile.name}, hash {plan.cluster.profile.hash}):{" "}
            {plan.cluster.naming}.
          </p>
          <table>
            <caption>Livy batches (first attempt)</caption>
            <thead>
              <tr>
                <th scope="col">step</th>
                <th scope="col">after</th>
                <th scope="col">on failure</th>
                <th scope="col">retries</th>
                <th scope="col">warnings</th>
              </tr>
            </thead>
            <tbody>
              {plan.batches.map((b) => (
                <tr key={b.stepId}>
                  <td>{b.stepId}</td>
                  <td>{b.dependsOn.join(", ") || "—"}</td>
                  <td>{b.actionOnFailure}</td>
                  <td>{b.retries}</td>
                  <td>{b.warnings.join("; ") || "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>Edge VMs: {plan.edges.commands.map((c) => c.vm).join(", ") || "none"}</p>
        </div>
      ) : null}
    </Section>
  );
}

export function JobsPage() {
  const [state, setState] = useState("");
  const [name, setName] = useState("");
  const [tag, setTag] = useState("");
  const [tokens, setTokens] = useState<string[]>([]);
  const token = tokens[tokens.length - 1];
  const query = new URLSearchParams({ limit: "25", ...(state ? { state } : {}), ...(token ? { continuationToken: token } : {}) });
  const list = usePoll<{ jobs: JobRow[]; continuationToken?: string }>(`/jobs?${query}`, 2000);
  const [tagKey, tagValue] = tag.split("=");
  const rows = (list.data?.jobs ?? []).filter(
    (j) =>
      (!name || j.name.includes(name)) && (!tagKey || (tagValue === undefined ? tagKey in (j.tags ?? {}) : j.tags?.[tagKey] === tagValue)),
  );
  return (
    <>
      <h1>Jobs</h1>
      <SubmitPanel />
      <Section title="Jobs">
        <div class="row filters">
          <label>
            State{" "}
            <select
              value={state}
              onChange={(e) => {
                setState((e.target as HTMLSelectElement).value);
                setTokens([]);
              }}
            >
              <option value="">any</option>
              {STATES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label>
            Name contains <input value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          </label>
          <label>
            Tag (key or key=value) <input value={tag} onInput={(e) => setTag((e.target as HTMLInputElement).value)} />
          </label>
        </div>
        <Problems error={list.error} />
        <table data-testid="jobs">
          <thead>
            <tr>
              <th scope="col">job</th>
              <th scope="col">state</th>
              <th scope="col">profile</th>
              <th scope="col">submitted</th>
              <th scope="col">ended</th>
              <th scope="col">duration</th>
              <th scope="col">cost</th>
              <th scope="col">cluster</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((j) => (
              <tr key={j.id}>
                <td>
                  <a href={`#/jobs/${encodeURIComponent(j.id)}`}>{j.name}</a>
                  <div class="sub">{j.id}</div>
                </td>
                <td>
                  <State state={j.state} />
                </td>
                <td>{j.profile ?? "—"}</td>
                <td>{time(j.submittedAt)}</td>
                <td>{time(j.endedAt)}</td>
                <td>{duration(j.startedAt ?? j.submittedAt, TERMINAL.has(j.state) ? j.endedAt : j.updatedAt)}</td>
                <td>{j.estimatedCost ? `${j.estimatedCost.amount.toFixed(2)} ${j.estimatedCost.currency}` : "—"}</td>
                <td>{j.cluster ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && list.data ? <p>No jobs match.</p> : null}
        <div class="row">
          <button type="button" disabled={tokens.length === 0} onClick={() => setTokens(tokens.slice(0, -1))}>
            Previous page
          </button>
          <button
            type="button"
            disabled={!list.data?.continuationToken}
            onClick={() => list.data?.continuationToken && setTokens([...tokens, list.data.continuationToken])}
          >
            Next page
          </button>
        </div>
      </Section>
    </>
  );
}
