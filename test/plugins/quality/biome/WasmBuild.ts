/**
 * Biome's wasm build as its thread runs it, in the test's own process: the reference the native
 * CLI's answers are held equal to.
 */
import type { Configuration } from "@biomejs/js-api/nodejs"

type Workspace = InstanceType<typeof import("@biomejs/wasm-nodejs")["Workspace"]>
type ProjectKey = ReturnType<Workspace["openProject"]>["projectKey"]

/**
 * A workspace with `configuration`; the function it gives opens a file of `code` at `file`, reads
 * it with `read`, and closes it.
 */
export const wasmFiles = async <A>(
  configuration: Configuration,
  read: (workspace: Workspace, projectKey: ProjectKey, file: string, code: string) => A
): Promise<(code: string, file: string) => A> => {
  const wasm = await import("@biomejs/wasm-nodejs")
  wasm.main()
  const workspace = new wasm.Workspace()
  const { projectKey } = workspace.openProject({ path: "", openUninitialized: true })
  workspace.updateSettings({ projectKey, configuration, workspaceDirectory: "./" })
  return (code, file) => {
    workspace.openFile({ projectKey, path: file, content: { type: "fromClient", content: code, version: 0 } })
    try {
      return read(workspace, projectKey, file, code)
    } finally {
      workspace.closeFile({ projectKey, path: file })
    }
  }
}
