// The app attaches the cluster identity to each cluster it creates (identity.userAssignedIdentities on the PUT);
// ARM then checks Microsoft.ManagedIdentity/userAssignedIdentities/assign/action on that identity. The built-in
// Managed Identity Operator role (read + assign) is assigned on this one identity, not on the group.

param appPrincipalId string
param clusterIdentityName string

var roles = loadJsonContent('../../roles.json')

resource clusterIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: clusterIdentityName
}

resource assignIdentity 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(clusterIdentity.id, appPrincipalId, roles.managedIdentityOperator)
  scope: clusterIdentity
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.managedIdentityOperator)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}
