// Node module-resolution hook: HubSpot's project-parsing-lib downloads its JSON Schemas through
// @hubspot/local-dev-lib/http (an authenticated HubSpot account and the network). Only that one import is
// redirected to local schemas, so every structural check of the library still runs as shipped.
export async function resolve(specifier, context, next) {
  if (specifier === '@hubspot/local-dev-lib/http') {
    return { url: new URL('./fake-http.mjs', import.meta.url).href, shortCircuit: true };
  }
  return next(specifier, context);
}
