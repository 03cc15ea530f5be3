export type {
  NormalizedEvent,
  NormalizedEventKind,
  ThreadMessageType,
  WebhookBatchError,
  WebhookBatchResult,
  WebhookEventIdentity,
} from './normalized-event';
export { webhookEnvelopeSchema, type Checked, type FieldIssue } from './envelope';
export {
  HANDLED_SUBSCRIPTION_TYPES,
  THREAD_ASSIGNEE_PROPERTY,
  TICKET_OBJECT_TYPE_ID,
  TICKET_OWNER_PROPERTY,
  type HandledSubscriptionType,
} from './handlers';
export { MAX_WEBHOOK_BATCH, parseWebhookBatch, parseWebhookEvent } from './events';
export { compareByOccurrence, dedupKeyOf, orderingKeyOf } from './keys';
