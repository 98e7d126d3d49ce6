// Photos and the camera: decoded to text, then verified like a scan. (The decoder is wired in a later step.)
export function wireScanning ({ refocus }) {
  document.getElementById('camera').hidden = true
  document.getElementById('drop').hidden = true
  refocus()
}
