// Incoming signed requests (compute leases): caller allowed by JOBFLOW_WEBHOOK_CALLERS, secret webhook-<caller>
// from the secret store, timestamp window, HMAC over `<timestamp>.<body>`, and replay protection — an accepted
// signature is remembered in Blob (create-once) for the window, so the same request cannot be accepted twice.
// What it reads arrives as SignedRequestDeps (the routes' RouteDeps, the reaper's services).
import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import type { JobflowBlobStore } from "../../shared/cloud/blobStore";
import type { SecretStore } from "../../shared/cloud/secrets";
import type { Clock } from "../../shared/clock";
import type { JobflowConfig } from "../../shared/config";
import { isErrorNamed } from "../../shared/errors";
import { SIGNATURE_WINDOW_SECONDS, callerSecretName, verifySignedRequest } from "../../shared/policies/webhookSignature";
import { problem } from "../http/problem";

/** The allowed callers and the audit container (config), "now", the replay markers' store and the callers' secrets. */
export interface SignedRequestDeps {
  config: Pick<JobflowConfig, "webhookCallers" | "containers">;
  clock: Pick<Clock, "nowMs">;
  blobs: JobflowBlobStore;
  secrets: SecretStore;
}

const REPLAY_PREFIX = "webhook-replay/";
const MAX_BODY_BYTES = 64 * 1024;

export type SignedRequest = { ok: true; caller: string; body: string } | { ok: false; response: HttpResponseInit };

export async function readSignedRequest(deps: SignedRequestDeps, request: HttpRequest): Promise<SignedRequest> {
  const body = await request.text();
  if (Buffer.byteLength(body) > MAX_BODY_BYTES)
    return { ok: false, response: problem(413, "Request too large", `at most ${MAX_BODY_BYTES} bytes`) };
  const nowMs = deps.clock.nowMs();
  const check = await verifySignedRequest({
    headers: request.headers,
    body,
    nowMs,
    allowedCallers: deps.config.webhookCallers,
    secretFor: async (caller) => {
      try {
        return await deps.secrets.getSecret(callerSecretName(caller));
      } catch (err) {
        if (isErrorNamed(err, "NotFoundError")) return undefined;
        throw err;
      }
    },
  });
  if (!check.ok)
    return { ok: false, response: problem(check.status, check.status === 401 ? "Bad signature" : "Caller not allowed", check.reason) };
  // Create-once marker: a second request with the same signature within the window is a replay.
  try {
    await deps.blobs.putJson(
      deps.config.containers.audit,
      `${REPLAY_PREFIX}${check.timestampSeconds}-${check.signatureId}`,
      { caller: check.caller, seenAt: new Date(nowMs).toISOString() },
      { ifNoneMatch: "*" },
    );
  } catch (err) {
    if (isErrorNamed(err, "ConflictError"))
      return {
        ok: false,
        response: problem(409, "Replayed request", "this signature was already used; sign each request with a fresh timestamp"),
      };
    throw err;
  }
  return { ok: true, caller: check.caller, body };
}

/** Deletes replay markers older than the window (their timestamps would be refused anyway). Called by the reaper. */
export async function purgeReplayMarkers(deps: Pick<SignedRequestDeps, "config" | "blobs">, nowMs: number): Promise<number> {
  const { blobs, config } = deps;
  const entries = await blobs.list(config.containers.audit, REPLAY_PREFIX);
  const oldest = nowMs / 1000 - 2 * SIGNATURE_WINDOW_SECONDS;
  const stale = entries.filter((e) => Number(e.name.slice(REPLAY_PREFIX.length).split("-")[0]) < oldest);
  await Promise.all(stale.map((e) => blobs.delete(config.containers.audit, e.name)));
  return stale.length;
}
