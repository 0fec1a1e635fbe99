// The RP's checks of computeProfile.roles for a create: which roles the kind has (kafkamanagementnode on Kafka,
// edgenode, idbrokernode with ESP), instance counts, the VM sizes HDInsight 5.1 offers per role (shared catalogue),
// the Linux login, and an autoscale configuration (load-based capacity or schedule-based recurrence).
import { isRoleName, rolesOf, vmSizeProblem } from "../../../shared/hdinsight/checks";

type Json = Record<string, unknown>;
type Fail = (message: string, target: string) => void;

/** Instance counts per role: [min, max] (head nodes and ZooKeeper are fixed). */
const COUNTS: Record<string, [number, number]> = {
  headnode: [2, 2],
  workernode: [1, 500],
  zookeepernode: [3, 3],
  edgenode: [1, 1],
  kafkamanagementnode: [2, 2],
  idbrokernode: [1, 2],
};
const LABEL: Record<string, string> = {
  headnode: "head nodes",
  zookeepernode: "zookeeper nodes",
  edgenode: "edge node",
  kafkamanagementnode: "Kafka management nodes",
};
const DAYS = new Set(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]);

/** Validates the roles; returns the node count (the RP's own ZooKeeper nodes included when omitted). */
export function validateRoles(props: Json, kind: string, esp: boolean, fail: Fail): number {
  const compute = isObject(props.computeProfile) ? props.computeProfile : undefined;
  const roles = Array.isArray(compute?.roles) ? (compute.roles as unknown[]) : [];
  const byName = new Map<string, Json>();
  roles.forEach((r, i) => {
    if (!isObject(r) || typeof r.name !== "string") return fail("Each role needs a 'name'.", `properties.computeProfile.roles[${i}]`);
    const name = r.name.toLowerCase();
    if (byName.has(name)) fail(`Role '${r.name}' is listed twice.`, "properties.computeProfile.roles");
    byName.set(name, r);
  });
  const allowed = [...rolesOf(kind), ...(esp ? ["idbrokernode"] : [])];
  for (const name of byName.keys())
    if (!allowed.includes(name))
      fail(`Role '${name}' is not supported for a ${kind} cluster (roles: ${allowed.join(", ")}).`, "properties.computeProfile.roles");
  for (const required of ["headnode", "workernode"])
    if (!byName.has(required)) fail(`Role '${required}' is required.`, `properties.computeProfile.roles[${required}]`);

  let nodes = byName.has("zookeepernode") ? 0 : 3; // the RP adds three ZooKeeper nodes itself when they are omitted
  for (const [name, role] of byName) {
    if (!isRoleName(name) || !allowed.includes(name)) continue;
    const at = `properties.computeProfile.roles[${name}]`;
    const [min, max] = COUNTS[name];
    const count = role.targetInstanceCount;
    if (typeof count !== "number" || !Number.isInteger(count) || count < min || count > max)
      fail(
        `Role '${name}' targetInstanceCount ${String(count)} is invalid: ${min === max ? `a cluster has exactly ${min} ${LABEL[name] ?? "nodes"}` : `between ${min} and ${max}`}.`,
        at,
      );
    else nodes += count;
    const size = isObject(role.hardwareProfile) ? role.hardwareProfile.vmSize : undefined;
    if (typeof size !== "string") fail(`Role '${name}' requires hardwareProfile.vmSize.`, at);
    else {
      const why = vmSizeProblem(name, size);
      if (why) fail(why, `${at}.hardwareProfile.vmSize`);
    }
    validateLinuxProfile(role, name, at, fail);
    if (role.scriptActions !== undefined && role.scriptActions !== null) {
      const scripts = Array.isArray(role.scriptActions) ? role.scriptActions : [undefined];
      scripts.forEach((s, i) => {
        if (!isObject(s) || typeof s.name !== "string" || !s.name || typeof s.uri !== "string" || !/^https?:\/\//i.test(s.uri))
          fail(`Role '${name}' scriptActions[${i}] needs a name and an http(s) uri.`, `${at}.scriptActions`);
      });
    }
    if (role.autoscale !== undefined && role.autoscale !== null) {
      if (name !== "workernode") fail(`Autoscale is supported on the workernode role only, not '${name}'.`, `${at}.autoscale`);
      else autoscaleProblems(role.autoscale, typeof count === "number" ? count : undefined).forEach((m) => fail(m, `${at}.autoscale`));
    }
  }
  return nodes;
}

function validateLinuxProfile(role: Json, name: string, at: string, fail: Fail): void {
  const linux =
    isObject(role.osProfile) && isObject(role.osProfile.linuxOperatingSystemProfile)
      ? role.osProfile.linuxOperatingSystemProfile
      : undefined;
  if (!linux || typeof linux.username !== "string" || !linux.username)
    return fail(`Role '${name}' requires osProfile.linuxOperatingSystemProfile.username.`, at);
  const keys = isObject(linux.sshProfile) && Array.isArray(linux.sshProfile.publicKeys) ? linux.sshProfile.publicKeys : [];
  if (typeof linux.password === "string") {
    if (!sshPasswordOk(linux.password))
      fail(
        "UserPassword for Linux OS Profile must be 10-72 characters long and contain a letter, a digit and a non-alphanumeric character.",
        at,
      );
  } else if (keys.length === 0) fail(`Role '${name}': both 'password' and 'sshProfile' cannot be null.`, at);
}

/** A load-based (capacity) or schedule-based (recurrence) autoscale, never both; counts within the worker limits. */
export function autoscaleProblems(autoscale: unknown, targetCount?: number): string[] {
  if (!isObject(autoscale)) return ["autoscale must be an object with 'capacity' or 'recurrence'."];
  const { capacity, recurrence } = autoscale;
  if ((capacity === undefined) === (recurrence === undefined))
    return ["Specify exactly one of autoscale.capacity (load-based) or autoscale.recurrence (schedule-based)."];
  const range = (o: unknown, where: string): string[] => {
    if (!isObject(o)) return [`${where} must be an object.`];
    const { minInstanceCount: lo, maxInstanceCount: hi } = o;
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || (lo as number) < 1 || (hi as number) > 500 || (lo as number) > (hi as number))
      return [
        `${where}: minInstanceCount and maxInstanceCount must be integers with 1 ≤ min ≤ max ≤ 500 (got ${String(lo)}, ${String(hi)}).`,
      ];
    return [];
  };
  if (capacity !== undefined) {
    const problems = range(capacity, "autoscale.capacity");
    if (
      !problems.length &&
      targetCount !== undefined &&
      isObject(capacity) &&
      (targetCount < (capacity.minInstanceCount as number) || targetCount > (capacity.maxInstanceCount as number))
    )
      problems.push(
        `targetInstanceCount ${targetCount} must lie within the autoscale capacity ${String(capacity.minInstanceCount)}-${String(capacity.maxInstanceCount)}.`,
      );
    return problems;
  }
  if (
    !isObject(recurrence) ||
    typeof recurrence.timeZone !== "string" ||
    !Array.isArray(recurrence.schedule) ||
    recurrence.schedule.length === 0
  )
    return ["autoscale.recurrence needs a timeZone and a non-empty schedule."];
  return recurrence.schedule.flatMap((s, i) => {
    const where = `autoscale.recurrence.schedule[${i}]`;
    if (!isObject(s) || !Array.isArray(s.days) || s.days.length === 0 || !s.days.every((d) => DAYS.has(String(d))))
      return [`${where}.days must list days of the week (Monday…Sunday).`];
    const tc = s.timeAndCapacity;
    if (!isObject(tc) || typeof tc.time !== "string" || !/^([01]\d|2[0-3]):[0-5]\d$/.test(tc.time))
      return [`${where}.timeAndCapacity.time must be a 24-hour time xx:xx.`];
    return range(tc, `${where}.timeAndCapacity`);
  });
}

function sshPasswordOk(pw: string): boolean {
  return pw.length >= 10 && pw.length <= 72 && /[A-Za-z]/.test(pw) && /\d/.test(pw) && /[^A-Za-z0-9]/.test(pw);
}

export function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
