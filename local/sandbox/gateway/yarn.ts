// YARN ResourceManager REST (/yarnui/ws/v1/cluster/...) derived from the cluster's Livy batches (a running batch
// is a RUNNING SPARK app; YARN remembers apps after Livy forgets the batch) plus apps injected via the control
// endpoint (work started outside Livy), so idleness detection can be tested. Shapes follow Hadoop's RM REST docs.
import type { ServerResponse } from "node:http";
import { applicationId, batchStatusAt } from "./batchModel";
import { retainMs, type GatewayContext } from "./context";
import { intParam, sendJson } from "./httpUtil";
import type { ClusterGatewayState, YarnFinalStatus } from "./state";

export type YarnAppState = "ACCEPTED" | "RUNNING" | "FINISHED" | "FAILED" | "KILLED";
const allStates = ["NEW", "NEW_SAVING", "SUBMITTED", "ACCEPTED", "RUNNING", "FINISHED", "FAILED", "KILLED"];

export interface YarnApp {
  id: string;
  user: string;
  name: string;
  queue: string;
  state: YarnAppState;
  finalStatus: YarnFinalStatus | "UNDEFINED";
  progress: number;
  applicationType: string;
  startedTime: number;
  finishedTime: number;
  elapsedTime: number;
  runningContainers: number;
  allocatedMB: number;
  allocatedVCores: number;
  diagnostics: string;
  trackingUI: string;
  clusterId: number;
}

const containersPerRunningApp = 3; // AM + 2 executors
const mbPerContainer = 4096;
const mbPerNode = 25_600;
const vcoresPerNode = 8;

/** Every app the RM knows for the cluster at `nowMs`, ordered by id. */
export function yarnApps(ctx: GatewayContext, cluster: ClusterGatewayState, nowMs: number): YarnApp[] {
  const apps: YarnApp[] = [];
  const base = (seq: number, startedAtMs: number): Pick<YarnApp, "id" | "startedTime" | "clusterId"> => ({
    id: applicationId(cluster.yarnEpochMs, seq),
    startedTime: startedAtMs,
    clusterId: cluster.yarnEpochMs,
  });
  for (const batch of cluster.batches) {
    const status = batchStatusAt(batch, nowMs, retainMs(ctx));
    if (status.appStartedAtMs === undefined) continue; // killed before spark-submit reached YARN
    const state: YarnAppState =
      status.state === "running" ? "RUNNING" : status.state === "success" ? "FINISHED" : status.state === "dead" ? "FAILED" : "KILLED";
    apps.push(
      describe({
        ...base(batch.appSeq, status.appStartedAtMs),
        user: batch.request.proxyUser ?? batch.owner,
        name: batch.request.name ?? batch.request.file.split("/").pop() ?? batch.request.file,
        queue: batch.request.queue ?? "default",
        applicationType: "SPARK",
        state,
        finishedAtMs: status.finishedAtMs,
        nowMs,
      }),
    );
  }
  for (const app of cluster.injectedApps) {
    const plannedDone = app.plannedEndMs !== undefined && nowMs >= app.plannedEndMs;
    const finishedAtMs = app.finishedAtMs ?? (plannedDone ? app.plannedEndMs : undefined);
    const finalStatus = app.finalStatus ?? "SUCCEEDED";
    const state: YarnAppState =
      finishedAtMs === undefined
        ? app.initialState
        : finalStatus === "SUCCEEDED"
          ? "FINISHED"
          : finalStatus === "FAILED"
            ? "FAILED"
            : "KILLED";
    apps.push(
      describe({
        ...base(app.seq, app.startedAtMs),
        user: app.user,
        name: app.name,
        queue: app.queue,
        applicationType: app.applicationType,
        state,
        finishedAtMs,
        nowMs,
      }),
    );
  }
  return apps.sort((a, b) => a.id.localeCompare(b.id));
}

interface DescribeInput extends Pick<
  YarnApp,
  "id" | "startedTime" | "clusterId" | "user" | "name" | "queue" | "applicationType" | "state"
> {
  finishedAtMs: number | undefined;
  nowMs: number;
}

function describe(i: DescribeInput): YarnApp {
  const running = i.state === "RUNNING";
  const finished = i.finishedAtMs !== undefined;
  const finalStatus: YarnApp["finalStatus"] =
    i.state === "FINISHED" ? "SUCCEEDED" : i.state === "FAILED" ? "FAILED" : i.state === "KILLED" ? "KILLED" : "UNDEFINED";
  return {
    id: i.id,
    user: i.user,
    name: i.name,
    queue: i.queue,
    state: i.state,
    finalStatus,
    progress: finished ? 100 : running ? 10 : 0,
    applicationType: i.applicationType,
    startedTime: i.startedTime,
    finishedTime: i.finishedAtMs ?? 0,
    elapsedTime: Math.max(0, (i.finishedAtMs ?? i.nowMs) - i.startedTime),
    runningContainers: running ? containersPerRunningApp : 0,
    allocatedMB: running ? containersPerRunningApp * mbPerContainer : -1,
    allocatedVCores: running ? containersPerRunningApp : -1,
    diagnostics: i.state === "FAILED" ? "User application exited with status 1" : i.state === "KILLED" ? "Application killed by user." : "",
    trackingUI: finished ? "History" : "ApplicationMaster",
    clusterId: i.clusterId,
  };
}

function remoteException(res: ServerResponse, status: number, exception: string, message: string): void {
  sendJson(res, status, {
    RemoteException: { exception, message, javaClassName: `org.apache.hadoop.yarn.webapp.${exception}` },
  });
}

/** Serves GET /yarnui/ws/v1/cluster/{apps[/id]|metrics|info}; `rest` = segments after /cluster. */
export function handleYarn(
  ctx: GatewayContext,
  res: ServerResponse,
  cluster: ClusterGatewayState,
  rest: string[],
  query: URLSearchParams,
): void {
  const now = ctx.clock.nowMs();
  const [what, appId, ...extra] = rest;
  if (extra.length > 0) return remoteException(res, 404, "NotFoundException", "java.lang.Exception: Not Found");
  if (what === "apps" && appId !== undefined) {
    const app = yarnApps(ctx, cluster, now).find((a) => a.id === appId);
    if (!app) return remoteException(res, 404, "NotFoundException", `java.lang.Exception: app with id: ${appId} not found`);
    return sendJson(res, 200, { app });
  }
  if (what === "apps") return listApps(ctx, res, cluster, query, now);
  if (what === "metrics") return sendJson(res, 200, { clusterMetrics: metrics(ctx, cluster, now) });
  if (what === "info" || what === undefined) {
    return sendJson(res, 200, {
      clusterInfo: {
        id: cluster.yarnEpochMs,
        startedOn: cluster.yarnEpochMs,
        state: "STARTED",
        haState: "ACTIVE",
        resourceManagerVersion: "3.3.4",
        hadoopVersion: "3.3.4",
      },
    });
  }
  return remoteException(res, 404, "NotFoundException", "java.lang.Exception: Not Found");
}

function listApps(ctx: GatewayContext, res: ServerResponse, cluster: ClusterGatewayState, query: URLSearchParams, now: number): void {
  const csv = (name: string): string[] | undefined => {
    const all = query
      .getAll(name)
      .flatMap((v) => v.split(","))
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
    return all.length > 0 ? all : undefined;
  };
  const states = csv("states")?.map((s) => s.toUpperCase());
  const bad = states?.find((s) => !allStates.includes(s));
  if (bad) {
    return remoteException(
      res,
      400,
      "BadRequestException",
      `java.lang.IllegalArgumentException: Invalid application-state ${bad} specified. It should be one of ${allStates.join(", ")}`,
    );
  }
  const types = csv("applicationTypes")?.map((s) => s.toUpperCase());
  const nums: Record<string, number | undefined> = {};
  for (const n of ["startedTimeBegin", "startedTimeEnd", "finishedTimeBegin", "finishedTimeEnd", "limit"]) {
    nums[n] = intParam(query, n);
    if (Number.isNaN(nums[n])) return remoteException(res, 400, "BadRequestException", `java.lang.Exception: ${n} must be a number`);
  }
  let apps = yarnApps(ctx, cluster, now).filter(
    (a) =>
      (!states || states.includes(a.state)) &&
      (!types || types.includes(a.applicationType.toUpperCase())) &&
      (query.get("user") === null || query.get("user") === a.user) &&
      (query.get("queue") === null || query.get("queue") === a.queue) &&
      a.startedTime >= (nums.startedTimeBegin ?? 0) &&
      a.startedTime <= (nums.startedTimeEnd ?? Number.MAX_SAFE_INTEGER) &&
      (nums.finishedTimeBegin === undefined || (a.finishedTime > 0 && a.finishedTime >= nums.finishedTimeBegin)) &&
      (nums.finishedTimeEnd === undefined || (a.finishedTime > 0 && a.finishedTime <= nums.finishedTimeEnd)),
  );
  if (nums.limit !== undefined && nums.limit > 0) apps = apps.slice(0, nums.limit);
  // The RM answers {"apps":null} rather than an empty list when nothing matches.
  sendJson(res, 200, { apps: apps.length === 0 ? null : { app: apps } });
}

/** The RM's clusterMetrics for the cluster at `now`. */
export function metrics(ctx: GatewayContext, cluster: ClusterGatewayState, now: number): Record<string, number> {
  const apps = yarnApps(ctx, cluster, now);
  const count = (s: YarnAppState): number => apps.filter((a) => a.state === s).length;
  const nodes = ctx.state.scenario.activeNodes;
  const allocatedMB = apps.reduce((sum, a) => sum + Math.max(0, a.allocatedMB), 0);
  const allocatedVirtualCores = apps.reduce((sum, a) => sum + Math.max(0, a.allocatedVCores), 0);
  const containersAllocated = apps.reduce((sum, a) => sum + a.runningContainers, 0);
  return {
    appsSubmitted: apps.length,
    appsCompleted: count("FINISHED"),
    appsPending: count("ACCEPTED"),
    appsRunning: count("RUNNING"),
    appsFailed: count("FAILED"),
    appsKilled: count("KILLED"),
    reservedMB: 0,
    availableMB: Math.max(0, nodes * mbPerNode - allocatedMB),
    allocatedMB,
    totalMB: nodes * mbPerNode,
    reservedVirtualCores: 0,
    availableVirtualCores: Math.max(0, nodes * vcoresPerNode - allocatedVirtualCores),
    allocatedVirtualCores,
    totalVirtualCores: nodes * vcoresPerNode,
    containersAllocated,
    containersReserved: 0,
    containersPending: count("ACCEPTED"),
    totalNodes: nodes,
    activeNodes: nodes,
    lostNodes: 0,
    unhealthyNodes: 0,
    decommissioningNodes: 0,
    decommissionedNodes: 0,
    rebootedNodes: 0,
    shutdownNodes: 0,
  };
}
