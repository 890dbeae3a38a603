import type { Metric, Registry } from 'prom-client'

/** One labelled series of a BoundHistogram: its counts, kept in place. */
export class Series {
  count = 0
  sum = 0
  /** Observations per bucket (not cumulative); the last one is +Inf. */
  readonly buckets: Float64Array

  constructor (readonly labels: Readonly<Record<string, string>>, private readonly upperBounds: readonly number[]) {
    this.buckets = new Float64Array(upperBounds.length + 1)
  }

  observe (value: number): void {
    this.count++
    this.sum += value
    let i = 0
    while (i < this.upperBounds.length && value > (this.upperBounds[i] as number)) i++
    this.buckets[i] = (this.buckets[i] ?? 0) + 1
  }
}

interface Value { labels: Record<string, string | number>, sharedLabels?: Record<string, string>, value: number, metricName?: string, exemplar?: null }
interface Exported { name: string, help: string, type: 'histogram' | 'counter', values: Value[], aggregator: 'sum' }

/**
 * A Prometheus histogram whose series are bound once and then observed with
 * no allocation: prom-client's own `observe(labels, v)` — a bound child's
 * too — builds, checks and hashes a labels object on every call, which the
 * benchmark's profile of a GET by id showed on every request
 * (docs/performance.md). Registered on a prom-client Registry, which reads it
 * on scrape in prom-client's own format, so /metrics is unchanged. A counter
 * of the same series (requests_total beside their durations) reads the same
 * counts: one observation updates both.
 */
export class BoundHistogram {
  readonly type = 'histogram'
  readonly aggregator = 'sum'
  readonly #series = new Map<string, Series>()

  constructor (readonly name: string, readonly help: string, readonly upperBounds: readonly number[], registry: Registry) {
    registry.registerMetric(this as unknown as Metric)
  }

  /** The series for these label values, made on first use; `key` identifies them (cheaper than hashing the labels). */
  series (key: string, labels: () => Record<string, string>): Series {
    let series = this.#series.get(key)
    if (series === undefined) {
      series = new Series(labels(), this.upperBounds)
      this.#series.set(key, series)
    }
    return series
  }

  all (): Iterable<Series> {
    return this.#series.values()
  }

  reset (): void {
    this.#series.clear()
  }

  /** prom-client's text exposition reads this (le first, then the series' labels, as prom-client's histograms print). */
  getForPromString (): Exported {
    const values: Value[] = []
    for (const s of this.#series.values()) {
      let cumulative = 0
      this.upperBounds.forEach((le, i) => {
        cumulative += s.buckets[i] ?? 0
        values.push({ labels: { le }, sharedLabels: { ...s.labels }, value: cumulative, metricName: `${this.name}_bucket`, exemplar: null })
      })
      values.push({ labels: { le: '+Inf' }, sharedLabels: { ...s.labels }, value: s.count, metricName: `${this.name}_bucket`, exemplar: null })
      values.push({ labels: {}, sharedLabels: { ...s.labels }, value: s.sum, metricName: `${this.name}_sum` })
      values.push({ labels: {}, sharedLabels: { ...s.labels }, value: s.count, metricName: `${this.name}_count` })
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator }
  }

  /** prom-client's JSON form (registry.getMetricsAsJSON): the labels in one object. */
  get (): Exported {
    const exported = this.getForPromString()
    return { ...exported, values: exported.values.map(({ labels, sharedLabels, ...rest }) => ({ ...rest, labels: { ...labels, ...sharedLabels } })) }
  }
}

/** A counter that reads the observation counts of a BoundHistogram's series. */
export class CountOf {
  readonly type = 'counter'
  readonly aggregator = 'sum'

  constructor (readonly name: string, readonly help: string, private readonly histogram: BoundHistogram, registry: Registry) {
    registry.registerMetric(this as unknown as Metric)
  }

  reset (): void {}

  get (): Exported {
    return { name: this.name, help: this.help, type: this.type, values: [...this.histogram.all()].map((s) => ({ labels: { ...s.labels }, value: s.count })), aggregator: this.aggregator }
  }
}
