// "Touches S3A" detection: every field of a step that can name an s3a:// location or configure S3A.
import { describe, expect, it } from "vitest";
import { s3aMentions, touchesS3a } from "../../../shared/s3a/touches";

const base = { id: "s", file: "abfss://code@acct.dfs.core.windows.net/app.py" };

describe("s3aMentions", () => {
  it.each([
    ["file", { ...base, file: "s3a://b/app.py" }, ["/file"]],
    ["file written s3:// (rewritten on import)", { ...base, file: "s3://b/app.py" }, ["/file"]],
    ["file in upper case", { ...base, file: "S3A://b/app.py" }, ["/file"]],
    ["jars", { ...base, jars: ["abfss://c@a.dfs.core.windows.net/x.jar", "s3a://b/y.jar"] }, ["/jars/1"]],
    ["pyFiles", { ...base, pyFiles: ["s3n://b/lib.zip"] }, ["/pyFiles/0"]],
    ["files", { ...base, files: ["s3a://b/app.conf"] }, ["/files/0"]],
    ["archives", { ...base, archives: ["s3a://b/env.tgz#env"] }, ["/archives/0"]],
    ["an argument that is a path", { ...base, args: ["--in", "s3a://b/in/"] }, ["/args/1"]],
    ["an argument with s3a:// inside", { ...base, args: ["--input=s3a://b/in/", "x"] }, ["/args/0"]],
    ["a conf value", { ...base, conf: { "spark.sql.warehouse.dir": "s3a://b/warehouse" } }, ["/conf/spark.sql.warehouse.dir"]],
    [
      "a conf key under spark.hadoop.fs.s3a",
      { ...base, conf: { "spark.hadoop.fs.s3a.fast.upload": "true" } },
      ["/conf/spark.hadoop.fs.s3a.fast.upload"],
    ],
    ["a conf key with / (pointer-escaped)", { ...base, conf: { "spark.x/y": "s3a://b" } }, ["/conf/spark.x~1y"]],
  ])("finds %s", (_name, step, pointers) => {
    expect(s3aMentions(step)).toEqual(pointers);
    expect(touchesS3a(step)).toBe(true);
  });

  it.each([
    ["ADLS only", { ...base, jars: ["abfss://c@a.dfs.core.windows.net/x.jar"], args: ["--in", "abfss://c@a.dfs.core.windows.net/in"] }],
    ["s3:// in an argument (not rewritten; HDInsight has no s3:// file system)", { ...base, args: ["s3://b/in"] }],
    ["the word s3a without a scheme", { ...base, args: ["s3a", "bucket-s3a"], conf: { "spark.app.name": "s3a-loader" } }],
    ["a fs.s3a-looking key outside spark.hadoop", { ...base, conf: { "spark.fs.s3a.x": "1" } }],
  ])("ignores %s", (_name, step) => {
    expect(s3aMentions(step)).toEqual([]);
    expect(touchesS3a(step)).toBe(false);
  });

  it("reads raw documents defensively", () => {
    for (const raw of [null, 1, "s3a://b", [], { file: 5, args: "s3a://b", jars: [1, null], conf: ["s3a://b"] }]) {
      expect(s3aMentions(raw)).toEqual([]);
    }
  });

  it("lists every mention in field order", () => {
    const step = {
      ...base,
      file: "s3a://b/a.py",
      args: ["s3a://b/in", "abfss://c@a.dfs.core.windows.net/out"],
      conf: { "spark.x": "s3a://b/t" },
    };
    expect(s3aMentions(step)).toEqual(["/file", "/args/0", "/conf/spark.x"]);
  });
});
