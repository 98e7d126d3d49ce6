// The holder side end to end in JavaScript: a credential bound to a non-extractable WebCrypto device key,
// presented and verified in Node (Python verifies the same kind of presentation in tests/test_js.py).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { decodeCbor, encodeCbor } from '../../zwt/static/qd1/cbor.mjs'
import { decodeSign1, sign1 } from '../../zwt/static/qd1/cose.mjs'
import { coseKeyFromPublic, encodeText, fromHex, generateDeviceKey, loadBundle, MemoryReplayCache, present, verify } from '../../zwt/static/qd1/qd1.mjs'
import { bundleBytes, makeSigner, statusToken, vectorFiles } from './helpers.mjs'

const FILE = vectorFiles().find((f) => f.path.endsWith('qd1.json')).data
const VECTOR = FILE.vectors.find((v) => v.name === 'driving_license-standard-ES256-bound')

async function setUp () {
  const issuer = await makeSigner()
  const root = await makeSigner()
  const device = await generateDeviceKey()
  const claims = decodeCbor(decodeSign1(fromHex(VECTOR.cose_hex)).payload)
  claims.set(8, new Map([[1, await coseKeyFromPublic(device.publicKey)]]))
  const credential = await encodeText(await sign1(encodeCbor(claims), issuer.privateKey, { kid: issuer.kid }))
  const token = await statusToken(root, { uri: VECTOR.status.uri, iat: VECTOR.now })
  const data = await bundleBytes(root, {
    iat: VECTOR.now,
    issuers: [{ spki: issuer.spki, notBefore: VECTOR.now - 60, notAfter: VECTOR.now + 60, types: ['driving_license'] }],
    tokens: [{ uri: VECTOR.status.uri, raw: token }]
  })
  return { device, credential, bundle: await loadBundle(data, [root.spki], { now: VECTOR.now }) }
}

test('a JavaScript presentation verifies in JavaScript once, and only within ±90 s', async () => {
  const { device, credential, bundle } = await setUp()
  const now = VECTOR.now + 10
  const cache = new MemoryReplayCache()
  assert.equal((await verify(credential, bundle, { now })).reason, 'holder_binding_required')
  const presentation = await present(credential, device.privateKey, { now })
  const verdict = await verify(presentation, bundle, { now, replayCache: cache })
  assert.equal(verdict.valid, true, verdict.detail)
  assert.equal(verdict.holderBound, true)
  assert.deepEqual(verdict.fields, VECTOR.expect.fields)
  assert.equal((await verify(presentation, bundle, { now, replayCache: cache })).reason, 'replayed')
  assert.equal((await verify(presentation, bundle, { now: now + 91 })).reason, 'presentation_too_old')
  const other = await generateDeviceKey()
  const forged = await present(credential, other.privateKey, { now })
  assert.equal((await verify(forged, bundle, { now })).reason, 'holder_binding_failed')
})
