// Edge VM managed ("v2") Run Commands: Microsoft.Compute/virtualMachines/{vm}/runCommands/{name}.
// One run command resource per execution (unique name), begun with asyncExecution so the PUT completes when the
// script starts; the orchestrator polls `get` with durable timers and deletes the resource when done.
import type { CallOptions } from "./common";

export interface RunCommandRequest {
  /** Inline bash script (≤ 256 KiB). Never contains user values: those travel as parameters. */
  script: string;
  /** Named parameters: become environment variables of the script. Their values are visible in the resource. */
  parameters?: Record<string, string>;
  /** Named secret parameters: environment variables too, never echoed back by ARM. */
  protectedParameters?: Record<string, string>;
  /** The handler kills the script after this long (0/undefined = the platform default). */
  timeoutInSeconds?: number;
  /** Append-blob SAS URLs receiving the full stdout/stderr while the script runs (optional). */
  outputBlobUri?: string;
  errorBlobUri?: string;
  /** Azure region of the VM; looked up once per VM with getVm when omitted. */
  location?: string;
}

/** Unknown | Pending | Running | Failed | Succeeded | TimedOut | Canceled */
export type RunCommandExecutionState = string;

export interface RunCommandStatus {
  name: string;
  /** ARM provisioning state of the run command resource (Creating, Updating, Succeeded, Failed, Deleting, …). */
  provisioningState?: string;
  executionState: RunCommandExecutionState;
  executionMessage?: string;
  exitCode?: number;
  /** Last 4 KiB of stdout / stderr. */
  output?: string;
  error?: string;
  /** ISO 8601. */
  startTime?: string;
  endTime?: string;
}

export interface VmInfo {
  name: string;
  id: string;
  location: string;
  tags: Record<string, string>;
  provisioningState?: string;
  vmId?: string;
}

export interface EdgeRunCommands {
  /**
   * Sends the PUT of run command `runCommandName` on `vmName` (asyncExecution: the PUT completes when the script
   * starts) and returns once ARM accepted it; it never waits for the script. Repeating the same PUT is harmless, but
   * may not re-run the script: use a new name per execution. Throws ConflictError on 409 (another operation on the
   * VM is in progress), NotFoundError when the VM does not exist, ThrottledError, TransientError, AuthError.
   */
  beginRun(vmName: string, runCommandName: string, request: RunCommandRequest, options?: CallOptions): Promise<void>;

  /** Status with the instance view ($expand=instanceView); undefined when the run command (or VM) does not exist. */
  get(vmName: string, runCommandName: string, options?: CallOptions): Promise<RunCommandStatus | undefined>;

  /**
   * Sends the DELETE (terminates a script still running) and returns once ARM accepted it. A missing run command is
   * success. Idempotent. Throws ConflictError, ThrottledError, TransientError, AuthError.
   */
  beginDelete(vmName: string, runCommandName: string, options?: CallOptions): Promise<void>;

  /** The VM, or undefined when it does not exist. Read-only. */
  getVm(vmName: string, options?: CallOptions): Promise<VmInfo | undefined>;
}
