"""Chinese and English texts for every problem the API reports; zh-CN unless the client asks otherwise."""

from __future__ import annotations

from flask import has_request_context, request

__all__ = ["locale", "problem_text", "field_message", "SUPPORTED"]

SUPPORTED = ("zh-CN", "en")

# code -> (zh title, zh detail, en title, en detail); details may hold {placeholders}.
PROBLEMS: dict[str, tuple[str, str, str, str]] = {
    "validation_failed": ("请求参数有误", "请检查标注的字段。", "Invalid request",
                          "Check the fields listed in errors."),
    "malformed_json": ("请求体不是合法的 JSON", "请求体无法解析为 JSON。", "Malformed JSON",
                       "The request body is not valid JSON."),
    "unsupported_media_type": ("不支持的内容类型", "请以 application/json 发送请求体。",
                               "Unsupported media type", "Send the request body as application/json."),
    "payload_too_large": ("请求体过大", "请求体超过了 {limit} 字节的上限。", "Payload too large",
                          "The request body exceeds the limit of {limit} bytes."),
    "not_found": ("未找到", "请求的资源不存在。", "Not found", "The requested resource does not exist."),
    "method_not_allowed": ("方法不被允许", "该资源不支持此 HTTP 方法。", "Method not allowed",
                           "This resource does not support this HTTP method."),
    "not_acceptable": ("无法提供所需格式", "无法按 Accept 请求头提供响应。", "Not acceptable",
                       "No representation matches the Accept header."),
    "bad_request": ("请求有误", "服务器无法理解该请求。", "Bad request", "The server could not understand the request."),
    "unauthorized": ("未登录或登录已失效", "请提供有效的访问令牌。", "Unauthorized",
                     "A valid access token is required."),
    "token_expired": ("登录已过期", "令牌已过期，请刷新或重新登录。", "Token expired",
                      "The token has expired; refresh it or log in again."),
    "token_invalid": ("令牌无效", "令牌无法通过校验。", "Invalid token", "The token failed verification."),
    "token_revoked": ("令牌已注销", "该令牌已被注销，请重新登录。", "Token revoked",
                      "This token has been revoked; log in again."),
    "token_reused": ("刷新令牌被重复使用", "检测到刷新令牌重复使用，该登录已全部注销，请重新登录。",
                     "Refresh token reused",
                     "A refresh token was used twice; every token of that sign-in is revoked. Log in again."),
    "fresh_login_required": ("需要重新登录", "此操作需要刚刚登录的令牌。", "Fresh login required",
                             "This action needs a token from a fresh login."),
    "bad_credentials": ("账号或密码错误", "账号或密码错误。", "Invalid credentials",
                        "The account or password is wrong."),
    "account_locked": ("账号已停用", "该账号已停用。", "Account disabled", "This account is disabled."),
    "too_many_attempts": ("尝试次数过多", "登录失败次数过多，请 {retry_after} 秒后再试。", "Too many attempts",
                          "Too many failed attempts; try again in {retry_after} seconds."),
    "forbidden": ("无权访问", "当前账号无权执行此操作。", "Forbidden", "Your account may not do this."),
    "conflict": ("数据冲突", "与已有数据冲突。", "Conflict", "The request conflicts with existing data."),
    "precondition_failed": ("数据已被修改", "资源已被他人修改，请刷新后重试。", "Precondition failed",
                            "The resource changed since you read it; reload and retry."),
    "precondition_required": ("缺少 If-Match", "修改此资源需要 If-Match 请求头。", "Precondition required",
                              "Updating this resource needs an If-Match header."),
    "impl_code_taken": ("实施编码已存在", "实施编码 {impl_code} 已被登记。", "Implementation code taken",
                        "The implementation code {impl_code} is already registered."),
    "transition_not_allowed": ("当前状态不允许此操作", "事项当前状态为 {status}，不能执行 {action}；可执行：{allowed}。",
                               "Action not allowed",
                               "The item is {status} and cannot {action}; allowed actions: {allowed}."),
    "item_cancelled": ("事项已取消", "已取消的事项不能再修改。", "Item cancelled",
                       "A cancelled item can no longer be changed."),
    "maintained_by_feed": ("事项由部门业务系统维护", "该事项来自本部门业务系统的目录推送，请在部门系统中修改，下次同步生效。",
                           "Maintained by the department's system",
                           "This item comes from your department's own system's feed: change it there, and "
                           "the next sync brings the change."),
    "not_publishable": ("事项不满足发布要求", "请按 errors 补全事项要素后再提交或发布。", "Not publishable",
                        "Complete the fields listed in errors before submitting or publishing."),
    "import_failed": ("导入失败，未保存任何数据", "文件中有 {rows} 行存在问题，整批未导入；详见 row_errors。",
                      "Import failed; nothing was saved",
                      "{rows} rows of the file have problems, so none was imported; see row_errors."),
    "import_too_large": ("导入行数过多", "单个文件最多 {limit} 行。", "Too many rows",
                         "A file may hold at most {limit} rows."),
    "internal_error": ("服务器内部错误", "服务器出现意外错误，请稍后再试。", "Internal server error",
                       "Something went wrong on our side; try again later."),
    "identity_not_verified": ("尚未完成实名认证", "请先完成实名认证，电子证照仅向实名认证的账号发放。",
                              "Identity not verified",
                              "Complete the real-name check first; licenses are released to verified accounts only."),
    "too_many_identity_checks": ("实名认证尝试次数过多", "姓名与身份证号多次不一致，请 {retry_after} 秒后再试。",
                                 "Too many identity checks",
                                 "Name and ID number did not match too often; try again in {retry_after} seconds."),
    "wallet_locked": ("卡包已锁定", "卡包已锁定（如手机丢失），不能出示或绑定设备。", "Wallet locked",
                      "The wallet is locked (lost phone); nothing can be shown or bound."),
    "license_revoked": ("证照已注销", "该证照已被发证部门注销，不能出示。", "License revoked",
                        "The issuing department revoked this license; it cannot be shown."),
    "license_suspended": ("证照已暂停使用", "该证照已被发证部门暂停使用。", "License suspended",
                          "The issuing department suspended this license."),
    "license_expired": ("证照已过期", "该证照已超过有效期。", "License expired", "This license has expired."),
    "too_many_devices": ("绑定设备过多", "最多绑定 {limit} 台设备，请先移除不用的设备。", "Too many devices",
                         "At most {limit} devices; remove one first."),
    "device_registered": ("设备已绑定", "该设备密钥已经绑定。", "Device already registered",
                          "This device key is already registered."),
    "license_status_conflict": ("证照状态不允许此操作", "证照当前状态为 {status}，不能执行 {action}。",
                                "Status change not allowed", "The license is {status}; {action} is not possible."),
    "foreign_counter": ("非本窗口的设备", "该批记录不属于当前账号所在的大厅和窗口。", "Foreign counter",
                        "This batch does not belong to your hall and counter."),
    "batch_conflict": ("批次内容不一致", "同一批次号已上传过不同的内容。", "Batch conflict",
                       "A batch with this id was uploaded with different content."),
    "signing_key_unavailable": ("签发密钥暂不可用", "服务器无法使用签名密钥，请稍后再试。", "Signing key unavailable",
                                "The server cannot use its signing keys right now; try again later."),
    "service_unavailable": ("服务暂不可用", "依赖的服务暂不可用。", "Service unavailable",
                            "A service we depend on is unavailable."),
    "http_error": ("请求失败", "请求失败。", "Request failed", "The request failed."),
}

# Field-level messages by code: (zh, en).
FIELDS: dict[str, tuple[str, str]] = {
    "required": ("缺少必填字段。", "Missing data for required field."),
    "unknown_field": ("不允许的字段。", "Unknown field."),
    "invalid": ("取值无效。", "Invalid value."),
    "invalid_type": ("类型不正确。", "Wrong type."),
    "length": ("长度不符合要求。", "Length out of range."),
    "range": ("数值超出范围。", "Value out of range."),
    "one_of": ("不是允许的取值。", "Not one of the allowed values."),
    "format": ("格式不正确。", "Wrong format."),
    "check_digit": ("校验位错误。", "Wrong check digit."),
    "birth_date": ("出生日期不存在。", "The birth date does not exist."),
    "taken": ("已被注册。", "Already registered."),
    "weak_password": ("密码至少 8 位，且须同时包含字母和数字。",
                      "The password needs at least 8 characters with letters and digits."),
    "null": ("不能为空。", "Field may not be null."),
    "identity_mismatch": ("姓名与公安登记的身份信息不一致。",
                          "The name does not match the police records for this ID number."),
    "unknown_service_item": ("没有已发布的此事项。", "No published service item has this code."),
    "license_not_required": ("该事项不需要此类证照。", "This service item does not ask for this kind of license."),
    "one_of_profile_or_impl_code": ("profile 与 impl_code 只能填一个。", "Give either profile or impl_code, not both."),
    "unknown_device": ("设备不存在或已移除。", "No such active device."),
    "not_p256": ("设备密钥须为 P-256。", "The device key must be P-256."),
    "unknown_nonce": ("随机数无效、已使用或已过期。", "The nonce is unknown, used or expired."),
    "bad_signature": ("签名无效。", "The signature does not verify."),
    "read_only": ("该字段只读：状态请用事项操作变更，版本请用 If-Match。",
                  "Read-only: change the status with an item action and the version through If-Match."),
    "department_mismatch": ("只能登记本部门的事项。", "You may only register items of your own department."),
    "immutable": ("实施编码不可修改。", "The implementation code cannot change."),
    "item_cancelled": ("该事项已取消，不能再修改。", "This item is cancelled and cannot change."),
    "maintained_by_feed": ("该事项由部门业务系统维护，请在部门系统中修改。",
                           "Maintained by the department's own system: change it there."),
    "duplicate": ("重复。", "Appears more than once."),
    "encoding": ("文件编码无法识别，请使用 UTF-8 或 GBK。", "Unreadable encoding; use UTF-8 or GBK."),
    "empty": ("内容为空。", "Nothing to import."),
    "too_many_cells": ("单元格数多于表头列数。", "More cells than header columns."),
    "too_many_rows": ("行数超过上限。", "Too many rows."),
    "invalid_text": ("含有无法保存的字符（NUL 或不成对的代理字符）。",
                     "Contains characters that cannot be stored (NUL or an unpaired surrogate)."),
}


def locale() -> str:
    """The response language: ``en`` when the client prefers English, else ``zh-CN``."""
    if not has_request_context():
        return "zh-CN"
    best = request.accept_languages.best_match(["zh-CN", "zh", "en"], default="zh-CN")
    return "en" if best == "en" else "zh-CN"


def problem_text(code: str, params: dict[str, object] | None = None) -> tuple[str, str]:
    """Title and detail for a problem code in the request's language."""
    zh_title, zh_detail, en_title, en_detail = PROBLEMS.get(code, PROBLEMS["http_error"])
    title, detail = (en_title, en_detail) if locale() == "en" else (zh_title, zh_detail)
    try:
        return title, detail.format(**(params or {}))
    except (KeyError, IndexError):
        return title, detail


def field_message(code: str, fallback: str | None = None) -> str:
    """A field error message in the request's language."""
    pair = FIELDS.get(code)
    if pair is None:
        return fallback or code
    return pair[1] if locale() == "en" else pair[0]
