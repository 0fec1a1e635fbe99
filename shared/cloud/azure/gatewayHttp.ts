// HTTP to a cluster's HTTPS gateway (Livy, Ambari, YARN) over the same @azure/core-rest-pipeline as the ARM clients,
// so TLS CA, retries (Retry-After, 5xx, network) and our bare-429 policy behave identically. Basic auth with the
// cluster login; the credentials live only in the signing policy's closure (the pipeline's log policy redacts
// the Authorization header).
import {
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  RestError,
  type HttpClient,
  type HttpMethods,
  type Pipeline,
  type PipelinePolicy,
  type PipelineResponse,
} from "@azure/core-rest-pipeline";
import type { PipelineRetryOptions } from "@azure/core-rest-pipeline";
import { systemClock, type Clock } from "../../clock";
import { isErrorNamed } from "../../errors";
import type { CallOptions } from "../common";
import { tlsOptionsFor } from "./clientOptions";
import { mapAzureError } from "./mapError";
import { addRetryOn429Policy, type RetryOn429Options } from "./retryOn429Policy";
import { retryRejectedOnlyPolicy } from "./retryRejectedOnlyPolicy";

export interface GatewayCredentials {
  username: string;
  password: string;
}

export interface GatewayClientOptions {
  /** The cluster's gateway base URL, e.g. "https://c1.azurehdinsight.net" or the sandbox's "https://127.0.0.1:P/gateway/c1". */
  gatewayUrl: string;
  credentials: GatewayCredentials;
  caPem?: string | Buffer;
  retryOptions?: PipelineRetryOptions;
  retryOn429?: RetryOn429Options;
  clock?: Clock;
}

export interface GatewayRequest extends CallOptions {
  /**
   * The request must not be processed twice (e.g. Livy POST /batches): only refusals that prove it was not processed
   * (429, 503) are retried; network errors and other 5xx surface at once.
   */
  notIdempotent?: boolean;
  body?: unknown;
  headers?: Record<string, string>;
  /** Return the body as a Buffer instead of text (binary downloads). */
  binary?: boolean;
}

export interface GatewayResponse {
  status: number;
  text?: string;
  bytes?: Buffer;
}

export function basicAuthPolicy(credentials: GatewayCredentials): PipelinePolicy {
  const value = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, "utf8").toString("base64")}`;
  return {
    name: "jobflowGatewayBasicAuthPolicy",
    sendRequest: (request, next) => {
      request.headers.set("authorization", value);
      return next(request);
    },
  };
}

let shared: HttpClient | undefined;
/** One HTTP client (and so one keep-alive agent per TLS setting) for every gateway client of the process. */
function sharedHttpClient(): HttpClient {
  return (shared ??= createDefaultHttpClient());
}

export class GatewayHttp {
  private readonly pipeline: Pipeline;
  private readonly onceOnlyPipeline: Pipeline;
  private readonly httpClient: HttpClient;
  private readonly baseUrl: string;
  private readonly clock: Clock;

  constructor(options: GatewayClientOptions) {
    this.baseUrl = options.gatewayUrl.replace(/\/+$/, "");
    this.clock = options.clock ?? systemClock;
    const base = { userAgentOptions: { userAgentPrefix: "jobflow" }, ...tlsOptionsFor(options.caPem) };
    this.pipeline = createPipelineFromOptions({ ...base, retryOptions: options.retryOptions });
    this.pipeline.addPolicy(basicAuthPolicy(options.credentials), { phase: "Sign" });
    addRetryOn429Policy(this.pipeline, { clock: this.clock, ...options.retryOn429 });
    this.onceOnlyPipeline = createPipelineFromOptions({ ...base, retryOptions: { ...options.retryOptions, maxRetries: 0 } });
    this.onceOnlyPipeline.addPolicy(basicAuthPolicy(options.credentials), { phase: "Sign" });
    this.onceOnlyPipeline.addPolicy(
      retryRejectedOnlyPolicy({
        clock: this.clock,
        maxRetries: options.retryOptions?.maxRetries,
        retryDelayInMs: options.retryOptions?.retryDelayInMs,
        maxRetryDelayInMs: options.retryOptions?.maxRetryDelayInMs,
        ...options.retryOn429,
      }),
      { afterPhase: "Retry" },
    );
    this.httpClient = sharedHttpClient(); // keep-alive connections outlive this (per-call) client
  }

  /**
   * Sends one request; resolves for 2xx, and for 404 when `allowNotFound` (status 404, no body). Any other status is
   * thrown as a named error via mapAzureError (a RestError for statuses without a Jobflow meaning, e.g. 400).
   */
  async send(method: HttpMethods, path: string, request: GatewayRequest & { allowNotFound?: boolean } = {}): Promise<GatewayResponse> {
    const context = `${method} ${path.split("?")[0]}`;
    const headers = createHttpHeaders({ accept: "application/json", ...request.headers });
    let body: string | undefined;
    if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      headers.set("content-type", "application/json");
    }
    const pipelineRequest = createPipelineRequest({
      url: this.baseUrl + path,
      method,
      headers,
      body,
      abortSignal: request.abortSignal,
      ...(request.binary ? { streamResponseStatusCodes: new Set([200]) } : {}),
    });
    let response: PipelineResponse;
    try {
      const pipeline = request.notIdempotent ? this.onceOnlyPipeline : this.pipeline;
      response = await pipeline.sendRequest(this.httpClient, pipelineRequest);
    } catch (err) {
      throw mapAzureError(err, context, this.clock);
    }
    if (response.status >= 200 && response.status < 300) {
      if (request.binary && response.readableStreamBody) {
        return { status: response.status, bytes: await readAll(response.readableStreamBody) };
      }
      return { status: response.status, text: response.bodyAsText ?? "" };
    }
    const detail = (response.bodyAsText ?? "").slice(0, 300).replace(/\s+/g, " ").trim();
    const error = new RestError(`${context} answered ${response.status}${detail ? `: ${detail}` : ""}`, {
      statusCode: response.status,
      response,
    });
    const mapped = mapAzureError(error, context, this.clock);
    if (request.allowNotFound && isErrorNamed(mapped, "NotFoundError")) return { status: 404 };
    throw mapped;
  }

  /** send() and parse the JSON body; undefined for an allowed 404. */
  async json<T>(method: HttpMethods, path: string, request: GatewayRequest & { allowNotFound?: boolean } = {}): Promise<T | undefined> {
    const response = await this.send(method, path, request);
    if (response.status === 404) return undefined;
    if (!response.text) return undefined;
    return JSON.parse(response.text) as T;
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}
