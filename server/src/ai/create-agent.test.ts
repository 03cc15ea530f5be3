import { describe, expect, it } from 'vitest';
import type { AiReplyInput } from './agent';
import { createAiAgent } from './create-agent';

const input: AiReplyInput = {
  organizationId: 'org-1',
  sessionId: 'ses-1',
  channel: 'chat',
  history: [{ role: 'customer', text: 'Where is my order?', at: 1 }],
};

describe('createAiAgent', () => {
  it.each([undefined, null, '', '   '])('uses the embedded FAQ when the AI URL is %j', async (aiUrl) => {
    expect(await createAiAgent({ aiUrl }).reply(input)).toMatchObject({ kind: 'answer' });
  });

  it('uses the AI service when a URL is configured', async () => {
    const calls: string[] = [];
    const fakeFetch: typeof fetch = async (url) => {
      calls.push(String(url));
      return Response.json({ type: 'handoff', reason: 'from the service' });
    };
    const agent = createAiAgent({ aiUrl: 'https://ai.example.test/base', fetch: fakeFetch });
    expect(await agent.reply(input)).toEqual({ kind: 'handoff', reason: 'from the service' });
    expect(calls).toEqual(['https://ai.example.test/base/v1/reply']);
  });
});
