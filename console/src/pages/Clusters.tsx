// Clusters: live and recent clusters with lifecycle phase, holders, tags, expiry, idle time and cost so far; delete for
// Jobflow-managed ones (with confirmation); the reaper's recent decisions with their reasons.
import { api, time, usePoll } from "../api";
import { Action, Problems, Section, State } from "../components";

interface Cluster {
  name: string;
  managed: boolean;
  provisioningState: string;
  clusterState: string;
  createdDate?: string;
  tags: Record<string, string>;
  lifecycle: {
    phase?: string;
    holders?: { id?: string; kind?: string }[] | string[];
    idleSince?: string;
    expiresAt?: string;
    readyAt?: string;
  } | null;
  costSoFar?: { amount: number; currency: string; nodeHours: number };
}
interface Decision {
  clusterName: string;
  decidedAt: string;
  outcome: string;
  action?: string;
  reason?: string;
  reasons?: string[];
}

function holders(c: Cluster): string {
  const list = c.lifecycle?.holders ?? [];
  return list.length === 0 ? "none" : list.map((h) => (typeof h === "string" ? h : (h.id ?? JSON.stringify(h)))).join(", ");
}

export function ClustersPage() {
  const clusters = usePoll<{ clusters: Cluster[] }>("/clusters", 3000);
  const decisions = usePoll<{ decisions: Decision[] }>("/reaper/decisions?limit=20", 10000);
  return (
    <>
      <h1>Clusters</h1>
      <Problems error={clusters.error} />
      <table data-testid="clusters">
        <thead>
          <tr>
            <th scope="col">cluster</th>
            <th scope="col">phase</th>
            <th scope="col">Azure state</th>
            <th scope="col">holders</th>
            <th scope="col">idle since</th>
            <th scope="col">expires</th>
            <th scope="col">cost so far</th>
            <th scope="col">tags</th>
            <th scope="col">
              <span class="sr-only">actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(clusters.data?.clusters ?? []).map((c) => (
            <tr key={c.name} data-cluster={c.name}>
              <td>
                {c.name}
                <div class="sub">created {time(c.createdDate)}</div>
              </td>
              <td>
                <State state={c.lifecycle?.phase ?? (c.managed ? "unknown" : "unmanaged")} />
              </td>
              <td>
                {c.provisioningState} / {c.clusterState}
              </td>
              <td>{holders(c)}</td>
              <td>{time(c.lifecycle?.idleSince)}</td>
              <td>{time(c.lifecycle?.expiresAt ?? c.tags["jobflow-expires-at"])}</td>
              <td data-testid={`cost-${c.name}`}>
                {c.costSoFar ? `${c.costSoFar.amount.toFixed(2)} ${c.costSoFar.currency}` : "—"}
                {c.costSoFar ? <div class="sub">{c.costSoFar.nodeHours.toFixed(2)} node-hours</div> : null}
              </td>
              <td class="tags">
                {Object.entries(c.tags).map(([k, v]) => (
                  <code key={k}>
                    {k}={v}
                  </code>
                ))}
              </td>
              <td>
                {c.managed ? (
                  <Action
                    label="Delete"
                    danger
                    testId={`delete-${c.name}`}
                    confirm={`Delete cluster ${c.name}? Its holders are told and its edges detached first.`}
                    onRun={async () => {
                      await api.del(`/clusters/${encodeURIComponent(c.name)}`);
                      clusters.refresh();
                    }}
                  />
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {clusters.data && clusters.data.clusters.length === 0 ? <p>No clusters: nothing is running, nothing is billed.</p> : null}
      <Section title="Reaper decisions">
        <Problems error={decisions.error} />
        <table data-testid="reaper">
          <thead>
            <tr>
              <th scope="col">when</th>
              <th scope="col">cluster</th>
              <th scope="col">outcome</th>
              <th scope="col">why</th>
            </tr>
          </thead>
          <tbody>
            {(decisions.data?.decisions ?? []).map((d) => (
              <tr key={`${d.decidedAt}${d.clusterName}`}>
                <td>{time(d.decidedAt)}</td>
                <td>{d.clusterName}</td>
                <td>{d.outcome}</td>
                <td>{d.reasons?.join("; ") ?? d.reason ?? d.action ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
    </>
  );
}
