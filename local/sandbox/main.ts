// `npm run sandbox [-- --port N] [--speed N] [--data DIR] [--no-throttling]`: the Azure sandbox alone. Once it
// serves, prints exactly two lines — JOBFLOW_SANDBOX_URL=… and JOBFLOW_SANDBOX_CA=… — for scripts to source.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { startSandbox } from "./sandbox";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "0" },
      speed: { type: "string", default: "1" },
      data: { type: "string", default: ".data/sandbox" },
      "no-throttling": { type: "boolean", default: false },
    },
    strict: true,
  });
  const port = Number(values.port);
  const speed = Number(values.speed);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got ${values.port}`);
  if (!(speed > 0)) throw new Error(`--speed must be > 0, got ${values.speed}`);
  const sandbox = await startSandbox({
    dataDir: resolve(values.data),
    port,
    speed,
    clockMode: "scaled",
    throttling: !values["no-throttling"],
  });
  process.stdout.write(`JOBFLOW_SANDBOX_URL=${sandbox.url}\nJOBFLOW_SANDBOX_CA=${sandbox.caPath}\n`);
  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    sandbox.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`sandbox: error while stopping: ${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

main().catch((e: unknown) => {
  process.stderr.write(`sandbox: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
