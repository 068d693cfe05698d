// Runs before the app's modules: zod probes for eval (new Function) as it defines its first object
// schema, and our CSP (no 'unsafe-eval') reports that probe as a violation on every page load. A
// classic script because module chunks that define schemas may run before any module of ours could
// call z.config().
globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig || {}, { jitless: true });
