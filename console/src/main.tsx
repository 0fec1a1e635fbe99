// The console's shell: session check, navigation and hash routes (#/jobs, #/jobs/<id>, #/clusters, #/edges,
// #/schedules). Hash routes keep every page under the one served index.html, in Azure as locally.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { loadSession, type Session } from "./api";
import { Problems } from "./components";
import { ClustersPage } from "./pages/Clusters";
import { EdgesPage } from "./pages/Edges";
import { JobPage } from "./pages/Job";
import { JobsPage } from "./pages/Jobs";
import { SchedulesPage } from "./pages/Schedules";
import "./style.css";

const PAGES = [
  { hash: "#/jobs", label: "Jobs" },
  { hash: "#/clusters", label: "Clusters" },
  { hash: "#/edges", label: "Edges" },
  { hash: "#/schedules", label: "Schedules and leases" },
];

function useHash(): string {
  const [hash, setHash] = useState(window.location.hash || "#/jobs");
  useEffect(() => {
    const on = (): void => setHash(window.location.hash || "#/jobs");
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return hash;
}

function Page(props: { hash: string }) {
  const job = /^#\/jobs\/([^/]+)$/.exec(props.hash);
  if (job) return <JobPage id={decodeURIComponent(job[1] as string)} />;
  if (props.hash.startsWith("#/clusters")) return <ClustersPage />;
  if (props.hash.startsWith("#/edges")) return <EdgesPage />;
  if (props.hash.startsWith("#/schedules")) return <SchedulesPage />;
  return <JobsPage />;
}

function App() {
  const [session, setSession] = useState<Session | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const hash = useHash();
  useEffect(() => {
    loadSession().then(setSession, setError);
  }, []);
  if (error)
    return (
      <main>
        <h1>Jobflow</h1>
        <Problems error={error} />
      </main>
    );
  if (!session)
    return (
      <main aria-busy="true">
        <p>Signing in…</p>
      </main>
    );
  return (
    <>
      <header>
        <span class="brand">Jobflow</span>
        <nav aria-label="Console pages">
          {PAGES.map((p) => (
            <a key={p.hash} href={p.hash} aria-current={hash.startsWith(p.hash) ? "page" : undefined}>
              {p.label}
            </a>
          ))}
        </nav>
        <span class="who" data-testid="session">
          {session.user} · {session.role}
        </span>
      </header>
      <main>
        <Page hash={hash} />
      </main>
    </>
  );
}

render(<App />, document.getElementById("app") as HTMLElement);
