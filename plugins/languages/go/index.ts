export { Go, isGoTestPath } from "./Go.ts"
