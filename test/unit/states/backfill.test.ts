// The backfill machines (shared/states/backfill.ts): a run waits, is submitted or refused, then mirrors its job;
// nothing moves a run that ended or a backfill that completed.
import { describe, expect, it } from "vitest";
import {
  JOB_STATES,
  JOB_TERMINAL_STATES,
  backfillMachine,
  backfillRunMachine,
  isInvalidTransitionError,
  transition,
} from "../../../shared/states";

const rejects = (fn: () => unknown): void => {
  try {
    fn();
  } catch (err) {
    expect(isInvalidTransitionError(err)).toBe(true);
    return;
  }
  throw new Error("expected InvalidTransitionError");
};

describe("backfill run machine", () => {
  it("a waiting run is submitted (its job starts queued) or refused (failed), and nothing else", () => {
    expect(transition(backfillRunMachine, "waiting", "submitted")).toBe("queued");
    expect(transition(backfillRunMachine, "waiting", "submitRefused")).toBe("failed");
    for (const s of JOB_STATES) rejects(() => transition(backfillRunMachine, "waiting", s));
  });

  it.each(JOB_STATES.filter((s) => !JOB_TERMINAL_STATES.includes(s)))("a %s run takes whatever state its job is read in", (from) => {
    for (const to of JOB_STATES) expect(transition(backfillRunMachine, from, to)).toBe(to);
    rejects(() => transition(backfillRunMachine, from, "submitted"));
  });

  it.each([...JOB_TERMINAL_STATES])("a %s run never moves again", (from) => {
    for (const e of backfillRunMachine.events) rejects(() => transition(backfillRunMachine, from, e));
  });
});

describe("backfill machine", () => {
  it("runs until every run ended, once", () => {
    expect(transition(backfillMachine, "running", "allRunsEnded")).toBe("completed");
    rejects(() => transition(backfillMachine, "completed", "allRunsEnded"));
  });
});
