export {
  AiServiceError,
  type AiAgent,
  type AiHistoryEntry,
  type AiReply,
  type AiReplyInput,
  type AiServiceErrorCode,
} from './agent';
export {
  AI_REPLY_PATH,
  aiServiceRequestSchema,
  aiServiceResponseSchema,
  type AiServiceRequest,
  type AiServiceResponse,
} from './ai-service-contract';
export { createAiAgent, type CreateAiAgentOptions } from './create-agent';
export { createFaqAgent, DEFAULT_FAQ } from './faq-agent';
export { createHttpAgent, type HttpAgentOptions } from './http-agent';
