/**
 * Which files of the JavaScript family are tests: `*.test.*` and `*.spec.*`, and everything under
 * a test folder. TypeScript shares it, so it lives with the older language.
 */
import { inTestFolder } from "../TestFolders.ts"

export const isJavaScriptTestPath = (path: string): boolean =>
  inTestFolder(path) || /\.(test|spec)\.[cm]?[jt]sx?$/.test(path)
