// Clusters are created in the shared subnet: ARM's linked access check requires
// Microsoft.Network/virtualNetworks/subnets/join/action on the subnet from the caller of the cluster PUT. The custom
// role "Jobflow subnet join" (join + read) is assigned on that subnet only.

param appPrincipalId string
param vnetName string
param subnetName string
param subnetJoinRoleDefinitionId string

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' existing = { name: vnetName }
resource subnet 'Microsoft.Network/virtualNetworks/subnets@2024-05-01' existing = {
  parent: vnet
  name: subnetName
}

resource join 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subnet.id, appPrincipalId, subnetJoinRoleDefinitionId)
  scope: subnet
  properties: {
    roleDefinitionId: subnetJoinRoleDefinitionId
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}
