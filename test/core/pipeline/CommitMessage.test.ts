import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { decodeRequestJson } from "../../../core/domain/Request.ts"
import { branchName, commitMessage } from "../../../core/pipeline/CommitMessage.ts"

const esc = "\u001b"

describe("commitMessage", () => {
  it.effect("an issue title's control sequences are written out in the commit, never raw", () =>
    Effect.gen(function* () {
      const request = yield* decodeRequestJson(
        JSON.stringify({
          taskType: "implementation",
          language: "typescript",
          context: { issue: { number: 7, title: `Fix it${esc}]0;pwned\u0007${esc}[2J\r✓ all good\u009b` } },
          requirements: { functionality: ["fix it"] }
        })
      )
      const message = commitMessage(request, "run-1", [{ path: "src/a.ts", action: "modify" }])
      expect(message.split("\n")[0]).toBe("feat: fix it\\x1b]0;pwned\\x07\\x1b[2J ✓ all good\\x9b")
      expect(message).not.toMatch(/\p{Cc}(?<!\n)/u)
      expect(branchName(request, "tamma/")).toBe("tamma/7-fix-it-0-pwned-2j-all-good")
    })
  )
})
