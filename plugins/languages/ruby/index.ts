export { Ruby } from "./Ruby.ts"
