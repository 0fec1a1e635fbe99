// The clusters' identity reads and writes the data lake (default cluster file system + job data). HDInsight asks
// for Storage Blob Data Owner on the default ADLS Gen2 account (it sets ACLs on the file system it creates).
// Scoped to this one account; the app's own identity gets nothing here.

param clusterIdentityPrincipalId string
param dataLakeAccountName string

var roles = loadJsonContent('../../roles.json')

resource lake 'Microsoft.Storage/storageAccounts@2023-05-01' existing = { name: dataLakeAccountName }

resource lakeOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(lake.id, clusterIdentityPrincipalId, roles.storageBlobDataOwner)
  scope: lake
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: clusterIdentityPrincipalId
    principalType: 'ServicePrincipal'
  }
}
