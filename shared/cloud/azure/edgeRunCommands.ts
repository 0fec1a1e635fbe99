// EdgeRunCommands over @azure/arm-compute 24.1.0 (modular SDK, api-version 2026-03-01). Its long-running operations
// return a PollerLike that sends the initial request eagerly; `await poller.submitted()` waits for that response
// only. The poller is thenable, so it must never be awaited or returned itself (that would poll to completion).
import { ComputeManagementClient } from "@azure/arm-compute";
import { systemClock } from "../../clock";
import { isErrorNamed } from "../../errors";
import type { CallOptions } from "../common";
import type { EdgeRunCommands, RunCommandRequest, RunCommandStatus, VmInfo } from "../runCommands";
import { ARM_SCOPE, retryOn429OptionsFor, tlsOptionsFor, type AzureClientOptions } from "./clientOptions";
import { mapAzureError } from "./mapError";
import { addRetryOn429Policy } from "./retryOn429Policy";

export interface EdgeRunCommandsOptions extends AzureClientOptions {
  subscriptionId: string;
  /** Resource group of the edge VMs. */
  resourceGroup: string;
  credentialScopes?: string[];
}

const toParameters = (values: Record<string, string> | undefined): { name: string; value: string }[] | undefined =>
  values === undefined ? undefined : Object.entries(values).map(([name, value]) => ({ name, value }));

export function createEdgeRunCommands(options: EdgeRunCommandsOptions): EdgeRunCommands {
  const clock = options.clock ?? systemClock;
  const client = new ComputeManagementClient(options.credential, options.subscriptionId, {
    endpoint: options.endpoint,
    credentials: { scopes: options.credentialScopes ?? [ARM_SCOPE] },
    retryOptions: options.retryOptions,
    ...tlsOptionsFor(options.caPem),
  });
  addRetryOn429Policy(client.pipeline, retryOn429OptionsFor(options));
  const rg = options.resourceGroup;
  const locations = new Map<string, string>();

  /** Runs `fn`; 404 → undefined; everything else mapped. */
  async function orUndefined<T>(context: string, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (err) {
      const mapped = mapAzureError(err, context, clock);
      if (isErrorNamed(mapped, "NotFoundError")) return undefined;
      throw mapped;
    }
  }

  const getVm = async (vmName: string, o?: CallOptions): Promise<VmInfo | undefined> =>
    orUndefined(`get VM ${vmName}`, async () => {
      const vm = await client.virtualMachines.get(rg, vmName, { abortSignal: o?.abortSignal });
      locations.set(vmName, vm.location);
      return {
        name: vm.name ?? vmName,
        id: vm.id ?? "",
        location: vm.location,
        tags: { ...(vm.tags ?? {}) },
        provisioningState: vm.provisioningState,
        vmId: vm.vmId,
      };
    });

  return {
    async beginRun(vmName: string, runCommandName: string, request: RunCommandRequest, o?: CallOptions): Promise<void> {
      const context = `run command ${runCommandName} on VM ${vmName}`;
      let location = request.location ?? locations.get(vmName);
      if (location === undefined) {
        const vm = await getVm(vmName, o);
        if (!vm) throw mapAzureError({ statusCode: 404, message: "the VM does not exist" }, context, clock);
        location = vm.location;
      }
      try {
        const poller = client.virtualMachineRunCommands.createOrUpdate(
          rg,
          vmName,
          runCommandName,
          {
            location,
            source: { script: request.script },
            parameters: toParameters(request.parameters),
            protectedParameters: toParameters(request.protectedParameters),
            asyncExecution: true,
            treatFailureAsDeploymentFailure: false,
            timeoutInSeconds: request.timeoutInSeconds,
            outputBlobUri: request.outputBlobUri,
            errorBlobUri: request.errorBlobUri,
          },
          { abortSignal: o?.abortSignal },
        );
        await poller.submitted();
      } catch (err) {
        throw mapAzureError(err, context, clock);
      }
    },

    get: (vmName, runCommandName, o) =>
      orUndefined(`get run command ${runCommandName} on VM ${vmName}`, async (): Promise<RunCommandStatus> => {
        const rc = await client.virtualMachineRunCommands.getByVirtualMachine(rg, vmName, runCommandName, {
          expand: "instanceView",
          abortSignal: o?.abortSignal,
        });
        const view = rc.instanceView;
        return {
          name: rc.name ?? runCommandName,
          provisioningState: rc.provisioningState,
          executionState: view?.executionState ?? "Unknown",
          executionMessage: view?.executionMessage,
          exitCode: view?.exitCode,
          output: view?.output,
          error: view?.error,
          startTime: view?.startTime?.toISOString(),
          endTime: view?.endTime?.toISOString(),
        };
      }),

    async beginDelete(vmName, runCommandName, o): Promise<void> {
      await orUndefined(`delete run command ${runCommandName} on VM ${vmName}`, async () => {
        const poller = client.virtualMachineRunCommands.delete(rg, vmName, runCommandName, { abortSignal: o?.abortSignal });
        await poller.submitted();
      });
    },

    getVm,
  };
}
