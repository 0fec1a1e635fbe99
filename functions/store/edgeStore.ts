// Which cluster each edge VM is attached to: `edges/<vm>.json` in the jobs container, written after a successful
// run command. The source of truth for `GET /edges` and for detaching edges before a cluster is deleted.
import type { JobflowBlobStore } from "../../shared/cloud/blobStore";

export interface EdgeAttachment {
  vm: string;
  /** null = detached. */
  clusterName: string | null;
  requestedBy: string;
  updatedAt: string;
  /** The VM's most recent sync operation, successful or not (what the console's "last sync" shows). */
  lastSync?: EdgeLastSync;
}

export interface EdgeLastSync {
  at: string;
  mode: "attach" | "detach" | "switch";
  ok: boolean;
  clusterName: string | null;
  exitCode?: number;
  message?: string;
  /** The last lines of the sync script's output, with SAS signatures and tokens in URLs cut out. */
  outputTail?: string;
}

const blobName = (vm: string): string => `edges/${vm}.json`;

export class EdgeStore {
  constructor(
    private readonly blobs: JobflowBlobStore,
    private readonly container: string,
  ) {}

  async get(vm: string): Promise<EdgeAttachment | undefined> {
    return (await this.blobs.getJson<EdgeAttachment>(this.container, blobName(vm)))?.value;
  }

  async put(attachment: EdgeAttachment): Promise<void> {
    await this.blobs.putJson(this.container, blobName(attachment.vm), attachment);
  }

  async list(): Promise<EdgeAttachment[]> {
    const entries = await this.blobs.list(this.container, "edges/");
    const out: EdgeAttachment[] = [];
    for (const e of entries) {
      const a = (await this.blobs.getJson<EdgeAttachment>(this.container, e.name))?.value;
      if (a) out.push(a);
    }
    return out;
  }
}
