// Loaded with `node --import ./register.mjs` before anything imports @hubspot/project-parsing-lib.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
