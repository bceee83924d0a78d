export { Python, pytestPath } from "./Python.ts"
