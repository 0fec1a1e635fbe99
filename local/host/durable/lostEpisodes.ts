// The lost-worker policy for episodes (durableWorkers, local/host/workers/): an episode whose worker died — a
// WorkerLostError from workers/pool.ts — is abandoned (nothing committed, the inbox kept) and run again, as the
// extension re-runs a work item whose worker crashed; after 5 in a row the instance fails like an orchestrator
// that threw (a function that kills its worker every time would loop for ever). Separate from engineCore.ts
// because it is a per-instance counter with its own rule, not part of running or committing an episode.
import type { DurableLogger } from "./ports";

/** Losses in a row after which the episode is no longer abandoned but fails the instance. */
export const MAX_LOST_EPISODES = 5;

/** True for the error a durable worker's death gives its in-flight invocations (recognised by name). */
export function isWorkerLost(err: unknown): err is Error {
  return err instanceof Error && err.name === "WorkerLostError";
}

export class LostEpisodes {
  private readonly inARow = new Map<string, number>();

  constructor(private readonly log: DurableLogger) {}

  /** Counts one more lost episode of `instanceId`; true (and logged) when it is to run again, false when it fails. */
  abandon(instanceId: string, err: Error): boolean {
    const lost = (this.inARow.get(instanceId) ?? 0) + 1;
    if (lost >= MAX_LOST_EPISODES) {
      this.inARow.delete(instanceId);
      return false;
    }
    this.inARow.set(instanceId, lost);
    this.log.event(
      "durable.episodeAbandoned",
      `Episode of '${instanceId}' abandoned (${err.message}); running it again`,
      { instanceId },
      "warning",
    );
    return true;
  }

  /** An episode of `instanceId` ran to its commit: the count starts over. */
  settled(instanceId: string): void {
    this.inARow.delete(instanceId);
  }
}
