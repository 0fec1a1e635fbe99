// A clock that moves only when told (unit tests): nowMs() is fixed until advance() or set(); sleep() advances it.
import type { Clock } from "../../clock";

export class FakeClock implements Clock {
  constructor(private ms = Date.parse("2026-01-01T00:00:00.000Z")) {}

  nowMs(): number {
    return this.ms;
  }

  now(): Date {
    return new Date(this.ms);
  }

  async sleep(durationInMs: number): Promise<void> {
    this.ms += Math.max(0, durationInMs);
  }

  advance(durationInMs: number): void {
    this.ms += durationInMs;
  }

  set(iso: string): void {
    this.ms = Date.parse(iso);
  }
}
