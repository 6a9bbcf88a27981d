export * as webhooks from "./webhooks.service.ts";
export { queueWebhookEvent, type WebhookEndpointDto, type WebhookEventInput } from "./webhooks.service.ts";
export { deliverWebhook, type DeliveryOutcome } from "./deliver.ts";
export {
  defaultOutboundPolicy,
  isForbiddenAddress,
  OutboundRefused,
  parseAddressList,
  postOutbound,
  refusedUrl,
  type OutboundPolicy,
  type OutboundResponse,
  type ResolvedAddress,
} from "./outbound.ts";
export { signPayload, verifySignature, SIGNATURE_HEADER, SIGNATURE_TOLERANCE_SECONDS } from "./signature.ts";
