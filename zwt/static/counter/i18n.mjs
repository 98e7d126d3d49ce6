// The console's words, Chinese first, English on the switch. Verdict reasons, warnings and field labels come
// from the wallet's own registry (wallet_data.mjs), so the counter says exactly what wallet.verify says.
import DATA from '../qd1/wallet_data.mjs'

export const TEXTS = {
  zh: {
    title: '政务通 柜台核验',
    lang: 'English',
    login: '窗口人员登录',
    username: '用户名',
    password: '密码',
    signIn: '登录',
    signOut: '退出',
    sync: '立即同步',
    notClerk: '此账号不是窗口人员账号',
    loginFailed: '登录失败：用户名或密码错误',
    offlineLogin: '网络不可用：可离线核验，记录将在联网登录后上传',
    scanLabel: '扫码框（扫码枪扫描或粘贴后回车）',
    scanPlaceholder: '请扫描持证人出示的二维码',
    photo: '上传或拖入二维码照片',
    camera: '使用摄像头',
    cameraStop: '关闭摄像头',
    noCamera: '本机没有可用的摄像头，请使用扫码枪或上传照片',
    item: '办理事项',
    anyItem: '（未选择事项：显示全部出示信息）',
    valid: '有效',
    validWarn: '有效（请注意）',
    rejected: '不通过',
    notLicense: '这不是电子证照二维码',
    notLicenseHint: '请持证人打开政务通电子证照出示页面后重新扫描。',
    noTrust: '尚无信任数据：请联网同步后再核验',
    reason: '原因',
    license: '证照',
    fieldsTitle: '出示信息',
    trust: '信任数据',
    trustNone: '尚未同步',
    trustAge: (h) => `签发于 ${h} 前`,
    colon: '：',
    trustLine: (age, seq, word) => `信任数据：${age}（seq ${seq}），${word}`,
    trustOk: '可用',
    trustOld: '已超过 24 小时，请尽快联网同步',
    trustStale: '已超过 7 天，不可用于核验',
    online: '在线',
    offline: '离线',
    waiting: (n) => `待上传记录：${n} 条`,
    syncRefused: (r) => `同步被拒绝：${r}`,
    elapsed: (ms) => `核验用时 ${ms} 毫秒`,
    hours: (h) => (h < 1 ? '不到 1 小时' : `${h} 小时`)
  },
  en: {
    title: 'Zhengwutong counter console',
    lang: '中文',
    login: 'Clerk sign-in',
    username: 'Username',
    password: 'Password',
    signIn: 'Sign in',
    signOut: 'Sign out',
    sync: 'Sync now',
    notClerk: 'This account is not a counter clerk',
    loginFailed: 'Sign-in failed: wrong username or password',
    offlineLogin: 'No network: you can verify offline; records upload after you sign in online',
    scanLabel: 'Scan field (scanner or paste, then Enter)',
    scanPlaceholder: "Scan the holder's QR code",
    photo: 'Upload or drop a photo of a QR code',
    camera: 'Use the camera',
    cameraStop: 'Stop the camera',
    noCamera: 'No camera on this PC: use the scanner or upload a photo',
    item: 'Service item',
    anyItem: '(no item picked: every disclosed field is shown)',
    valid: 'VALID',
    validWarn: 'VALID (with warnings)',
    rejected: 'REJECTED',
    notLicense: 'This is not a license code',
    notLicenseHint: 'Ask the holder to open the license in the Zhengwutong app and scan again.',
    noTrust: 'No trust data yet: go online to sync before verifying',
    reason: 'Reason',
    license: 'License',
    fieldsTitle: 'Disclosed fields',
    trust: 'Trust data',
    trustNone: 'not synced yet',
    trustAge: (h) => `issued ${h} ago`,
    colon: ': ',
    trustLine: (age, seq, word) => `Trust data: ${age} (seq ${seq}), ${word}`,
    trustOk: 'usable',
    trustOld: 'older than 24 hours: sync soon',
    trustStale: 'older than 7 days: not usable',
    online: 'online',
    offline: 'offline',
    waiting: (n) => `Records waiting for upload: ${n}`,
    syncRefused: (r) => `Sync refused: ${r}`,
    elapsed: (ms) => `verified in ${ms} ms`,
    hours: (h) => (h < 1 ? 'under an hour' : `${h} h`)
  }
}

const TYPES = new Map(DATA.license_types.map((t) => [t.code, t]))

export function reasonText (reason, lang) {
  const texts = DATA.reasons[reason] ?? DATA.reasons.malformed
  return lang === 'zh' ? texts[0] : texts[1]
}

export function warningText (warning, lang) {
  const texts = DATA.warnings[warning] ?? [warning, warning]
  return lang === 'zh' ? texts[0] : texts[1]
}

export function licenseName (code, lang) {
  const type = TYPES.get(code)
  if (!type) return code ?? ''
  return lang === 'zh' ? type.name_zh : type.name_en
}

export function fieldLabel (code, name, lang) {
  const spec = TYPES.get(code)?.fields.find((f) => f.name === name)
  if (!spec) return name
  return lang === 'zh' ? spec.label_zh : spec.label_en
}
