// One outbound webhook POST under the SSRF rules (issue 11): the URL is checked again at delivery (settings may
// have changed since validation), the host name is resolved and EVERY address it resolves to must be public —
// checked inside the socket's own lookup, so the address connected to is the address checked (no DNS-rebinding
// window between a check and the connect). Redirects are never followed (a 3xx is a failed delivery).
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { addressRefusal, bareHost, isAllowListed, isIP, outboundUrlRefusal, type OutboundPolicy } from "../../shared/security/outboundUrl";

export interface OutboundPostOptions {
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  policy: OutboundPolicy;
  /** Name resolution (tests give a fake resolver; default: the system's, all addresses). */
  resolve?: (host: string) => Promise<LookupAddress[]>;
}

export type OutboundPostResult = { ok: true; status: number } | { ok: false; status?: number; error: string };

/** Thrown by the guarded lookup; its message is the reason reported for the delivery. */
class RefusedTarget extends Error {
  override name = "RefusedTarget";
}

const systemResolve = (host: string): Promise<LookupAddress[]> =>
  new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  );

/** A socket lookup that resolves, refuses when any address is not public, and hands the checked address on. */
function guardedLookup(resolveHost: (host: string) => Promise<LookupAddress[]>, allowListed: boolean): LookupFunction {
  return ((
    hostname: string,
    options: { all?: boolean },
    callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    resolveHost(hostname)
      .then((addresses) => {
        if (addresses.length === 0) throw new RefusedTarget(`'${hostname}' did not resolve`);
        if (!allowListed) {
          for (const a of addresses) {
            const why = addressRefusal(a.address);
            if (why) throw new RefusedTarget(`'${hostname}' resolves to ${why} (${a.address}): webhooks go to public addresses only`);
          }
        }
        if (options?.all) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      })
      .catch((err: unknown) => callback(err instanceof Error ? err : new Error(String(err)), ""));
  }) as LookupFunction;
}

/** POSTs `body` to `target` if the SSRF rules allow it. Never throws for the target's failure. */
export async function outboundPost(target: string, options: OutboundPostOptions): Promise<OutboundPostResult> {
  const refusal = outboundUrlRefusal(target, options.policy);
  if (refusal) return { ok: false, error: `refused webhook target: ${refusal}` };
  const url = new URL(target);
  const allowListed = isAllowListed(url, options.policy);
  if (!allowListed && isIP(bareHost(url))) {
    const why = addressRefusal(bareHost(url));
    if (why) return { ok: false, error: `refused webhook target: ${why}` };
  }
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<OutboundPostResult>((resolve) => {
    const req = send(
      url,
      {
        method: "POST",
        headers: { ...options.headers, "content-length": String(Buffer.byteLength(options.body)) },
        lookup: guardedLookup(options.resolve ?? systemResolve, allowListed),
        timeout: options.timeoutMs,
      },
      (res) => {
        res.resume(); // drain; the body is not used
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          resolve(
            status >= 200 && status < 300
              ? { ok: true, status }
              : {
                  ok: false,
                  status,
                  error: status >= 300 && status < 400 ? `HTTP ${status} (redirects are not followed)` : `HTTP ${status}`,
                },
          );
        });
        res.on("error", (err) => resolve({ ok: false, status: res.statusCode, error: `${err.name}: ${err.message}`.slice(0, 300) }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.on("error", (err) =>
      resolve({
        ok: false,
        error: err instanceof RefusedTarget ? `refused webhook target: ${err.message}` : `${err.name}: ${err.message}`.slice(0, 300),
      }),
    );
    req.end(options.body);
  });
}
