import type { AiAgent } from './agent';
import { createFaqAgent } from './faq-agent';
import { createHttpAgent, type HttpAgentOptions } from './http-agent';

export interface CreateAiAgentOptions extends Omit<HttpAgentOptions, 'url'> {
  /** OPENCX_AI_URL from the config; empty or absent means "no AI service": use the embedded FAQ. */
  aiUrl?: string | null;
}

/** The production AI when a URL is configured, else the embedded FAQ agent, so a local run needs nothing else. */
export const createAiAgent = ({ aiUrl, ...httpOptions }: CreateAiAgentOptions = {}): AiAgent => {
  const url = aiUrl?.trim();
  return url ? createHttpAgent({ ...httpOptions, url }) : createFaqAgent();
};
