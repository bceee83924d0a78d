import { describe, expect, it } from "vitest"
import { isHttpUrl, normaliseRepositoryUrl } from "../../../plugins/cluster/Job.ts"

describe("a job's repository identity", () => {
  it("maps spellings of one repository to one entity id", () => {
    const ids = [
      "https://Git.Example.com/team/app.git",
      "https://git.example.com/team/app",
      "https://git.example.com/team/app/",
      "https://git.example.com/team/app.git/"
    ].map(normaliseRepositoryUrl)
    expect(new Set(ids)).toEqual(new Set(["https://git.example.com/team/app"]))
    expect(normaliseRepositoryUrl("/srv/git/app/")).toBe(normaliseRepositoryUrl("/srv/git/app/.git"))
  })

  it("keeps repositories apart that differ in host, port, path or scheme", () => {
    const ids = [
      "https://git.example.com/team/app",
      "https://git.example.com:8443/team/app",
      "https://git.example.com/team/app2",
      "http://git.example.com/team/app",
      "https://other.example.com/team/app"
    ].map(normaliseRepositoryUrl)
    expect(new Set(ids).size).toBe(5)
  })

  it("tells URLs from paths", () => {
    expect(isHttpUrl("HTTPS://host/x.git")).toBe(true)
    expect(isHttpUrl("/srv/git/x")).toBe(false)
    expect(isHttpUrl("git@host:x.git")).toBe(false)
  })
})
