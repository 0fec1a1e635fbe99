// In one target resource group: the app may create, read, re-tag and delete HDInsight clusters (custom role
// "Jobflow HDInsight cluster lifecycle", defined in infra/main.bicep). Deployed once per target group (where
// clusters are created and every group the reaper watches).

param appPrincipalId string
param clusterRoleDefinitionId string

resource clusterLifecycle 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, appPrincipalId, clusterRoleDefinitionId)
  properties: {
    roleDefinitionId: clusterRoleDefinitionId
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}
