// Test helpers: the issuing side the tests need (a root key, status list tokens, trust bundles), and the
// vector files of tests/vectors/qd1/ (format: its README.md). Vectors name their trust bundle (bundle_hex and
// root_spki_hex, on the vector or else on the file) or, as qd1.json and qd1_compressed_cnf.json do, only the
// issuer's key; then a bundle is built here exactly as tests/wallet/test_vectors_qd1.py builds it in Python.
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { encodeCbor } from '../../zwt/static/qd1/cbor.mjs'
import { deflate } from '../../zwt/static/qd1/codec.mjs'
import { ALG_EDDSA, ALG_ES256, HEADER_TYP, sign1 } from '../../zwt/static/qd1/cose.mjs'
import { fromHex, kidOf, loadBundle, spkiOf } from '../../zwt/static/qd1/qd1.mjs'
import { TYP_STATUSLIST_CWT } from '../../zwt/static/qd1/status_list.mjs'
import { MAX_AGE, TYP_TRUST_BUNDLE } from '../../zwt/static/qd1/trust.mjs'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const subtle = globalThis.crypto.subtle

/** A P-256 signing key with its SPKI and kid. */
export async function makeSigner () {
  const pair = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])
  const spki = await spkiOf(pair.publicKey)
  return { privateKey: pair.privateKey, publicKey: pair.publicKey, spki, kid: await kidOf(spki) }
}

/** A status list token (2 bits an entry) signed by signer. */
export async function statusToken (signer, { uri, iat, size = 64, statuses = {} }) {
  const data = new Uint8Array(size / 4)
  for (const [idx, status] of Object.entries(statuses)) data[Math.floor(idx / 4)] |= status << (idx % 4) * 2
  const claims = new Map([[2, uri], [6, iat], [65533, new Map([['bits', 2], ['lst', await deflate(data)]])]])
  return sign1(encodeCbor(claims), signer.privateKey, { kid: signer.kid, protectedHeaders: new Map([[HEADER_TYP, TYP_STATUSLIST_CWT]]) })
}

/** Trust bundle bytes signed by root: issuers [{ spki, kid, alg, notBefore, notAfter, types }], tokens [{ uri, raw }]. */
export async function bundleBytes (root, { seq = 1, iat, exp = iat + MAX_AGE, issuers, tokens }) {
  const body = new Map([
    ['seq', seq], ['iat', iat], ['exp', exp],
    ['issuers', await Promise.all(issuers.map(async (key) => new Map([
      ['kid', key.kid ?? await kidOf(key.spki)], ['alg', key.alg ?? ALG_ES256], ['key', key.spki],
      ['not_before', key.notBefore], ['not_after', key.notAfter], ['allowed_types', [...key.types].sort()]])))],
    ['status_lists', new Map(tokens.map(({ uri, raw }) => [uri, raw]))]
  ])
  return sign1(encodeCbor(body), root.privateKey, { kid: root.kid, protectedHeaders: new Map([[HEADER_TYP, TYP_TRUST_BUNDLE]]) })
}

/** Every QD1 vector file: tests/vectors/qd1/*.json with a "vectors" list. */
export function vectorFiles () {
  const folder = join(ROOT, 'tests', 'vectors', 'qd1')
  return readdirSync(folder).sort().filter((name) => name.endsWith('.json'))
    .map((name) => ({ path: join(folder, name), data: JSON.parse(readFileSync(join(folder, name), 'utf-8')) }))
    .filter(({ data }) => Array.isArray(data.vectors))
}

const hexList = (value) => (Array.isArray(value) ? value : [value]).map(fromHex)

/** The loaded bundle a vector is checked against; statuses overrides the built bundle's status entries. */
export async function vectorBundle (file, vector, { statuses = {} } = {}) {
  const bundleHex = vector.bundle_hex ?? file.bundle_hex
  const roots = vector.root_spki_hex ?? vector.root_keys_hex ?? file.root_spki_hex ?? file.root_keys_hex
  const now = vector.presented_at ?? vector.now
  if (bundleHex !== undefined && roots !== undefined) {
    return loadBundle(fromHex(bundleHex), hexList(roots), { now, heldSeq: vector.held_seq ?? null })
  }
  const spkiHex = vector.alg === 'EdDSA' ? file.ed25519_spki_hex : file.p256_spki_hex
  if (spkiHex === undefined) throw new Error(`vector ${vector.name}: no bundle and no issuer key in its file`)
  const root = await makeSigner()
  const token = await statusToken(root, { uri: vector.status.uri, iat: vector.now, statuses })
  const data = await bundleBytes(root, {
    iat: vector.now,
    issuers: [{ spki: fromHex(spkiHex), alg: vector.alg === 'EdDSA' ? ALG_EDDSA : ALG_ES256, notBefore: vector.now - 86400, notAfter: vector.now + 86400, types: [vector.license] }],
    tokens: [{ uri: vector.status.uri, raw: token }]
  })
  return loadBundle(data, [root.spki], { now: vector.now })
}

/** What a vector expects: { valid, reason, fields, licenseId, warnings }. */
export function expected (vector) {
  const expect = vector.expect ?? {}
  const reason = expect.reason ?? vector.reason ?? null
  return { valid: expect.valid ?? reason === null, reason, fields: expect.fields, licenseId: expect.license_id, warnings: expect.warnings }
}
