// A tiny HTTPS server for tests of the real SDK clients: self-signed certificate (SAN IP:127.0.0.1, DNS:localhost),
// listening on 127.0.0.1 with an ephemeral port, a swappable request handler and a log of what it received.
import https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import selfsigned from "selfsigned";

export interface ReceivedRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export type TestHandler = (req: ReceivedRequest, res: ServerResponse) => void | Promise<void>;

export interface HttpsTestServer {
  /** "https://127.0.0.1:PORT" (no trailing slash). */
  url: string;
  /** The server certificate (PEM): trust it with `tlsOptions: { ca }`. */
  caPem: string;
  requests: ReceivedRequest[];
  setHandler(handler: TestHandler): void;
  close(): Promise<void>;
}

export interface TestCertificate {
  certPem: string;
  keyPem: string;
}

/** A self-signed certificate valid for 127.0.0.1 and localhost (2048-bit RSA, SHA-256). */
export function createTestCertificate(): TestCertificate {
  const generated = selfsigned.generate([{ name: "commonName", value: "127.0.0.1" }], {
    days: 7,
    keySize: 2048,
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 7, ip: "127.0.0.1" },
          { type: 2, value: "localhost" },
        ],
      },
    ],
  });
  return { certPem: generated.cert, keyPem: generated.private };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(text);
}

export async function startHttpsTestServer(handler: TestHandler = (_req, res) => json(res, 404, {})): Promise<HttpsTestServer> {
  const cert = createTestCertificate();
  let current = handler;
  const requests: ReceivedRequest[] = [];
  const server = https.createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const received: ReceivedRequest = {
        method: req.method ?? "GET",
        url: req.url ?? "/",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(received);
      Promise.resolve(current(received, res)).catch((err: unknown) => {
        if (!res.headersSent) json(res, 500, { error: { code: "TestHandlerFailed", message: String(err) } });
        else res.destroy();
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    caPem: cert.certPem,
    requests,
    setHandler: (h) => {
      current = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
