/** gofmt: in-process formatting for Go. */
export { Gofmt } from "./Gofmt.ts"
