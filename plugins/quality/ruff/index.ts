/** Ruff: in-process linting and formatting for Python. */
export { Ruff, type RuffSettings } from "./Ruff.ts"
