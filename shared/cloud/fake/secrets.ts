// In-memory SecretStore: named secrets with versions (v1, v2, … in the order set()). Unknown names and versions
// are NotFoundError, as in Key Vault.
import { JobflowError } from "../../errors";
import type { SecretStore } from "../secrets";
import { CallRecorder } from "./recorder";

export class FakeSecretStore extends CallRecorder<"getSecret" | "getSecretVersion"> implements SecretStore {
  private readonly versions = new Map<string, { version: string; value: string }[]>();

  constructor(initial: Record<string, string> = {}) {
    super();
    for (const [name, value] of Object.entries(initial)) this.set(name, value);
  }

  /** Adds a new current version of `name`; returns its version id. */
  set(name: string, value: string): string {
    const list = this.versions.get(name) ?? [];
    const version = `v${list.length + 1}`;
    list.push({ version, value });
    this.versions.set(name, list);
    return version;
  }

  async getSecret(name: string): Promise<string> {
    this.enter("getSecret", name);
    return this.current(name).value;
  }

  async getSecretVersion(name: string, options?: { version?: string }): Promise<{ value: string; version: string }> {
    this.enter("getSecretVersion", name, options?.version);
    if (options?.version === undefined) return { ...this.current(name) };
    const found = this.versions.get(name)?.find((v) => v.version === options.version);
    if (!found) throw new JobflowError("NotFoundError", `secret '${name}' has no version ${options.version}`, { statusCode: 404 });
    return { ...found };
  }

  reset(): void {
    this.resetCalls();
    this.versions.clear();
  }

  private current(name: string): { version: string; value: string } {
    const list = this.versions.get(name);
    if (!list?.length) throw new JobflowError("NotFoundError", `secret '${name}' does not exist`, { statusCode: 404 });
    return list[list.length - 1] as { version: string; value: string };
  }
}
