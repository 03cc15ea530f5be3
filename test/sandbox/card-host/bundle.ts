// The real CRM card (the entrypoint its hsmeta file names) bundled for the browser, with `@hubspot/ui-extensions`
// swapped for the host in this folder. Built on the first request and kept for the sandbox's life: the card's
// source is the repository's, never a committed build output.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const CARD_HSMETA = 'hubspot-project/app/cards/ai-status-card-hsmeta.json';

export interface CardInfo {
  name: string;
  entrypoint: string;
}

export function readCardInfo(projectDir: string): CardInfo {
  const meta = JSON.parse(readFileSync(join(projectDir, CARD_HSMETA), 'utf8')) as { config: { name: string; entrypoint: string } };
  return { name: meta.config.name, entrypoint: join(projectDir, 'hubspot-project', meta.config.entrypoint) };
}

/** A lazy, memoised build; a failed build is retried on the next request (the card source may be mid-edit). */
export function cardHostBundle(projectDir: string): () => Promise<string> {
  let built: Promise<string> | undefined;
  return () => {
    built ??= buildCardHost(readCardInfo(projectDir).entrypoint).catch((err: unknown) => {
      built = undefined;
      throw err;
    });
    return built;
  };
}

async function buildCardHost(entrypoint: string): Promise<string> {
  // The card module registers itself with hubspot.extend when it loads; boot() then renders what it registered.
  const contents = `import ${JSON.stringify(entrypoint)};\nimport { boot } from ${JSON.stringify(join(HERE, 'boot.ts'))};\nboot();\n`;
  const result = await build({
    stdin: { contents, resolveDir: HERE, loader: 'ts', sourcefile: 'card-host-entry.ts' },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    jsx: 'automatic',
    alias: { '@hubspot/ui-extensions': join(HERE, 'ui-extensions.ts') },
    define: { 'process.env.NODE_ENV': '"production"' },
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}
