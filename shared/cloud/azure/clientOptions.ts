// The options bag every SDK-backed implementation takes, so the same code points at Azure or at the local HTTPS
// sandbox: only endpoint, credential and CA change.
import type { TokenCredential } from "@azure/identity";
import type { PipelineRetryOptions, TlsSettings } from "@azure/core-rest-pipeline";
import type { Clock } from "../../clock";
import type { RetryOn429Options } from "./retryOn429Policy";

export const ARM_SCOPE = "https://management.azure.com/.default";

export interface AzureClientOptions {
  /** Service base URL (ARM: "https://management.azure.com"; the sandbox: "https://127.0.0.1:PORT"). */
  endpoint?: string;
  credential: TokenCredential;
  /** Extra trusted CA certificate(s), PEM, e.g. the sandbox's self-signed certificate. */
  caPem?: string | Buffer;
  /** The SDK's own retries (429/503 with Retry-After, 5xx, network errors). */
  retryOptions?: PipelineRetryOptions;
  /** Our retries of bare 429s (see retryOn429Policy). */
  retryOn429?: RetryOn429Options;
  /** Clock for backoff waits and SAS times (default: the system clock). */
  clock?: Clock;
}

const tlsSettingsByCa = new Map<string | Buffer, TlsSettings>();

/**
 * `tlsOptions` for an SDK client or pipeline: only when a CA is given (else the system trust store applies). The
 * same CA gives the same settings object: the HTTP client keys its keep-alive agents by that object, so clients
 * built per call (gateway clients) reuse connections instead of a TLS handshake per request.
 */
export function tlsOptionsFor(caPem: string | Buffer | undefined): { tlsOptions?: TlsSettings } {
  if (caPem === undefined) return {};
  let settings = tlsSettingsByCa.get(caPem);
  if (!settings) tlsSettingsByCa.set(caPem, (settings = { ca: caPem }));
  return { tlsOptions: settings };
}

export function retryOn429OptionsFor(options: AzureClientOptions): RetryOn429Options {
  return { clock: options.clock, ...options.retryOn429 };
}
