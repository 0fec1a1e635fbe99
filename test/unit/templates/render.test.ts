// The string renderer, the expression grammar and the Airflow built-ins/macros: table tests, including the
// placeholder shapes found in real EMR step files (Airflow DAGs, Step Functions, shell wrappers, Windows batch).
import { describe, expect, it } from "vitest";
import { airflowRunId, builtinValues, MACROS, strftime, strptime } from "../../../shared/templates/builtins";
import { parseExpression, type Scope } from "../../../shared/templates/expression";
import { renderString } from "../../../shared/templates/render";

const run = {
  logicalDate: "2026-12-05T00:00:00Z",
  dataIntervalEnd: "2026-12-06T00:00:00Z",
  runId: "scheduled__2026-12-05T00:00:00+00:00",
  jobId: "j-abc",
};
const values = new Map([...builtinValues(run), ["params.bucket", "data-lake"], ["params.jarV", "1.4.2"], ["params.env", "prod"]]);
const scope: Scope = { values, functions: MACROS, explain: (path) => `'${path.join(".")}' is not defined` };

describe("renderString", () => {
  const ok: [string, string][] = [
    ["s3://{{ params.bucket }}/in/", "s3://data-lake/in/"],
    ["s3://{{params.bucket}}/in/", "s3://data-lake/in/"],
    ["s3://{{   params.bucket   }}/in/", "s3://data-lake/in/"],
    ["{{ params['bucket'] }}", "data-lake"],
    ['{{ params["bucket"] }}', "data-lake"],
    ["--date={{ ds }}", "--date=2026-12-05"],
    ["dt={{ ds_nodash }}", "dt=20261205"],
    ["{{ ts }}", "2026-12-05T00:00:00+00:00"],
    ["{{ ts_nodash }}", "20261205T000000"],
    ["{{ data_interval_start }}..{{ data_interval_end }}", "2026-12-05T00:00:00+00:00..2026-12-06T00:00:00+00:00"],
    ["{{ logical_date }}", "2026-12-05T00:00:00+00:00"],
    ["{{ run_id }}/{{ job_id }}", "scheduled__2026-12-05T00:00:00+00:00/j-abc"],
    ["{{ macros.ds_add(ds, 7) }}", "2026-12-12"],
    ["{{ macros.ds_add(ds, -5) }}", "2026-11-30"],
    ["{{ macros.ds_add('2024-02-28', 1) }}", "2024-02-29"],
    ["{{ macros.ds_format(ds, '%Y-%m-%d', '%Y/%m/%d') }}", "2026/12/05"],
    ['{{ macros.ds_format(ds, "%Y-%m-%d", "%d %b %Y") }}', "05 Dec 2026"],
    ["{{ macros.ds_format(macros.ds_add(ds, 1), '%Y-%m-%d', 'year=%Y/month=%m/day=%d') }}", "year=2026/month=12/day=06"],
    ["s3://b/{{ params.env }}/lib-{{ params.jarV }}.jar", "s3://b/prod/lib-1.4.2.jar"],
    ['{{ "${literal}" }}', "${literal}"],
    ["{{ '%LITERAL%' }}", "%LITERAL%"],
    ["no placeholders at all", "no placeholders at all"],
    ["--fmt=%Y%m%d%H", "--fmt=%Y%m%d%H"],
    ["100%", "100%"],
    ["a { b } c", "a { b } c"],
  ];
  for (const [text, want] of ok) {
    it(`renders ${text}`, () => {
      expect(renderString(text, scope)).toEqual({ ok: true, value: want, templated: text.includes("{{") });
    });
  }

  const refused: [string, RegExp][] = [
    ["{{ params.missing }}", /'\{\{ params.missing \}\}' is unresolved: 'params.missing' is not defined/],
    ["{{ var.value.bucket }}", /is unresolved/],
    ["{{ ds | replace('-', '') }}", /filters .* are not supported/],
    ["{{ ds + 1 }}", /unexpected '\+ 1'/],
    ["{{ }}", /an expression is missing/],
    ["{{ params. }}", /a name must follow 'params.'/],
    ["{{ params[0] }}", /only a quoted name may stand in \[ \]/],
    ["{{ 'open }}", /a string is not closed/],
    ["{{ macros.ds_add(ds, 7 }}", /'\)' is missing/],
    ["{{ macros.ds_add(ds) }}", /macros.ds_add: takes \(ds, days\)/],
    ["{{ macros.ds_add(ds, 'x') }}", /days must be a whole number/],
    ["{{ macros.ds_format(ds, '%Y-%m-%d', '%Q') }}", /%Q is not supported/],
    ["{{ macros.ds_format('2026-13-01', '%Y-%m-%d', '%Y') }}", /is not a valid date/],
    ["{{ macros.datetime.now() }}", /'macros.datetime.now' is not a known macro/],
    ["{{ macros.ds_add }}", /is a macro: call it/],
    ["{{ constructor.constructor('return process')() }}", /unexpected '\(\)'/],
    ["{{ constructor.constructor('return process') }}", /'constructor.constructor' is not a known macro/],
    ["{{ toString }}", /is unresolved/],
    ["{{ __proto__ }}", /is unresolved/],
    ["{{#items}}x{{/items}}", /sections .* are not supported/],
    ["{{^items}}x{{/items}}", /inverted sections/],
    ["{{> partial }}", /partials/],
    ["{{! comment }}", /comments/],
    ["{{{ params.bucket }}}", /unescaped tags/],
    ["{{& params.bucket }}", /unescaped tags/],
    ["{{=<% %>=}}", /delimiter changes/],
    ["s3://{{ params.bucket", /is not a valid template: Unclosed tag/],
    ["s3://${bucket}/in", /'\$\{bucket\}' is not a Jobflow placeholder: write \{\{ params.bucket \}\}/],
    ["--jar=lib-${jarV}.jar", /write \{\{ params.jarV \}\}/],
    ["${ input }", /write \{\{ params.input \}\}/],
    ["${env:HOME}", /is not a Jobflow placeholder/],
    ["s3://%AWS_BUCKET_NAME%/x", /'%AWS_BUCKET_NAME%' is not a Jobflow placeholder: write \{\{ params.AWS_BUCKET_NAME \}\}/],
  ];
  for (const [text, want] of refused) {
    it(`refuses ${text}`, () => {
      const r = renderString(text, scope);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.problems.join("\n")).toMatch(want);
    });
  }

  it("lets Spark's own ${env:…}, ${system:…} and ${spark.…} through where Spark substitutes them (conf values)", () => {
    for (const text of ["${env:HOME}/x", "${system:user.name}", "${spark.app.name}-log"]) {
      expect(renderString(text, scope, { sparkSubstitution: true })).toEqual({ ok: true, value: text, templated: false });
    }
    expect(renderString("${bucket}", scope, { sparkSubstitution: true }).ok).toBe(false);
  });

  it("does not re-scan rendered values (a value may contain ${ or {{)", () => {
    const s: Scope = { ...scope, values: new Map([["params.x", "${a} {{ b }} %CC%"]]) };
    expect(renderString("{{ params.x }}", s)).toEqual({ ok: true, value: "${a} {{ b }} %CC%", templated: true });
  });

  it("reports every problem of one string", () => {
    const r = renderString("{{ a }}/{{ b }}/${c}", scope);
    expect(r.ok ? [] : r.problems).toHaveLength(3);
  });
});

describe("parseExpression", () => {
  it("parses names, literals and calls", () => {
    expect(parseExpression(" params.a ")).toEqual({ ok: true, expression: { kind: "name", path: ["params", "a"] } });
    expect(parseExpression("'x'")).toEqual({ ok: true, expression: { kind: "literal", value: "x" } });
    expect(parseExpression("-3")).toEqual({ ok: true, expression: { kind: "literal", value: "-3" } });
    expect(parseExpression("m.f(a, 'b', 2)")).toEqual({
      ok: true,
      expression: {
        kind: "call",
        callee: ["m", "f"],
        args: [
          { kind: "name", path: ["a"] },
          { kind: "literal", value: "b" },
          { kind: "literal", value: "2" },
        ],
      },
    });
  });
  it("refuses deep nesting and too many arguments", () => {
    expect(parseExpression("f(f(f(f(f(f(a))))))").ok).toBe(false);
    expect(parseExpression(`f(${Array.from({ length: 9 }, () => "a").join(",")})`).ok).toBe(false);
    expect(parseExpression("1.5").ok).toBe(false);
  });
});

describe("built-ins", () => {
  it("renders Airflow's names from the logical date in UTC", () => {
    const b = builtinValues({ logicalDate: "2026-03-29T01:30:00+02:00", runId: "manual__x", jobId: "j" });
    expect(b.get("ds")).toBe("2026-03-28");
    expect(b.get("ts")).toBe("2026-03-28T23:30:00+00:00");
    expect(b.get("data_interval_end")).toBe(b.get("data_interval_start"));
  });
  it("names runs like Airflow", () => {
    expect(airflowRunId("scheduled", "2026-12-05T00:00:00.000Z")).toBe("scheduled__2026-12-05T00:00:00+00:00");
    expect(airflowRunId("backfill", "2026-12-05")).toBe("backfill__2026-12-05T00:00:00+00:00");
  });
  it("strptime/strftime round-trip and refuse bad input", () => {
    expect(strftime(strptime("20261205", "%Y%m%d"), "%Y-%m-%d %j")).toBe("2026-12-05 339");
    expect(strftime(strptime("05/12/26 13:04:05", "%d/%m/%y %H:%M:%S"), "%Y-%m-%dT%H:%M:%S")).toBe("2026-12-05T13:04:05");
    expect(() => strptime("2026-12-05x", "%Y-%m-%d")).toThrow(/extra text/);
    expect(() => strptime("2026-02-30", "%Y-%m-%d")).toThrow(/not a valid date/);
    expect(() => strptime("2026/12/05", "%Y-%m-%d")).toThrow(/does not match/);
  });
});
