// LivyClient over the cluster gateway: `<gateway>/livy/batches…`. Livy's CSRF filter rejects POST/DELETE without
// an X-Requested-By header (400 "Missing Required Header for CSRF protection"), so we always send it.
import type { CallOptions } from "../common";
import type { LivyBatch, LivyBatchList, LivyBatchLog, LivyBatchRequest, LivyClient } from "../livy";
import { GatewayHttp, type GatewayClientOptions } from "./gatewayHttp";

const CSRF_HEADER = { "x-requested-by": "jobflow" };

export function createLivyClient(options: GatewayClientOptions): LivyClient {
  const http = new GatewayHttp(options);
  const batchPath = (id: number): string => `/livy/batches/${encodeURIComponent(String(id))}`;
  const query = (params: Record<string, number | undefined>): string => {
    const entries = Object.entries(params).filter(([, v]) => v !== undefined) as [string, number][];
    return entries.length ? `?${new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)])).toString()}` : "";
  };

  return {
    async submitBatch(body: LivyBatchRequest, o?: CallOptions): Promise<LivyBatch> {
      const batch = await http.json<LivyBatch>("POST", "/livy/batches", {
        body,
        headers: CSRF_HEADER,
        notIdempotent: true,
        abortSignal: o?.abortSignal,
      });
      if (!batch || typeof batch.id !== "number") throw new Error("POST /livy/batches: Livy returned no batch id");
      return batch;
    },
    getBatch: (id, o) => http.json<LivyBatch>("GET", batchPath(id), { allowNotFound: true, abortSignal: o?.abortSignal }),
    async getBatchLog(id, range, o): Promise<LivyBatchLog | undefined> {
      const raw = await http.json<{ id: number; from: number; total?: number; size?: number; log?: string[] }>(
        "GET",
        `${batchPath(id)}/log${query({ from: range?.from, size: range?.size })}`,
        { allowNotFound: true, abortSignal: o?.abortSignal },
      );
      if (!raw) return undefined;
      const log = raw.log ?? [];
      return { id: raw.id ?? id, from: raw.from ?? 0, total: raw.total ?? raw.size ?? log.length, log };
    },
    async listBatches(o): Promise<LivyBatchList> {
      const raw = await http.json<Partial<LivyBatchList>>("GET", `/livy/batches${query({ from: o?.from, size: o?.size })}`, {
        abortSignal: o?.abortSignal,
      });
      const sessions = raw?.sessions ?? [];
      return { from: raw?.from ?? 0, total: raw?.total ?? sessions.length, sessions };
    },
    async deleteBatch(id, o): Promise<void> {
      await http.send("DELETE", batchPath(id), { headers: CSRF_HEADER, allowNotFound: true, abortSignal: o?.abortSignal });
    },
  };
}
