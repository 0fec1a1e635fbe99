// Child process of bench/api.ts: the embedded stack as `npm start` runs it (scaled clock at 60×, Azurite
// persisted under a temp folder, host log to a file with npm start's sink) on ephemeral ports. Prints one JSON line
// {apiUrl, functionKey} when ready; stops when its stdin closes (the parent ended, whichever way).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VirtualClock } from "../local/clock/virtualClock";
import { logSinkToFile } from "../local/logFile";
import { startStack } from "../local/stack";

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "jobflow-bench-api-"));
  const logFile = join(dataDir, "host.log");
  const clock = new VirtualClock({ mode: "scaled", speed: 60, startMs: Date.now() });
  const stack = await startStack({
    dataDir, clock, persistStorage: true,
    host: { logSink: logSinkToFile(logFile) },
  });
  process.stdout.write(JSON.stringify({ apiUrl: stack.apiUrl, functionKey: stack.functionKey }) + "\n");
  process.stdin.resume();
  process.stdin.on("end", () => {
    void stack.stop().finally(() => {
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    });
  });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
