// State-less OAuth callbacks (what a marketplace install brings) each cost a token exchange at HubSpot on the app's
// credentials, and anyone can open one. Through the real server: one client gets 10 exchanges a minute, all
// clients together 60, and every refused callback is a 429 page with Retry-After, with no call to HubSpot.
import { afterEach, expect, it } from 'vitest';
import { getFrom } from '../support/get-from';
import { startStack, type Stack } from '../support/stack';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

/** Counts the token exchanges the server starts at the sandbox (a 1 ms delay fault changes nothing else). */
async function countExchanges(s: Stack): Promise<() => number> {
  const fault = s.sandbox.control.addFault({ pathPrefix: '/oauth/2026-03/token', method: 'POST', delayMs: 1 });
  return () => fault.hits;
}

const callback = (s: Stack, i: number) => `${s.serverUrl}/oauth/callback?code=na1-made-up-${i}`;

it('lets one client start 10 token exchanges a minute, and answers the rest 429 without calling HubSpot', async () => {
  stack = await startStack();
  const exchanges = await countExchanges(stack);
  const s = stack;
  // 30 at once: under the per-client connection cap (32), so every refusal here is the throttle's.
  const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => getFrom('127.0.0.1', callback(s, i))));
  expect(answers.filter((a) => a.status === 400)).toHaveLength(10); // exchanged, and the made-up code refused
  const refused = answers.filter((a) => a.status === 429);
  expect(refused).toHaveLength(20);
  expect(exchanges()).toBe(10);
  for (const answer of refused) {
    expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(answer.body).toContain('too_many_attempts');
  }
  // Another client is not held back by the first.
  expect((await getFrom('127.0.0.2', callback(s, 99))).status).toBe(400);
  expect(exchanges()).toBe(11);
});

it('caps the exchanges of all clients together at 60 a minute', async () => {
  stack = await startStack();
  const exchanges = await countExchanges(stack);
  const s = stack;
  const clients = Array.from({ length: 10 }, (_, c) => `127.0.0.${c + 10}`);
  const answers = await Promise.all(clients.flatMap((address, c) => Array.from({ length: 10 }, (_, i) => getFrom(address, callback(s, c * 100 + i)))));
  expect(answers.filter((a) => a.status === 400)).toHaveLength(60);
  expect(answers.filter((a) => a.status === 429)).toHaveLength(40);
  expect(exchanges()).toBe(60);
});
