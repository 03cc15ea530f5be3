import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// The card's test helpers live in hubspot-project/app/cards/testing/ only; the card's own code (what HubSpot
// builds) never imports them. server/src/imports.test.ts checks the same for the server.
const CARDS = fileURLToPath(new URL('../../hubspot-project/app/cards/', import.meta.url));

it("keeps the card's code free of its test support", () => {
  const cardCode = readdirSync(CARDS).filter((name) => /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name));
  const offenders = cardCode.filter((name) => /from\s*['"]\.\/testing\//.test(readFileSync(`${CARDS}${name}`, 'utf8')));
  expect(cardCode.length).toBeGreaterThan(0);
  expect(offenders).toEqual([]);
});
