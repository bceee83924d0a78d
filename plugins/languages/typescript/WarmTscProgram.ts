/**
 * What `tsc --noEmit --pretty false` does for one job's folder, in a process that outlives the
 * job (see WarmTscServer.ts): the same command line parsed the same way, the same program, the
 * same diagnostics in the same order and format. What stays between jobs is only the parsed and
 * bound SourceFiles of the node_modules that holds TypeScript (its lib files, this package's
 * dependencies' typings), keyed by path, content hash and the options that shape a parse; a
 * job's own files are read and parsed afresh every time, and a job sees no other job's folder.
 */
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import type TS from "typescript"

/** tsc's printed output and exit code, or why this job needs a real tsc (it is then run cold). */
export type WarmTscAnswer =
  | { readonly _tag: "Checked"; readonly exitCode: number; readonly output: string }
  | { readonly _tag: "Fallback"; readonly reason: string }

/**
 * Options under which tsc prints or writes more than diagnostics, builds incrementally, or
 * changes global state (the message locale): a job that sets one gets a real tsc.
 */
const coldOnly = [
  "build",
  "watch",
  "incremental",
  "composite",
  "tsBuildInfoFile",
  "listFiles",
  "listFilesOnly",
  "listEmittedFiles",
  "explainFiles",
  "traceResolution",
  "diagnostics",
  "extendedDiagnostics",
  "generateTrace",
  "generateCpuProfile",
  "showConfig",
  "locale",
  "init",
  "version",
  "help",
  "all"
] as const

/**
 * The options that change how a file is parsed or bound (TypeScript's `affectsSourceFile` and
 * `affectsBindDiagnostics`): a cached SourceFile is reused only under the same values.
 */
export const sourceFileOptions = [
  "target",
  "module",
  "jsx",
  "importHelpers",
  "alwaysStrict",
  "noFallthroughCasesInSwitch",
  "moduleResolution",
  "jsxImportSource",
  "allowUnusedLabels",
  "allowUnreachableCode",
  "moduleDetection"
] as const

const within = (file: string, folder: string) => file === folder || file.startsWith(`${folder}/`)

/** Option sets kept at once: a worker serves few repositories' settings; each set holds ~70 MB. */
const keptOptionSets = 4

export interface WarmTsc {
  /** Runs `tsc ...args` (the arguments after the tsc script) in `folder`, a direct child of `root`. */
  readonly run: (folder: string, args: ReadonlyArray<string>) => WarmTscAnswer
  /** How many parsed files are kept between jobs, over every option set. */
  readonly keptFiles: () => number
}

/**
 * A warm tsc over `ts` for the jobs' folders under `root`. Every file a job's program touches
 * goes through a check: under `root`, only the job's own folder exists (by its real path too, so
 * a link to another job's folder leads nowhere).
 */
export const makeWarmTsc = (ts: typeof TS, root: string): WarmTsc => {
  const cache = new Map<string, Map<string, { readonly hash: string; readonly file: TS.SourceFile }>>()
  // The node_modules that holds this TypeScript (its lib files, this package's typings): the one
  // folder whose files are kept, so that what a job's tsconfig names elsewhere never grows the cache.
  const keptFolder = fs.realpathSync.native(path.dirname(path.dirname(path.dirname(ts.getDefaultLibFilePath({})))))
  /** Whether `file` may be kept: in that folder, by its real path and as written (one entry a file). */
  const keepable = (file: string): boolean => {
    try {
      return fs.realpathSync.native(file) === file && within(file, keptFolder)
    } catch {
      return false
    }
  }

  const cachedSet = (options: TS.CompilerOptions) => {
    const key = JSON.stringify(sourceFileOptions.map((name) => options[name] ?? null))
    const found = cache.get(key)
    cache.delete(key)
    const set = found ?? new Map()
    // Most recently used last: the oldest set goes first.
    cache.set(key, set)
    for (const old of cache.keys()) if (cache.size > keptOptionSets) cache.delete(old)
    return set
  }

  const run = (folder: string, args: ReadonlyArray<string>): WarmTscAnswer => {
    if (path.dirname(folder) !== root) return { _tag: "Fallback", reason: `${folder} is not a folder of ${root}` }
    const lines: Array<string> = []
    const known = new Map<string, boolean>()
    // Relative names are the job's: resolved against its folder, never the server's own.
    const at = (file: string) => path.resolve(folder, file)
    /** Whether `file` may be seen by this job: outside the jobs' root, or inside its own folder. */
    const visible = (file: string): boolean => {
      const absolute = at(file)
      const answer = known.get(absolute)
      if (answer !== undefined) return answer
      let real: string | undefined
      try {
        real = fs.realpathSync.native(absolute)
      } catch {}
      const ok =
        (!within(absolute, root) || within(absolute, folder)) &&
        real !== undefined &&
        (!within(real, root) || within(real, folder))
      known.set(absolute, ok)
      return ok
    }
    const fileExists = (file: string) => visible(file) && ts.sys.fileExists(at(file))
    const directoryExists = (dir: string) => visible(dir) && ts.sys.directoryExists(at(dir))
    const readFile = (file: string) => (visible(file) ? ts.sys.readFile(at(file)) : undefined)
    const readDirectory = (
      dir: string,
      extensions: ReadonlyArray<string>,
      excludes: ReadonlyArray<string> | undefined,
      includes: ReadonlyArray<string>,
      depth?: number
    ) => (visible(dir) ? ts.sys.readDirectory(at(dir), extensions, excludes, includes, depth).filter(visible) : [])
    const formatHost: TS.FormatDiagnosticsHost = {
      getCurrentDirectory: () => folder,
      getNewLine: () => "\n",
      getCanonicalFileName: (file) => file
    }
    const report = (diagnostic: TS.Diagnostic) => lines.push(ts.formatDiagnostic(diagnostic, formatHost))
    const exit = (exitCode: number): WarmTscAnswer => ({ _tag: "Checked", exitCode, output: lines.join("") })

    const commandLine = ts.parseCommandLine([...args], readFile)
    const unusual = coldOnly.find((name) => commandLine.options[name] !== undefined)
    if (unusual !== undefined) return { _tag: "Fallback", reason: `--${unusual} is set` }
    if (commandLine.errors.length > 0) {
      commandLine.errors.forEach(report)
      return exit(1)
    }
    // As tsc finds its project: `-p` names a folder or a file; without it, files on the command
    // line are refused when a tsconfig.json is found up the tree.
    let configFile: string | undefined
    const project = commandLine.options.project
    if (project !== undefined) {
      if (commandLine.fileNames.length > 0) return { _tag: "Fallback", reason: "-p with files" }
      const named = path.resolve(folder, project)
      configFile = directoryExists(named) ? path.join(named, "tsconfig.json") : named
      if (!fileExists(configFile)) return { _tag: "Fallback", reason: `no ${project}` }
    } else if (commandLine.fileNames.length === 0 || ts.findConfigFile(folder, fileExists) !== undefined) {
      return { _tag: "Fallback", reason: "no files and no -p" }
    }
    const commandLineOptions: TS.CompilerOptions = { ...commandLine.options }
    if (project !== undefined) commandLineOptions.project = path.resolve(folder, project)
    let config: TS.ParsedCommandLine = { ...commandLine, options: commandLineOptions }
    if (configFile !== undefined) {
      const parsed = ts.getParsedCommandLineOfConfigFile(configFile, commandLineOptions, {
        useCaseSensitiveFileNames: true,
        getCurrentDirectory: () => folder,
        fileExists,
        readFile,
        readDirectory,
        onUnRecoverableConfigFileDiagnostic: report
      })
      if (parsed === undefined) return exit(1)
      config = parsed
    }
    const tooUnusual = coldOnly.find((name) => config.options[name] !== undefined)
    if (tooUnusual !== undefined) return { _tag: "Fallback", reason: `${tooUnusual} is set` }

    const options = config.options
    const sourceFiles = cachedSet(options)
    const host = ts.createCompilerHost(options)
    // As tsc parses: JSDoc only where it can matter to type errors.
    host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors
    host.getCurrentDirectory = () => folder
    host.fileExists = fileExists
    host.directoryExists = directoryExists
    host.readFile = readFile
    host.readDirectory = readDirectory
    host.getDirectories = (dir) =>
      visible(dir) ? ts.sys.getDirectories(at(dir)).filter((d) => visible(path.join(at(dir), d))) : []
    host.realpath = (file) => (visible(file) ? fs.realpathSync.native(at(file)) : file)
    host.writeFile = () => {}
    host.getSourceFile = (fileName, languageVersionOrOptions) => {
      // As tsc's host: a file that is not there is no source file, and not an error of its own.
      const text = readFile(fileName)
      if (text === undefined) return undefined
      const parse = () => ts.createSourceFile(fileName, text, languageVersionOrOptions)
      // A job's own files are never kept: nothing of one job reaches another.
      if (within(at(fileName), root) || !keepable(at(fileName))) return parse()
      const settings =
        typeof languageVersionOrOptions === "number"
          ? [languageVersionOrOptions]
          : [
              languageVersionOrOptions.languageVersion,
              languageVersionOrOptions.impliedNodeFormat,
              languageVersionOrOptions.jsDocParsingMode
            ]
      const key = `${fileName}\0${JSON.stringify(settings)}`
      const hash = createHash("sha256").update(text).digest("hex")
      const kept = sourceFiles.get(key)
      if (kept !== undefined && kept.hash === hash) return kept.file
      const file = parse()
      sourceFiles.set(key, { hash, file })
      return file
    }

    const program = ts.createProgram({
      rootNames: config.fileNames,
      options,
      ...(config.projectReferences === undefined ? {} : { projectReferences: config.projectReferences }),
      host,
      configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(config)
    })
    // tsc's order: config, syntax, then options and globals, then semantics only if all is clean so far.
    const all = [...program.getConfigFileParsingDiagnostics()]
    const configCount = all.length
    all.push(...program.getSyntacticDiagnostics())
    if (all.length === configCount) {
      all.push(...program.getOptionsDiagnostics())
      all.push(...program.getGlobalDiagnostics())
      if (all.length === configCount) all.push(...program.getSemanticDiagnostics())
      if (options.noEmit && (options.declaration || options.composite) && all.length === configCount)
        all.push(...program.getDeclarationDiagnostics())
    }
    const emitted = program.emit(undefined, () => {})
    all.push(...emitted.diagnostics)
    const diagnostics = ts.sortAndDeduplicateDiagnostics(all)
    diagnostics.forEach(report)
    if (emitted.emitSkipped && diagnostics.length > 0) return exit(1)
    return exit(diagnostics.length > 0 ? 2 : 0)
  }

  const keptFiles = () => [...cache.values()].reduce((sum, set) => sum + set.size, 0)

  return { run, keptFiles }
}
