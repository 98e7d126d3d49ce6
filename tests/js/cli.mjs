// A small driver for tests/test_js.py (Python talks to the JavaScript side through it), one JSON line a command:
//   {"cmd": "device"}                                   -> {"spki_hex"}: a new non-extractable P-256 device key
//   {"cmd": "present", "text", "now"}                    -> {"presentation"}: signed by that device key
//   {"cmd": "verify", "text", "bundle_hex", "root_spki_hex", "now", "purpose"?, "replay"?} -> Verdict.to_json;
//     the bundle is loaded at its own iat (as tests/wallet/conftest.py World.bundle does); replay 0: no cache,
//     1: a fresh cache, 2: a fresh cache that has seen the text once already
import { createInterface } from 'node:readline'
import { decodeCbor } from '../../zwt/static/qd1/cbor.mjs'
import { decodeSign1 } from '../../zwt/static/qd1/cose.mjs'
import { fromHex, generateDeviceKey, loadBundle, MemoryReplayCache, present, spkiOf, toHex, verdictJson, verify } from '../../zwt/static/qd1/qd1.mjs'

let device = null

async function run (request) {
  if (request.cmd === 'device') {
    device = await generateDeviceKey()
    return { spki_hex: toHex(await spkiOf(device.publicKey)), extractable: device.privateKey.extractable }
  }
  if (request.cmd === 'present') return { presentation: await present(request.text, device.privateKey, { now: request.now }) }
  if (request.cmd === 'verify') {
    const data = fromHex(request.bundle_hex)
    const iat = decodeCbor(decodeSign1(data).payload).get('iat')
    const bundle = await loadBundle(data, [fromHex(request.root_spki_hex)], { now: iat })
    const replayCache = request.replay ? new MemoryReplayCache() : null
    const options = { now: request.now, purpose: request.purpose ?? null, replayCache }
    if (request.replay === 2) await verify(request.text, bundle, options)
    return verdictJson(await verify(request.text, bundle, options))
  }
  throw new Error(`unknown command ${request.cmd}`)
}

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue
  process.stdout.write(JSON.stringify(await run(JSON.parse(line))) + '\n')
}
