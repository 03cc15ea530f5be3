export { createOpenCxClient, createOpenCxRateLimiter, type OpenCxApi, type OpenCxClientOptions } from './client';
export { OpenCxApiError, type OpenCxFailure } from './errors';
export { createOpenCxAgent, unsentCustomerMessages } from './opencx-agent';
export { closeOpenCxSession, forwardAgentMessage, type HookOutcome } from './session-hooks';
export { noticeAiAtStart } from './start-notice';
export type { OpenCxDeps } from './with-key';
