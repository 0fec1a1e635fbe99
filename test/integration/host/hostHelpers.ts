// Shared setup for the local host's integration tests: the fixture app, a manual virtual clock, captured logs.
import * as path from "node:path";
import { VirtualClock } from "../../../local/clock/virtualClock";
import { startHost, type Host, type StartHostOptions } from "../../../local/host/host";
import type { HostLogRecord } from "../../../local/host/log";

export const FIXTURE_DIR = path.resolve(__dirname, "../../fixtures/hostApp");
export const START_MS = Date.UTC(2024, 0, 1, 0, 0, 0);
export const KEYS = { masterKey: "master-key-for-tests", hostKeys: ["host-key-for-tests"], functionKeys: { GetItem: ["getitem-key"] } };

export interface TestHost {
  host: Host;
  clock: VirtualClock;
  logs: HostLogRecord[];
  /** Parsed payloads of `context.log("<tag> <json>")` lines of the fixture app, in order. */
  reports(tag: string): unknown[];
}

export async function startTestHost(overrides: Partial<StartHostOptions> = {}): Promise<TestHost> {
  const clock = overrides.clock ?? new VirtualClock({ mode: "manual", startMs: START_MS });
  const logs: HostLogRecord[] = [];
  const host = await startHost({
    appEntry: path.join(FIXTURE_DIR, "index.ts"),
    appRoot: FIXTURE_DIR,
    port: 0,
    clock,
    functionKeys: KEYS,
    settings: { TICK_SCHEDULE: "0 */5 * * * *", FLAKY_QUEUE: "flaky-jobs", HOSTAPP_HUB: "hostapphub" },
    logSink: (r) => logs.push(r),
    ...overrides,
  });
  const reports = (tag: string): unknown[] =>
    logs
      .filter((r) => r.category === "user" && r.message.startsWith(`${tag} `))
      .map((r) => JSON.parse(r.message.slice(tag.length + 1)) as unknown);
  return { host, clock, logs, reports };
}
