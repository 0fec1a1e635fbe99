// The client-config bundle handed to edge VMs: Ambari's /etc-style `<service>/conf/<file>` folders are flattened to
// the edge script's `<service>/<file>`; a bundle already in that layout passes through. Real tar + gzip.
import { Readable } from "node:stream";
import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { extract, pack } from "tar-stream";
import { edgeEntryName, toEdgeBundleLayout } from "../../../functions/activities/edgeBundleLayout";

async function tarGz(files: Record<string, string>): Promise<Buffer> {
  const p = pack();
  const out: Buffer[] = [];
  p.on("data", (c: Buffer) => out.push(c));
  const done = new Promise((r) => p.on("end", r));
  p.entry({ name: "hadoop/", type: "directory" });
  for (const [name, text] of Object.entries(files)) p.entry({ name }, text);
  p.finalize();
  await done;
  return gzipSync(Buffer.concat(out));
}

async function listing(bundle: Buffer): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const x = extract();
  Readable.from([gunzipSync(bundle)]).pipe(x);
  for await (const entry of x) {
    const chunks: Buffer[] = [];
    for await (const c of entry) chunks.push(c as Buffer);
    files[`${entry.header.type}:${entry.header.name}`] = Buffer.concat(chunks).toString("utf8");
  }
  return files;
}

describe("edge bundle layout", () => {
  it("flattens <service>/conf/ folders and keeps files only", async () => {
    const out = await toEdgeBundleLayout(
      await tarGz({
        "hadoop/conf/core-site.xml": "<core/>",
        "./spark3/conf/spark-env.sh": "export X=1\n",
        "hive/hive-site.xml": "<hive/>",
      }),
    );
    expect(await listing(out)).toEqual({
      "file:hadoop/core-site.xml": "<core/>",
      "file:spark3/spark-env.sh": "export X=1\n",
      "file:hive/hive-site.xml": "<hive/>",
    });
  });

  it("renames only the first conf level", () => {
    expect(edgeEntryName("tez/conf/conf/tez-site.xml")).toBe("tez/conf/tez-site.xml");
    expect(edgeEntryName("zookeeper/zoo.cfg")).toBe("zookeeper/zoo.cfg");
  });
});
