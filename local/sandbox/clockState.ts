// Persists the sandbox-owned virtual clock so a restart resumes "Azure time": in scaled mode the time that passed
// while the process was down is added (Azure kept going), in manual mode time resumes where it stopped.
import { join } from "node:path";
import { VirtualClock, type ClockMode } from "../clock/virtualClock";
import { readJsonFile, writeJsonFile } from "./stateFile";

interface SavedClock {
  virtualNowMs: number;
  /** Wall-clock instant of the save: the only place the sandbox reads real time for logic, on purpose. */
  savedAtRealMs: number;
}

export function restoreClock(stateDir: string, mode: ClockMode, speed: number, startMs?: number): VirtualClock {
  const saved = readJsonFile<SavedClock | undefined>(join(stateDir, "clock.json"), undefined);
  if (!saved || startMs !== undefined) return new VirtualClock({ mode, speed, ...(startMs !== undefined ? { startMs } : {}) });
  const downtime = mode === "scaled" ? Math.max(0, Date.now() - saved.savedAtRealMs) * speed : 0;
  return new VirtualClock({ mode, speed, startMs: saved.virtualNowMs + Math.floor(downtime) });
}

export function saveClock(stateDir: string, clock: VirtualClock): void {
  writeJsonFile(join(stateDir, "clock.json"), { virtualNowMs: clock.nowMs(), savedAtRealMs: Date.now() } satisfies SavedClock);
}
