export { Java, junitPath } from "./Java.ts"
