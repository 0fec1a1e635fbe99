// Issue 11, item 3: where outbound webhooks may point (validation) and the delivery-time guard on resolved
// addresses, against a real 127.0.0.1 receiver with a fake resolver standing in for DNS.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outboundPost } from "../../../functions/policies/outboundPost";
import { addressRefusal, outboundUrlRefusal, type OutboundPolicy } from "../../../shared/security/outboundUrl";

const PUBLIC: OutboundPolicy = { allowHosts: [], ownHosts: [] };

describe("outbound URL rules", () => {
  it.each([
    ["https://hooks.example.net/x", undefined],
    ["https://93.184.216.34/x", undefined],
    ["https://[2606:4700::1111]/x", undefined],
    ["http://hooks.example.net/x", "must be https"],
    ["ftp://hooks.example.net/x", "https"],
    ["https://127.0.0.1/x", "loopback"],
    ["https://127.9.9.9/x", "loopback"],
    ["https://0x7f.0.0.1/x", "loopback"],
    ["https://2130706433/x", "loopback"],
    ["https://0.0.0.0/x", "unspecified"],
    ["https://10.0.0.1/x", "RFC 1918"],
    ["https://172.31.255.255/x", "RFC 1918"],
    ["https://192.168.1.1/x", "RFC 1918"],
    ["https://169.254.169.254/metadata", "metadata"],
    ["https://169.254.10.10/x", "link-local"],
    ["https://100.64.0.1/x", "CGNAT"],
    ["https://224.0.0.1/x", "multicast"],
    ["https://[::1]/x", "loopback"],
    ["https://[::]/x", "unspecified"],
    ["https://[::ffff:127.0.0.1]/x", "loopback"],
    ["https://[::ffff:169.254.169.254]/x", "metadata"],
    ["https://[64:ff9b::a00:1]/x", "RFC 1918"],
    ["https://[fc00::1]/x", "RFC 4193"],
    ["https://[fd00:ec2::254]/x", "metadata"],
    ["https://[fe80::1]/x", "link-local"],
    ["https://localhost/x", "localhost"],
    ["https://api.localhost/x", "localhost"],
    ["https://metadata.google.internal/x", "metadata"],
    ["https://u:p@hooks.example.net/x", "credentials"],
    ["not a url", "not a URL"],
  ])("%s → %s", (url, expected) => {
    const why = outboundUrlRefusal(url, PUBLIC);
    if (expected === undefined) expect(why).toBeUndefined();
    else expect(why).toContain(expected);
  });

  it("allow-list: host or host:port, http allowed; metadata and the app's own host never", () => {
    const policy = { allowHosts: ["127.0.0.1:4000", "receiver.test", "[::1]:5000"], ownHosts: ["127.0.0.1:7071"] };
    expect(outboundUrlRefusal("http://127.0.0.1:4000/cb", policy)).toBeUndefined();
    expect(outboundUrlRefusal("http://127.0.0.1:4001/cb", policy)).toBeDefined();
    expect(outboundUrlRefusal("http://receiver.test:9999/cb", policy)).toBeUndefined();
    expect(outboundUrlRefusal("http://[::1]:5000/cb", policy)).toBeUndefined();
    expect(outboundUrlRefusal("http://127.0.0.1:7071/durabletask/instances", { ...policy, allowHosts: ["127.0.0.1"] })).toContain(
      "Jobflow itself",
    );
    expect(outboundUrlRefusal("http://169.254.169.254/latest", { ...policy, allowHosts: ["169.254.169.254"] })).toContain("metadata");
  });

  it("classifies resolved addresses", () => {
    expect(addressRefusal("8.8.8.8")).toBeUndefined();
    expect(addressRefusal("127.0.0.1")).toContain("loopback");
    expect(addressRefusal("::ffff:10.1.1.1")).toContain("RFC 1918");
    expect(addressRefusal("nonsense")).toBeDefined();
  });
});

describe("delivery-time guard", () => {
  let server: Server;
  let port = 0;
  const hits: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? "");
      if (req.url === "/redirect") res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data" }).end();
      else res.writeHead(200).end("ok");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const post = (url: string, policy = PUBLIC, resolve?: (h: string) => Promise<{ address: string; family: number }[]>) =>
    outboundPost(url, { headers: {}, body: "{}", timeoutMs: 5000, policy, resolve });

  it("refuses a public-looking name that resolves to loopback, before connecting", async () => {
    hits.length = 0;
    // An https name that passes validation, but DNS says 127.0.0.1 (rebinding / internal name).
    const r = await post(`https://rebind.example.net:${port}/x`, PUBLIC, async () => [{ address: "127.0.0.1", family: 4 }]);
    expect(r).toMatchObject({ ok: false, error: expect.stringContaining("loopback") });
    const mixed = await post(`https://mixed.example.net:${port}/x`, PUBLIC, async () => [
      { address: "93.184.216.34", family: 4 },
      { address: "10.0.0.8", family: 4 },
    ]);
    expect(mixed).toMatchObject({ ok: false, error: expect.stringContaining("RFC 1918") });
    expect(hits).toEqual([]);
  });

  it("refuses literal internal targets and the settings' changes since validation", async () => {
    expect(await post(`http://127.0.0.1:${port}/x`)).toMatchObject({ ok: false, error: expect.stringContaining("refused webhook target") });
    expect(await post("https://169.254.169.254/metadata/identity")).toMatchObject({
      ok: false,
      error: expect.stringContaining("metadata"),
    });
    expect(hits).toEqual([]);
  });

  it("delivers to an allow-listed receiver and does not follow redirects", async () => {
    const policy = { allowHosts: [`127.0.0.1:${port}`], ownHosts: [] };
    expect(await post(`http://127.0.0.1:${port}/ok`, policy)).toEqual({ ok: true, status: 200 });
    const redirected = await post(`http://127.0.0.1:${port}/redirect`, policy);
    expect(redirected).toMatchObject({ ok: false, status: 302, error: expect.stringContaining("redirects are not followed") });
    expect(hits).toEqual(["/ok", "/redirect"]);
  });

  it("an allow-listed name still goes through the resolver", async () => {
    const policy = { allowHosts: [`receiver.test:${port}`], ownHosts: [] };
    expect(await post(`http://receiver.test:${port}/named`, policy, async () => [{ address: "127.0.0.1", family: 4 }])).toEqual({
      ok: true,
      status: 200,
    });
  });
});
