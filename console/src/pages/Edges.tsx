// Edges: each registered edge VM, the cluster it is attached to and its last sync; attach / switch / detach
// (an edge sync operation, followed until it is done).
import { useState } from "preact/hooks";
import { api, time, usePoll } from "../api";
import { Action, Problems, State } from "../components";

interface LastSync {
  at: string;
  mode: string;
  ok: boolean;
  clusterName: string | null;
  exitCode?: number;
  message?: string;
  outputTail?: string;
}
interface Edge {
  name: string;
  attachedTo: string | null;
  updatedAt: string | null;
  requestedBy: string | null;
  lastSync: LastSync | null;
}
interface Operation {
  id: string;
  runtimeStatus: string;
  progress: { phase?: string } | null;
  result: { ok?: boolean; output?: string; error?: string } | null;
}

function EdgeRow(props: { edge: Edge; clusters: string[]; onDone: () => void }) {
  const e = props.edge;
  const [target, setTarget] = useState("");
  const [opId, setOpId] = useState<string | undefined>(undefined);
  const op = usePoll<Operation>(opId ? `/edges/operations/${encodeURIComponent(opId)}` : undefined, 1500, (o) => {
    const running = o.runtimeStatus === "Running" || o.runtimeStatus === "Pending";
    if (!running) props.onDone();
    return running;
  });
  const start = async (path: string, body?: unknown): Promise<void> => {
    const started = await api.post<{ operationId: string }>(path, body);
    setOpId(started.operationId);
  };
  const choice = target || props.clusters.find((c) => c !== e.attachedTo) || "";
  const output = op.data?.result?.output ?? op.data?.result?.error;
  return (
    <tr data-edge={e.name}>
      <td>{e.name}</td>
      <td data-testid={`attached-${e.name}`}>{e.attachedTo ?? "detached"}</td>
      <td data-testid={`last-sync-${e.name}`}>
        {e.lastSync ? (
          <>
            {time(e.lastSync.at)} <State state={e.lastSync.ok ? "succeeded" : "failed"} />{" "}
            <span class="sub">
              {e.lastSync.mode}
              {e.lastSync.clusterName ? ` ${e.lastSync.clusterName}` : ""}
            </span>
            {e.lastSync.message ? <div class="sub">{e.lastSync.message}</div> : null}
            {e.lastSync.outputTail ? (
              <details>
                <summary>output</summary>
                <pre class="tail">{e.lastSync.outputTail}</pre>
              </details>
            ) : null}
          </>
        ) : (
          time(e.updatedAt)
        )}
        {e.requestedBy ? <div class="sub">by {e.requestedBy}</div> : null}
      </td>
      <td>
        {op.data ? (
          <>
            <State state={op.data.runtimeStatus} /> {op.data.progress?.phase ?? ""}
            {output ? <pre class="tail">{String(output).split("\n").slice(-5).join("\n")}</pre> : null}
          </>
        ) : (
          "—"
        )}
        <Problems error={op.error} />
      </td>
      <td>
        <label>
          Cluster{" "}
          <select value={choice} onChange={(ev) => setTarget((ev.target as HTMLSelectElement).value)} data-testid={`target-${e.name}`}>
            <option value="">—</option>
            {props.clusters.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <Action
          label={e.attachedTo ? "Switch" : "Attach"}
          testId={`attach-${e.name}`}
          onRun={() => start(`/edges/${encodeURIComponent(e.name)}/attach`, { cluster: choice })}
        />
        {e.attachedTo ? (
          <Action
            label="Detach"
            testId={`detach-${e.name}`}
            confirm={`Detach ${e.name} from ${e.attachedTo}?`}
            onRun={() => start(`/edges/${encodeURIComponent(e.name)}/detach`)}
          />
        ) : null}
      </td>
    </tr>
  );
}

export function EdgesPage() {
  const edges = usePoll<{ edges: Edge[] }>("/edges", 3000);
  const clusters = usePoll<{ clusters: { name: string; clusterState: string }[] }>("/clusters", 5000);
  const running = (clusters.data?.clusters ?? []).filter((c) => /running/i.test(c.clusterState)).map((c) => c.name);
  return (
    <>
      <h1>Edges</h1>
      <Problems error={edges.error} />
      <table data-testid="edges">
        <thead>
          <tr>
            <th scope="col">edge VM</th>
            <th scope="col">attached to</th>
            <th scope="col">last sync</th>
            <th scope="col">operation</th>
            <th scope="col">change</th>
          </tr>
        </thead>
        <tbody>
          {(edges.data?.edges ?? []).map((e) => (
            <EdgeRow key={e.name} edge={e} clusters={running} onDone={edges.refresh} />
          ))}
        </tbody>
      </table>
    </>
  );
}
