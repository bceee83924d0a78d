export { C } from "./C.ts"
