// JobflowBlobStore over @azure/storage-blob. Storage signals throttling with 503/500 (retried by the SDK's own
// StorageRetryPolicy), so the bare-429 policy of the ARM clients is not needed here. Containers are created lazily on
// the first write that finds them missing.
import {
  BlobSASPermissions,
  BlobServiceClient,
  generateBlobSASQueryParameters,
  SASProtocol,
  StorageSharedKeyCredential,
  type ContainerClient,
  type StoragePipelineOptions,
  type UserDelegationKey,
} from "@azure/storage-blob";
import type { TokenCredential } from "@azure/identity";
import { systemClock, type Clock } from "../../clock";
import { isErrorNamed } from "../../errors";
import type { BlobEntry, JobflowBlobStore, PutConditions, StoredJson } from "../blobStore";
import type { CallOptions } from "../common";
import { mapAzureError } from "./mapError";

export type BlobStoreOptions = (
  { connectionString: string } | { blobUrl: string; credential: TokenCredential | StorageSharedKeyCredential }
) & {
  retryOptions?: StoragePipelineOptions["retryOptions"];
  /** Extra trusted CA (PEM), e.g. an HTTPS Azurite's self-signed certificate. */
  caPem?: string | Buffer;
  clock?: Clock;
};

const APPEND_BLOCK_MAX_BYTES = 4 * 1024 * 1024;
/**
 * Service version of user-delegation SAS tokens. storage-blob 12.32 defaults to 2026-04-06, whose string-to-sign
 * Azurite 3.35 does not know yet (it stops at 2025-07-05); Azure accepts both, so we sign with the older one.
 */
const USER_DELEGATION_SAS_VERSION = "2025-07-05";
const CLOCK_SKEW_MS = 5 * 60_000;
const MAX_CACHED_CONTAINERS = 64;

export function createBlobStore(options: BlobStoreOptions): JobflowBlobStore {
  const clock = options.clock ?? systemClock;
  // StoragePipelineOptions has no tlsOptions field, but storage-blob hands its pipeline options on to
  // core-rest-pipeline's createPipelineFromOptions (Pipeline.js getCoreClientOptions), which installs the TLS policy.
  const pipelineOptions: StoragePipelineOptions & { tlsOptions?: { ca: string | Buffer } } = {
    retryOptions: options.retryOptions,
    userAgentOptions: { userAgentPrefix: "jobflow" },
    ...(options.caPem === undefined ? {} : { tlsOptions: { ca: options.caPem } }),
  };
  const service =
    "connectionString" in options
      ? BlobServiceClient.fromConnectionString(options.connectionString, pipelineOptions)
      : new BlobServiceClient(options.blobUrl, options.credential, pipelineOptions);
  const sharedKey = service.credential instanceof StorageSharedKeyCredential ? service.credential : undefined;
  // A container client is a pipeline-sized object (≈ 1 % of a bench:scale profile when built per call); Jobflow
  // uses a handful of containers (config.containers), so each is built once; the cap only bounds a misuse. Blob
  // clients stay per call (one per blob name).
  const containers = new Map<string, ContainerClient>();
  const containerClient = (name: string): ContainerClient => {
    let client = containers.get(name);
    if (!client) {
      client = service.getContainerClient(name);
      if (containers.size < MAX_CACHED_CONTAINERS) containers.set(name, client);
    }
    return client;
  };
  let delegationKey: { key: UserDelegationKey; validUntilMs: number } | undefined;

  const fail = (err: unknown, context: string): unknown => mapAzureError(err, context, clock);
  const errorCode = (err: unknown): string | undefined =>
    (err as { details?: { errorCode?: string }; code?: string } | null)?.details?.errorCode ?? (err as { code?: string } | null)?.code;

  /** Runs a write; if the container is missing, creates it once and retries. */
  async function write<T>(container: string, context: string, fn: (c: ContainerClient) => Promise<T>, o?: CallOptions): Promise<T> {
    const client = containerClient(container);
    try {
      return await fn(client);
    } catch (err) {
      if (errorCode(err) !== "ContainerNotFound") throw fail(err, context);
    }
    try {
      await client.createIfNotExists({ abortSignal: o?.abortSignal });
      return await fn(client);
    } catch (err) {
      throw fail(err, context);
    }
  }

  /** Runs a read; any 404 (blob or container) → undefined. */
  async function read<T>(context: string, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (err) {
      const mapped = fail(err, context);
      if (isErrorNamed(mapped, "NotFoundError")) return undefined;
      throw mapped;
    }
  }

  async function download(container: string, name: string, o?: CallOptions): Promise<{ bytes: Buffer; etag: string } | undefined> {
    return read(`read blob ${container}/${name}`, async () => {
      const response = await containerClient(container).getBlobClient(name).download(0, undefined, { abortSignal: o?.abortSignal });
      const bytes = response.readableStreamBody ? await readAll(response.readableStreamBody) : Buffer.alloc(0);
      return { bytes, etag: response.etag ?? "" };
    });
  }

  async function upload(container: string, name: string, body: Buffer, contentType: string, o?: PutConditions): Promise<string> {
    return write(
      container,
      `write blob ${container}/${name}`,
      async (c) => {
        const response = await c.getBlockBlobClient(name).upload(body, body.length, {
          abortSignal: o?.abortSignal,
          blobHTTPHeaders: { blobContentType: contentType },
          conditions: { ifMatch: o?.ifMatch, ifNoneMatch: o?.ifNoneMatch },
        });
        return response.etag ?? "";
      },
      o,
    );
  }

  async function sasCredentialFor(startsOn: Date, expiresOn: Date, o?: CallOptions): Promise<UserDelegationKey> {
    if (delegationKey && delegationKey.validUntilMs >= expiresOn.getTime()) return delegationKey.key;
    // One key per day-ish window: a user delegation key may live up to 7 days; ask for a little longer than needed.
    const keyExpires = new Date(Math.max(expiresOn.getTime(), clock.nowMs() + 24 * 3_600_000));
    const key = await service.getUserDelegationKey(startsOn, keyExpires, { abortSignal: o?.abortSignal });
    delegationKey = { key, validUntilMs: keyExpires.getTime() };
    return key;
  }

  return {
    async getJson<T>(container: string, name: string, o?: CallOptions): Promise<StoredJson<T> | undefined> {
      const got = await download(container, name, o);
      return got && { value: JSON.parse(got.bytes.toString("utf8")) as T, etag: got.etag };
    },
    putJson: (container, name, value, o) =>
      upload(container, name, Buffer.from(JSON.stringify(value), "utf8"), "application/json; charset=utf-8", o),
    putText: (container, name, text, o) =>
      upload(container, name, Buffer.from(text, "utf8"), o?.contentType ?? "text/plain; charset=utf-8", { abortSignal: o?.abortSignal }),
    putBytes: (container, name, bytes, o) =>
      upload(container, name, Buffer.from(bytes), o?.contentType ?? "application/octet-stream", { abortSignal: o?.abortSignal }),

    async appendText(container: string, name: string, text: string, o?: CallOptions): Promise<void> {
      const bytes = Buffer.from(text, "utf8");
      await write(
        container,
        `append to blob ${container}/${name}`,
        async (c) => {
          const blob = c.getAppendBlobClient(name);
          await blob.createIfNotExists({ abortSignal: o?.abortSignal, blobHTTPHeaders: { blobContentType: "text/plain; charset=utf-8" } });
          for (let offset = 0; offset < bytes.length; offset += APPEND_BLOCK_MAX_BYTES) {
            const chunk = bytes.subarray(offset, offset + APPEND_BLOCK_MAX_BYTES);
            await blob.appendBlock(chunk, chunk.length, { abortSignal: o?.abortSignal });
          }
        },
        o,
      );
    },

    async getText(container, name, o): Promise<string | undefined> {
      return (await download(container, name, o))?.bytes.toString("utf8");
    },
    async getBytes(container, name, o): Promise<Buffer | undefined> {
      return (await download(container, name, o))?.bytes;
    },

    async list(container: string, prefix: string, o?: CallOptions): Promise<BlobEntry[]> {
      const out = await read(`list blobs ${container}/${prefix}*`, async () => {
        const entries: BlobEntry[] = [];
        for await (const item of containerClient(container).listBlobsFlat({ prefix, abortSignal: o?.abortSignal })) {
          entries.push({
            name: item.name,
            etag: item.properties.etag ?? "",
            contentLength: item.properties.contentLength ?? 0,
            lastModified: item.properties.lastModified.toISOString(),
          });
        }
        return entries;
      });
      return out ?? [];
    },

    async delete(container: string, name: string, o?: CallOptions): Promise<void> {
      await read(`delete blob ${container}/${name}`, () =>
        containerClient(container).getBlobClient(name).deleteIfExists({ deleteSnapshots: "include", abortSignal: o?.abortSignal }),
      );
    },

    async createReadSasUrl(container: string, name: string, o: CallOptions & { expiresInMinutes: number }): Promise<string> {
      const blob = containerClient(container).getBlobClient(name);
      const startsOn = new Date(clock.nowMs() - CLOCK_SKEW_MS);
      const expiresOn = new Date(clock.nowMs() + o.expiresInMinutes * 60_000);
      const permissions = BlobSASPermissions.parse("r");
      try {
        if (sharedKey) {
          // Azurite/connection strings speak plain http locally; Azure endpoints are https either way.
          const protocol = blob.url.startsWith("https:") ? SASProtocol.Https : SASProtocol.HttpsAndHttp;
          return await blob.generateSasUrl({ permissions, startsOn, expiresOn, protocol });
        }
        const key = await sasCredentialFor(startsOn, expiresOn, o);
        const sas = generateBlobSASQueryParameters(
          {
            containerName: container,
            blobName: name,
            permissions,
            startsOn,
            expiresOn,
            protocol: SASProtocol.Https,
            version: USER_DELEGATION_SAS_VERSION,
          },
          key,
          service.accountName,
        ).toString();
        return `${blob.url}?${sas}`;
      } catch (err) {
        throw fail(err, `create SAS for ${container}/${name}`);
      }
    },
  };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}
