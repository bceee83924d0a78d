import { describe, expect, it } from "vitest"
import { parseJUnitXml } from "../../../plugins/testing/frameworks/JUnitXml.ts"

describe("parseJUnitXml", () => {
  it("decodes named and numeric character references in names and failure messages", () => {
    const cases = parseJUnitXml(
      `<testsuite><testcase name="a &amp; b"><failure message="expected &lt;1&gt; &quot;x&quot; &#39;y&#39;">AssertionError: 1 &lt; 2 &#x27;z&#x27; &#233;</failure></testcase></testsuite>`
    )
    expect(cases.map((c) => [c.name, c.status, c.message])).toEqual([
      ["a & b", "failed", "expected <1> \"x\" 'y'\nAssertionError: 1 < 2 'z' é"]
    ])
  })
})
