/**
 * Whether a process group is still the one a run made. A group is killed by its leader's pid, and
 * once the leader was reaped and the group emptied that pid is free: a process given it later (the
 * next run's bubblewrap, say) leads a group of the same number. A member that started before the
 * leader was reaped is ours; one that started after is not. Times are the kernel's clock ticks
 * since boot, as /proc reports them (USER_HZ, 100 on Linux).
 */
import { readdirSync, readFileSync } from "node:fs"

/** The fields of /proc/<pid>/stat after the command's name: [state, ppid, pgrp, …]. */
const statOf = (pid: string | number): ReadonlyArray<string> | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")
  } catch {
    return undefined
  }
}

/** When `pid` started, in clock ticks since boot; undefined once it is gone (or reaped). */
export const startOf = (pid: number | undefined): number | undefined => {
  const start = pid === undefined ? undefined : statOf(pid)?.[19]
  return start === undefined ? undefined : Number(start)
}

/** Now, in the ticks of `startOf`, rounded up: a process started before this call started at or before it. */
export const ticksNow = (): number => {
  const uptime = Number(readFileSync("/proc/uptime", "utf8").split(" ")[0])
  return Math.ceil(uptime * 100)
}

/** Whether some live process of group `pgid` started within [`from`, `to`] (ticks): the group is still ours. */
export const groupStartedWithin = (pgid: number, from: number, to: number): boolean =>
  readdirSync("/proc").some((pid) => {
    if (!/^\d+$/.test(pid)) return false
    const fields = statOf(pid)
    if (fields === undefined || Number(fields[2]) !== pgid || fields[0] === "Z") return false
    const start = Number(fields[19])
    return start >= from && start <= to
  })

/** Kills the process group led by `pid`, if it is still there. */
export const killGroup = (pid: number | undefined) => {
  if (pid === undefined || pid <= 1) return
  try {
    process.kill(-pid, "SIGKILL")
  } catch {}
}

/** The children of `pid` as the kernel lists them now: a sandbox whose pid bubblewrap has not told yet. */
export const childrenOf = (pid: number | undefined): ReadonlyArray<number> => {
  if (pid === undefined) return []
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number)
  } catch {
    return []
  }
}
