export { TypeScript } from "./TypeScript.ts"
