// Holder-bound verification in Node beside raw WebCrypto ES256 verification, measured in the same run.
// Figures, not assertions (issue 13 target: holder-bound verify <= 2 ms). Run by bench/qd1_js.py.
import { encodeCbor } from '../zwt/static/qd1/cbor.mjs'
import { decodeSign1 } from '../zwt/static/qd1/cose.mjs'
import { decodeClaims } from '../zwt/static/qd1/cwt.mjs'
import { decode, decodeText, fromHex, loadBundle, verify } from '../zwt/static/qd1/qd1.mjs'
import { bundleBytes, makeSigner, statusToken, vectorFiles } from '../tests/js/helpers.mjs'

const FILE = vectorFiles().find((f) => f.path.endsWith('qd1.json')).data
const VECTOR = FILE.vectors.find((v) => v.name === 'driving_license-standard-ES256-bound')
const N = Number(process.env.N || 2000)
const subtle = globalThis.crypto.subtle

async function timeIt (fn) {
  for (let i = 0; i < 200; i++) await fn()
  const start = process.hrtime.bigint()
  for (let i = 0; i < N; i++) await fn()
  return Number(process.hrtime.bigint() - start) / N / 1000 // microseconds
}

const root = await makeSigner()
const token = await statusToken(root, { uri: VECTOR.status.uri, iat: VECTOR.now })
const data = await bundleBytes(root, {
  iat: VECTOR.now,
  issuers: [{ spki: fromHex(FILE.p256_spki_hex), notBefore: VECTOR.now - 86400, notAfter: VECTOR.now + 86400, types: ['driving_license'] }],
  tokens: [{ uri: VECTOR.status.uri, raw: token }]
})
const bundle = await loadBundle(data, [root.spki], { now: VECTOR.now })
const now = VECTOR.presented_at
const first = await verify(VECTOR.presentation, bundle, { now })
if (!first.valid) throw new Error(`the benchmark presentation does not verify: ${first.reason}`)

// The raw check: one ES256 verification of the issuer's Sig_structure with an imported key.
const message = decodeSign1(fromHex(VECTOR.cose_hex))
const tbs = encodeCbor(['Signature1', message.protected, new Uint8Array(0), message.payload])
const key = await subtle.importKey('spki', fromHex(FILE.p256_spki_hex), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify'])
const raw = await timeIt(() => subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, message.signature, tbs))
const bound = await timeIt(() => verify(VECTOR.presentation, bundle, { now })) // no replay cache: same text each time
const inflate = await timeIt(() => decodeText(VECTOR.presentation))
const decoded = await decode(VECTOR.presentation)
const claims = await timeIt(() => decodeClaims(decoded.message.payload))
console.log(`node ${process.version}, ${N} runs each`)
console.log(`  steps: text layers (Base45 + DecompressionStream, twice for the end check) ${inflate.toFixed(1)} µs; claims with the cnf key import ${claims.toFixed(1)} µs`)
console.log(`raw WebCrypto ES256 verify:        ${raw.toFixed(1).padStart(8)} µs`)
console.log(`two raw ES256 verifies (reference): ${(2 * raw).toFixed(1).padStart(7)} µs`)
console.log(`QD1 holder-bound verify (JS):       ${bound.toFixed(1).padStart(7)} µs  = ${(bound / (2 * raw)).toFixed(2)}x two raw checks (target <= 2000 µs)`)
