/**
 * JUnit XML, the report format of pytest, node:test, Surefire and most runners.
 */
import { XMLParser } from "fast-xml-parser"
import { TestCase } from "../../../core/domain/TestReport.ts"

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  // Runners escape quotes and non-ASCII as numeric references (`&#39;`, `&#x27;`): decode them too.
  htmlEntities: true,
  isArray: (name) => name === "testcase" || name === "testsuite"
})

interface XmlFailure {
  readonly message?: string
  readonly "#text"?: string
}

interface XmlCase {
  readonly name?: string
  readonly classname?: string
  readonly file?: string
  readonly line?: string
  readonly time?: string
  readonly failure?: XmlFailure | string
  readonly error?: XmlFailure | string
  readonly skipped?: unknown
}

interface XmlSuite {
  readonly testcase?: ReadonlyArray<XmlCase>
  readonly testsuite?: ReadonlyArray<XmlSuite>
}

const describeFailure = (failure: XmlFailure | string | undefined): string | undefined => {
  if (failure === undefined) return undefined
  if (typeof failure === "string") return failure.trim()
  const text = failure["#text"]?.trim()
  return [failure.message, text].filter((part) => part !== undefined && part !== "").join("\n") || "failed"
}

const casesOf = (suite: XmlSuite): ReadonlyArray<XmlCase> => [
  ...(suite.testcase ?? []),
  ...(suite.testsuite ?? []).flatMap(casesOf)
]

/** Every test case of a JUnit XML document (nested suites flattened). */
export const parseJUnitXml = (xml: string): ReadonlyArray<TestCase> => {
  const document = parser.parse(xml) as { readonly testsuites?: XmlSuite; readonly testsuite?: ReadonlyArray<XmlSuite> }
  const root: XmlSuite = document.testsuites ?? { testsuite: document.testsuite ?? [] }
  return casesOf(root).map((testCase) => {
    const message = describeFailure(testCase.failure) ?? describeFailure(testCase.error)
    const status = message !== undefined ? "failed" : testCase.skipped !== undefined ? "skipped" : "passed"
    const name = [testCase.classname, testCase.name].filter((part) => part !== undefined && part !== "").join(" > ")
    return new TestCase({
      name,
      file: testCase.file,
      status,
      durationMs: testCase.time === undefined ? undefined : Number(testCase.time) * 1000,
      message,
      line: testCase.line === undefined ? undefined : Number.parseInt(testCase.line, 10)
    })
  })
}
