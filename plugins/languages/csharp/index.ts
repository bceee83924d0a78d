export { CSharp } from "./CSharp.ts"
