export { Json } from "./Json.ts"
