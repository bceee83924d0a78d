export { JavaScript } from "./JavaScript.ts"
export { isJavaScriptTestPath } from "./TestPath.ts"
