"""Chinese and English texts for every problem the API reports; zh-CN unless the client asks otherwise."""

from __future__ import annotations

from flask import has_request_context, request

from services_catalog.violations import Violation

__all__ = ["locale", "problem_text", "field_texts", "field_message", "field_violation", "violation_message",
           "SUPPORTED", "PROBLEMS", "FIELDS"]

SUPPORTED = ("zh-CN", "en")

# code -> (zh title, zh detail, en title, en detail); details may hold {placeholders}.
PROBLEMS: dict[str, tuple[str, str, str, str]] = {
    "validation_failed": ("请求参数有误", "请检查标注的字段。", "Invalid request",
                          "Check the fields listed in errors."),
    "malformed_json": ("请求体不是合法的 JSON", "请求体无法解析为 JSON。", "Malformed JSON",
                       "The request body is not valid JSON."),
    "json_too_deep": ("JSON 嵌套过深", "请求体的 JSON 嵌套超过 {limit} 层。", "JSON nested too deeply",
                      "The request body nests JSON deeper than {limit} levels."),
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
    "second_reviewer_required": ("需要另一位管理员审核", "本部门要求双人审核：提交或修改该变更的人不能发布或恢复它，"
                                 "请由本部门另一位管理员或平台管理员操作。", "Second reviewer required",
                                 "This department needs a second person: whoever submitted or edited this change "
                                 "cannot {action} it; another admin of the department or a platform admin can."),
    "live_edit_needs_review": ("已发布事项不能直接修改", "本部门要求双人审核：请先暂停事项，修改后由另一位管理员恢复。",
                               "Published item needs review to change",
                               "This department needs a second person: suspend the item, change it, and have "
                               "another admin of the department or a platform admin resume it."),
    "not_publishable": ("事项不满足发布要求", "请按 errors 补全事项要素后再提交或发布。", "Not publishable",
                        "Complete the fields listed in errors before submitting or publishing."),
    "import_failed": ("导入失败，未保存任何数据", "文件中有 {rows} 行存在问题，整批未导入；详见 row_errors。",
                      "Import failed; nothing was saved",
                      "The file has problems in {rows} rows, so nothing was imported; see row_errors."),
    "import_too_large": ("导入行数过多", "单个文件最多 {limit} 行。", "Too many rows",
                         "A file may hold at most {limit} rows."),
    "internal_error": ("服务器内部错误", "服务器出现意外错误，请稍后再试。", "Internal server error",
                       "Something went wrong on our side; try again later."),
    "proofing_level_too_low": ("实名等级不足", "电子证照需实名等级 {required} 级，当前为 {level} 级。请完成手机号认证或人脸核验。",
                               "Proofing level too low",
                               "Licenses need proofing level {required}; this account is at level {level}. Prove "
                               "your phone or pass a face check."),
    "step_up_required": ("需要二次验证", "此操作需要刚刚登录并完成短信验证码或人脸核验。", "Step-up required",
                         "This needs a fresh login plus an SMS code or a face check (POST /api/v1/auth/step-up)."),
    "account_exists": ("该身份证号已有账号", "该身份证号已注册账号，只能通过找回密码或人脸核验找回。",
                       "Account exists",
                       "This ID number already has an account; recover it by password reset or a face check."),
    "too_many_sms": ("短信发送过于频繁", "请 {retry_after} 秒后再获取验证码。", "Too many texts",
                     "Too many codes were sent; try again in {retry_after} seconds."),
    "sms_unavailable": ("短信暂时无法发送", "短信服务暂不可用，请稍后再试。", "SMS unavailable",
                        "The SMS service is unavailable; try again later."),
    "proofing_unavailable": ("核验服务暂不可用", "人脸或运营商核验服务暂不可用，请稍后再试。",
                             "Proofing unavailable", "The face or carrier check is unavailable; try again later."),
    "identity_not_verified": ("尚未完成实名认证", "请先完成实名认证，电子证照仅向实名认证的账号发放。",
                              "Identity not verified",
                              "Complete the real-name check first; licenses are released to verified accounts only."),
    "agent_not_authorised": ("无代办授权", "您没有代办该事项的有效授权，请查看标注的字段。", "Not authorised as agent",
                             "You hold no authorisation in force to apply for this item for its holder: see "
                             "errors."),
    "agent_already_authorised": ("已有代办授权", "您已授权此人代办该事项，授权仍在有效期内。", "Agent already authorised",
                                 "You already authorised this person for this item, and it is still in force."),
    "too_many_identity_checks": ("实名认证尝试次数过多", "姓名与身份证号多次不一致，请 {retry_after} 秒后再试。",
                                 "Too many identity checks",
                                 "Name and ID number did not match too often; try again in {retry_after} seconds."),
    "idempotency_key_in_use": ("请求正在处理", "使用同一 Idempotency-Key 的请求仍在处理中，请稍后重试。",
                               "Request in progress",
                               "A request with the same Idempotency-Key is still being processed; retry shortly."),
    "credit_restricted": ("失信限制", "您在“{list_name}”中，不能申请该事项；原因、名单和信用修复途径见 credit。",
                          "Restricted by public credit",
                          "You are on the list '{list_name}', which this item restricts; credit gives the reason, "
                          "the list and how to repair credit."),
    "nothing_owed": ("没有待补交的承诺材料", "该申请没有按信用承诺待补交的材料。", "Nothing owed",
                     "This application owes no materials under a credit commitment."),
    "commitment_overdue": ("承诺补交期限已过", "承诺材料应于 {due} 前补交，期限已过。", "Commitment overdue",
                           "The owed materials were due by {due}; the commitment is past due."),
    "materials_pending": ("材料待部门返回", "有材料的部门数据尚未返回：稍后再提交，或为其上传文件。",
                          "Materials pending", "A department has not answered for some materials yet: submit "
                          "later, or upload a file for them."),
    "wallet_locked": ("卡包已锁定", "卡包已锁定（如手机丢失），不能出示或绑定设备。", "Wallet locked",
                      "The wallet is locked (lost phone); nothing can be shown or bound."),
    "license_revoked": ("证照已注销", "该证照已被发证部门注销，不能出示。", "License revoked",
                        "The issuing department revoked this license; it cannot be shown."),
    "license_suspended": ("证照已暂停使用", "该证照已被发证部门暂停使用。", "License suspended",
                          "The issuing department suspended this license."),
    "license_expired": ("证照已过期", "该证照已超过有效期。", "License expired", "This license has expired."),
    "too_many_devices": ("绑定设备过多", "最多绑定 {limit} 台设备，请先移除不用的设备。", "Too many devices",
                         "At most {limit} devices; remove one first."),
    "too_many_presentations": ("出示过于频繁", "出示证照次数过多，请 {retry_after} 秒后再试。", "Too many presentations",
                               "This account created too many presentations; try again in {retry_after} seconds."),
    "too_many_nonces": ("请求过于频繁", "获取设备绑定随机数次数过多，请 {retry_after} 秒后再试。", "Too many nonces",
                        "This account asked for too many device-binding nonces; try again in {retry_after} "
                        "seconds."),
    "too_many_device_changes": ("设备变更过于频繁", "今日绑定或移除设备次数过多，请 {retry_after} 秒后再试；"
                                "手机丢失请锁定卡包。", "Too many device changes",
                                "This account registered or removed too many devices today; try again in "
                                "{retry_after} seconds, or lock the wallet if a phone was lost."),
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
    "credit_platform_unavailable": ("公共信用平台暂不可用", "暂时无法查询信用记录，请稍后再试。",
                                    "Credit platform unavailable",
                                    "Your credit record cannot be looked up right now; try again later."),
    "http_error": ("请求失败", "请求失败。", "Request failed", "The request failed."),
    "signature_invalid": ("请求签名无效", "推送请求的 HTTP 消息签名未通过校验（{reason}），详见 docs/ISSUING.md。",
                          "Invalid request signature",
                          "The push request's HTTP message signature did not verify ({reason}); see docs/ISSUING.md."),
    "records_refused": ("证照记录被拒收，未保存任何数据", "{received} 条记录中有 {refused} 条被拒收，整批未写入；详见 records。",
                        "Records refused; nothing was saved",
                        "Some records were refused ({refused} of {received}), so nothing was written; see records."),
    "file_too_large": ("文件过大", "文件超过了 {limit} 字节的上限，未保存。", "File too large",
                       "The file exceeds the limit of {limit} bytes; nothing was stored."),
    "not_concluded": ("办件尚未办结", "办件办结后才能评价（当前状态：{state}）。", "Not concluded",
                      "An application can be rated once it is concluded (it is {state})."),
    "rating_window_closed": ("评价修改期已过", "评价只能在首次评价后 {days} 天内修改。", "Rating can no longer change",
                             "A rating can be changed within {days} days of being given."),
    "follow_up_answered": ("整改回访已答复", "该差评已答复（{state}），不能再次答复。", "Follow-up already answered",
                           "This follow-up was already answered ({state})."),
    "follow_up_not_answered": ("尚无答复", "部门尚未答复该评价（{state}），暂不能回应。", "No answer yet",
                               "The department has not answered this rating ({state}); nothing to respond to."),
}

# Field-level messages by code: (zh, en). The English one is a sentence naming the field: ``{field}`` is
# its path (``materials[2].name``, ``body`` for the whole body).
FIELDS: dict[str, tuple[str, str]] = {
    "required": ("缺少必填字段。", "The field '{field}' is required."),
    "unknown_field": ("不允许的字段。", "The field '{field}' is not allowed here."),
    "invalid": ("取值无效。", "The value of '{field}' is invalid."),
    "invalid_type": ("类型不正确。", "The field '{field}' has the wrong type."),
    "length": ("长度不符合要求。", "The length of '{field}' is out of range."),
    "range": ("数值超出范围。", "The value of '{field}' is out of range."),
    "one_of": ("不是允许的取值。", "The value of '{field}' is not one of the allowed values."),
    "format": ("格式不正确。", "The field '{field}' has the wrong format."),
    "check_digit": ("校验位错误。", "The check digit of '{field}' is wrong."),
    "birth_date": ("出生日期不存在。", "The birth date in '{field}' does not exist."),
    "idempotency_key_reused": ("该幂等键已用于另一个请求。", "The value of '{field}' was already used for a "
                               "different request."),
    "taken": ("已被注册。", "The value of '{field}' is already registered."),
    "weak_password": ("密码至少 8 位，且须同时包含字母和数字。",
                      "The field '{field}' needs at least 8 characters, with both letters and digits."),
    "password_contains_identifier": ("密码不能包含手机号或身份证号。",
                                     "The field '{field}' must not contain your phone number or ID number."),
    "null": ("不能为空。", "The field '{field}' may not be null."),
    "expired": ("验证码已失效，请重新获取。", "The challenge in '{field}' is unknown, used up or expired: ask for a new code."),
    "wrong_password": ("当前密码不正确。", "The password in '{field}' is not the current one."),
    "liveness_failed": ("人脸核验未通过。", "The face check in '{field}' did not pass."),
    "no_account": ("该身份证号尚未注册账号，请直接注册。", "No account holds the ID number in '{field}': register instead."),
    "account_exists": ("该身份证号已有账号，请找回该账号。",
                       "The ID number in '{field}' already has an account: recover it instead."),
    "one_of_code_or_evidence": ("验证码与人脸核验只能选一种。",
                                "The field '{field}' cannot be given together with an SMS code: give one of them."),
    "no_eligible_agent": ("未找到与该姓名和身份证号一致、且已完成实名认证的账号。",
                          "No citizen account proofed to the application level matches this name and the ID "
                          "number in '{field}'."),
    "agent_is_holder": ("不能授权本人代办。", "The ID number in '{field}' is your own: you cannot be your own agent."),
    "already_authorised": ("已授权此人代办该事项。", "The person in '{field}' is already authorised for this item."),
    "unknown_authorisation": ("没有授予您的此代办授权。", "No authorisation granted to you has the id in '{field}'."),
    "authorisation_revoked": ("该代办授权已撤销。", "The authorisation in '{field}' was revoked."),
    "authorisation_expired": ("该代办授权已过期。", "The authorisation in '{field}' has expired."),
    "other_item": ("该代办授权不涵盖此事项。", "The authorisation in '{field}' is for another item."),
    "holder_inactive": ("授权人的账号已停用。", "The holder of the authorisation in '{field}' has no active account."),
    "not_for_agent": ("材料库中的文件只能由本人选用，代办人不能选用。",
                      "Only the holder can use files from their materials library: an agent cannot send '{field}'."),
    "identity_mismatch": ("姓名与公安登记的身份信息不一致。",
                          "The field '{field}' does not match the police records for this ID number."),
    "unknown_service_item": ("没有已发布的此事项。", "No published service item has the code in '{field}'."),
    "license_not_required": ("该事项不需要此类证照。",
                             "The service item in '{field}' does not ask for this kind of license."),
    "one_of_profile_or_impl_code": ("profile 与 impl_code 只能填一个。",
                                    "The field '{field}' cannot be given together with profile: give one of them."),
    "unknown_device": ("设备不存在或已移除。", "No active device matches '{field}'."),
    "before_device_registered": ("早于该柜台设备的注册时间。",
                                 "The time in '{field}' is before the counter device was registered."),
    "after_upload": ("晚于上传时间（超出允许的时钟误差）。",
                     "The time in '{field}' is later than the upload (beyond the allowed clock skew)."),
    "too_old": ("记录过旧，超过柜台日志的保留上传期限。",
                "The time in '{field}' is older than counter logs may be uploaded (ZWT_COUNTER_LOG_MAX_AGE_DAYS)."),
    "unknown_license_type": ("没有此证照类型。", "No license type has the code in '{field}'."),
    "unknown_shared_source": ("没有此共享数据来源。", "No shared-data source has the name in '{field}'."),
    "not_a_field_of_type": ("该证照类型没有此字段。", "The license type has no field named in '{field}'."),
    "not_p256": ("设备密钥须为 P-256。", "The key in '{field}' must be a P-256 key."),
    "unknown_nonce": ("随机数无效、已使用或已过期。", "The nonce in '{field}' is unknown, used or expired."),
    "bad_signature": ("签名无效。", "The signature in '{field}' does not verify."),
    "read_only": ("该字段只读：状态请用事项操作变更，版本请用 If-Match，部门名称取自部门名录。",
                  "The field '{field}' is read-only: change the status with an item action and the version "
                  "through If-Match; the department's name comes from the department register."),
    "unknown_department": ("部门名录中没有此部门。",
                           "The department in '{field}' is not in the department register."),
    "live_edit_needs_review": ("该事项已发布，本部门要求双人审核：请先暂停事项，修改后由另一位管理员恢复。",
                               "The item named by '{field}' is published and its department needs a second "
                               "reviewer: suspend it, change it, and have another admin resume it."),
    "department_mismatch": ("只能登记本部门的事项。",
                            "The department in '{field}' is not yours: you may only register items of your own "
                            "department."),
    "immutable": ("实施编码不可修改。", "The field '{field}' cannot change."),
    "item_cancelled": ("该事项已取消，不能再修改。", "The item named by '{field}' is cancelled and cannot change."),
    "maintained_by_feed": ("该事项由部门业务系统维护，请在部门系统中修改。",
                           "The item named by '{field}' is maintained by the department's own system: change it "
                           "there."),
    "duplicate": ("重复。", "The value of '{field}' appears more than once."),
    "encoding": ("文件编码无法识别，请使用 UTF-8 或 GBK。",
                 "The encoding of '{field}' is unreadable; use UTF-8 or GBK."),
    "empty": ("内容为空。", "The field '{field}' holds nothing to import."),
    "too_many_cells": ("单元格数多于表头列数。", "The field '{field}' has more cells than the header has columns."),
    "too_many_rows": ("行数超过上限。", "The field '{field}' holds too many rows."),
    "example_row": ("这是模板中的示例行，请替换为本部门的事项或删除该行。",
                    "The value of '{field}' is the template's example row: replace it with your own items or "
                    "delete it."),
    "missing_signature": ("缺少 Signature 与 Signature-Input 请求头。",
                          "The request has no '{field}' and Signature-Input headers."),
    "missing_digest": ("缺少 Content-Digest 请求头。", "The request has no Content-Digest header for '{field}'."),
    "bad_digest": ("Content-Digest 与请求体不符。", "The Content-Digest does not match the body ('{field}')."),
    "unknown_key": ("签名密钥未登记。", "The keyid in '{field}' is not registered."),
    "key_not_of_department": ("签名密钥不属于该部门。", "The keyid in '{field}' belongs to another department."),
    "key_revoked": ("签名密钥已吊销。", "The keyid in '{field}' is revoked."),
    "created_out_of_window": ("签名时间与服务器时间相差过大。",
                              "The created time in '{field}' is too far from the server's clock."),
    "signature_expired": ("签名已过期。", "The signature in '{field}' has expired."),
    "wrong_label_or_alg": ("签名标签须为 zwt，算法须为 ecdsa-p256-sha256。",
                           "The signature in '{field}' must have the label zwt and alg ecdsa-p256-sha256."),
    "type_not_allowed": ("该密钥（或部门）不能签发此类证照。",
                         "The license type in '{field}' is not one this key (or department) may issue."),
    "unknown_holder": ("持证人证件号码无效。", "The holder's number in '{field}' is not a valid ID number or credit code."),
    "stale_version": ("版本号低于已保存的版本。", "The version in '{field}' is lower than the one stored."),
    "version_conflict": ("同一版本号的内容与已保存的不同。",
                         "The version in '{field}' was stored with other content."),
    "final_state": ("证照已注销或失效，不能再变更。", "The license is revoked or expired; '{field}' cannot change it."),
    "invalid_transition": ("证照当前状态不允许此操作。", "The license's state does not allow the operation in '{field}'."),
    "not_issued": ("尚未签发此流水号的证照。", "No license with the serial in '{field}' was issued yet."),
    "holder_changed": ("证照不能更换持证人，请以新流水号签发。",
                       "The holder in '{field}' differs from the stored one: issue the new holder's license under "
                       "a new serial."),
    "malformed_json": ("该行不是合法的 JSON。", "The line in '{field}' is not valid JSON."),
    "invalid_text": ("含有无法保存的字符（NUL 或不成对的代理字符）。",
                     "The field '{field}' contains characters that cannot be stored (NUL or an unpaired "
                     "surrogate)."),
    "too_large": ("文件过大。", "The file in '{field}' is larger than allowed."),
    "unsupported_type": ("只接受 PDF、JPEG 或 PNG 文件。", "The file in '{field}' is not a PDF, JPEG or PNG."),
    "type_mismatch": ("文件内容与声明的类型或扩展名不符。",
                      "The bytes of the file in '{field}' are not of the type its name or media type claims."),
    "corrupt": ("图片已损坏，无法读取。", "The image in '{field}' is damaged and cannot be read."),
    "consent_required": ("使用材料库中的文件需要本人同意。",
                         "Using a library file needs the citizen's consent in '{field}'."),
    "unknown_material": ("该事项没有此名称的材料。", "The item has no material named in '{field}'."),
    "material_missing": ("该材料尚未满足：请上传或选择材料库中的文件。",
                         "The material in '{field}' is not satisfied: upload it or pick a library file."),
    "material_pending": ("部门尚未返回该材料的数据，请稍后再提交或改为上传。",
                         "The department has not answered for the material in '{field}' yet: submit later or "
                         "upload it instead."),
    "commitment_not_accepted": ("容缺受理须签署信用承诺（accepted 为 true）。",
                                "A commitment needs the applicant's signature: '{field}' must be true."),
    "commitment_not_allowed": ("当前信用状况不允许容缺受理，请提交全部材料。",
                               "The credit standing does not allow a commitment in '{field}' now: supply every "
                               "material."),
    "not_deferrable": ("该材料不能容缺后补。", "The material in '{field}' cannot be deferred under a commitment."),
    "not_owed": ("该材料不是待补交的承诺材料。", "The material in '{field}' is not owed under the commitment."),
    "credential_refused": ("电子证照未通过核验，不能作为材料。",
                           "The e-license for the material in '{field}' did not verify and cannot be used."),
}

# A domain message (a catalog rule's) that continues a field name: "is required", "must be an integer".
_CONTINUES_FIELD = ("is ", "must ", "should ", "may ")


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


def field_texts(code: str, field: str) -> tuple[str, str]:
    """The Chinese and English messages of a field error code; an unknown code reads as an invalid value."""
    zh, en = FIELDS.get(code, FIELDS["invalid"])
    return zh, en.format(field=field or "body")


def field_message(code: str, field: str) -> str:
    """A field error message in the request's language; the English one names the field."""
    zh, en = field_texts(code, field)
    return en if locale() == "en" else zh


def field_violation(field: str, code: str) -> Violation:
    """A violation about a document's shape or an import row, worded by the field texts above."""
    return Violation(field, code, *field_texts(code, field))


def violation_message(violation: Violation) -> str:
    """A domain rule violation's message in the request's language; the English one a sentence naming the field.

    The catalog's own English texts are fragments (``is required``) or clauses (``a fee needs its standard``);
    the path they concern is added here, once, rather than in every text.
    """
    if locale() != "en":
        return violation.message_zh
    text, field = violation.message_en.strip().rstrip("."), violation.field or "body"
    if f"'{field}'" in text:
        return text[0].upper() + text[1:] + "."
    if text.startswith(_CONTINUES_FIELD):
        return f"The field '{field}' {text}."
    return f"{text[0].upper()}{text[1:]} (field '{field}')."
