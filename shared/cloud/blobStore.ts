// Jobflow's own storage: job records (JSON with ETag optimistic concurrency), step logs (append), client config
// bundles (bytes) and read-only SAS links handed to edge VMs. Containers are created on first write.
import type { CallOptions } from "./common";

export interface StoredJson<T> {
  value: T;
  /** Opaque ETag to pass as `ifMatch` on the next write. */
  etag: string;
}

export interface PutConditions extends CallOptions {
  /** Write only if the blob still has this ETag (ConflictError otherwise). */
  ifMatch?: string;
  /** "*" = write only if the blob does not exist yet (ConflictError otherwise). */
  ifNoneMatch?: "*";
}

export interface BlobEntry {
  name: string;
  etag: string;
  contentLength: number;
  /** ISO 8601. */
  lastModified: string;
}

export interface JobflowBlobStore {
  /** The parsed JSON and its ETag, or undefined when the blob (or container) does not exist. Read-only. */
  getJson<T>(container: string, name: string, options?: CallOptions): Promise<StoredJson<T> | undefined>;

  /**
   * Writes a JSON document and returns its new ETag. With `ifMatch`/`ifNoneMatch` the write is conditional and throws
   * ConflictError when the condition fails (412/409): re-read and retry. Without conditions it overwrites (idempotent).
   */
  putJson(container: string, name: string, value: unknown, options?: PutConditions): Promise<string>;

  /** Writes (overwrites) a UTF-8 text blob; returns the ETag. Idempotent. */
  putText(container: string, name: string, text: string, options?: CallOptions & { contentType?: string }): Promise<string>;

  /**
   * Appends UTF-8 text to an append blob, creating it when missing. NOT idempotent (a retried append repeats the
   * text): use for logs only. Throws ConflictError when `name` exists as a non-append blob.
   */
  appendText(container: string, name: string, text: string, options?: CallOptions): Promise<void>;

  /** The blob's text, or undefined when it does not exist. Read-only. */
  getText(container: string, name: string, options?: CallOptions): Promise<string | undefined>;

  /** Writes (overwrites) bytes, e.g. a client-config tar.gz; returns the ETag. Idempotent. */
  putBytes(container: string, name: string, bytes: Uint8Array, options?: CallOptions & { contentType?: string }): Promise<string>;

  /** The blob's bytes, or undefined when it does not exist. Read-only. */
  getBytes(container: string, name: string, options?: CallOptions): Promise<Buffer | undefined>;

  /** Blobs whose names start with `prefix` (all pages), in name order; [] for a missing container. Read-only. */
  list(container: string, prefix: string, options?: CallOptions): Promise<BlobEntry[]>;

  /** Deletes the blob (and its snapshots). A missing blob is success. Idempotent. */
  delete(container: string, name: string, options?: CallOptions): Promise<void>;

  /**
   * A URL that lets anyone holding it read this one blob until it expires (read permission only, HTTPS-only in Azure).
   * User-delegation SAS with a token credential, account-key SAS with a shared key (Azurite). Treat it as a secret:
   * pass it to a run command as a protected parameter, never log it.
   */
  createReadSasUrl(container: string, name: string, options: CallOptions & { expiresInMinutes: number }): Promise<string>;
}
