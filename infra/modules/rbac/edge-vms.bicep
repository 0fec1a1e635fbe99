// Edge attach/detach runs scripts through managed Run Command (v2) on the registered edge VMs. The custom role
// "Jobflow edge Run Command" is assigned on each named VM, not on the group: other VMs stay out of reach.

param appPrincipalId string
param edgeVmNames array
param runCommandRoleDefinitionId string

resource edgeVms 'Microsoft.Compute/virtualMachines@2024-07-01' existing = [for vm in edgeVmNames: {
  name: vm
}]

resource runCommandOnVm 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (vm, i) in edgeVmNames: {
  name: guid(edgeVms[i].id, appPrincipalId, runCommandRoleDefinitionId)
  scope: edgeVms[i]
  properties: {
    roleDefinitionId: runCommandRoleDefinitionId
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}]
