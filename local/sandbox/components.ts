// Loads the gateway and Key Vault components by convention (see contracts.ts), or the factories a caller passes.
// A component whose module is not there yet is simply absent: its paths answer 404 "not installed".
import { join } from "node:path";
import type { SandboxComponent, SandboxComponentDeps, SandboxComponentFactory } from "./contracts";
import { mkdirSync } from "node:fs";

export interface ComponentFactories {
  gateway?: SandboxComponentFactory | null;
  keyvault?: SandboxComponentFactory | null;
}

const CONVENTION = {
  gateway: { module: "./gateway/index", exportName: "createGatewayComponent" },
  keyvault: { module: "./keyvault/index", exportName: "createKeyVaultComponent" },
} as const;

export async function loadComponents(
  overrides: ComponentFactories | undefined,
  deps: Omit<SandboxComponentDeps, "dataDir"> & { dataDir: string },
): Promise<{ gateway?: SandboxComponent; keyvault?: SandboxComponent }> {
  const out: { gateway?: SandboxComponent; keyvault?: SandboxComponent } = {};
  for (const name of ["gateway", "keyvault"] as const) {
    const factory = overrides && name in overrides ? overrides[name] : await conventionalFactory(name);
    if (!factory) continue;
    const dataDir = join(deps.dataDir, name);
    mkdirSync(dataDir, { recursive: true });
    out[name] = await factory({ ...deps, dataDir });
  }
  return out;
}

async function conventionalFactory(name: keyof typeof CONVENTION): Promise<SandboxComponentFactory | undefined> {
  const { module, exportName } = CONVENTION[name];
  const specifier = join(__dirname, module);
  try {
    // A computed specifier on purpose: the component may not exist yet while it is being built in parallel.
    const mod = (await import(specifier)) as Record<string, unknown>;
    const factory = mod[exportName];
    return typeof factory === "function" ? (factory as SandboxComponentFactory) : undefined;
  } catch (e) {
    // Only the component's own module missing means "not installed"; a missing import inside it is a real error.
    const missing = (e as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND" || /Cannot find module|Failed to load/.test(String(e));
    if (missing && String(e).includes(specifier)) return undefined;
    throw e;
  }
}
