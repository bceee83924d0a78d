/**
 * Template selection: filter the store by task type, language and framework, then rank.
 *
 * Score of a candidate (higher wins, ties by id):
 * - framework named by the request and by the template: +3; template without framework: +1
 * - each tag shared with the issue's labels or the analysis keywords: +2
 * - each word of the issue title and the functionality (stop words aside) found in the
 *   template's id, name, description or tags: +1
 * - each tag naming a convention of the existing code (its naming style, its test dir): +0.5
 */
import type { CodeGenerationRequest } from "../domain/Request.ts"
import { TemplateCandidate } from "../domain/Result.ts"
import type { TemplateManifest } from "../domain/Template.ts"

/** Words too common to say anything about a template. */
const stopWords = new Set([
  "and",
  "the",
  "for",
  "with",
  "from",
  "into",
  "that",
  "this",
  "are",
  "its",
  "add",
  "new",
  "use",
  "when",
  "all",
  "any",
  "not",
  "can",
  "via"
])

const words = (text: string): ReadonlyArray<string> =>
  text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 2 && !stopWords.has(word))

/** Ranks manifests that already match task type and language; best first. */
export const rankTemplates = (
  request: CodeGenerationRequest,
  manifests: ReadonlyArray<TemplateManifest>
): ReadonlyArray<TemplateCandidate> => {
  const labels = new Set(
    [...request.context.issue.labels, ...(request.context.analysis?.keywords ?? [])].map((l) => l.toLowerCase())
  )
  const queryWords = new Set(words([request.context.issue.title, ...request.requirements.functionality].join(" ")))
  const conventions = request.context.conventions
  const conventionTags = new Set(
    [conventions?.naming, conventions?.testDir, conventions?.sourceDir].filter((t): t is string => t !== undefined)
  )
  const wanted = request.framework?.toLowerCase()
  return manifests
    .filter((m) => wanted === undefined || m.framework === undefined || m.framework.toLowerCase() === wanted)
    .map((manifest) => {
      const reasons: Array<string> = []
      let score = 0
      if (manifest.framework !== undefined && wanted !== undefined) {
        score += 3
        reasons.push(`framework ${manifest.framework}`)
      } else if (manifest.framework === undefined) {
        score += 1
        reasons.push("framework-neutral")
      }
      const tags = manifest.tags.map((t) => t.toLowerCase())
      for (const tag of tags) {
        if (labels.has(tag)) {
          score += 2
          reasons.push(`tag ${tag}`)
        }
        if (conventionTags.has(tag)) {
          score += 0.5
          reasons.push(`convention ${tag}`)
        }
      }
      const haystack = new Set(words([manifest.id, manifest.name, manifest.description, ...tags].join(" ")))
      const hits = [...queryWords].filter((word) => haystack.has(word))
      if (hits.length > 0) {
        score += hits.length
        reasons.push(`keywords ${hits.join(", ")}`)
      }
      return new TemplateCandidate({ id: manifest.id, version: manifest.version, score, reasons })
    })
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
}
