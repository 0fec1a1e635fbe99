import { describe, expect, it } from "vitest";
import { callArgs, findResources, parseObject, resolveObject, stripComments, type TemplateSet } from "./bicepReader";

describe("bicepReader", () => {
  it("strips comments but not // inside strings", () => {
    expect(stripComments("var a = 'https://x' // note\n/* b\n c */var d = 1")).toBe("var a = 'https://x'        \n    \n     var d = 1");
  });
  it("reads object literals, one property per line or comma separated", () => {
    const o = parseObject("{\n  a: 'x,y'\n  'b-c': union({ d: 1 }, e)\n  f: [ 1, 2 ]\n}");
    expect([...o]).toEqual([["a", "'x,y'"], ["b-c", "union({ d: 1 }, e)"], ["f", "[ 1, 2 ]"]]);
    expect([...parseObject("{ g: 1, h: 'i' }")]).toEqual([["g", "1"], ["h", "'i'"]]);
    expect(callArgs("union(a, { b: 1 })", "union")).toEqual(["a", "{ b: 1 }"]);
  });
  it("expands child resource types and inherits their API version", () => {
    const set: TemplateSet = new Map([["m.bicep", "resource s 'Microsoft.Web/sites@2024-04-01' = {\n  name: 'x'\n  resource c 'config' = {\n    name: 'appsettings'\n  }\n}\n"]]);
    expect(findResources(set, "m.bicep").map((r) => `${r.type}@${r.apiVersion}`)).toEqual(["Microsoft.Web/sites@2024-04-01", "Microsoft.Web/sites/config@2024-04-01"]);
  });
  it("follows a module parameter to the caller's variable", () => {
    const set: TemplateSet = new Map([
      ["main.bicep", "var s = {\n  A: 'a'\n}\nmodule m 'mod.bicep' = {\n  name: 'm'\n  params: {\n    settings: s\n  }\n}\n"],
      ["mod.bicep", "param settings object\n"],
    ]);
    const unresolved: string[] = [];
    expect([...resolveObject(set, "mod.bicep", "union(settings, { B: 'b' })", unresolved).keys()]).toEqual(["A", "B"]);
    expect(unresolved).toEqual([]);
  });
});
