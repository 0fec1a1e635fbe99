// Writes a run's full stdout / stderr to the append blobs a managed Run Command names (outputBlobUri /
// errorBlobUri), as the Linux run-command handler does: the blob is created when the script starts and each chunk
// is appended as it arrives (Put Blob with x-ms-blob-type AppendBlob, then Append Block). The URI carries its own
// SAS, as Jobflow passes it; Azurite locally. Write failures never fail the run: they are reported in the run's
// executionMessage, since Azure reports the script's outcome independently of the blob upload.
const BLOB_API_VERSION = "2021-08-06";
/** Append Block's limit is 4 MiB per call. */
const MAX_BLOCK = 4 * 1024 * 1024;

export class AppendBlobSink {
  private chain: Promise<void>;
  private failure?: string;

  constructor(private readonly uri: string) {
    this.chain = this.put(uri, undefined, { "x-ms-blob-type": "AppendBlob" });
  }

  /** Queues a chunk; writes keep their order. */
  append(chunk: Buffer): void {
    for (let at = 0; at < chunk.length; at += MAX_BLOCK) {
      const block = chunk.subarray(at, at + MAX_BLOCK);
      this.chain = this.chain.then(() => this.put(withQuery(this.uri, "comp=appendblock"), block, {}));
    }
  }

  /** Resolves when every queued write is done; the first failure, if any (without the URI's SAS). */
  async flush(): Promise<string | undefined> {
    await this.chain;
    return this.failure;
  }

  private async put(url: string, body: Buffer | undefined, headers: Record<string, string>): Promise<void> {
    if (this.failure) return;
    try {
      const res = await fetch(url, {
        method: "PUT",
        headers: { "x-ms-version": BLOB_API_VERSION, "content-length": String(body?.length ?? 0), ...headers },
        ...(body ? { body } : {}),
      });
      if (res.status >= 300) this.failure = `${redact(this.uri)} answered ${res.status}`;
    } catch (e) {
      this.failure = `${redact(this.uri)}: ${(e as Error).message}`;
    }
  }
}

function withQuery(uri: string, query: string): string {
  return uri.includes("?") ? `${uri}&${query}` : `${uri}?${query}`;
}

/** The blob URI without its query (the SAS token is a credential). */
export function redact(uri: string): string {
  return uri.split("?")[0];
}

/** Downloads a script from source.scriptUri (a SAS URL or a public one), as the handler does before running it. */
export async function downloadScript(uri: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(uri);
  } catch (e) {
    throw new Error(`Failed to download the script from '${redact(uri)}': ${(e as Error).message}`);
  }
  if (res.status !== 200) throw new Error(`Failed to download the script from '${redact(uri)}': HTTP ${res.status}.`);
  return res.text();
}
