export { JavaScript } from "./JavaScript.ts"
export { mirroredTestPath } from "./TestPath.ts"
