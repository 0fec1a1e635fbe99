// The durable client's management HTTP API (HttpApiHandler.cs), framework-agnostic: the host's HTTP server
// passes {method, url, headers, body} for anything under /runtime/webhooks/durabletask/ or /durabletask/
// (one handler, two base paths, like the extension) and writes back {status, headers, body}. The RPC base path
// carries an unguessable per-process token (`/durabletask/<token>/…`) when one is configured: in Azure that
// listener is loopback-only inside the worker; here it shares the API's port, so the token is what keeps a caller
// (or a job's webhook pointing at 127.0.0.1) from listing, terminating or starting instances without a key.
import { errorMessage, isErrorNamed } from "../../../shared/errors";
import type { DurableEngine, InstanceOperationResult, InstanceQuery } from "./engine";
import { httpManagementPayload, durableClientBindingData, RPC_PATH, WEBHOOK_PATH, type UrlSettings } from "./managementUrls";
import { statusPayload } from "./statusPayload";
import { isTerminal, type RuntimeStatus } from "./types";
import { timingSafeEqual } from "node:crypto";

function tokenEquals(presented: string, token: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface ManagementRequest {
  method: string;
  /** Absolute URL or path + query. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body?: string | Buffer;
}

export interface ManagementResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface ManagementApiOptions {
  engine: DurableEngine;
  /** Origin the host serves on, e.g. "http://localhost:7071" (status URLs point there). */
  baseUrl: string;
  systemKey?: string;
  /** Token the RPC base path must carry (`/durabletask/<token>/`); given to the SDK in rpcBaseUrl only. */
  rpcToken?: string;
  connectionName?: string;
  /** Instances per page of a query before an x-ms-continuation-token (default 100; `top=` overrides). */
  pageSize?: number;
}

const json = (status: number, value: unknown, headers: Record<string, string> = {}): ManagementResponse => ({
  status,
  headers: { "Content-Type": "application/json; charset=utf-8", ...headers },
  body: value === undefined ? "" : JSON.stringify(value),
});

const message = (status: number, text: string): ManagementResponse => json(status, { Message: text });

function operationResponse(result: InstanceOperationResult, id: string): ManagementResponse {
  if (result === "notFound") return message(404, `No instance with ID '${id}' found.`);
  if (result === "gone") return message(410, `The instance '${id}' has already completed.`);
  return { status: 202, headers: {}, body: "" };
}

export class DurableManagementApi {
  private readonly engine: DurableEngine;
  private readonly settings: UrlSettings;
  private readonly pageSize: number;
  private readonly rpcToken: string | undefined;

  constructor(options: ManagementApiOptions) {
    this.engine = options.engine;
    this.rpcToken = options.rpcToken;
    this.pageSize = options.pageSize ?? 100;
    this.settings = {
      baseUrl: options.baseUrl,
      taskHub: options.engine.taskHub,
      connectionName: options.connectionName ?? "Storage",
      systemKey: options.systemKey ?? "",
      rpcToken: options.rpcToken,
    };
  }

  /** The durableClient input binding JSON (pass `baseUrl`/`systemKey` to override the constructor's). */
  clientBindingData(baseUrl = this.settings.baseUrl, systemKey = this.settings.systemKey): object {
    return durableClientBindingData({ ...this.settings, baseUrl, systemKey });
  }

  httpManagementPayload(instanceId: string): object {
    return httpManagementPayload(this.settings, instanceId);
  }

  /** True when `path` belongs to this API. */
  static handles(path: string): boolean {
    return path.startsWith(`${WEBHOOK_PATH}/`) || path.startsWith(`${RPC_PATH}/`);
  }

  async handleManagementRequest(request: ManagementRequest): Promise<ManagementResponse> {
    const url = new URL(request.url, "http://localhost");
    const base = [WEBHOOK_PATH, RPC_PATH].find((p) => url.pathname.startsWith(`${p}/`));
    if (!base) return message(404, "Not a Durable Task management path.");
    let rest = url.pathname.slice(base.length + 1);
    if (base === RPC_PATH && this.rpcToken !== undefined) {
      const slash = rest.indexOf("/");
      if (slash < 0 || !tokenEquals(rest.slice(0, slash), this.rpcToken)) return message(404, "Not a Durable Task management path.");
      rest = rest.slice(slash + 1);
    }
    const segments = rest
      .split("/")
      .filter((s, i, all) => s !== "" || i < all.length - 1)
      .map(decodeURIComponent);
    const method = request.method.toUpperCase();
    const body = request.body === undefined ? "" : request.body.toString();
    const q = url.searchParams;
    try {
      const [resource, id, action, arg] = segments;
      if (resource === "orchestrators" && id && method === "POST") return await this.start(id, action, body, q.get("version") ?? undefined);
      if (resource === "instances" && !id && method === "GET") return this.list(q, request.headers);
      if (resource === "instances" && !id && method === "DELETE") return await this.purgeBy(q);
      if (resource === "instances" && id && !action && method === "GET") return this.status(id, q);
      if (resource === "instances" && id && !action && method === "DELETE") {
        const deleted = await this.engine.purge(id);
        return deleted === 0 ? message(404, `No instance with ID '${id}' found.`) : json(200, { instancesDeleted: deleted });
      }
      if (resource === "instances" && id && method === "POST") {
        const reason = q.get("reason") ?? undefined;
        if (action === "raiseEvent" && arg) return await this.raise(id, arg, body);
        if (action === "terminate") return operationResponse(await this.engine.terminate(id, reason), id);
        if (action === "suspend") return operationResponse(await this.engine.suspend(id, reason), id);
        if (action === "resume") return operationResponse(await this.engine.resume(id, reason), id);
        if (action === "rewind") return message(501, "Rewind is not supported by the local host.");
      }
      if (resource === "entities") return message(501, "Durable entities are not supported by the local host.");
      return message(404, `No Durable Task route for ${method} ${url.pathname}.`);
    } catch (err) {
      if (isErrorNamed(err, "ValidationError")) return message(400, errorMessage(err));
      if (isErrorNamed(err, "ConflictError")) return message(409, errorMessage(err));
      return message(500, errorMessage(err));
    }
  }

  private async start(name: string, instanceId: string | undefined, body: string, version?: string): Promise<ManagementResponse> {
    if (body !== "") {
      try {
        JSON.parse(body);
      } catch {
        return message(400, "The request content is not valid JSON.");
      }
    }
    const id = await this.engine.startNew(name, { instanceId, inputJson: body === "" ? null : body, version });
    const payload = httpManagementPayload(this.settings, id);
    return json(202, payload, { Location: payload.statusQueryGetUri, "Retry-After": "10" });
  }

  private async raise(id: string, eventName: string, body: string): Promise<ManagementResponse> {
    const record = this.engine.getInstance(id);
    if (!record) return message(404, `No instance with ID '${id}' found.`);
    if (isTerminal(record.runtimeStatus)) return message(410, `The instance '${id}' has already completed.`);
    if (body !== "") {
      try {
        JSON.parse(body);
      } catch {
        return message(400, "Only application/json request content is supported");
      }
    }
    return operationResponse(await this.engine.raiseEvent(id, eventName, body === "" ? null : body), id);
  }

  private status(id: string, q: URLSearchParams): ManagementResponse {
    const record = this.engine.getInstance(id);
    if (!record) return message(404, `No instance with ID '${id}' found.`);
    const payload = statusPayload(record, {
      showHistory: q.get("showHistory") === "true",
      showHistoryOutput: q.get("showHistoryOutput") === "true",
      showInput: q.get("showInput") !== "false",
    });
    if (isTerminal(record.runtimeStatus)) return json(200, payload);
    const location = httpManagementPayload(this.settings, id).statusQueryGetUri;
    return json(202, payload, { Location: location, "Retry-After": "5" });
  }

  private list(q: URLSearchParams, headers: ManagementRequest["headers"]): ManagementResponse {
    const matches = this.engine.query(queryFrom(q));
    const tokenHeader = headers["x-ms-continuation-token"];
    const token = Array.isArray(tokenHeader) ? tokenHeader[0] : tokenHeader;
    const offset = token ? Number(Buffer.from(token, "base64").toString("utf8")) || 0 : 0;
    const top = Number(q.get("top")) || this.pageSize;
    const page = matches.slice(offset, offset + top);
    const showInput = q.get("showInput") === "true";
    const responseHeaders: Record<string, string> = {};
    if (offset + top < matches.length) responseHeaders["x-ms-continuation-token"] = Buffer.from(String(offset + top)).toString("base64");
    return json(
      200,
      page.map((r) => statusPayload(r, { showHistory: false, showHistoryOutput: false, showInput })),
      responseHeaders,
    );
  }

  private async purgeBy(q: URLSearchParams): Promise<ManagementResponse> {
    if (!q.get("createdTimeFrom")) return message(400, "createdTimeFrom is required to purge instance history by filter.");
    const deleted = await this.engine.purgeWhere(queryFrom(q));
    return deleted === 0 ? message(404, "No instances matched the filter.") : json(200, { instancesDeleted: deleted });
  }
}

function queryFrom(q: URLSearchParams): InstanceQuery {
  const time = (name: string): number | undefined => {
    const value = q.get(name);
    const ms = value ? Date.parse(value) : NaN;
    return Number.isNaN(ms) ? undefined : ms;
  };
  const statuses = q.get("runtimeStatus");
  return {
    runtimeStatus: statuses
      ? (statuses
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean) as RuntimeStatus[])
      : undefined,
    createdTimeFromMs: time("createdTimeFrom"),
    createdTimeToMs: time("createdTimeTo"),
    instanceIdPrefix: q.get("instanceIdPrefix") ?? undefined,
  };
}
