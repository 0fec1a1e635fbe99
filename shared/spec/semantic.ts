// Rules of a job document that a JSON Schema cannot express. Each check reads the raw document defensively (it
// runs even when the schema found problems, so the user sees everything at once) and never throws.
import type { Problem } from "../errors";
import type { ProfileOverrides } from "../model/job";
import { applyOverrides } from "../profiles/overrides";
import { findProfile, type ProfileCatalog } from "../profiles/catalog";
import { s3aJobProblems } from "../s3a/jobRules";
import { AZURE_TAG_LIMITS, SYSTEM_TAGS } from "../builders/clusterRequest";
import { overridesSchema } from "../profiles/schema";
import { compileSchema, joinPointer } from "./ajv";
import { concurrentPeers, findCycles, type StepNode } from "./graph";
import { bucketOf, toS3a } from "./uris";
import { DEFAULT_OUTBOUND_POLICY, type OutboundPolicy } from "../security/outboundUrl";
import { secretScope, type SecretScope } from "../security/secretScope";
import { credentialConfProblems, notifyWebhookProblems, secretScopeProblems } from "./secretRules";

export interface SemanticOptions {
  profiles: ProfileCatalog;
  /** Registered edge VM names; when given, `edges` must name only these. */
  knownEdges?: readonly string[];
  /** Whether s3a:// paths need a data.s3a section (true for Jobflow documents; EMR files have none). */
  requireS3aSection: boolean;
  /** Secrets a job may reference (default: the default prefixes, the catalog's platform secrets refused). */
  secretScope?: SecretScope;
  /** Where notify.webhook may point (default: public https only). */
  outbound?: OutboundPolicy;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const own = (o: Obj, k: string): unknown => (Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

/** A step's id and dependsOn when they have the right types (else undefined: the schema reports it). */
function stepNodes(steps: unknown[]): (StepNode | undefined)[] {
  return steps.map((s) =>
    isObj(s) && typeof own(s, "id") === "string" ? { id: own(s, "id") as string, dependsOn: strings(own(s, "dependsOn")) } : undefined,
  );
}

export function semanticProblems(doc: unknown, options: SemanticOptions): Problem[] {
  if (!isObj(doc)) return [];
  const problems: Problem[] = [];
  const steps = Array.isArray(own(doc, "steps")) ? (own(doc, "steps") as unknown[]) : [];
  const nodes = stepNodes(steps);
  const firstIndex = new Map<string, number>();
  nodes.forEach((n, i) => {
    if (!n) return;
    const first = firstIndex.get(n.id);
    if (first === undefined) firstIndex.set(n.id, i);
    else problems.push({ pointer: `/steps/${i}/id`, message: `step id '${n.id}' is already used by step ${first}` });
  });
  nodes.forEach((n, i) => {
    n?.dependsOn.forEach((dep, j) => {
      if (!firstIndex.has(dep))
        problems.push({ pointer: `/steps/${i}/dependsOn/${j}`, message: `step '${n.id}' depends on unknown step '${dep}'` });
    });
  });
  const graph = nodes.filter((n): n is StepNode => n !== undefined && firstIndex.get(n.id) === nodes.indexOf(n));
  const cycles = findCycles(graph);
  for (const cycle of cycles) {
    problems.push({
      pointer: `/steps/${firstIndex.get(cycle[0])}/dependsOn`,
      message: `steps depend on each other in a cycle: ${cycle.join(" → ")}`,
    });
  }
  const maxConcurrent = typeof own(doc, "maxConcurrentSteps") === "number" ? (own(doc, "maxConcurrentSteps") as number) : 1;
  if (cycles.length === 0) problems.push(...concurrencyProblems(steps, graph, maxConcurrent));
  problems.push(...clusterProblems(own(doc, "cluster"), options));
  problems.push(...edgeProblems(own(doc, "edges"), options.knownEdges));
  problems.push(...reservedTagProblems(own(doc, "tags"), "/tags"));
  problems.push(...tagCountProblems(doc, options.profiles));
  steps.forEach((s, i) => problems.push(...stepProblems(s, i, own(doc, "data"), options)));
  problems.push(...s3aJobProblems(doc, options.profiles));
  problems.push(
    ...secretScopeProblems(doc, options.secretScope ?? secretScope({ profiles: options.profiles, notifySecretName: "webhook-notify" })),
  );
  problems.push(...notifyWebhookProblems(doc, options.outbound ?? DEFAULT_OUTBOUND_POLICY));
  return problems;
}

/** EMR's rule, made precise: a stopping action is refused only on a step that may overlap another one. */
function concurrencyProblems(steps: unknown[], graph: StepNode[], maxConcurrent: number): Problem[] {
  const peers = concurrentPeers(graph, maxConcurrent);
  const problems: Problem[] = [];
  steps.forEach((s, i) => {
    if (!isObj(s)) return;
    const action = own(s, "actionOnFailure");
    const others = peers.get(own(s, "id") as string) ?? [];
    if ((action === "TERMINATE_CLUSTER" || action === "CANCEL_AND_WAIT") && others.length > 0) {
      const named =
        others
          .slice(0, 3)
          .map((o) => `'${o}'`)
          .join(", ") + (others.length > 3 ? ` and ${others.length - 3} more` : "");
      problems.push({
        pointer: `/steps/${i}/actionOnFailure`,
        message:
          `${action} cannot be used here: with maxConcurrentSteps ${maxConcurrent} this step may run at the same time as ${named}, ` +
          "and its failure would have to interrupt them mid-run (EMR refuses this too). Use CONTINUE, chain the steps with dependsOn, or set maxConcurrentSteps to 1",
      });
    }
  });
  return problems;
}

const overridesValid = compileSchema(overridesSchema);

function clusterProblems(cluster: unknown, options: SemanticOptions): Problem[] {
  if (cluster !== undefined && !isObj(cluster)) return [];
  const profileName = cluster === undefined ? "default" : (own(cluster, "profile") ?? "default");
  if (typeof profileName !== "string") return [];
  const profile = findProfile(options.profiles, profileName);
  if (!profile) {
    const known = Object.keys(options.profiles).sort().join(", ");
    return [{ pointer: "/cluster/profile", message: `unknown profile '${profileName}' (known profiles: ${known})` }];
  }
  const overrides = cluster === undefined ? undefined : own(cluster, "overrides");
  if (overrides === undefined || !overridesValid(overrides)) return [];
  const applied = applyOverrides(profile, overrides as ProfileOverrides);
  return applied.ok ? [] : applied.problems;
}

function edgeProblems(edges: unknown, knownEdges: readonly string[] | undefined): Problem[] {
  if (!knownEdges) return [];
  const problems: Problem[] = [];
  strings(edges).forEach((name, i) => {
    if (!knownEdges.includes(name)) {
      const known = knownEdges.length ? knownEdges.join(", ") : "none";
      problems.push({ pointer: `/edges/${i}`, message: `edge VM '${name}' is not registered (registered: ${known})` });
    }
  });
  return problems;
}

/** ARM's 50 tags per resource, counted as the cluster will carry them: profile + overrides + job tags + Jobflow's own. */
function tagCountProblems(doc: Obj, profiles: ProfileCatalog): Problem[] {
  const cluster = own(doc, "cluster");
  const name = isObj(cluster) ? (own(cluster, "profile") ?? "default") : "default";
  const profile = typeof name === "string" ? findProfile(profiles, name) : undefined;
  if (!profile) return [];
  const overrides = isObj(cluster) ? own(cluster, "overrides") : undefined;
  const keys = (v: unknown): string[] => (isObj(v) ? Object.keys(v) : []);
  const names = new Set([
    ...Object.keys(profile.tags),
    ...keys(isObj(overrides) ? own(overrides, "tags") : undefined),
    ...keys(own(doc, "tags")),
  ]);
  const own_ = SYSTEM_TAGS.length - 1; // a cluster has jobflow-job or jobflow-lease, not both
  const total = [...names].filter((n) => !SYSTEM_TAGS.includes(n)).length + own_;
  if (total <= AZURE_TAG_LIMITS.maxTags) return [];
  return [
    {
      pointer: "/tags",
      message: `the cluster would carry ${total} tags (profile, overrides, job tags and ${own_} of Jobflow's own); Azure allows ${AZURE_TAG_LIMITS.maxTags}`,
    },
  ];
}

export function reservedTagProblems(tags: unknown, pointer: string): Problem[] {
  if (!isObj(tags)) return [];
  return Object.keys(tags)
    .filter((k) => k.toLowerCase().startsWith("jobflow-"))
    .map((k) => ({ pointer: joinPointer(pointer, k), message: "tags starting with 'jobflow-' are reserved for Jobflow" }));
}

const URI_FIELDS = ["file", "jars", "pyFiles", "files", "archives"] as const;

function stepProblems(step: unknown, i: number, data: unknown, options: SemanticOptions): Problem[] {
  if (!isObj(step)) return [];
  const problems: Problem[] = [];
  const id = typeof own(step, "id") === "string" ? (own(step, "id") as string) : `#${i}`;
  problems.push(...credentialConfProblems(own(step, "conf"), `/steps/${i}`, isObj(data) && isObj(own(data, "s3a"))));
  const file = own(step, "file");
  if (typeof file === "string" && typeof own(step, "className") === "string" && /\.py$/i.test(file)) {
    problems.push({ pointer: `/steps/${i}/className`, message: `step '${id}' runs a Python file, so className does not apply` });
  }
  const s3a = isObj(data) ? own(data, "s3a") : undefined;
  const buckets = isObj(s3a) ? strings(own(s3a, "buckets")) : [];
  for (const field of URI_FIELDS) {
    const value = own(step, field);
    const uris: [string, string][] =
      typeof value === "string" ? [[`/steps/${i}/${field}`, value]] : strings(value).map((u, j) => [`/steps/${i}/${field}/${j}`, u]);
    for (const [pointer, uri] of uris) {
      const bucket = bucketOf(toS3a(uri));
      if (bucket === undefined) continue;
      if (!isObj(s3a) && options.requireS3aSection) {
        problems.push({
          pointer,
          message: `step '${id}' reads s3a://${bucket} but the job has no data.s3a section (endpoint and credentials secret)`,
        });
      } else if (buckets.length && !buckets.includes(bucket)) {
        problems.push({ pointer, message: `bucket '${bucket}' is not in data.s3a.buckets (${buckets.join(", ")})` });
      }
    }
  }
  return problems;
}
