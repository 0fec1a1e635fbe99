// ECharts (tree-shaken: only the graph and custom series) for the job page: the step DAG and the Gantt of cluster
// phases and step attempts on one time axis. The charts draw on a canvas, so each page also renders the same
// facts as a table; ECharts' aria option adds a text description for screen readers.
import * as echarts from "echarts/core";
import { CustomChart, GraphChart } from "echarts/charts";
import { AriaComponent, DataZoomComponent, GridComponent, TooltipComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";
import type { CustomSeriesRenderItemAPI, CustomSeriesRenderItemParams, CustomSeriesRenderItemReturn } from "echarts/types/dist/shared";

echarts.use([GraphChart, CustomChart, GridComponent, TooltipComponent, DataZoomComponent, AriaComponent, CanvasRenderer]);

export { echarts };

export const STATE_COLOURS: Record<string, string> = {
  pending: "#9aa5b1",
  submitted: "#5b8def",
  running: "#2f6fde",
  retrying: "#e0a030",
  succeeded: "#2e9d5b",
  failed: "#d0443e",
  timedOut: "#b5482d",
  cancelled: "#7b7b7b",
  skipped: "#c4c4c4",
  provisioning: "#a58be0",
  held: "#5fb3b3",
  idle: "#d9c36a",
  deleting: "#c08a8a",
};

export interface DagStep {
  id: string;
  state: string;
  dependsOn: string[];
}

/** Layered layout: a step's column is 1 + the deepest of its dependencies. */
export function dagLayout(steps: DagStep[]): Map<string, { x: number; y: number }> {
  const depth = new Map<string, number>();
  const byId = new Map(steps.map((s) => [s.id, s]));
  const visit = (id: string, seen: Set<string>): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 0;
    seen.add(id);
    const deps = byId.get(id)?.dependsOn ?? [];
    const d = deps.length === 0 ? 0 : 1 + Math.max(...deps.map((x) => visit(x, seen)));
    depth.set(id, d);
    return d;
  };
  const rows = new Map<number, number>();
  const out = new Map<string, { x: number; y: number }>();
  for (const s of steps) {
    const d = visit(s.id, new Set());
    const row = rows.get(d) ?? 0;
    rows.set(d, row + 1);
    out.set(s.id, { x: d * 180, y: row * 70 });
  }
  return out;
}

export function dagOption(steps: DagStep[]): echarts.EChartsCoreOption {
  const pos = dagLayout(steps);
  return {
    aria: {
      enabled: true,
      label: {
        description: `Step graph: ${steps.map((s) => `${s.id} (${s.state})${s.dependsOn.length ? ` after ${s.dependsOn.join(", ")}` : ""}`).join("; ")}`,
      },
    },
    tooltip: {},
    series: [
      {
        type: "graph",
        layout: "none",
        roam: true,
        symbol: "rect",
        symbolSize: [140, 44],
        edgeSymbol: ["none", "arrow"],
        label: {
          show: true,
          formatter: (p: { data: { name: string; state: string } }) => `${p.data.name}\n${p.data.state}`,
          color: "#fff",
          fontSize: 12,
          lineHeight: 16,
        },
        data: steps.map((s) => ({ name: s.id, state: s.state, ...pos.get(s.id), itemStyle: { color: STATE_COLOURS[s.state] ?? "#888" } })),
        links: steps.flatMap((s) => s.dependsOn.map((d) => ({ source: d, target: s.id }))),
        lineStyle: { width: 2, color: "#667" },
      },
    ],
  };
}

export interface GanttBar {
  lane: string;
  label: string;
  state: string;
  startMs: number;
  endMs: number;
}

export function ganttOption(lanes: string[], bars: GanttBar[]): echarts.EChartsCoreOption {
  const renderItem = (_params: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI): CustomSeriesRenderItemReturn => {
    const lane = api.value(0) as number;
    const start = api.coord([api.value(1), lane]) as number[];
    const end = api.coord([api.value(2), lane]) as number[];
    const height = (api.size?.([0, 1]) as number[])[1] * 0.6;
    return {
      type: "rect",
      shape: {
        x: start[0] as number,
        y: (start[1] as number) - height / 2,
        width: Math.max(2, (end[0] as number) - (start[0] as number)),
        height,
      },
      style: api.style(),
    };
  };
  return {
    aria: {
      enabled: true,
      label: {
        description: `Timeline: ${bars.map((b) => `${b.lane} ${b.label} ${b.state} ${new Date(b.startMs).toISOString()} to ${new Date(b.endMs).toISOString()}`).join("; ")}`,
      },
    },
    tooltip: {
      formatter: (p: { data: { label: string; state: string; value: number[] } }) =>
        `${p.data.label}: ${p.data.state}<br>${new Date(p.data.value[1] as number).toISOString()} → ${new Date(p.data.value[2] as number).toISOString()}`,
    },
    grid: { left: 140, right: 20, top: 10, bottom: 50 },
    xAxis: { type: "time" },
    yAxis: { type: "category", data: lanes, inverse: true },
    dataZoom: [{ type: "slider", xAxisIndex: 0, height: 18, bottom: 8 }],
    series: [
      {
        type: "custom",
        renderItem,
        encode: { x: [1, 2], y: 0 },
        data: bars.map((b) => ({
          label: b.label,
          state: b.state,
          value: [lanes.indexOf(b.lane), b.startMs, b.endMs],
          itemStyle: { color: STATE_COLOURS[b.state] ?? "#888" },
        })),
      },
    ],
  };
}
