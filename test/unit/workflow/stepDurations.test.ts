// Learnt step durations (shared/workflow/stepDurations.ts): samples from a finished job's record, kept per step (the
// last 20, once per job), and their p10/p50/p90.
import { describe, expect, it } from "vitest";
import {
  STEP_SAMPLES_KEPT,
  addStepDurationSamples,
  estimateOf,
  estimateStepDurations,
  stepDurationSamples,
  type StepDurationSamples,
} from "../../../shared/workflow/stepDurations";
import type { StepRecord } from "../../../shared/workflow/jobRecord";

const at = (s: number): string => new Date(Date.UTC(2026, 0, 1) + s * 1000).toISOString();
const step = (id: string, state: StepRecord["state"], attempts: [number, number?][]): StepRecord => ({
  id,
  name: id,
  state,
  attempts: attempts.map(([from, to], i) => ({ attempt: i + 1, startedAt: at(from), ...(to === undefined ? {} : { endedAt: at(to) }) })),
});

describe("step duration samples", () => {
  it("takes each succeeded step's last attempt, from its submission to the end the phase saw", () => {
    const samples = stepDurationSamples({
      steps: [
        step("ok", "succeeded", [[0, 120]]),
        step("retried", "succeeded", [
          [0, 10],
          [20, 320],
        ]),
        step("failed", "failed", [[0, 60]]),
        step("skipped", "skipped", []),
        step("cancelled", "cancelled", [[0]]),
      ],
    });
    expect(samples).toEqual([
      { stepId: "ok", ms: 120_000 },
      { stepId: "retried", ms: 300_000 },
    ]);
  });

  it("keeps one sample per job and step (a retried write or a repair run's save adds nothing) and the last 20", () => {
    let kept: StepDurationSamples | undefined;
    kept = addStepDurationSamples(kept, { jobName: "nightly", jobId: "j1", samples: [{ stepId: "a", ms: 1000 }] });
    const again = addStepDurationSamples(kept, { jobName: "nightly", jobId: "j1", samples: [{ stepId: "a", ms: 5000 }] });
    expect(again).toBe(kept);
    expect(addStepDurationSamples(kept, { jobName: "nightly", jobId: "j2", samples: [{ stepId: "a", ms: -1 }] })).toBe(kept);
    expect(
      addStepDurationSamples(undefined, { jobName: "nightly", jobId: "j2", samples: [{ stepId: "a", ms: Number.NaN }] }),
    ).toBeUndefined();
    for (let i = 2; i <= 30; i++)
      kept = addStepDurationSamples(kept, { jobName: "nightly", jobId: `j${i}`, samples: [{ stepId: "a", ms: i * 1000 }] });
    expect(kept!.steps.a).toHaveLength(STEP_SAMPLES_KEPT);
    expect(kept!.steps.a![0]).toEqual({ jobId: "j11", ms: 11_000 });
    expect(kept!.jobName).toBe("nightly");
  });

  it("estimates p10/p50/p90 by nearest rank, per step, only for steps with samples", () => {
    let kept: StepDurationSamples | undefined;
    for (let i = 1; i <= 10; i++)
      kept = addStepDurationSamples(kept, {
        jobName: "n",
        jobId: `j${i}`,
        samples: [{ stepId: "a", ms: i * 60_000 }, ...(i === 1 ? [{ stepId: "constructor", ms: 5000 }] : [])],
      });
    const est = estimateStepDurations(kept);
    expect(est.a).toEqual({ p10Ms: 60_000, p50Ms: 300_000, p90Ms: 540_000, samples: 10 });
    expect(est.constructor).toEqual({ p10Ms: 5000, p50Ms: 5000, p90Ms: 5000, samples: 1 });
    expect(estimateStepDurations(kept, ["a"])).toEqual({ a: est.a });
    expect(estimateStepDurations(undefined)).toEqual({});
    expect(estimateOf({}, "constructor")).toBeUndefined(); // own keys only
    expect(estimateOf(undefined, "a")).toBeUndefined();
  });
});
