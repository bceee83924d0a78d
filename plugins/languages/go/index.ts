export { Go, goTestPath } from "./Go.ts"
