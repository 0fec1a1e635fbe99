// The registered edge VMs: each has a throwaway filesystem root under the data folder (exported to scripts as
// JF_ROOT, the prefix the edge sync script honours — "/" in Azure) and a log of the commands that would have
// changed the real machine (apt-get, systemctl, …), which recorders on the script's PATH append to.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface VmConfig {
  name: string;
  /** When set, the VM answers only under this resource group (else under any, which suits local config). */
  resourceGroup?: string;
  location?: string;
  vmSize?: string;
}

export const DEFAULT_VMS: VmConfig[] = [{ name: "dss-edge-01" }, { name: "jupyter-edge-01" }];

/** Commands replaced by recorders: they would change the machine outside the VM's folder. */
export const RECORDED_COMMANDS = [
  "apt-get",
  "apt-key",
  "dpkg",
  "systemctl",
  "add-apt-repository",
  "update-alternatives",
  "service",
  "reboot",
];

const RECORDER_SCRIPT = `#!/usr/bin/env bash
# Sandbox recorder: stands in for a command that would change the host; appends its argv to the VM's log.
# Record format: name and args separated by US (0x1f), terminated by RS (0x1e) and a newline.
name=$(basename "$0")
{ printf '%s' "$name"; for a in "$@"; do printf '\\x1f%s' "$a"; done; printf '\\x1e\\n'; } >> "\${JF_SANDBOX_RECORDER_LOG:?}"
exit 0
`;

export interface RecordedCommand {
  command: string;
  args: string[];
}

export class VmRegistry {
  readonly vms: VmConfig[];
  readonly binDir: string;

  constructor(
    private readonly vmsDir: string,
    vms: VmConfig[],
    private readonly defaultLocation: string,
  ) {
    this.vms = vms;
    this.binDir = join(vmsDir, "_recorders");
    this.installRecorders();
    for (const vm of vms) this.ensureRoot(vm.name);
  }

  find(resourceGroup: string, name: string): VmConfig | undefined {
    const vm = this.vms.find((v) => v.name.toLowerCase() === name.toLowerCase());
    if (!vm) return undefined;
    if (vm.resourceGroup && vm.resourceGroup.toLowerCase() !== resourceGroup.toLowerCase()) return undefined;
    return vm;
  }

  byName(name: string): VmConfig | undefined {
    return this.vms.find((v) => v.name.toLowerCase() === name.toLowerCase());
  }

  location(vm: VmConfig): string {
    return vm.location ?? this.defaultLocation;
  }

  /** The VM's filesystem root (JF_ROOT). */
  rootOf(name: string): string {
    return join(this.vmsDir, name, "root");
  }

  recorderLogOf(name: string): string {
    return join(this.vmsDir, name, "recorded-commands.log");
  }

  runsDirOf(name: string): string {
    return join(this.vmsDir, name, "runs");
  }

  recorded(name: string): RecordedCommand[] {
    const file = this.recorderLogOf(name);
    if (!existsSync(file)) return [];
    return readFileSync(file, "utf8")
      .split("\x1e\n")
      .filter((r) => r.length > 0)
      .map((r) => {
        const [command, ...args] = r.split("\x1f");
        return { command, args };
      });
  }

  /** Wipes a VM's files and recordings (control reset) and recreates a fresh root. */
  wipe(name: string): void {
    rmSync(join(this.vmsDir, name), { recursive: true, force: true });
    this.ensureRoot(name);
  }

  private ensureRoot(name: string): void {
    const root = this.rootOf(name);
    if (existsSync(root)) return;
    for (const dir of ["etc", "tmp", "opt", "root", "usr/local/bin", "var/log"]) mkdirSync(join(root, dir), { recursive: true });
    mkdirSync(this.runsDirOf(name), { recursive: true });
    writeFileSync(join(root, "etc/hosts"), `127.0.0.1 localhost\n127.0.1.1 ${name}\n`);
    writeFileSync(join(root, "etc/environment"), 'PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"\n');
    writeFileSync(join(root, "etc/hostname"), `${name}\n`);
  }

  private installRecorders(): void {
    mkdirSync(this.binDir, { recursive: true });
    const recorder = join(this.binDir, ".recorder");
    writeFileSync(recorder, RECORDER_SCRIPT);
    chmodSync(recorder, 0o755);
    for (const cmd of RECORDED_COMMANDS) {
      const link = join(this.binDir, cmd);
      if (!existsSync(link)) symlinkSync(".recorder", link);
    }
  }
}
