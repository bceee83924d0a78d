export { isPythonTestPath, Python } from "./Python.ts"
