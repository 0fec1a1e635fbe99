// Service Bus: the `jobs` submission queue and the `jobflow-events` CloudEvents topic. Standard tier (topics need
// it). Local (SAS key) auth is disabled: senders and the trigger authenticate with Entra ID only.

param name string
param location string
param tags object = {}
param jobsQueueName string = 'jobs'
param eventsTopicName string = 'jobflow-events'
@description('Subscription of the events topic that forwards job events to their notify.webhook (JOBFLOW_WEBHOOK_SUBSCRIPTION).')
param webhookSubscriptionName string = 'jobflow-webhooks'

@description('''Duplicate detection window of the jobs queue. Senders set MessageId = the job's idempotencyKey, so a
scheduler that re-sends the same submission within this window is dropped by Service Bus before it reaches the
trigger. Beyond the window the app's own idempotency (job id derived from the key, singleton orchestration) still
holds; the window only has to cover a scheduler's retry horizon: one day covers the retries of a daily run.''')
param jobsDuplicateDetectionWindow string = 'P1D'

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: { name: 'Standard', tier: 'Standard' }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource jobsQueue 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = {
  parent: namespace
  name: jobsQueueName
  properties: {
    // Matches the local host's emulation (issue 3): the 10th failed delivery dead-letters the message.
    maxDeliveryCount: 10
    lockDuration: 'PT1M'
    deadLetteringOnMessageExpiration: true
    defaultMessageTimeToLive: 'P14D'
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: jobsDuplicateDetectionWindow
    requiresSession: false
    enablePartitioning: false
    maxSizeInMegabytes: 1024
  }
}

resource eventsTopic 'Microsoft.ServiceBus/namespaces/topics@2024-01-01' = {
  parent: namespace
  name: eventsTopicName
  properties: {
    defaultMessageTimeToLive: 'P7D'
    // Events carry MessageId = CloudEvent id; an activity retried after a publish that did land is dropped.
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT1H'
    enablePartitioning: false
    maxSizeInMegabytes: 1024
  }
}

// The app's jobNotifyForwarder trigger reads this subscription and POSTs each job event to the job's webhook.
resource webhookSubscription 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2024-01-01' = {
  parent: eventsTopic
  name: webhookSubscriptionName
  properties: {
    maxDeliveryCount: 10
    lockDuration: 'PT1M'
    deadLetteringOnMessageExpiration: true
    defaultMessageTimeToLive: 'P7D'
  }
}

output id string = namespace.id
output name string = namespace.name
output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
output jobsQueueId string = jobsQueue.id
output jobsQueueName string = jobsQueue.name
output eventsTopicId string = eventsTopic.id
output eventsTopicName string = eventsTopic.name
output webhookSubscriptionName string = webhookSubscription.name
