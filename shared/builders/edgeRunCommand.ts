// Builds the VM Run Command v2 request (reference/azure-apis.md §4) that runs the edge sync script on one edge VM.
// Values travel only as named parameters (environment variables); the bundle SAS URL is a protected parameter
// (not echoed by the instance view). The script itself is constant text and validates every value again.

import { JobflowError, type Problem } from "../errors";
import { EDGE_ENV_PARAMETER_PREFIX, EDGE_RESULT_PREFIX, EDGE_SYNC_SCRIPT } from "./edgeSyncScript";
import { shortHash } from "./sha256";

export type EdgeAction = "attach" | "detach" | "switch";

export interface EdgeAttachTarget {
  clusterName: string;
  /** Full HDInsight cluster version as reported by ARM (e.g. "5.1.3000.0"); recorded in the marker file. */
  clusterVersion: string;
  /** IP of the active head node: the `headnodehost` line of /etc/hosts. */
  headnodeIp: string;
  /** More /etc/hosts lines inside the managed block (head, worker and zookeeper node FQDNs). */
  hosts?: { ip: string; names: string[] }[];
  /** SAS URL of the cluster's client-config tar.gz (layout: <service>/<files>). A secret: protected parameter. */
  bundleSasUrl: string;
  /** HDInsight/HDP apt repository of the cluster version (optional: skipped when the VM has it already). */
  apt?: { repoUrl: string; suite: string; components: string[]; armoredKey: string };
  /** Client packages pinned to the cluster's version. */
  packages?: { name: string; version: string }[];
  /** Variables written to /etc/profile.d/jobflow.sh (values are stored verbatim, single-quoted). */
  env?: Record<string, string>;
}

export interface BuildEdgeRunCommandOptions {
  action: EdgeAction;
  vmName: string;
  /** Required for attach and switch. */
  target?: EdgeAttachTarget;
  /** ISO time of the request: recorded in the marker (reruns write identical files) and part of the command name. */
  requestedAt: string;
  timeoutInSeconds?: number;
  /** Root prefix for every path the script touches (local sandbox only; production leaves it unset = "/"). */
  rootPrefix?: string;
}

export interface RunCommandParameter {
  name: string;
  value: string;
}

export interface EdgeRunCommand {
  /** Unique per (vm, action, cluster, requestedAt): a PUT with the same name may not re-run on Azure. */
  runCommandName: string;
  script: string;
  parameters: RunCommandParameter[];
  protectedParameters: RunCommandParameter[];
  timeoutInSeconds: number;
}

export const EDGE_DEFAULT_TIMEOUT_IN_SECONDS = 1800;
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
/** Mirrors DENIED_ENV_KEYS of the script: variables that would change how shells or the loader behave. */
export const EDGE_DENIED_ENV_KEYS = [
  "PATH",
  "LD_PRELOAD",
  "LD_LIBRARY_PATH",
  "LD_AUDIT",
  "BASH_ENV",
  "ENV",
  "IFS",
  "PS4",
  "SHELLOPTS",
  "BASHOPTS",
  "PROMPT_COMMAND",
  "HOME",
  "USER",
  "SHELL",
];

function targetProblems(target: EdgeAttachTarget): Problem[] {
  const problems: Problem[] = [];
  for (const key of Object.keys(target.env ?? {})) {
    if (!ENV_KEY.test(key)) problems.push({ pointer: `/env/${key}`, message: "must be a shell variable name" });
    else if (EDGE_DENIED_ENV_KEYS.includes(key)) problems.push({ pointer: `/env/${key}`, message: "may not be set on an edge VM" });
  }
  for (const [i, h] of (target.hosts ?? []).entries()) {
    if (h.names.length === 0) problems.push({ pointer: `/hosts/${i}/names`, message: "at least one host name" });
  }
  if (target.bundleSasUrl === "") problems.push({ pointer: "/bundleSasUrl", message: "empty" });
  return problems;
}

/** The Run Command v2 request for one edge VM. Throws ValidationError for structurally bad input. */
export function buildEdgeRunCommand(options: BuildEdgeRunCommandOptions): EdgeRunCommand {
  const { action, target } = options;
  const problems: Problem[] = [];
  if (action !== "detach" && target === undefined) problems.push({ pointer: "/target", message: `${action} needs a target cluster` });
  if (target !== undefined && action !== "detach") problems.push(...targetProblems(target));
  if (options.vmName === "") problems.push({ pointer: "/vmName", message: "empty" });
  if (problems.length > 0) throw new JobflowError("ValidationError", `invalid edge ${action} request`, { problems });

  const parameters: RunCommandParameter[] = [{ name: "JF_ACTION", value: action }];
  const protectedParameters: RunCommandParameter[] = [];
  if (options.rootPrefix !== undefined) parameters.push({ name: "JF_ROOT", value: options.rootPrefix });
  if (target !== undefined && action !== "detach") {
    parameters.push(
      { name: "JF_CLUSTER_NAME", value: target.clusterName },
      { name: "JF_CLUSTER_VERSION", value: target.clusterVersion },
      { name: "JF_ATTACHED_AT", value: options.requestedAt },
      { name: "JF_HEADNODE_IP", value: target.headnodeIp },
    );
    if ((target.hosts ?? []).length > 0) {
      parameters.push({ name: "JF_HOSTS", value: (target.hosts ?? []).map((h) => [h.ip, ...h.names].join(" ")).join("\n") });
    }
    if (target.apt) {
      parameters.push(
        { name: "JF_APT_REPO_URL", value: target.apt.repoUrl },
        { name: "JF_APT_SUITE", value: target.apt.suite },
        { name: "JF_APT_COMPONENTS", value: target.apt.components.join(" ") },
        { name: "JF_APT_KEY", value: target.apt.armoredKey },
      );
    }
    if ((target.packages ?? []).length > 0) {
      parameters.push({ name: "JF_PACKAGES", value: (target.packages ?? []).map((p) => `${p.name}=${p.version}`).join(" ") });
    }
    for (const key of Object.keys(target.env ?? {}).sort()) {
      parameters.push({ name: `${EDGE_ENV_PARAMETER_PREFIX}${key}`, value: (target.env ?? {})[key] });
    }
    protectedParameters.push({ name: "JF_BUNDLE_URL", value: target.bundleSasUrl });
  }
  const cluster = action === "detach" ? "" : (target?.clusterName ?? "");
  const runCommandName = `jobflow-${action}-${shortHash(`${options.vmName}|${action}|${cluster}|${options.requestedAt}`, 12)}`;
  return {
    runCommandName,
    script: EDGE_SYNC_SCRIPT,
    parameters,
    protectedParameters,
    timeoutInSeconds: options.timeoutInSeconds ?? EDGE_DEFAULT_TIMEOUT_IN_SECONDS,
  };
}

/** A copy whose protected parameter values are references (plan output, logs, orchestration history). */
export function redactEdgeRunCommand(command: EdgeRunCommand): Omit<EdgeRunCommand, "protectedParameters"> & {
  protectedParameters: { name: string; value: { secretRef: string } }[];
} {
  return {
    ...command,
    parameters: command.parameters.map((p) => ({ ...p })),
    protectedParameters: command.protectedParameters.map((p) => ({
      name: p.name,
      value: { secretRef: p.name.replace(/^JF_/, "").toLowerCase().replace(/_/g, "-") },
    })),
  };
}

/** What the script reports on its last stdout line. */
export interface EdgeSyncResult {
  ok: boolean;
  action: EdgeAction | "invalid";
  /** "ok" or the failure class: bad-parameter, apt, bundle-download, bundle-invalid, attached-elsewhere, … */
  code: string;
  cluster: string | null;
  version: string | null;
  changed: boolean;
  message: string;
}

/** Parses the last JOBFLOW_EDGE_RESULT line of a (possibly truncated) stdout tail; undefined when absent. */
export function parseEdgeSyncResult(stdout: string): EdgeSyncResult | undefined {
  const lines = stdout.split(/\r?\n/).filter((l) => l.startsWith(EDGE_RESULT_PREFIX));
  const last = lines[lines.length - 1];
  if (last === undefined) return undefined;
  try {
    const parsed = JSON.parse(last.slice(EDGE_RESULT_PREFIX.length)) as EdgeSyncResult;
    return typeof parsed.ok === "boolean" && typeof parsed.code === "string" ? parsed : undefined;
  } catch {
    return undefined;
  }
}
