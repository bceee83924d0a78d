/**
 * Where the JavaScript family keeps tests: a mirror of the source tree under `test/`, with
 * `.test` before the extension. TypeScript shares it, so it lives with the older language.
 */

/** `src/foo.ts` → `test/foo.test.ts`, `lib/a/b.mjs` → `test/lib/a/b.test.mjs`; a test file maps to itself. */
export const mirroredTestPath = (sourcePath: string): string => {
  const path = sourcePath.replaceAll("\\", "/").replace(/^(\.\/)+/, "")
  const base = path.slice(path.lastIndexOf("/") + 1)
  const dot = base.lastIndexOf(".")
  const extension = dot <= 0 ? "" : base.slice(dot)
  // A declaration file's tests are those of its module: `types.d.ts` → `types.test.ts`.
  const stem = path.slice(0, path.length - extension.length).replace(/\.d$/, "")
  if (/\.(test|spec)$/.test(stem)) return path
  const relative = stem.replace(/^(src|test)\//, "")
  return `test/${relative}.test${extension}`
}
