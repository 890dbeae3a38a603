/** The shape of docs/bench/results.json. */
import type { Measurement } from './lib'
import type { WorkloadId } from './workloads'

export interface StartupFigures {
  /** Spawn → first 200 from /health/ready (a process started only to measure start-up, LOG_LEVEL=info). */
  readyMs: number
  /** Spawn → the "listing index built" log line of the background index build; null if none was logged. */
  indexBuiltMs: number | null
  /** The build's own duration, as the server logged it. */
  indexBuildServerMs: number | null
  /** Documents the build indexed, as logged. */
  indexedDocuments: number | null
  /** VmRSS once the index is built (1 s after the log line; or after the first listing when the build is lazy). */
  rssIndexedMB: number | null
  /** In the measured process: the first listing, sent the moment /health/ready answers (it waits for, or does, the index build). */
  firstListingMs: number | null
  /** VmRSS and its peak (VmHWM) of the measured process after all five workloads. */
  rssAfterMB: number | null
  hwmAfterMB: number | null
  /** How SIGTERM ended the measured process. */
  stop: { code: number | null, signal: string | null, ms: number } | null
}

export interface ServerBlock {
  startup: StartupFigures
  workloads: Partial<Record<WorkloadId, Measurement>>
  /** Workloads that could not be measured, with the reason. */
  failures: Partial<Record<WorkloadId, string>>
  /** W2 with 1 connection: a durable write's latency when no other write shares its folder fsync. */
  oneClient?: Measurement
  /** The replicas variant (test/bench/replicas.ts): "W1 ×3", "W3 ×1", "hot ×3", … */
  replicas?: Record<string, Measurement>
}

export interface Block {
  n: number
  seed: { ms: number, bytesPerDoc: number }
  baselines: {
    bareFastify: Measurement | null
    /** The bare Fastify process's VmRSS when idle and after its load: the floor for jsondock's memory. */
    bareFastifyRssMB: { idle: number | null, after: number | null }
    /** Durable writes per second (as `rps`); sameDevice: measured on DATA_DIR's file system. */
    disk: { writers1: Measurement, writers10: Measurement, sameDevice: boolean, threadpool: number }
  }
  jsondock: ServerBlock
  jsonServer: ServerBlock
  seconds: number
}

export interface Sizes {
  bundleBytes: number
  staticBytes: number
  image: {
    available: boolean
    reason?: string
    name?: string
    base?: string
    imageBytes?: number
    baseBytes?: number
    addedBytes?: number
    baseIsStandIn?: boolean
    imageCreated?: string
  }
}

export interface Results {
  meta: {
    tool: string
    mode: 'full' | 'quick'
    startedAt: string
    finishedAt: string
    totalSeconds: number
    node: string
    platform: string
    cpus: number
    cpuModel: string
    loadAvgStart: number[]
    loadAvgEnd: number[]
    memTotalMB: number
    git: { commit: string, dirty: boolean }
    filesystem: { benchRoot: string, type: string, device: string }
    schedule: { connections: number, warmupSec: number, runSec: number, runs: number, timeoutSec: number }
    /** LOG_LEVEL of the measured jsondock process (the shipped default is info). */
    logLevel: string
    ns: number[]
    /** Each N whose block failed, with why (its figures are missing from `blocks`). */
    failedBlocks?: Array<{ n: number, error: string }>
    requests: Record<string, Record<WorkloadId, string>>
  }
  sizes: Sizes
  /** jsondock on an empty DATA_DIR: start-up and resident memory with nothing to index. */
  idle: {
    readyMs: number
    /** VmRSS after `settleSec` of idleness (what an idle service holds). */
    rssMB: number | null
    /** VmRSS 1 s after start, before V8 hands back start-up's young generation. */
    rssAfterStartMB: number | null
    settleSec: number
    backgroundIndexBuild: boolean
  }
  blocks: Block[]
}
