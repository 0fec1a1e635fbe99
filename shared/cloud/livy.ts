// Livy batch REST through a cluster's HTTPS gateway (`<gateway>/livy/batches…`), one client per cluster.
// Livy forgets finished batches ~10 min after they end, so a 404 on a batch that ran is "unknown", not an error.
import type { CallOptions } from "./common";

/** POST /batches body (Livy 0.7 CreateBatchRequest). */
export interface LivyBatchRequest {
  file: string;
  className?: string;
  args?: string[];
  jars?: string[];
  pyFiles?: string[];
  files?: string[];
  archives?: string[];
  driverMemory?: string;
  driverCores?: number;
  executorMemory?: string;
  executorCores?: number;
  numExecutors?: number;
  queue?: string;
  name?: string;
  conf?: Record<string, string>;
  proxyUser?: string;
}

/** not_started | starting | recovering | idle | running | busy | shutting_down | error | dead | killed | success */
export type LivyBatchState = string;

export interface LivyBatch {
  id: number;
  name?: string | null;
  state: LivyBatchState;
  appId?: string | null;
  appInfo?: Record<string, string | null>;
  /** The last lines Livy keeps (≤ 200 by default). */
  log?: string[];
}

export interface LivyBatchLog {
  id: number;
  from: number;
  total: number;
  log: string[];
}

export interface LivyBatchList {
  from: number;
  total: number;
  sessions: LivyBatch[];
}

export interface LivyClient {
  /**
   * Submits a batch (POST, with X-Requested-By). NOT idempotent: each call that gets through starts a new Spark
   * application, so only refusals (429, 503) are retried inside; after a TransientError (network error, 500/502/504)
   * the batch may exist: look for it by `name` in listBatches before submitting again. Callers record the returned id
   * before anything else. Throws ThrottledError, TransientError, AuthError; a 400 from Livy surfaces as RestError.
   */
  submitBatch(body: LivyBatchRequest, options?: CallOptions): Promise<LivyBatch>;

  /** The batch, or undefined on 404 (never existed, or finished and forgotten). Read-only. */
  getBatch(id: number, options?: CallOptions): Promise<LivyBatch | undefined>;

  /** A slice of the batch's log (`from` line, `size` lines); undefined on 404. Read-only. */
  getBatchLog(id: number, range?: { from?: number; size?: number }, options?: CallOptions): Promise<LivyBatchLog | undefined>;

  /** Batches Livy still knows. Read-only. */
  listBatches(options?: CallOptions & { from?: number; size?: number }): Promise<LivyBatchList>;

  /** Kills (if running) and forgets the batch (DELETE, with X-Requested-By). 404 is success. Idempotent. */
  deleteBatch(id: number, options?: CallOptions): Promise<void>;
}
