export { Cpp } from "./Cpp.ts"
