// The layers below the verdict: Base45 (RFC 9285 examples), zlib limits, strict CBOR, the holder's key.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { deflateSync } from 'node:zlib'
import { b45decode, b45encode, decodeCbor, decodeText, encodeText, generateDeviceKey, InvalidCredential } from '../../zwt/static/qd1/qd1.mjs'

const reason = async (fn) => { try { await fn() } catch (exc) { assert.ok(exc instanceof InvalidCredential, exc); return exc.reason } return null }
const utf8 = (s) => new TextEncoder().encode(s)

test('Base45 matches the RFC 9285 examples', () => {
  assert.equal(b45encode(utf8('AB')), 'BB8')
  assert.equal(b45encode(utf8('Hello!!')), '%69 VD92EX0')
  assert.equal(b45encode(utf8('base-45')), 'UJCLQE7W581')
  assert.deepEqual(b45decode('QED8WEX0'), utf8('ietf!'))
})

test('Base45 refuses bad text as bad_base45', async () => {
  for (const bad of ['GGW', 'a', 'ABCD', 'é12', ':::']) assert.equal(await reason(() => b45decode(bad)), 'bad_base45', bad)
})

test('the text layers fail each with their own reason', async () => {
  assert.equal(await reason(() => decodeText('HC1:NCF')), 'not_qd1')
  assert.equal(await reason(() => decodeText('QD1:' + b45encode(utf8('not zlib')))), 'bad_zlib')
  const z = new Uint8Array(deflateSync(utf8('hello')))
  assert.equal(await reason(() => decodeText('QD1:' + b45encode(new Uint8Array([...z, 0])))), 'bad_zlib')
  assert.equal(await reason(() => decodeText('QD1:' + b45encode(z.subarray(0, z.length - 1)))), 'bad_zlib')
  assert.equal(await reason(() => decodeText('QD1:' + b45encode(new Uint8Array(deflateSync(new Uint8Array(100000)))))), 'too_large')
  assert.equal(await reason(() => decodeText('QD1:' + 'A'.repeat(7000))), 'too_large')
  assert.deepEqual(await decodeText(await encodeText(utf8('hello'))), utf8('hello'))
})

test('CBOR is decoded strictly', async () => {
  assert.equal(await reason(() => decodeCbor(new Uint8Array([0xa2, 0x01, 0x01, 0x01, 0x02]))), 'bad_cbor') // duplicate key
  assert.equal(await reason(() => decodeCbor(new Uint8Array([0x01, 0x02]))), 'bad_cbor') // trailing bytes
  assert.equal(await reason(() => decodeCbor(new Uint8Array([0x18, 0x01]))), 'bad_cbor') // not the shortest form
  assert.equal(await reason(() => decodeCbor(new Uint8Array([0x9f, 0xff]))), 'bad_cbor') // indefinite length
  assert.equal(await reason(() => decodeCbor(new Uint8Array([0xd8, 0x1c, 0x01]))), 'bad_cbor') // shared reference
  const deep = new Uint8Array(30).fill(0x81); deep[29] = 0x01
  assert.equal(await reason(() => decodeCbor(deep)), 'bad_cbor')
  assert.equal(decodeCbor(new Uint8Array([0xa1, 0x01, 0x02])).get(1), 2)
})

test("the holder's device key cannot be exported", async () => {
  const { privateKey } = await generateDeviceKey()
  assert.equal(privateKey.extractable, false)
  await assert.rejects(globalThis.crypto.subtle.exportKey('pkcs8', privateKey))
})
