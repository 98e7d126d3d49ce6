// Photos and the camera: ZXing-C++ in WebAssembly (zxing-wasm, vendored and served by the service, never a CDN)
// decodes the QR code, and the text is verified exactly like a scan. A PC without a camera hides the camera
// button; the scanner, paste and photos still work.
import { prepareZXingModule, readBarcodes } from '../vendor/zxing-wasm/es/reader/index.js'

const WASM_DIR = new URL('../vendor/zxing-wasm/reader/', import.meta.url)
const OPTIONS = { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 1 }
const CAMERA_EVERY_MS = 250

prepareZXingModule({ overrides: { locateFile: (path, prefix) => (path.endsWith('.wasm') ? new URL(path, WASM_DIR).href : prefix + path) } })

/** The text of the first QR code in an image (a Blob, or ImageData from the camera), or null. */
export async function decodeImage (image) {
  const found = (await readBarcodes(image, OPTIONS)).find((result) => result.isValid)
  return found ? found.text : null
}

async function hasCamera () {
  if (!navigator.mediaDevices?.enumerateDevices || !navigator.mediaDevices.getUserMedia) return false
  try {
    return (await navigator.mediaDevices.enumerateDevices()).some((device) => device.kind === 'videoinput')
  } catch {
    return false
  }
}

/** Wire the photo input, drag-and-drop and the camera; each decoded text goes to verifyText(text, { noCode }). */
export async function wireScanning ({ verifyText, verifyNoCode, t, refocus }) {
  const photo = document.getElementById('photo')
  const drop = document.getElementById('drop')
  const cameraButton = document.getElementById('camera')
  const video = document.getElementById('video')

  async function fromFile (file) {
    if (!file) return
    const text = await decodeImage(file)
    if (text === null) await verifyNoCode()
    else await verifyText(text)
    refocus()
  }
  photo.addEventListener('change', async () => {
    await fromFile(photo.files[0])
    photo.value = ''
  })
  drop.addEventListener('dragover', (event) => { event.preventDefault(); drop.classList.add('over') })
  drop.addEventListener('dragleave', () => drop.classList.remove('over'))
  drop.addEventListener('drop', (event) => {
    event.preventDefault()
    drop.classList.remove('over')
    fromFile(event.dataTransfer.files[0])
  })

  if (!(await hasCamera())) {
    cameraButton.hidden = true
    cameraButton.title = t('noCamera')
    return
  }
  let stream = null
  let timer = null
  const stop = () => {
    clearInterval(timer)
    stream?.getTracks().forEach((track) => track.stop())
    stream = null
    video.hidden = true
    cameraButton.textContent = t('camera')
  }
  cameraButton.addEventListener('click', async () => {
    if (stream) { stop(); refocus(); return }
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } })
    video.srcObject = stream
    video.hidden = false
    await video.play()
    cameraButton.textContent = t('cameraStop')
    const canvas = document.createElement('canvas')
    let busy = false
    timer = setInterval(async () => {
      if (busy || !video.videoWidth) return
      busy = true
      canvas.width = video.videoWidth
      canvas.height = video.videoHeight
      const context = canvas.getContext('2d', { willReadFrequently: true })
      context.drawImage(video, 0, 0)
      const text = await decodeImage(context.getImageData(0, 0, canvas.width, canvas.height))
      busy = false
      if (text !== null) { stop(); await verifyText(text); refocus() }
    }, CAMERA_EVERY_MS)
  })
}
