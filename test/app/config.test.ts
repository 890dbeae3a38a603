import t from 'tap'
import { ConfigError, loadConfig, apiTokens } from '../../app/config'

t.test('defaults suit a checkout', async (t) => {
  t.same(loadConfig({}), {
    PORT: 3000,
    HOST: '127.0.0.1',
    DATA_DIR: './volumes/data',
    DATA_DIR_ON_HOST: '',
    LOG_LEVEL: 'info',
    BODY_LIMIT: 1048576,
    API_TOKENS: '',
    AUTH_READS: false,
    CORS_ORIGIN: '',
    API_CONTACT: '',
    READ_ONLY: false,
    JSON_SERVER_PREFIX: '/json-server',
    JSON_SERVER_FOREIGN_KEY_SUFFIX: 'Id',
    JSON_SERVER_ROUTES: '',
    JSON_SERVER_DELETE_DEPENDENTS: true,
    RATE_LIMIT: 0,
    MAX_EVENT_LOOP_DELAY_MS: 1000
  })
})

t.test('strings from the environment become typed values', async (t) => {
  const config = loadConfig({ PORT: '8080', READ_ONLY: 'true', BODY_LIMIT: '2048', LOG_LEVEL: 'warn', API_TOKENS: 'a, b,', OTHER: 'x' })
  t.equal(config.PORT, 8080)
  t.equal(config.READ_ONLY, true)
  t.equal(config.BODY_LIMIT, 2048)
  t.equal(config.LOG_LEVEL, 'warn')
  t.same(apiTokens(loadConfig({ API_TOKENS: 'a,b' })), ['a', 'b'])
  t.same(apiTokens(loadConfig({})), [])
  t.notOk('OTHER' in config, 'unknown variables are ignored')
  t.equal(loadConfig({ CORS_ORIGIN: 'http://localhost:8081, https://[::1]:3000' }).CORS_ORIGIN, 'http://localhost:8081, https://[::1]:3000', 'origins as browsers send them')
  t.equal(loadConfig({ CORS_ORIGIN: '*' }).CORS_ORIGIN, '*')
  t.equal(loadConfig({ API_CONTACT: 'ops@example.com' }).API_CONTACT, 'ops@example.com', 'a contact email')
  t.throws(() => loadConfig({ API_CONTACT: 'call Bob' }), /API_CONTACT/, 'a contact that is neither an email address nor a URL stops the start')
  t.equal(loadConfig({ PORT: '' }).PORT, 3000, 'an empty number is unset')
  t.equal(loadConfig({ JSON_SERVER_PREFIX: '' }).JSON_SERVER_PREFIX, '', 'an empty text is a value (turns the json-server routes off)')
})

t.test('a bad value is one clear line naming the variable', async (t) => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ PORT: 'abc' }, /^Invalid configuration: PORT="abc": .*TCP port/],
    [{ PORT: '70000' }, /^Invalid configuration: PORT="70000"/],
    [{ LOG_LEVEL: 'loud' }, /^Invalid configuration: LOG_LEVEL="loud": expected one of fatal, error, warn, info, debug, trace, silent\./],
    [{ READ_ONLY: 'maybe' }, /^Invalid configuration: READ_ONLY="maybe"/],
    [{ BODY_LIMIT: '10' }, /^Invalid configuration: BODY_LIMIT="10"/],
    [{ JSON_SERVER_FOREIGN_KEY_SUFFIX: '' }, /^Invalid configuration: JSON_SERVER_FOREIGN_KEY_SUFFIX="": .*--foreignKeySuffix/],
    [{ JSON_SERVER_FOREIGN_KEY_SUFFIX: 'Id$' }, /^Invalid configuration: JSON_SERVER_FOREIGN_KEY_SUFFIX="Id\$"/],
    [{ CORS_ORIGIN: 'http://localhost:8081/' }, /^Invalid configuration: CORS_ORIGIN="http:\/\/localhost:8081\/": "http:\/\/localhost:8081\/" is not an origin: .*no path or trailing slash \(write "http:\/\/localhost:8081"\)/],
    [{ CORS_ORIGIN: 'http://a.test, https://b.test/app' }, /^Invalid configuration: CORS_ORIGIN=.*"https:\/\/b.test\/app" is not an origin.*\(write "https:\/\/b.test"\)/],
    [{ CORS_ORIGIN: 'localhost:8081' }, /^Invalid configuration: CORS_ORIGIN="localhost:8081": "localhost:8081" is not an origin/],
    [{ API_TOKENS: 'tok"en' }, /^Invalid configuration: API_TOKENS=<secret, 6 characters> \(character 4 of 6, in token 1 of 1, is not allowed\)/]
  ]
  for (const [env, message] of cases) {
    t.throws(() => loadConfig(env), ConfigError)
    try {
      loadConfig(env)
    } catch (err) {
      t.match((err as Error).message, message)
      t.notMatch((err as Error).message, /\n/, 'one line')
    }
  }
})

t.test('a bad API_TOKENS is located, never echoed: the start-up line ends up in stderr and docker logs', async (t) => {
  const secret = 'first-real-token,second-real"token,third'
  let message = ''
  try {
    loadConfig({ API_TOKENS: secret })
  } catch (err) {
    t.type(err, ConfigError)
    message = (err as Error).message
  }
  t.match(message, /^Invalid configuration: API_TOKENS=<secret, 40 characters> \(character 29 of 40, in token 2 of 3, is not allowed\): /)
  // No piece of any token, not just the whole value: a typo'd token is mostly the real one.
  for (const piece of ['first', 'real', 'second', 'third', '"token']) t.notMatch(message, piece, `"${piece}" is not in the message`)
  t.notMatch(message, /\n/, 'one line')
})
