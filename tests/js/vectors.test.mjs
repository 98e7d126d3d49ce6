// Every QD1 vector of tests/vectors/qd1/ verifies in JavaScript with the verdict its file expects (the Python
// suite, tests/wallet/test_vectors_qd1.py, checks the same files): valid or the reason, the license identifier,
// exactly the disclosed fields, the warnings. Key-mode vectors (`keys`, wallet.verify_with_keys) are Python
// only: the JavaScript verifier always verifies against a trust bundle.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { basename } from 'node:path'
import { InvalidCredential } from '../../zwt/static/qd1/errors.mjs'
import { MemoryReplayCache, toHex, verify } from '../../zwt/static/qd1/qd1.mjs'
import { expected, vectorBundle, vectorFiles } from './helpers.mjs'

const FILES = vectorFiles()
const SHARED = FILES.flatMap(({ path, data }) => data.vectors.filter((v) => v.keys === undefined).map((v) => ({ path, data, vector: v })))
let agreed = 0

test('there are QD1 vectors to check', () => {
  assert.ok(SHARED.length >= 200, `${SHARED.length} vectors`)
  const reasons = new Set(SHARED.map(({ vector }) => vector.expect?.reason).filter((r) => r))
  assert.ok(reasons.size >= 25, `${reasons.size} distinct reasons`)
})

/** The bundle of a vector, or the reason loading it fails with. */
async function bundleOrReason (data, vector) {
  try {
    return { bundle: await vectorBundle(data, vector) }
  } catch (exc) {
    if (!(exc instanceof InvalidCredential)) throw exc
    return { reason: exc.reason }
  }
}

for (const { path, data, vector } of SHARED) {
  test(`${basename(path)}: ${vector.name}`, async () => {
    const want = expected(vector)
    const { bundle, reason } = await bundleOrReason(data, vector)
    if (bundle === undefined) {
      assert.equal(reason, want.reason)
      agreed += 1
      return
    }
    const text = vector.presentation ?? vector.text
    const now = vector.presented_at ?? vector.now
    const options = { now, purpose: vector.purpose ?? null, replayCache: new MemoryReplayCache() }
    if (vector.replay === 'seen') assert.equal((await verify(text, bundle, options)).valid, true)
    const verdict = await verify(text, bundle, options)
    assert.equal(verdict.reason, want.reason, verdict.detail)
    assert.equal(verdict.valid, want.valid)
    if (want.fields !== undefined && want.valid) assert.deepEqual(verdict.fields, want.fields)
    if (want.licenseId !== undefined && want.valid) assert.equal(verdict.licenseId, want.licenseId)
    if (want.warnings !== undefined && want.valid) assert.deepEqual(verdict.warnings, want.warnings)
    if (vector.kid_hex !== undefined && want.valid) assert.equal(toHex(verdict.kid), vector.kid_hex)
    if (vector.holder_bound !== undefined && want.valid) assert.equal(verdict.holderBound, vector.holder_bound)
    if (vector.license !== undefined && want.valid) assert.equal(verdict.licenseType, vector.license)
    agreed += 1
  })
}

test('JavaScript agrees with every shared vector', () => {
  console.log(`# QD1 vectors: ${agreed}/${SHARED.length} agree`)
  assert.equal(agreed, SHARED.length)
})

const FIRST = FILES.find((f) => basename(f.path) === 'qd1.json')
for (const vector of FIRST.data.vectors.slice(0, 2)) {
  test(`qd1.json: ${vector.name} is revoked by its status entry`, async () => {
    const bundle = await vectorBundle(FIRST.data, vector, { statuses: { [vector.status.idx]: 1 } })
    const verdict = await verify(vector.presentation ?? vector.text, bundle, { now: vector.presented_at ?? vector.now, replayCache: new MemoryReplayCache() })
    assert.equal(verdict.reason, 'revoked')
    assert.equal(verdict.messageZh, '证照已被注销')
  })
}
