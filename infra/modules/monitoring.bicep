// Log Analytics workspace + workspace-based Application Insights. Local (instrumentation-key) auth is disabled:
// the app sends telemetry with its managed identity (APPLICATIONINSIGHTS_AUTHENTICATION_STRING + Monitoring
// Metrics Publisher on the component).

param logAnalyticsName string
param applicationInsightsName string
param location string
param tags object = {}
@description('Days of retention; 30 is included in the ingestion price.')
param retentionInDays int = 30
@description('Daily ingestion cap in GB (-1 = none); a cheap guard against a log storm.')
param dailyQuotaGb int = 1

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: retentionInDays
    workspaceCapping: { dailyQuotaGb: dailyQuotaGb }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
  }
}

output applicationInsightsId string = appInsights.id
output applicationInsightsName string = appInsights.name
// Not a secret: it names the ingestion endpoint; with local auth disabled it cannot be used without Entra ID.
output connectionString string = appInsights.properties.ConnectionString
output workspaceId string = workspace.id
