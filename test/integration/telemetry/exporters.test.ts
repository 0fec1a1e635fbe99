// Where telemetry goes, chosen by the environment: the Azure Monitor distro posts to the connection string's
// ingestion endpoint (/v2.1/track), OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT (/v1/traces, /v1/metrics), and with
// neither nothing is sent. Each case runs test/fixtures/telemetry/probe.ts in a child process (set-up is once per
// process) against a local server standing in for the collector.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { json, startHttpsTestServer } from "../../support/httpsTestServer";

const ROOT = resolve(__dirname, "../../..");
const PROBE = join(ROOT, "test/fixtures/telemetry/probe.ts");
const TSX = join(ROOT, "node_modules/.bin/tsx");
const dir = mkdtempSync(join(tmpdir(), "jobflow-telemetry-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The environment without any telemetry setting of the developer's shell. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith("OTEL_") || k.startsWith("APPLICATIONINSIGHTS_")) delete env[k];
  return { ...env, ...extra };
}

function runProbe(env: NodeJS.ProcessEnv): Promise<{ mode: string }> {
  return new Promise((resolvePromise, reject) => {
    execFile(TSX, [PROBE], { env, cwd: ROOT, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${err.message}\n${stderr}`));
      else resolvePromise(JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as { mode: string });
    });
  });
}

function bodyText(req: IncomingMessage, raw: Buffer): string {
  return req.headers["content-encoding"] === "gzip" ? gunzipSync(raw).toString("utf8") : raw.toString("utf8");
}

describe("telemetry exporters", () => {
  it("OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set: the span and the metric reach the collector", async () => {
    const received: { url: string; body: string }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ url: req.url ?? "", body: bodyText(req, Buffer.concat(chunks)) });
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    try {
      const port = (server.address() as { port: number }).port;
      const out = await runProbe(cleanEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` }));
      expect(out.mode).toBe("otlp");
      const traces = received.filter((r) => r.url === "/v1/traces");
      expect(traces.some((r) => r.body.includes("telemetry probe") && r.body.includes("j-probe"))).toBe(true);
      expect(received.some((r) => r.url === "/v1/metrics" && r.body.includes("jobflow.probe"))).toBe(true);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  }, 90_000);

  it("Azure Monitor when APPLICATIONINSIGHTS_CONNECTION_STRING is set: the span is posted to the ingestion endpoint", async () => {
    const server = await startHttpsTestServer((_req, res) => json(res, 200, { itemsReceived: 1, itemsAccepted: 1, errors: [] }));
    try {
      const caFile = join(dir, "ca.pem");
      writeFileSync(caFile, server.caPem);
      const out = await runProbe(
        cleanEnv({
          APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=${server.url}/;LiveEndpoint=${server.url}/`,
          NODE_EXTRA_CA_CERTS: caFile,
        }),
      );
      expect(out.mode).toBe("azureMonitor");
      const tracks = server.requests.filter((r) => r.method === "POST" && r.url.startsWith("/v2.1/track"));
      expect(tracks.length).toBeGreaterThan(0);
      const text = tracks.map((r) => r.body).join("\n");
      expect(text).toContain("telemetry probe");
      expect(text).toContain("j-probe");
    } finally {
      await server.close();
    }
  }, 90_000);

  it("off when neither is set: nothing is exported", async () => {
    expect((await runProbe(cleanEnv({}))).mode).toBe("off");
  }, 90_000);
});
