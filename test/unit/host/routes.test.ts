import { describe, expect, it } from "vitest";
import { compareRoutePrecedence, matchRoute, parseRouteTemplate } from "../../../local/host/routes";

const match = (template: string, path: string): Record<string, string> | undefined => matchRoute(parseRouteTemplate(template), path);

describe("ASP.NET route templates", () => {
  it("matches literals case-insensitively and decodes parameters", () => {
    expect(match("Jobs/{id}", "/jobs/a%20b")).toEqual({ id: "a b" });
    expect(match("jobs/{id}", "/jobs")).toBeUndefined();
    expect(match("jobs/{id}", "/jobs/1/extra")).toBeUndefined();
    expect(match("jobs", "/jobs/")).toEqual({});
  });

  it("applies inline constraints", () => {
    expect(match("n/{id:int}", "/n/-12")).toEqual({ id: "-12" });
    expect(match("n/{id:int}", "/n/1.5")).toBeUndefined();
    expect(match("a/{s:alpha}", "/a/abc")).toEqual({ s: "abc" });
    expect(match("a/{s:alpha}", "/a/ab1")).toBeUndefined();
    expect(match("b/{f:bool}", "/b/TRUE")).toEqual({ f: "TRUE" });
    expect(match("g/{g:guid}", "/g/3F2504E0-4F89-11D3-9A0C-0305E82C3301")).toBeDefined();
    expect(match("r/{n:range(1,5)}", "/r/6")).toBeUndefined();
    expect(match("l/{s:length(2,3)}", "/l/abcd")).toBeUndefined();
    expect(match("m/{n:int:min(10)}", "/m/9")).toBeUndefined();
    expect(match("x/{s:regex(^a:b$)}", "/x/a:b")).toEqual({ s: "a:b" });
  });

  it("supports optional, default and catch-all parameters", () => {
    expect(match("o/{x?}", "/o")).toEqual({});
    expect(match("o/{x?}", "/o/1")).toEqual({ x: "1" });
    expect(match("d/{x=seven}", "/d")).toEqual({ x: "seven" });
    expect(match("c/{*rest}", "/c/a/b")).toEqual({ rest: "a/b" });
    expect(match("c/{**rest}", "/c")).toEqual({});
  });

  it("orders literal segments before constrained, plain, optional and catch-all ones", () => {
    const templates = ["jobs/{*rest}", "jobs/{id?}", "jobs/{id}", "jobs/{id:int}", "jobs/latest"];
    const sorted = templates
      .map(parseRouteTemplate)
      .sort(compareRoutePrecedence)
      .map((r) => r.template);
    expect(sorted).toEqual(["jobs/latest", "jobs/{id:int}", "jobs/{id}", "jobs/{id?}", "jobs/{*rest}"]);
  });

  it("rejects templates it cannot honour", () => {
    expect(() => parseRouteTemplate("a/{x}.{y}")).toThrow(/Complex route segment/);
    expect(() => parseRouteTemplate("a/{*rest}/b")).toThrow(/catch-all/);
    expect(() => parseRouteTemplate("a/{x:nosuch}")).toThrow(/Unsupported route constraint/);
  });
});
