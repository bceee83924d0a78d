export { Php } from "./Php.ts"
