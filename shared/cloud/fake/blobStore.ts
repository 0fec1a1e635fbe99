// In-memory JobflowBlobStore: containers of named blobs with ETags (a counter), conditional JSON writes
// (ifMatch / ifNoneMatch "*" → ConflictError when the condition fails), append blobs, and read SAS URLs that carry
// a recognisable fake signature (tests check it never reaches a record or an error).
import { JobflowError } from "../../errors";
import type { BlobEntry, JobflowBlobStore, PutConditions, StoredJson } from "../blobStore";
import { CallRecorder } from "./recorder";

type Method =
  "getJson" | "putJson" | "putText" | "appendText" | "getText" | "putBytes" | "getBytes" | "list" | "delete" | "createReadSasUrl";

interface StoredBlob {
  bytes: Buffer;
  etag: string;
  contentType?: string;
  append: boolean;
}

/** The signature every fake SAS URL carries (`sig=` query parameter). */
export const FAKE_SAS_SIGNATURE = "FAKE-SAS-SIGNATURE-0123456789";

export class FakeBlobStore extends CallRecorder<Method> implements JobflowBlobStore {
  private readonly blobs = new Map<string, StoredBlob>();
  private etags = 0;

  async getJson<T>(container: string, name: string): Promise<StoredJson<T> | undefined> {
    this.enter("getJson", container, name);
    const b = this.blobs.get(key(container, name));
    return b ? { value: JSON.parse(b.bytes.toString("utf8")) as T, etag: b.etag } : undefined;
  }

  async putJson(container: string, name: string, value: unknown, options: PutConditions = {}): Promise<string> {
    this.enter("putJson", container, name, value, options);
    const existing = this.blobs.get(key(container, name));
    if (options.ifNoneMatch === "*" && existing)
      throw new JobflowError("ConflictError", `blob ${container}/${name} exists`, { statusCode: 409 });
    if (options.ifMatch !== undefined && existing?.etag !== options.ifMatch)
      throw new JobflowError("ConflictError", `blob ${container}/${name} changed`, { statusCode: 412 });
    return this.store(container, name, Buffer.from(JSON.stringify(value), "utf8"), "application/json");
  }

  async putText(container: string, name: string, text: string, options: { contentType?: string } = {}): Promise<string> {
    this.enter("putText", container, name, text, options);
    return this.store(container, name, Buffer.from(text, "utf8"), options.contentType ?? "text/plain");
  }

  async appendText(container: string, name: string, text: string): Promise<void> {
    this.enter("appendText", container, name, text);
    const existing = this.blobs.get(key(container, name));
    if (existing && !existing.append)
      throw new JobflowError("ConflictError", `blob ${container}/${name} is not an append blob`, { statusCode: 409 });
    this.store(container, name, Buffer.concat([existing?.bytes ?? Buffer.alloc(0), Buffer.from(text, "utf8")]), "text/plain", true);
  }

  async getText(container: string, name: string): Promise<string | undefined> {
    this.enter("getText", container, name);
    return this.blobs.get(key(container, name))?.bytes.toString("utf8");
  }

  async putBytes(container: string, name: string, bytes: Uint8Array, options: { contentType?: string } = {}): Promise<string> {
    this.enter("putBytes", container, name, bytes, options);
    return this.store(container, name, Buffer.from(bytes), options.contentType);
  }

  async getBytes(container: string, name: string): Promise<Buffer | undefined> {
    this.enter("getBytes", container, name);
    const b = this.blobs.get(key(container, name));
    return b ? Buffer.from(b.bytes) : undefined;
  }

  async list(container: string, prefix: string): Promise<BlobEntry[]> {
    this.enter("list", container, prefix);
    return [...this.blobs.entries()]
      .filter(([k]) => k.startsWith(key(container, prefix)))
      .map(([k, b]) => ({
        name: k.slice(container.length + 1),
        etag: b.etag,
        contentLength: b.bytes.length,
        lastModified: "2026-01-01T00:00:00.000Z",
      }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async delete(container: string, name: string): Promise<void> {
    this.enter("delete", container, name);
    this.blobs.delete(key(container, name));
  }

  async createReadSasUrl(container: string, name: string, options: { expiresInMinutes: number }): Promise<string> {
    this.enter("createReadSasUrl", container, name, options);
    return `https://fakestorage.blob.core.windows.net/${container}/${name}?sp=r&se=${options.expiresInMinutes}m&sig=${FAKE_SAS_SIGNATURE}`;
  }

  /** Names of the blobs in a container (all of them, or under a prefix). */
  names(container: string, prefix = ""): string[] {
    return [...this.blobs.keys()]
      .filter((k) => k.startsWith(key(container, prefix)))
      .map((k) => k.slice(container.length + 1))
      .sort();
  }

  /** The content type a blob was written with. */
  contentTypeOf(container: string, name: string): string | undefined {
    return this.blobs.get(key(container, name))?.contentType;
  }

  reset(): void {
    this.resetCalls();
    this.blobs.clear();
    this.etags = 0;
  }

  private store(container: string, name: string, bytes: Buffer, contentType?: string, append = false): string {
    const etag = `"0x${(++this.etags).toString(16).toUpperCase()}"`;
    this.blobs.set(key(container, name), { bytes, etag, append, ...(contentType ? { contentType } : {}) });
    return etag;
  }
}

const key = (container: string, name: string): string => `${container}/${name}`;
