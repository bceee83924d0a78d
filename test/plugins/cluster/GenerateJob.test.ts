import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import { Prepared } from "../../../plugins/cluster/GenerateJob.ts"

describe("Prepared", () => {
  it("decodes what the version before placement saved (no entity id), so its jobs resume", () => {
    expect(Schema.decodeUnknownSync(Prepared)({ base: "abc123", cancelled: false })).toEqual({
      base: "abc123",
      cancelled: false
    })
  })

  it("keeps the placed entity id of a job prepared since", () => {
    expect(Schema.decodeUnknownSync(Prepared)({ base: "abc123", cancelled: false, entityId: "r/3" }).entityId).toBe(
      "r/3"
    )
  })
})
