// Every QD1 vector verifies in JavaScript with the verdict its file expects (the Python suite checks the same
// files): valid or the reason, the license identifier and exactly the disclosed fields.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { basename } from 'node:path'
import { MemoryReplayCache, toHex, verify } from '../../zwt/static/qd1/qd1.mjs'
import { expected, vectorBundle, vectorFiles } from './helpers.mjs'

const FILES = vectorFiles()

test('there are QD1 vectors to check', () => {
  assert.ok(FILES.reduce((n, f) => n + f.data.vectors.length, 0) >= 24)
})

for (const { path, data } of FILES) {
  for (const vector of data.vectors) {
    test(`${basename(path)}: ${vector.name}`, async () => {
      const bundle = await vectorBundle(data, vector)
      const text = vector.presentation ?? vector.text
      const now = vector.presented_at ?? vector.now
      const verdict = await verify(text, bundle, { now, purpose: vector.purpose ?? null, replayCache: new MemoryReplayCache() })
      const want = expected(vector)
      assert.equal(verdict.reason, want.reason, verdict.detail)
      assert.equal(verdict.valid, want.valid)
      if (want.fields !== undefined && want.valid) assert.deepEqual(verdict.fields, want.fields)
      if (want.licenseId !== undefined && want.valid) assert.equal(verdict.licenseId, want.licenseId)
      if (vector.kid_hex !== undefined) assert.equal(toHex(verdict.kid), vector.kid_hex)
      if (vector.holder_bound !== undefined) assert.equal(verdict.holderBound, vector.holder_bound)
    })
  }
}

const FIRST = FILES.find((f) => basename(f.path) === 'qd1.json')
for (const vector of FIRST.data.vectors.slice(0, 2)) {
  test(`qd1.json: ${vector.name} is revoked by its status entry`, async () => {
    const bundle = await vectorBundle(FIRST.data, vector, { statuses: { [vector.status.idx]: 1 } })
    const verdict = await verify(vector.presentation ?? vector.text, bundle, { now: vector.presented_at ?? vector.now, replayCache: new MemoryReplayCache() })
    assert.equal(verdict.reason, 'revoked')
    assert.equal(verdict.messageZh, '证照已被注销')
  })
}
