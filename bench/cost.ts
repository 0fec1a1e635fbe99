// npm run bench:cost -- --trace FILE [--trace FILE…] [--policy NAME …] [--json]
// Runs a workload trace through the real embedded stack once per policy (jobflow, emr, adf-ttl-30) and computes the
// offline optimum (oracle); prints the side-by-side table, or with --json one document per trace (docs/costs.md).
// Fails (exit 1) when a job did not end or failed, a cluster was left behind, or a policy run hit an error.
import { loadConfig } from "../shared/config";
import { priceBookFromItems, type RetailPriceItem } from "../shared/cost/prices";
import { profileCatalog, effectiveProfile } from "../shared/profiles";
import { placeholderValuesFromConfig } from "../shared/profiles/placeholders";
import { validateJobDocument } from "../shared/spec";
import { sandboxPriceItems } from "../local/sandbox/prices/retailPrices";
import { oracle, type OracleJob } from "./cost/oracle";
import { runPolicy } from "./cost/runPolicy";
import { oracleFigures, runFigures, table, type PolicyFigures } from "./cost/summary";
import { checkTargets, targetLines } from "./cost/targets";
import {
  DEFAULT_DELETE_MS,
  DEFAULT_PROVISIONING_MS,
  POLICIES,
  arrivals,
  loadTrace,
  runTimeMs,
  type PolicyName,
  type Trace,
} from "./cost/trace";

interface Args {
  traces: string[];
  policies: PolicyName[];
  json: boolean;
}

function parse(argv: string[]): Args {
  const args: Args = { traces: [], policies: [], json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--json") args.json = true;
    else if (a === "--trace" && argv[i + 1]) args.traces.push(argv[++i]);
    else if (a === "--policy" && argv[i + 1]) {
      const p = argv[++i] as PolicyName;
      if (!POLICIES.includes(p)) throw new Error(`unknown policy '${p}' (one of ${POLICIES.join(", ")})`);
      args.policies.push(p);
    } else
      throw new Error(`unexpected argument '${a}'\nusage: npm run bench:cost -- --trace FILE [--policy ${POLICIES.join("|")} …] [--json]`);
  }
  if (args.traces.length === 0) throw new Error("--trace FILE is required (examples: bench/traces/*.json)");
  if (args.policies.length === 0) args.policies = [...POLICIES];
  return args;
}

/** The oracle's inputs: each arrival with its run time and its effective profile's nodes (as the runs create them). */
function oracleJobs(trace: Trace): { jobs: OracleJob[]; scheduled: number; adhoc: number } {
  const config = loadConfig({ JOBFLOW_DATA_LAKE_ACCOUNT: "jobflowlake" });
  const catalog = profileCatalog();
  const list = arrivals(trace);
  const jobs = list.map((a) => {
    const v = validateJobDocument(a.job, { profiles: catalog });
    if (!v.ok)
      throw new Error(
        `trace ${trace.name}: job ${a.job.name} is invalid: ${v.problems.map((p) => `${p.pointer}: ${p.message}`).join("; ")}`,
      );
    const eff = effectiveProfile(v.job, catalog, placeholderValuesFromConfig(config));
    if (!eff.ok) throw new Error(`trace ${trace.name}: job ${a.job.name}: ${eff.problems.map((p) => p.message).join("; ")}`);
    const p = eff.profile;
    const nodes = [
      { role: "headnode", ...p.headNode },
      { role: "workernode", vmSize: p.workerNode.vmSize, count: p.workerNode.count },
      { role: "zookeepernode", ...p.zookeeperNode },
    ];
    return { atMs: a.atMs, runMs: runTimeMs(a.job), profileKey: eff.hash, nodes };
  });
  return { jobs, scheduled: list.filter((a) => a.kind === "scheduled").length, adhoc: list.filter((a) => a.kind === "adhoc").length };
}

async function benchTrace(file: string, policies: PolicyName[], json: boolean): Promise<{ doc: unknown; errors: string[] }> {
  const trace = loadTrace(file);
  const o = oracleJobs(trace);
  const book = priceBookFromItems(sandboxPriceItems("USD") as unknown as RetailPriceItem[], "westeurope", "USD", trace.start);
  const provisioningMs = trace.sandbox?.provisioningDurationMs ?? DEFAULT_PROVISIONING_MS;
  const deleteMs = trace.sandbox?.deleteDurationMs ?? DEFAULT_DELETE_MS;
  const best = oracle(o.jobs, provisioningMs, deleteMs, book);
  const figures: PolicyFigures[] = [];
  const wall = new Map<PolicyName, number>();
  const errors: string[] = [];
  for (const policy of policies) {
    if (policy === "oracle") {
      figures.push(oracleFigures(best, o));
      continue;
    }
    if (!json) process.stderr.write(`trace ${trace.name}: running policy ${policy}…\n`);
    try {
      const run = await runPolicy(trace, policy);
      wall.set(policy, run.wallMs / 1000);
      figures.push(runFigures(run, best));
      errors.push(...run.errors.map((e) => `${trace.name}/${policy}: ${e}`));
      if (run.jobsTotal !== o.scheduled + o.adhoc)
        errors.push(`${trace.name}/${policy}: ${run.jobsTotal} jobs ran, the trace has ${o.scheduled + o.adhoc}`);
    } catch (e) {
      errors.push(`${trace.name}/${policy}: ${(e as Error).message}`);
    }
  }
  const targets = checkTargets(figures);
  if (!json) {
    console.log(
      `\n${trace.name}: ${trace.durationHours} h from ${trace.start}, ${o.scheduled} scheduled + ${o.adhoc} ad-hoc jobs; provisioning ${provisioningMs / 60_000} min, deletion ${deleteMs / 60_000} min (virtual)`,
    );
    for (const line of table(trace.name, figures, wall, book.currency)) console.log(line);
    for (const line of targetLines(targets)) console.log(line);
  }
  return { doc: { trace: trace.name, policies: figures, targets }, errors };
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  const docs: unknown[] = [];
  const errors: string[] = [];
  for (const file of args.traces) {
    const r = await benchTrace(file, args.policies, args.json);
    docs.push(r.doc);
    errors.push(...r.errors);
  }
  if (args.json) console.log(JSON.stringify(docs.length === 1 ? docs[0] : docs, null, 2));
  if (errors.length) {
    console.error(`\nbench:cost FAILED — these figures come from a broken run and are worthless:\n  ${errors.join("\n  ")}`);
    process.exit(1);
  }
}

main().catch((e: unknown) => {
  console.error(`bench:cost: ${(e as Error).message}`);
  process.exit(1);
});
