// parseBundle: what a counter keeps. It checks the root's signature and parses, whatever the bundle's age, so
// each verification then says stale_trust_data, clock_before_bundle or a warning exactly as wallet.verify does.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { encodeText, fromHex, InvalidCredential, loadBundle, parseBundle, verify } from '../../zwt/static/qd1/qd1.mjs'
import { MAX_AGE, WARN_AGE } from '../../zwt/static/qd1/trust.mjs'
import { bundleBytes, makeSigner, vectorFiles } from './helpers.mjs'

const VECTOR = vectorFiles().find((f) => f.path.endsWith('qd1.json')).data.vectors[0]

const IAT = 1_790_000_000

async function world () {
  const root = await makeSigner()
  const data = await bundleBytes(root, { seq: 7, iat: IAT, issuers: [], tokens: [] })
  return { root, data }
}

test('parseBundle keeps a bundle past its limit; verify then rejects with stale_trust_data', async () => {
  const { root, data } = await world()
  const late = IAT + MAX_AGE + 60
  await assert.rejects(loadBundle(data, [root.spki], { now: late }), (e) => e.reason === 'stale_trust_data')
  const bundle = await parseBundle(data, [root.spki])
  assert.equal(bundle.seq, 7)
  const text = await encodeText(fromHex(VECTOR.cose_hex))
  assert.equal((await verify(text, bundle, { now: late })).reason, 'stale_trust_data')
  assert.equal((await verify('HC1:NCFOXN%TS3DH3ZSUZK+.V0ET', bundle, { now: late })).reason, 'not_qd1') // text first
})

test('parseBundle then checkFresh: warning after 24 h, clock behind the bundle refused', async () => {
  const { root, data } = await world()
  const bundle = await parseBundle(data, [root.spki])
  assert.deepEqual(bundle.checkFresh(IAT + WARN_AGE + 1), ['trust_data_older_than_24h'])
  assert.deepEqual(bundle.checkFresh(IAT + 10), [])
  assert.throws(() => bundle.checkFresh(IAT - 3600), (e) => e instanceof InvalidCredential && e.reason === 'clock_before_bundle')
  assert.throws(() => bundle.checkFresh(IAT + MAX_AGE + 1), (e) => e.reason === 'stale_trust_data')
})

test('parseBundle refuses a bundle another root signed, as trust_bundle_invalid', async () => {
  const { data } = await world()
  const other = await makeSigner()
  await assert.rejects(parseBundle(data, [other.spki]), (e) => e.reason === 'trust_bundle_invalid')
})
