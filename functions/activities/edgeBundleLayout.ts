// The client-config bundle as the edge sync script takes it: `<service>/<file>` (the script links /etc/<service>/conf
// to `clusters/<cluster>/<service>`). Ambari's all-clients bundle nests each service's files one level deeper, in
// /etc-style `<service>/conf/<file>` folders; this flattens that level so /etc/hadoop/conf/core-site.xml resolves.
// Entries already in the script's layout pass through unchanged; only regular files are kept (folders are implied).
import { Readable } from "node:stream";
import { gunzipSync, gzipSync } from "node:zlib";
import { extract, pack } from "tar-stream";

interface FileEntry {
  name: string;
  data: Buffer;
  mtime?: Date;
}

/** `hadoop/conf/core-site.xml` → `hadoop/core-site.xml`; other names unchanged (a leading `./` is dropped). */
export function edgeEntryName(name: string): string {
  return name.replace(/^\.\//, "").replace(/^([^/]+)\/conf\//, "$1/");
}

/** Rewrites a tar.gz client-config bundle into the edge script's `<service>/<file>` layout. */
export async function toEdgeBundleLayout(bundle: Buffer): Promise<Buffer> {
  const files: FileEntry[] = [];
  const reader = extract();
  Readable.from([gunzipSync(bundle)]).pipe(reader);
  for await (const entry of reader) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    if (entry.header.type === "file")
      files.push({ name: edgeEntryName(entry.header.name), data: Buffer.concat(chunks), mtime: entry.header.mtime });
  }
  const writer = pack();
  const out: Buffer[] = [];
  writer.on("data", (c: Buffer) => out.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    writer.on("end", resolve);
    writer.on("error", reject);
  });
  for (const f of files) writer.entry({ name: f.name, size: f.data.length, mode: 0o644, ...(f.mtime ? { mtime: f.mtime } : {}) }, f.data);
  writer.finalize();
  await ended;
  return gzipSync(Buffer.concat(out));
}
