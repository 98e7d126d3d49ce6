// The 30-second holder-bound code: the QD1 library wraps the held credential in a presentation signed by the
// device key at the current second (offline), and qrcode-generator (vendored, pinned) draws it client-side at
// error-correction level Q with a 4-module quiet zone, large, on a canvas.
import { present } from '../qd1/qd1.mjs'
import qrcode from '../vendor/qrcode-generator/qrcode.mjs'

export const REFRESH_SECONDS = 30
const QUIET = 4

/** Draw text as a QR code (level Q; QD1 text is all QR alphanumeric) filling the canvas. */
export function drawQr (canvas, text) {
  const qr = qrcode(0, 'Q')
  qr.addData(text, 'Alphanumeric')
  qr.make()
  const count = qr.getModuleCount()
  const cell = Math.max(4, Math.floor(720 / (count + 2 * QUIET)))
  const size = (count + 2 * QUIET) * cell
  canvas.width = size
  canvas.height = size
  const context = canvas.getContext('2d')
  context.fillStyle = '#fff'
  context.fillRect(0, 0, size, size)
  context.fillStyle = '#000'
  for (let row = 0; row < count; row++) {
    for (let col = 0; col < count; col++) {
      if (qr.isDark(row, col)) context.fillRect((col + QUIET) * cell, (row + QUIET) * cell, cell, cell)
    }
  }
  return count
}

/** Make and draw a fresh code for the credential at now (epoch seconds); returns { t, ms, modules }. */
export async function showFreshCode (canvas, credential, privateKey, now) {
  const started = performance.now()
  const text = await present(credential.qd1, privateKey, { now })
  const modules = drawQr(canvas, text)
  return { t: now, ms: performance.now() - started, modules }
}
