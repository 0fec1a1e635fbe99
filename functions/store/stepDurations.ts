// Observed step durations per job name (shared/workflow/stepDurations.ts), one blob per job name,
// `stats/step-durations/<sha256 of the name>.json` in the jobs container (hashed: a job name may hold characters a
// blob path should not). Read by the step phase's first submitStep (the estimates ride back on its result), written
// once per job by its final record save (SaveJobRecordInput.stepDurations). Jobs of one name often end together (a
// schedule's burst), so the write is conditional on the ETag read and retried on a conflict.
import { sha256Hex } from "../../shared/builders/sha256";
import type { JobflowBlobStore } from "../../shared/cloud/blobStore";
import {
  addStepDurationSamples,
  estimateStepDurations,
  type StepDurationEstimates,
  type StepDurationReport,
  type StepDurationSamples,
} from "../../shared/workflow/stepDurations";

export const stepDurationsBlob = (jobName: string): string => `stats/step-durations/${sha256Hex(jobName)}.json`;

/** Conditional writes tried before the samples are given up (they are an optimisation, never worth failing a save). */
const WRITE_ATTEMPTS = 10;

export class StepDurationStore {
  constructor(
    private readonly blobs: JobflowBlobStore,
    private readonly container: string,
  ) {}

  async samples(jobName: string): Promise<StepDurationSamples | undefined> {
    return (await this.blobs.getJson<StepDurationSamples>(this.container, stepDurationsBlob(jobName)))?.value;
  }

  /** The usual run time of each of the name's steps that has samples (only `stepIds` when given); `{}` before any. */
  async estimates(jobName: string, stepIds?: readonly string[]): Promise<StepDurationEstimates> {
    return estimateStepDurations(await this.samples(jobName), stepIds);
  }

  /** Adds a finished job's samples (once per job and step: a repeated report changes nothing and writes nothing). */
  async record(report: StepDurationReport): Promise<void> {
    const name = stepDurationsBlob(report.jobName);
    for (let attempt = 1; ; attempt++) {
      const current = await this.blobs.getJson<StepDurationSamples>(this.container, name);
      const next = addStepDurationSamples(current?.value, report);
      if (!next || next === current?.value) return;
      try {
        await this.blobs.putJson(this.container, name, next, current ? { ifMatch: current.etag } : { ifNoneMatch: "*" });
        return;
      } catch (err) {
        if ((err as Error).name !== "ConflictError" || attempt >= WRITE_ATTEMPTS) throw err;
      }
    }
  }
}
