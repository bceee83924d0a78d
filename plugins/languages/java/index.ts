export { isJavaTestPath, Java } from "./Java.ts"
