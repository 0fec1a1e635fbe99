// Small shared pieces: an ECharts host element, state badges, problem lists, confirmation buttons.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, currentSession } from "./api";
import { echarts } from "./charts";

export function Chart(props: { option: echarts.EChartsCoreOption; height: number; label: string; testId: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | undefined>(undefined);
  useEffect(() => {
    if (!ref.current) return undefined;
    chart.current = echarts.init(ref.current);
    const resize = (): void => chart.current?.resize();
    window.addEventListener("resize", resize);
    return () => {
      window.removeEventListener("resize", resize);
      chart.current?.dispose();
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(props.option, { notMerge: true });
  }, [JSON.stringify(props.option, (_k, v: unknown) => (typeof v === "function" ? undefined : v))]);
  return (
    <div ref={ref} role="img" aria-label={props.label} data-testid={props.testId} style={{ height: `${props.height}px`, width: "100%" }} />
  );
}

export function State(props: { state: string | null | undefined }) {
  const s = props.state ?? "unknown";
  return (
    <span class={`state state-${s}`} data-state={s}>
      {s}
    </span>
  );
}

export function Problems(props: { error: Error | undefined }) {
  if (!props.error) return null;
  const e = props.error;
  if (!(e instanceof ApiError))
    return (
      <div role="alert" class="error">
        {e.message}
      </div>
    );
  return (
    <div role="alert" class="error" data-testid="problems">
      <strong>{e.title}</strong>
      {e.detail ? <span> — {e.detail}</span> : null}
      {e.problems.length > 0 ? (
        <ul>
          {e.problems.map((p) => (
            <li key={`${p.pointer}:${p.message}`}>
              <code class="pointer">{p.pointer === "" ? "/" : p.pointer}</code> {p.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function isOperator(): boolean {
  return currentSession()?.role === "operator";
}

/** An operator action; readers see it disabled with the reason (the server refuses them anyway). */
export function Action(props: {
  label: string;
  onRun: () => Promise<unknown>;
  confirm?: string;
  danger?: boolean;
  testId?: string;
  children?: ComponentChildren;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>(undefined);
  const allowed = isOperator();
  const run = async (): Promise<void> => {
    if (props.confirm && !window.confirm(props.confirm)) return;
    setBusy(true);
    setError(undefined);
    try {
      await props.onRun();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <span class="action">
      <button
        type="button"
        class={props.danger ? "danger" : ""}
        disabled={busy || !allowed}
        title={allowed ? undefined : "needs the operator role"}
        data-testid={props.testId}
        onClick={() => void run()}
      >
        {busy ? "…" : props.label}
      </button>
      <Problems error={error} />
    </span>
  );
}

export function Section(props: { title: string; children: ComponentChildren }) {
  return (
    <section aria-label={props.title}>
      <h2>{props.title}</h2>
      {props.children}
    </section>
  );
}
