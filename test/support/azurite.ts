// One Azurite per test file: call useAzurite() at the top of a describe; it starts in beforeAll and stops in afterAll.
import { afterAll, beforeAll } from "vitest";
import { startAzurite, type AzuriteInstance, type AzuriteOptions } from "../../local/azurite";

export interface AzuriteHandle {
  /** The running instance (available inside tests and hooks that run after beforeAll). */
  readonly current: AzuriteInstance;
}

export function useAzurite(options: AzuriteOptions = {}): AzuriteHandle {
  let instance: AzuriteInstance | undefined;
  beforeAll(async () => {
    instance = await startAzurite(options);
  });
  afterAll(async () => {
    await instance?.stop();
    instance = undefined;
  });
  return {
    get current(): AzuriteInstance {
      if (!instance) throw new Error("Azurite is not running (use it inside tests, after beforeAll)");
      return instance;
    },
  };
}
