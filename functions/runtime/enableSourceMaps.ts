// Imported first by functions/index.ts: stack traces of the deployed app (compiled to dist/ with source maps, see
// tsconfig.build.json) then name the TypeScript file and line, not the emitted JavaScript. Node applies source maps
// only to modules loaded after this call, hence its place before every other import.
process.setSourceMapsEnabled(true);
