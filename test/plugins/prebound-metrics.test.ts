import t from 'tap'
import { Counter, Histogram, Registry } from 'prom-client'
import { BoundHistogram, CountOf } from '../../plugins/prebound-metrics'

const BUCKETS = [0.001, 0.01, 0.1, 1]
const SAMPLES: Array<[Record<string, string>, number]> = [
  [{ method: 'GET', route: '/a', status: '200' }, 0.0004],
  [{ method: 'GET', route: '/a', status: '200' }, 0.001],
  [{ method: 'GET', route: '/a', status: '200' }, 0.05],
  [{ method: 'POST', route: '/a/"b"\\c', status: '201' }, 3],
  [{ method: 'GET', route: '/a', status: '404' }, 0.2]
]

t.test('a BoundHistogram and its CountOf print exactly what prom-client\'s Histogram and Counter print for the same observations', async (t) => {
  const theirs = new Registry()
  const histogram = new Histogram({ name: 'x_seconds', help: 'h', labelNames: ['method', 'route', 'status'], buckets: BUCKETS, registers: [theirs] })
  const counter = new Counter({ name: 'x_total', help: 'c', labelNames: ['method', 'route', 'status'], registers: [theirs] })
  const ours = new Registry()
  const bound = new BoundHistogram('x_seconds', 'h', BUCKETS, ours)
  // eslint-disable-next-line no-new -- registered with the registry
  new CountOf('x_total', 'c', bound, ours)
  for (const [labels, value] of SAMPLES) {
    histogram.observe(labels, value)
    counter.inc(labels)
    bound.series(`${labels.method} ${labels.status} ${labels.route}`, () => labels).observe(value)
  }
  t.equal(await ours.metrics(), await theirs.metrics())
  const asJson = async (r: Registry): Promise<unknown> => JSON.parse(JSON.stringify(await r.getMetricsAsJSON()))
  t.same(await asJson(ours), await asJson(theirs), 'and in the JSON form')
  ours.resetMetrics()
  theirs.resetMetrics()
  t.equal(await ours.metrics(), await theirs.metrics(), 'and after a reset')
})

t.test('a series is bound once: the same key observes into the same counts', async (t) => {
  const bound = new BoundHistogram('y_seconds', 'h', BUCKETS, new Registry())
  let made = 0
  const labels = (): Record<string, string> => { made++; return { k: 'v' } }
  bound.series('k', labels).observe(0.5)
  bound.series('k', labels).observe(5)
  t.equal(made, 1)
  const [series] = [...bound.all()]
  t.equal(series?.count, 2)
  t.same([...(series?.buckets ?? [])], [0, 0, 0, 1, 1])
})
